"""组织生活: meetings (三会一课, 主题党日, 组织生活会, 民主评议, 谈心谈话, 例会) with who was
expected and who came, the dated frequency rules compliance is measured against, themed
series (campaigns such as 2011's "六个一") and the 民主评议党员 grades.

A meeting keeps its expected and present counts beside its roster: the statistics and the
compliance grid read the counts (one aggregate query for a city), the roster is the detail.
A meeting entered from paper records may carry the counts alone (`roster_kept` false): the
sign-in sheets of past years are often kept only as figures."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core import signin
from dangjian.core.scope import ANY_SCOPE, RestrictedQuerySetMixin, path_q
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("支部党员大会")
    COMMITTEE = "committee", _("支委会")
    GROUP = "group", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE = "life", _("组织生活会")
    REVIEW = "review", _("民主评议党员")
    TALK = "talk", _("谈心谈话")
    ROUTINE = "routine", _("例会")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")


class ReferenceQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    """Rules readable by anyone who may view some subtree."""


class FrequencyRule(models.Model):
    """How often a kind of meeting is required of every branch, from a date on (a dated
    setting: a new rule is a new row, so the compliance of past years is measured against
    the rules of their time)."""

    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    frequency = models.CharField(_("频次"), max_length=20, choices=Frequency.choices)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("停止日期"), null=True, blank=True)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议频次要求")
        verbose_name_plural = _("会议频次要求")
        ordering = ["kind", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="life_rule_kind_from")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_frequency_display()}"

    scope_path = ANY_SCOPE

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


class Series(models.Model):
    """A themed series (主题系列活动) launched by a committee for every branch under it,
    with the activities each branch is to hold (the "六个一")."""

    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="series", verbose_name=_("发起党组织")
    )
    name = models.CharField(_("名称"), max_length=100)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    description = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("主题系列活动")
        verbose_name_plural = _("主题系列活动")
        ordering = ["-start_on", "pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, paths):
        # Branches under the launching committee see it too: they hold its activities.
        q = path_q("org__path", paths)
        for path in paths:
            for depth in range(len(path) // Organization.steplen - 1, 0, -1):
                q |= Q(org__path=path[: depth * Organization.steplen])
        return q


class SeriesItem(models.Model):
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="items", verbose_name=_("主题系列活动")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("活动"), max_length=100)
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)

    class Meta:
        verbose_name = _("系列活动项目")
        verbose_name_plural = _("系列活动项目")
        ordering = ["series", "position"]

    def __str__(self) -> str:
        return self.title


class MeetingQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    def held(self, day: dt.date):
        return self.filter(held_on__lte=day)


class Meeting(models.Model):
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("党组织")
    )
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=100)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    chair = models.CharField(_("主持人"), max_length=50, blank=True)
    recorder = models.CharField(_("记录人"), max_length=50, blank=True)
    agenda = models.TextField(_("议程"), blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    decisions = models.TextField(_("决定事项"), blank=True)
    speaker = models.CharField(_("党课主讲人"), max_length=50, blank=True)
    topic = models.CharField(_("党课题目"), max_length=100, blank=True)
    series_item = models.ForeignKey(
        SeriesItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("主题系列活动项目"),
    )
    files = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("照片和附件")
    )
    roster_kept = models.BooleanField(_("有签到名单"), default=True)
    expected_count = models.PositiveIntegerField(_("应到人数"), default=0)
    present_count = models.PositiveIntegerField(_("实到人数"), default=0)
    closed_at = models.DateTimeField(_("签到结束时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("组织生活会议")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["org", "kind", "held_on"], name="meeting_org_kind_day")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    scope_path = "org__path"

    @classmethod
    def self_q(cls, user):
        """A member sees the meetings they were expected at (their own /me/ pages)."""
        return Q(attendances__member__user_id=user.pk)

    @property
    def absent_count(self) -> int:
        return max(self.expected_count - self.present_count, 0)

    @property
    def attendance_rate(self) -> float | None:
        return self.present_count / self.expected_count if self.expected_count else None

    def is_closed(self, today: dt.date) -> bool:
        """Sign-in by QR ends when the secretary closes it or the meeting's day is over."""
        return signin.closed(self.held_on, today, self.closed_at)


class AttendanceStatus(models.TextChoices):
    PENDING = "pending", _("未签到")
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")
    OBSERVER = "observer", _("列席")


class AbsenceReason(models.TextChoices):
    SICK = "sick", _("病假")
    PERSONAL = "personal", _("事假")
    DUTY = "duty", _("公差")
    OTHER = "other", _("其他")


class SignedBy(models.TextChoices):
    QR = "qr", _("扫码签到")
    HAND = "hand", _("书记登记")


class Attendance(models.Model):
    """One person on a meeting's roster: expected (a member of the org on the day, 支委 for
    a 支委会) or 列席 (attending without being expected, not counted in the rate)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("会议")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("党员")
    )
    status = models.CharField(
        _("出席情况"),
        max_length=20,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PENDING,
    )
    reason = models.CharField(
        _("缺席原因"), max_length=20, choices=AbsenceReason.choices, blank=True
    )
    note = models.CharField(_("说明"), max_length=100, blank=True)
    signed_by = models.CharField(_("签到方式"), max_length=10, choices=SignedBy.choices, blank=True)
    signed_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    signin_nonce = models.CharField(max_length=32, blank=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        ordering = ["meeting", "member__name_pinyin", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="life_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.get_status_display()}"

    scope_path = "meeting__org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)

    @property
    def expected(self) -> bool:
        return self.status != AttendanceStatus.OBSERVER


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class ReviewGrade(models.Model):
    """A member's grade in a year's 民主评议党员 (the meeting of kind REVIEW); 不合格 carries
    its follow-up (限期改正, 劝退, 除名 ...)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="grades", verbose_name=_("民主评议")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="review_grades", verbose_name=_("党员")
    )
    grade = models.CharField(_("评议等次"), max_length=20, choices=Grade.choices)
    followup = models.CharField(_("不合格党员处置"), max_length=200, blank=True)
    followup_on = models.DateField(_("处置日期"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("民主评议等次")
        verbose_name_plural = _("民主评议等次")
        ordering = ["meeting", "member__name_pinyin", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="life_grade_once")
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.get_grade_display()}"

    scope_path = "meeting__org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)


class GroupMembershipQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    def in_force(self, day: dt.date):
        """Spells in force on `day`: [start_on, end_on), like the members' branch spells."""
        return self.filter(start_on__lte=day).filter(Q(end_on__isnull=True) | Q(end_on__gt=day))


class GroupMembership(models.Model):
    """A member's spell in one 党小组 of their branch, [start_on, end_on): at most one group
    at a date, dated so that a past 党小组会 keeps the roster of its day. A 党小组会 held by
    the group expects the group's members then (services.expected_member_ids)."""

    group = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="group_memberships",
        verbose_name=_("党小组"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="group_memberships", verbose_name=_("党员")
    )
    start_on = models.DateField(_("编入日期"))
    end_on = models.DateField(_("调出日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("党小组成员")
        verbose_name_plural = _("党小组成员")
        ordering = ["group__path", "end_on", "member__name_pinyin", "pk"]
        indexes = [models.Index(fields=["group", "start_on"], name="life_group_member_start")]

    def __str__(self) -> str:
        return f"{self.group.name} {self.member.name}"

    scope_path = "group__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)

    def in_force_on(self, day: dt.date) -> bool:
        return self.start_on <= day and (self.end_on is None or day < self.end_on)
