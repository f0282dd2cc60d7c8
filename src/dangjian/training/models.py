"""培训与学习: courses and their sessions with attendance (hours per person per year, against
the targets of DESIGN 6: members >= 32 学时 a year, secretaries and committee members >= 56),
党务干部 rotation training once per three-year cycle, the 业余党校 for 入党积极分子 and
发展对象, mentoring pairs (双培双带, 青蓝工程) and 党建研究 projects and papers.

A cadre is a member holding a seat of a 班子 (orgs.Position) on the day, found by the seat's
link to the member record (rules.py)."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core import signin
from dangjian.core.scope import RestrictedQuerySetMixin
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.recruitment.models import Recruit, Step


class Level(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县区级")
    COMMITTEE = "committee", _("校级(党委、党总支)")
    BRANCH = "branch", _("支部")
    EXTERNAL = "external", _("上级或外部")


class CourseKind(models.TextChoices):
    STUDY = "study", _("党员教育培训")
    ROTATION = "rotation", _("党务干部轮训")
    PARTY_SCHOOL = "party_school", _("业余党校")
    ONLINE = "online", _("网络学习")
    EXTERNAL = "external", _("外部培训")


class Source(models.TextChoices):
    LIST = "list", _("名单登记")
    QR = "qr", _("扫码签到")
    IMPORT = "import", _("Excel导入")
    CERTIFICATE = "certificate", _("凭证书登记")


class OrgScopedQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    pass


class Course(models.Model):
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("主办党组织")
    )
    title = models.CharField(_("课程主题"), max_length=100)
    kind = models.CharField(_("培训类别"), max_length=20, choices=CourseKind.choices)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    organiser = models.CharField(_("承办单位"), max_length=100, blank=True)
    hours = models.DecimalField(_("每期学时"), max_digits=5, decimal_places=1)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("培训课程")
        ordering = ["org", "title", "id"]

    def __str__(self) -> str:
        return self.title

    scope_path = "org__path"


class TrainingQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    pass


class Training(models.Model):
    """One session (一期) of a course, held on a day by an org, with its attendance."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("课程")
    )
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("举办党组织")
    )
    on = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # Photos of the session (the class, the sign-in sheet) through the upload store.
    photos = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("照片")
    )
    # QR sign-in (core.signin, as the meetings have it): opened by the organiser on the
    # session's day, ended when they close it or the day is over.
    signin_opened_at = models.DateTimeField(
        _("开启签到时间"), null=True, blank=True, editable=False
    )
    signin_closed_at = models.DateTimeField(
        _("结束签到时间"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训班次")
        ordering = ["-on", "id"]
        indexes = [models.Index(fields=["on"], name="training_on")]

    def __str__(self) -> str:
        return f"{self.on} {self.course.title}"

    scope_path = "org__path"

    def signin_state(self, today: dt.date) -> str:
        """ "pending" until the organiser opens QR sign-in, then "open" until they close it
        or the session's day is over ("closed")."""
        if signin.closed(self.on, today, self.signin_closed_at):
            return "closed"
        return "pending" if self.signin_opened_at is None else "open"


class AttendanceQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    pass


class Attendance(models.Model):
    """A person's hours at a session: a member, or (业余党校) a person in the 发展党员
    pipeline."""

    # Indexed by the (training, member) unique index; the recruit and step links by partial
    # indexes over the few rows that have them, so a city's hundred thousand member rows
    # maintain two indexes, not six.
    training = models.ForeignKey(
        Training,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("培训"),
        db_index=False,
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党员"),
    )
    recruit = models.ForeignKey(
        Recruit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("积极分子或发展对象"),
        db_index=False,
    )
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    source = models.CharField(_("登记方式"), max_length=20, choices=Source.choices)
    certificate = models.CharField(_("证书编号"), max_length=100, blank=True)
    # When the member signed in by QR (empty for the other sources).
    signed_at = models.DateTimeField(_("签到时间"), null=True, blank=True, editable=False)
    # The 集中培训 step this 业余党校 attendance wrote into the recruit's pipeline.
    step = models.ForeignKey(
        Step,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("参训记录")
        verbose_name_plural = _("参训记录")
        ordering = ["training", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, recruit__isnull=True)
                | Q(member__isnull=True, recruit__isnull=False),
                name="attendance_one_person",
            ),
            models.UniqueConstraint(fields=["training", "member"], name="attendance_member_once"),
            models.UniqueConstraint(
                fields=["training", "recruit"],
                condition=Q(recruit__isnull=False),
                name="attendance_recruit_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recruit"], condition=Q(recruit__isnull=False), name="attendance_recruit"
            ),
            models.Index(fields=["step"], condition=Q(step__isnull=False), name="attendance_step"),
        ]

    def __str__(self) -> str:
        person = self.member or self.recruit
        return f"{person.name if person else ''} {self.hours}"

    scope_path = "training__org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)


class MentorKind(models.TextChoices):
    TO_MEMBER = "to_member", _("双培双带: 把骨干培养成党员")
    TO_BACKBONE = "to_backbone", _("双培双带: 把党员培养成骨干")
    BLUE_GREEN = "blue_green", _("青蓝工程")


class MentorOutcome(models.TextChoices):
    NONE = "", _("培养中")
    APPLIED = "applied", _("已递交入党申请")
    BACKBONE = "backbone", _("已成长为骨干")
    BOTH = "both", _("已申请入党并成长为骨干")


class Mentorship(models.Model):
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织")
    )
    kind = models.CharField(_("结对类型"), max_length=20, choices=MentorKind.choices)
    mentor = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("党员导师")
    )
    mentee_name = models.CharField(_("培养对象"), max_length=50)
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    outcome = models.CharField(
        _("培养成效"), max_length=20, choices=MentorOutcome.choices, blank=True, default=""
    )
    outcome_on = models.DateField(_("成效日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("师徒结对")
        verbose_name_plural = _("双培双带与青蓝工程")
        ordering = ["-started_on", "id"]

    def __str__(self) -> str:
        return f"{self.mentor.name} — {self.mentee_name}"

    scope_path = "org__path"


class ResearchKind(models.TextChoices):
    PROJECT = "project", _("课题")
    PAPER = "paper", _("论文")


class Research(models.Model):
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=ResearchKind.choices)
    title = models.CharField(_("题目"), max_length=200)
    authors = models.CharField(_("作者或负责人"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    outcome = models.CharField(
        _("成果"), max_length=200, blank=True, help_text=_("结题、获奖或发表情况")
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党建研究")
        verbose_name_plural = _("党建研究")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title

    scope_path = "org__path"
