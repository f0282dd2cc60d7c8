"""廉政建设: the 廉政风险防控 register (risk points, their measures) and education records,
which the org's committee reads like any record; and the discipline officers' confidential
records (信访, 案件 and 线索, 诫勉/提醒谈话), which only the 纪检 role of a subtree reads.

A confidential record never names anyone outside its own fields: its `__str__` and audit
picture carry no name, matter or petitioner, because the audit log (read by 审计员 and
administrators) shows both."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.crypto import decrypt_id, encrypt_id
from dangjian.core.roles import Action
from dangjian.core.scope import RestrictedQuerySetMixin
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.recruitment.models import Sanction

# -- choices ------------------------------------------------------------------------------


class RiskDomain(models.TextChoices):
    TENDERING = "tendering", _("基建招标")
    PROCUREMENT = "procurement", _("仪器设备采购")
    APPOINTMENT = "appointment", _("干部任免")
    FINANCE = "finance", _("财务管理")
    ADMISSION = "admission", _("学校招生")
    TITLES = "titles", _("职称评聘")
    DEPLOYMENT = "deployment", _("教师调配")
    RESEARCH = "research", _("科研经费")
    LOGISTICS = "logistics", _("后勤服务")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class EducationKind(models.TextChoices):
    WARNING = "warning", _("警示教育")
    PROJECT = "project", _("“3+6”廉政教育工程")
    ETHICS = "ethics", _("师德师风教育")
    OTHER = "other", _("其他廉政教育")


class Channel(models.TextChoices):
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    ONLINE = "online", _("网上")
    PHONE = "phone", _("电话")


class PetitionResult(models.TextChoices):
    TRUE = "true", _("反映属实")
    PARTLY = "partly", _("部分属实")
    FALSE = "false", _("反映不实")
    REFERRED = "referred", _("转有关部门办理")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class CaseKind(models.TextChoices):
    CASE = "case", _("本单位线索和案件")
    ASSISTED = "assisted", _("协助外单位核查线索")


class PartyOutcome(models.TextChoices):
    """党纪处分; the first four are the sanction kinds 发展党员 and elections read."""

    WARNING = "warning", _("警告")
    SERIOUS_WARNING = "serious_warning", _("严重警告")
    REMOVAL = "removal", _("撤销党内职务")
    PROBATION = "probation", _("留党察看")
    EXPULSION = "expulsion", _("开除党籍")


class GovernmentOutcome(models.TextChoices):
    WARNING = "warning", _("警告")
    DEMERIT = "demerit", _("记过")
    MAJOR_DEMERIT = "major_demerit", _("记大过")
    DEMOTION = "demotion", _("降级")
    DISMISSAL_FROM_POST = "dismissal_post", _("撤职")
    DISMISSAL = "dismissal", _("开除")


class CaseStage(models.TextChoices):
    LEAD = "lead", _("线索受理")
    CHECK = "check", _("初核")
    FILED = "filed", _("立案")
    REVIEW = "review", _("审查")
    CLOSED = "closed", _("结案")


class TalkKind(models.TextChoices):
    ADMONISH = "admonish", _("诫勉谈话")
    REMIND = "remind", _("提醒谈话")


# -- querysets ----------------------------------------------------------------------------


class ScopedQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    pass


class ConfidentialQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    """Discipline records: every action on them is the 纪检 role's (INTERFACES 8), so a
    `restrict(user, ...)` anywhere, with whatever action, never hands one to an
    administrator, a secretary or a member."""

    def restrict(self, user, action: str = Action.DISCIPLINE):
        return super().restrict(user, Action.DISCIPLINE)


def _org(label=None):
    return models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=label or _("党组织"),
    )


class OrgScoped(models.Model):
    org = _org()
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    scope_path = "org__path"


# -- 廉政风险防控 -------------------------------------------------------------------------


class Risk(OrgScoped):
    """One 廉政风险点: found in the 排查 (`found_on`), confirmed by the leading group in the
    评估确认 (`confirmed_on`), then controlled by measures; reviewed yearly."""

    domain = models.CharField(_("风险领域"), max_length=20, choices=RiskDomain.choices)
    post = models.CharField(_("岗位"), max_length=100)
    people = models.CharField(_("涉及人员"), max_length=200, blank=True)
    description = models.TextField(_("风险描述"))
    level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    found_on = models.DateField(_("排查日期"))
    confirmed_on = models.DateField(
        _("评估确认日期"), null=True, blank=True, help_text=_("廉政风险防控领导小组确认之日")
    )
    reviewed_on = models.DateField(_("最近年度复查日期"), null=True, blank=True)
    review_note = models.CharField(_("复查意见"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("廉政风险点")
        verbose_name_plural = _("廉政风险防控")
        indexes = [models.Index(fields=["org", "found_on"])]

    def __str__(self) -> str:
        return f"{self.post} · {self.get_domain_display()}"


class Measure(models.Model):
    risk = models.ForeignKey(
        Risk, on_delete=models.CASCADE, related_name="measures", verbose_name=_("风险点")
    )
    content = models.CharField(_("防控措施"), max_length=300)
    owner = models.CharField(_("责任人"), max_length=50)
    set_on = models.DateField(_("制定日期"))
    review_on = models.DateField(_("检查日期"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("防控措施")
        verbose_name_plural = _("防控措施")

    def __str__(self) -> str:
        return self.content[:40]

    scope_path = "risk__org__path"


class Education(OrgScoped):
    """警示教育, the “3+6”廉政教育工程 and 师德师风 activities (a speaker touring schools is one
    record per school visited). Who attended is recorded person by person
    (`EducationAttendance`); the number of attendees is counted from those records, never
    typed."""

    kind = models.CharField(_("类别"), max_length=20, choices=EducationKind.choices)
    held_on = models.DateField(_("日期"))
    title = models.CharField(_("主题"), max_length=200)
    speaker = models.CharField(_("主讲人"), max_length=100, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("廉政教育")
        verbose_name_plural = _("廉政教育")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class AttendanceSource(models.TextChoices):
    LIST = "list", _("名单登记")
    IMPORT = "import", _("Excel导入")


class EducationAttendance(models.Model):
    """One member at one 廉政教育 activity: a member of the activity's org or below it."""

    education = models.ForeignKey(
        Education, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("廉政教育")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("党员")
    )
    source = models.CharField(
        _("登记方式"),
        max_length=10,
        choices=AttendanceSource.choices,
        default=AttendanceSource.LIST,
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("廉政教育参加人员")
        verbose_name_plural = _("廉政教育参加人员")
        constraints = [
            models.UniqueConstraint(
                fields=["education", "member"], name="integrity_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name} · {self.education}"

    scope_path = "education__org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)


# -- confidential -------------------------------------------------------------------------


class Confidential(OrgScoped):
    org = _org(_("承办党组织"))

    objects = ConfidentialQuerySet.as_manager()

    # Only what says nothing about anyone reaches the audit log.
    AUDITED: tuple[str, ...] = ("org",)

    class Meta:
        abstract = True

    def audit_snapshot(self) -> dict:
        from dangjian.core.audit import snapshot

        data = snapshot(self)
        return {key: data[key] for key in self.AUDITED if key in data}


class Petition(Confidential):
    received_on = models.DateField(_("受理日期"))
    channel = models.CharField(_("信访方式"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("反映事项"), max_length=300)
    # The petitioner, encrypted at rest like ID numbers (core.crypto).
    petitioner_cipher = models.TextField(_("信访人(密文)"), blank=True, editable=False)
    due_on = models.DateField(_("办理期限"))
    progress = models.TextField(_("办理进展"), blank=True)
    result = models.CharField(
        _("办理结果"), max_length=10, choices=PetitionResult.choices, blank=True
    )
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    reply = models.TextField(_("答复意见"), blank=True)
    satisfaction = models.CharField(
        _("信访人满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )

    AUDITED = ("org", "received_on", "channel", "due_on", "result", "resolved_on", "satisfaction")

    class Meta:
        verbose_name = _("信访件")
        verbose_name_plural = _("信访")
        indexes = [models.Index(fields=["org", "received_on"])]

    def __str__(self) -> str:
        return f"{_('信访件')} {self.received_on} (#{self.pk})"

    @property
    def petitioner(self) -> str:
        return decrypt_id(self.petitioner_cipher) if self.petitioner_cipher else ""

    @petitioner.setter
    def petitioner(self, name: str) -> None:
        self.petitioner_cipher = encrypt_id(name) if name else ""

    def overdue_on(self, day: dt.date) -> bool:
        """Past its deadline and not settled: the deadline day itself is still in time."""
        return day > self.due_on and (self.resolved_on is None or self.resolved_on > day)


class Case(Confidential):
    """A lead (线索) and, when it comes to that, the case: 线索受理 → 初核 → 立案 → 审查 → 结案
    with the outcome; 申诉 after it. A lead checked for an outside body is counted apart."""

    kind = models.CharField(
        _("类别"), max_length=10, choices=CaseKind.choices, default=CaseKind.CASE
    )
    subject_name = models.CharField(_("被反映人"), max_length=50)
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被反映人党员档案"),
    )
    post = models.CharField(_("职务"), max_length=100, blank=True)
    source = models.CharField(_("线索来源"), max_length=100, blank=True)
    matter = models.TextField(_("问题线索"))
    received_on = models.DateField(_("线索受理日期"))
    checked_on = models.DateField(_("初核日期"), null=True, blank=True)
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    reviewed_on = models.DateField(_("审查终结日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案(办结)日期"), null=True, blank=True)
    party_outcome = models.CharField(
        _("党纪处分"), max_length=20, choices=PartyOutcome.choices, blank=True
    )
    probation_years = models.PositiveSmallIntegerField(_("留党察看期限(年)"), null=True, blank=True)
    government_outcome = models.CharField(
        _("政务处分"), max_length=20, choices=GovernmentOutcome.choices, blank=True
    )
    appeal_on = models.DateField(_("申诉日期"), null=True, blank=True)
    appeal_result = models.CharField(_("申诉结果"), max_length=200, blank=True)
    sanction = models.ForeignKey(
        Sanction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党纪处分记录"),
    )

    AUDITED = (
        "org",
        "kind",
        "received_on",
        "checked_on",
        "filed_on",
        "reviewed_on",
        "closed_on",
        "party_outcome",
        "probation_years",
        "government_outcome",
        "appeal_on",
    )

    class Meta:
        verbose_name = _("纪检案件")
        verbose_name_plural = _("线索和案件")
        indexes = [models.Index(fields=["org", "received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(probation_years__isnull=True) | Q(probation_years__in=(1, 2)),
                name="integrity_case_probation_years",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on} (#{self.pk})"

    @property
    def stage(self) -> str:
        for field, stage in (
            ("closed_on", CaseStage.CLOSED),
            ("reviewed_on", CaseStage.REVIEW),
            ("filed_on", CaseStage.FILED),
            ("checked_on", CaseStage.CHECK),
        ):
            if getattr(self, field):
                return stage
        return CaseStage.LEAD

    def get_stage_display(self) -> str:
        return str(CaseStage(self.stage).label)

    @property
    def sanctioned(self) -> bool:
        return bool(self.party_outcome or self.government_outcome)


class Talk(Confidential):
    """诫勉谈话 and 提醒谈话 with a cadre."""

    kind = models.CharField(_("类别"), max_length=10, choices=TalkKind.choices)
    held_on = models.DateField(_("谈话日期"))
    person_name = models.CharField(_("谈话对象"), max_length=50)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    by_whom = models.CharField(_("谈话人"), max_length=100)
    matter = models.TextField(_("谈话事由"))
    follow_up = models.TextField(_("后续跟踪"), blank=True)

    AUDITED = ("org", "kind", "held_on")

    class Meta:
        verbose_name = _("诫勉和提醒谈话")
        verbose_name_plural = _("诫勉和提醒谈话")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on} (#{self.pk})"
