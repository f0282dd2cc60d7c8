"""发展党员: people moving through the 25 steps, the dated steps themselves, and the rule
sets they are checked against.

A rule set is data (a row with its numbers and step catalogue as JSON), chosen by the date
of each step, so a revision of the 细则 is a new row, not new code. Numbers that are local
practice rather than national rule live in RecruitmentSettings, per org subtree.

The Recruit row carries its stage dates (applied, activist, candidate, admitted, converted,
closed) derived from its steps by `rules.derive`, so "who was at which stage on a day" and
"who is due next" are single indexed queries, never a walk over the steps.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.scope import ANY_SCOPE, RestrictedQuerySet, RestrictedQuerySetMixin, path_q
from dangjian.members.choices import Status
from dangjian.members.models import Member, Person, PersonQuerySet
from dangjian.orgs.models import Organization, School


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")
    CLOSED = "closed", _("已终止")


OPEN_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)


class Outcome(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
    APPROVED = "approved", _("批准")
    REJECTED = "rejected", _("不批准")


# Steps whose outcome is one of these do not satisfy a later step's prerequisites.
NEGATIVE_OUTCOMES = frozenset({Outcome.FAILED, Outcome.REJECTED})


class Decision(models.TextChoices):
    """What the 支部大会 resolves about a 预备党员 at the end of the 预备期."""

    CONVERT = "convert", _("按期转为正式党员")
    EXTEND = "extend", _("延长预备期")
    CANCEL = "cancel", _("取消预备党员资格")


class Recommendation(models.TextChoices):
    MEMBERS = "members", _("党员推荐")
    LEAGUE = "league", _("团组织推优")
    MASS = "mass", _("群团组织推优")


class CloseReason(models.TextChoices):
    WITHDREW = "withdrew", _("本人放弃")
    NOT_DEVELOPED = "not_developed", _("经考察不再列为培养对象")
    LEFT = "left", _("调离或转出")
    CANCELLED = "cancelled", _("取消预备党员资格")
    OTHER = "other", _("其他")


class VoteChoice(models.TextChoices):
    YES = "yes", _("赞成")
    NO = "no", _("反对")
    ABSTAIN = "abstain", _("弃权")


class PersonRole(models.TextChoices):
    CONTACT = "contact", _("培养联系人")
    INTRODUCER = "introducer", _("入党介绍人")


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("警告")
    SERIOUS_WARNING = "serious_warning", _("严重警告")
    REMOVAL = "removal", _("撤销党内职务")
    PROBATION = "probation", _("留党察看")


# --- rule sets and local settings --------------------------------------------------------


class ReferenceQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    """Reference data (rule sets): readable by anyone who may view some subtree."""


class RuleSetQuerySet(ReferenceQuerySet):
    def in_force(self, day: dt.date) -> "RuleSet | None":
        """The rule set in force on `day`: the latest that took effect on or before it;
        before the first one, the first one (history entered later is checked against the
        earliest rules the system knows)."""
        found = self.filter(effective_from__lte=day).order_by("-effective_from").first()
        return found or self.order_by("effective_from").first()


class RuleSet(models.Model):
    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    effective_from = models.DateField(_("施行日期"), unique=True)
    rules = models.JSONField(_("规则"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("发展党员规则集")
        verbose_name_plural = _("发展党员规则集")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return self.name

    scope_path = ANY_SCOPE


class RecruitmentSettings(models.Model):
    """Local practice (DESIGN 6 marks these numbers "local"): the row of the nearest org
    above a branch applies; the row without an org is the default for everyone."""

    org = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recruitment_settings",
        verbose_name=_("党组织"),
    )
    publicity_working_days = models.PositiveSmallIntegerField(
        _("公示期(工作日)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("发展对象公示的最少工作日数"),
    )
    league_max_age = models.PositiveSmallIntegerField(
        _("团组织推优年龄上限"),
        default=28,
        validators=[MinValueValidator(18), MaxValueValidator(40)],
        help_text=_("不超过此年龄的入党申请人一般通过团组织推优产生"),
    )
    political_review_valid_months = models.PositiveSmallIntegerField(
        _("政治审查有效期(月)"), default=12, validators=[MinValueValidator(1)]
    )
    meeting_after_pre_review_months = models.PositiveSmallIntegerField(
        _("预审后召开支部大会期限(月)"), default=1, validators=[MinValueValidator(1)]
    )
    young_teacher_max_age = models.PositiveSmallIntegerField(
        _("源头工程青年教师年龄上限"), default=35, validators=[MinValueValidator(18)]
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("提前提醒天数"), default=30, validators=[MaxValueValidator(365)]
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("发展党员本地做法设置")
        verbose_name_plural = _("发展党员本地做法设置")

    def __str__(self) -> str:
        return str(self.org) if self.org_id else str(_("默认设置"))

    @classmethod
    def scope_q(cls, paths):
        return path_q("org__path", paths) | Q(org__isnull=True)


LOCAL_FIELDS = (
    "publicity_working_days",
    "league_max_age",
    "political_review_valid_months",
    "meeting_after_pre_review_months",
    "young_teacher_max_age",
    "reminder_days",
)


# --- people in the pipeline --------------------------------------------------------------


class RecruitQuerySet(PersonQuerySet):
    def open(self):
        return self.filter(stage__in=OPEN_STAGES)

    def pending(self):
        """Open pipelines whose deadlines still matter: not those of a 预备党员 who has
        left the system (transferred out, died) — the pipeline goes on elsewhere."""
        return self.open().filter(Q(member__isnull=True) | Q(member__status=Status.ACTIVE))

    def with_id_number(self, number: str):
        """The one way to look up by ID number: numbers are stored encrypted (DESIGN 7)."""
        return self.with_id_numbers([number or ""])


class Recruit(Person):
    """A person in the 发展党员 pipeline (often not yet a member; may be a student)."""

    title = models.CharField(_("职务或专业技术职务"), max_length=50, blank=True)
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="recruits", verbose_name=_("党支部")
    )
    work_unit = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recruits",
        verbose_name=_("工作或学习单位"),
    )
    stage = models.CharField(
        _("阶段"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT, db_index=True
    )
    applied_on = models.DateField(_("申请入党日期"))
    activist_on = models.DateField(_("确定为入党积极分子日期"), null=True, blank=True)
    candidate_on = models.DateField(_("确定为发展对象日期"), null=True, blank=True)
    admitted_on = models.DateField(_("接收为预备党员日期"), null=True, blank=True)
    approved_on = models.DateField(_("上级党委审批日期"), null=True, blank=True)
    probation_end_on = models.DateField(_("预备期满日期"), null=True, blank=True)
    extended_months = models.PositiveSmallIntegerField(_("延长预备期(月)"), default=0)
    converted_on = models.DateField(_("转正日期"), null=True, blank=True)
    closed_on = models.DateField(_("终止日期"), null=True, blank=True)
    close_reason = models.CharField(
        _("终止原因"), max_length=20, choices=CloseReason.choices, blank=True
    )
    member = models.OneToOneField(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recruit",
        verbose_name=_("党员档案"),
    )
    next_due_on = models.DateField(_("下一期限"), null=True, blank=True, db_index=True)
    next_due_kind = models.CharField(_("下一期限事项"), max_length=30, blank=True)

    objects = RecruitQuerySet.as_manager()

    class Meta:
        verbose_name = _("发展党员对象")
        verbose_name_plural = _("发展党员对象")
        ordering = ["org__path", "applied_on", "id"]
        indexes = [
            models.Index(fields=["org", "stage"], name="recruit_org_stage"),
            models.Index(fields=["org", "admitted_on"], name="recruit_org_admitted"),
        ]

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class Step(models.Model):
    """One dated step of the 25 (or 公示, or the closing of a pipeline), with the rule set
    it was checked against."""

    recruit = models.ForeignKey(
        Recruit, on_delete=models.CASCADE, related_name="steps", verbose_name=_("发展党员对象")
    )
    key = models.CharField(_("步骤"), max_length=30, db_index=True)
    on = models.DateField(_("日期"))
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("规则集")
    )
    by = models.CharField(_("经办人或单位"), max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)
    end_on = models.DateField(_("截止日期"), null=True, blank=True)
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1, null=True, blank=True)
    days = models.DecimalField(_("天数"), max_digits=5, decimal_places=1, null=True, blank=True)
    method = models.CharField(
        _("推荐方式"), max_length=20, choices=Recommendation.choices, blank=True
    )
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices, blank=True)
    # Why a vote failed, with the rule and the figures, as recorded at the meeting.
    outcome_reason = models.CharField(_("结果说明"), max_length=300, blank=True)
    decision = models.CharField(_("决议"), max_length=20, choices=Decision.choices, blank=True)
    extension_months = models.PositiveSmallIntegerField(_("延长月数"), null=True, blank=True)
    close_reason = models.CharField(
        _("终止原因"), max_length=20, choices=CloseReason.choices, blank=True
    )
    special_reason = models.CharField(_("特殊情况说明"), max_length=200, blank=True)
    voters = models.PositiveSmallIntegerField(_("有表决权的正式党员"), null=True, blank=True)
    should_attend = models.PositiveSmallIntegerField(_("应到会"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("实到会"), null=True, blank=True)
    yes = models.PositiveSmallIntegerField(_("赞成"), null=True, blank=True)
    no = models.PositiveSmallIntegerField(_("反对"), null=True, blank=True)
    abstain = models.PositiveSmallIntegerField(_("弃权"), null=True, blank=True)
    observers = models.PositiveSmallIntegerField(_("列席"), null=True, blank=True)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    recorded_by = models.CharField(_("记录人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("发展步骤")
        verbose_name_plural = _("发展步骤")
        ordering = ["recruit", "on", "id"]
        indexes = [models.Index(fields=["recruit", "key"], name="step_recruit_key")]

    def __str__(self) -> str:
        return f"{self.on} {self.key}"

    @classmethod
    def audit_display(cls, field: str, value) -> str | None:
        """Names the audit log shows for a stored step key and recorder (core's audit pages
        cannot import this app, so they ask the model)."""
        if field == "key" and isinstance(value, str):
            from dangjian.recruitment.rules import RuleBook  # rules imports this module

            try:
                return RuleBook.load().on(dt.date.today()).name(value)
            except RuleSet.DoesNotExist:
                return None
        if field == "recorded_by" and value:
            user = get_user_model().objects.filter(username=value).first()
            if user is not None:
                return user.get_full_name() or user.first_name or value
        return None

    scope_path = "recruit__org__path"

    @property
    def counts(self) -> bool:
        return self.outcome not in NEGATIVE_OUTCOMES


class StepPerson(models.Model):
    """培养联系人 and 入党介绍人 named by a step."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="people")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("党员")
    )
    role = models.CharField(_("身份"), max_length=20, choices=PersonRole.choices)

    class Meta:
        verbose_name = _("联系人或介绍人")
        verbose_name_plural = _("联系人或介绍人")
        constraints = [
            models.UniqueConstraint(fields=["step", "member"], name="unique_step_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.member_id}"


class Ballot(models.Model):
    """One member at a 支部大会 on one candidate (one candidate at a time): a voting
    member, or one present without a vote (列席: a 预备党员 or a member under 留党察看),
    who counts in attendance but neither in the quorum nor in the majority."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("党员")
    )
    should_attend = models.BooleanField(_("应到会"), default=True)
    attended = models.BooleanField(_("到会"), default=False)
    written = models.BooleanField(_("书面意见"), default=False)
    choice = models.CharField(_("表决"), max_length=10, choices=VoteChoice.choices, blank=True)
    opinion = models.TextField(_("意见"), blank=True)
    observer = models.BooleanField(_("列席(无表决权)"), default=False)

    class Meta:
        verbose_name = _("表决记录")
        verbose_name_plural = _("表决记录")
        constraints = [
            models.UniqueConstraint(fields=["step", "member"], name="unique_ballot"),
        ]

    def __str__(self) -> str:
        return f"{self.step_id}:{self.member_id} {self.choice}"


class Attachment(models.Model):
    recruit = models.ForeignKey(
        Recruit,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("发展党员对象"),
    )
    step = models.ForeignKey(
        Step,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("步骤"),
    )
    title = models.CharField(_("材料名称"), max_length=100)
    file = models.FileField(_("文件"), upload_to="recruitment/%Y/")
    size = models.PositiveIntegerField(_("大小(字节)"), default=0)
    uploaded_by = models.CharField(_("上传人"), max_length=150, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("材料")
        verbose_name_plural = _("材料")
        ordering = ["recruit", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    scope_path = "recruit__org__path"


class SanctionQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    def in_force(self, day: dt.date):
        return self.filter(start_on__lte=day).filter(Q(end_on__isnull=True) | Q(end_on__gt=day))

    def lapsed(self, day: dt.date):
        """Not (or not yet) in force on `day`: the complement of `in_force`."""
        return self.filter(Q(start_on__gt=day) | Q(end_on__lte=day))

    def search(self, text: str):
        """The member's name, full pinyin or initials, as the member list finds people."""
        return self.filter(member__in=Member.objects.all().search(text).values("pk"))


class Sanction(models.Model):
    """党纪处分 of a member, as far as 发展党员 needs it: a member under 留党察看 may not
    be an 入党介绍人 and has no vote at the 支部大会."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("党员")
    )
    kind = models.CharField(_("处分"), max_length=20, choices=SanctionKind.choices)
    start_on = models.DateField(_("处分日期"))
    end_on = models.DateField(
        _("期满或恢复权利日期"), null=True, blank=True, help_text=_("留党察看期满恢复党员权利之日")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        verbose_name = _("党纪处分")
        verbose_name_plural = _("党纪处分")
        ordering = ["-start_on", "id"]

    def __str__(self) -> str:
        return f"{self.member.name} {self.get_kind_display()} {self.start_on}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.start_on <= day and (self.end_on is None or self.end_on > day)

    scope_path = "member__org__path"
