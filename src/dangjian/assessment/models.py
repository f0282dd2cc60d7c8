"""责任与考核: 党建责任书 signed level by level, 专项督查 with 整改 items, 考核 indicator sets
scored and ranked, external evaluations (测评) and 表彰 (两优一先).

Every record hangs on an Organization, so `restrict()` scopes it by the org's materialised
path. A 整改 item belongs to both sides: the org that rectifies and the org that inspected,
so both see it (and both have it on their to-do list once overdue).
"""

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.scope import RestrictedQuerySetMixin, path_q
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


def plain(value: Decimal) -> str:
    """A decimal as people write it: 40, 12.5 (never 4E+1)."""
    return format(value.normalize(), "f")


class ScopedQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    pass


# --- 党建责任书 -----------------------------------------------------------------------------


class LetterQuerySet(ScopedQuerySet):
    def signed(self):
        return self.filter(signed_on__isnull=False)


class ResponsibilityLetter(models.Model):
    """One year's 党建责任书 between an org and its superior (the level above signs with
    each org directly below it)."""

    org = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="responsibility_letters",
        verbose_name=_("签订党组织"),
    )
    superior = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="issued_letters",
        verbose_name=_("上级党组织"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(1921), MaxValueValidator(9999)]
    )
    title = models.CharField(_("标题"), max_length=100)
    superior_signatory = models.CharField(_("上级签字人"), max_length=50, blank=True)
    org_signatory = models.CharField(_("本级签字人"), max_length=50, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("党建责任书")
        verbose_name_plural = _("党建责任书")
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="assessment_letter_org_year")
        ]
        indexes = [models.Index(fields=["year", "signed_on"])]

    def __str__(self) -> str:
        return f"{self.year}年 {self.org.name} {self.title}"

    scope_path = "org__path"

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None


class LetterIndicator(models.Model):
    """One target of a letter: what the org undertakes, with its weight in the letter."""

    letter = models.ForeignKey(
        ResponsibilityLetter,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("责任书"),
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("指标"), max_length=100)
    weight = models.DecimalField(_("权重(分)"), max_digits=6, decimal_places=2, default=0)
    target = models.CharField(_("目标要求"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("责任书指标")
        verbose_name_plural = _("责任书指标")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


# --- 专项督查 and 整改 -----------------------------------------------------------------------


class Inspection(models.Model):
    """A 专项督查 plan: the organising org inspects orgs in its subtree on one topic."""

    org = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="inspections",
        verbose_name=_("组织单位"),
    )
    topic = models.CharField(_("督查主题"), max_length=100)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    inspectors = models.CharField(_("督查人员"), max_length=200)
    targets = models.ManyToManyField(
        Organization, related_name="inspected_by", verbose_name=_("被督查党组织")
    )
    summary = models.TextField(_("督查情况"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("专项督查")
        verbose_name_plural = _("专项督查")
        indexes = [models.Index(fields=["start_on"])]

    def __str__(self) -> str:
        return f"{self.topic}({self.start_on:%Y-%m-%d})"

    scope_path = "org__path"


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    SUBMITTED = "submitted", _("待验收")
    RETURNED = "returned", _("退回重改")
    ACCEPTED = "accepted", _("已验收")


class RectificationQuerySet(ScopedQuerySet):
    def closed_by(self, day: dt.date):
        return self.filter(accepted_on__isnull=False, accepted_on__lte=day)

    def overdue_on(self, day: dt.date):
        """Not accepted by `day` and its deadline passed before it (on the deadline day
        itself the item is still due, not overdue)."""
        return self.filter(deadline__lt=day).filter(
            Q(accepted_on__isnull=True) | Q(accepted_on__gt=day)
        )


class Rectification(models.Model):
    """One 整改 item: a finding of an inspection at one org, with the owner, deadline and
    evidence; closed when the inspecting side accepts it."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="rectifications",
        verbose_name=_("专项督查"),
    )
    org = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="rectifications",
        verbose_name=_("整改党组织"),
    )
    finding = models.TextField(_("发现问题"))
    requirement = models.TextField(_("整改要求"), blank=True)
    owner = models.CharField(_("整改责任人"), max_length=50)
    found_on = models.DateField(_("反馈日期"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    evidence = models.TextField(_("整改情况及佐证"), blank=True)
    evidence_file = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("佐证材料"),
    )
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    review_note = models.CharField(_("验收意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        indexes = [models.Index(fields=["deadline", "accepted_on"])]

    def __str__(self) -> str:
        return f"{self.org.name}: {self.finding[:30]}"

    @classmethod
    def scope_q(cls, paths):
        # Both sides: the org that rectifies and the org that inspected.
        return path_q("org__path", paths) | path_q("inspection__org__path", paths)

    def is_overdue_on(self, day: dt.date) -> bool:
        closed = self.accepted_on is not None and self.accepted_on <= day
        return not closed and self.deadline < day

    @property
    def closed_on_time(self) -> bool:
        return self.accepted_on is not None and self.accepted_on <= self.deadline


# --- 考核: indicator sets, score sheets ------------------------------------------------------


class IndicatorSet(models.Model):
    """A year's 考核 indicators issued by `org`; the orgs directly below it are scored and
    ranked against each other."""

    org = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="indicator_sets",
        verbose_name=_("考核单位"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(1921), MaxValueValidator(9999)]
    )
    name = models.CharField(_("名称"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核指标体系")
        verbose_name_plural = _("考核指标体系")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "name"], name="assessment_set_org_year_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"

    scope_path = "org__path"


class Indicator(models.Model):
    """A node of the indicator tree. A leaf is scored (0..max_score); a group's value is the
    weighted sum of its children capped at its own max_score."""

    indicator_set = models.ForeignKey(
        IndicatorSet,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("指标体系"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级指标"),
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("指标"), max_length=100)
    weight = models.DecimalField(
        _("权重"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_score = models.DecimalField(
        _("满分"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    guide = models.TextField(_("评分标准"), blank=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class ScoreSheet(models.Model):
    """One org's score sheet in a set: its scores per leaf, the 领导点评 and the 民主测评
    result (satisfaction, 0-100)."""

    indicator_set = models.ForeignKey(
        IndicatorSet,
        on_delete=models.CASCADE,
        related_name="sheets",
        verbose_name=_("指标体系"),
    )
    org = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="score_sheets",
        verbose_name=_("被考核党组织"),
    )
    leader_comment = models.TextField(_("领导点评"), blank=True)
    democratic_rate = models.DecimalField(
        _("民主测评满意率(%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核评分表")
        verbose_name_plural = _("考核评分表")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "org"], name="assessment_sheet_set_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_set} {self.org.name}"

    @classmethod
    def scope_q(cls, paths):
        return path_q("org__path", paths) | path_q("indicator_set__org__path", paths)


class Score(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("评分表")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="scores", verbose_name=_("指标")
    )
    self_score = models.DecimalField(
        _("自评得分"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    reviewer_score = models.DecimalField(
        _("考核得分"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    evidence = models.TextField(_("自评依据"), blank=True)
    evidence_file = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("佐证材料"),
    )

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="assessment_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.counted}"

    @property
    def counted(self) -> Decimal | None:
        """The reviewer's score when given, else the self-score."""
        return self.reviewer_score if self.reviewer_score is not None else self.self_score


# --- external evaluations ------------------------------------------------------------------


class Evaluation(models.Model):
    """A rank given to an org by an outside body (政风行风测评 and the like): the body ranks
    units we do not hold, so its rank is recorded as given."""

    org = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("被测评党组织"),
    )
    name = models.CharField(_("测评名称"), max_length=100)
    body = models.CharField(_("组织测评单位"), max_length=100)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(1921), MaxValueValidator(9999)]
    )
    held_on = models.DateField(_("结果公布日期"))
    ranked_among = models.CharField(_("排名范围"), max_length=50, help_text=_("例如: 全区"))
    rank = models.PositiveSmallIntegerField(_("名次"), validators=[MinValueValidator(1)])
    participants = models.PositiveSmallIntegerField(
        _("参评单位数"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("外部测评")
        verbose_name_plural = _("外部测评")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "name", "year"], name="assessment_evaluation_once_a_year"
            )
        ]
        indexes = [models.Index(fields=["org", "held_on"])]

    def __str__(self) -> str:
        return f"{self.year}年{self.name} {self.org.name} 第{self.rank}名"

    scope_path = "org__path"


# --- 表彰 ------------------------------------------------------------------------------------


class HonourKind(models.TextChoices):
    EXCELLENT_MEMBER = "excellent_member", _("优秀共产党员")
    EXCELLENT_WORKER = "excellent_worker", _("优秀党务工作者")
    ADVANCED_ORG = "advanced_org", _("先进基层党组织")
    MODEL_TEACHER = "model_teacher", _("师德标兵")
    OTHER = "other", _("其他表彰")


PERSON_HONOURS = (
    HonourKind.EXCELLENT_MEMBER,
    HonourKind.EXCELLENT_WORKER,
    HonourKind.MODEL_TEACHER,
)


class HonourLevel(models.TextChoices):
    SCHOOL = "school", _("校级")
    COUNTY = "county", _("县(区)级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("全国")


class HonourStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    PUBLICISED = "publicised", _("公示中")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class HonourQuerySet(ScopedQuerySet):
    def search(self, text: str):
        return self.filter(
            Q(member__name__icontains=text)
            | Q(member__name_pinyin__icontains=text.lower())
            | Q(org__name__icontains=text)
            | Q(title__icontains=text)
        )


class Honour(models.Model):
    """A 表彰 from nomination through 公示 to approval. A person's honour names the member
    (their org is the one it is counted under); an org's honour names the org."""

    kind = models.CharField(_("表彰类别"), max_length=20, choices=HonourKind.choices)
    title = models.CharField(_("荣誉称号"), max_length=100, blank=True)
    level = models.CharField(_("表彰级别"), max_length=10, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(1921), MaxValueValidator(9999)]
    )
    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="honours", verbose_name=_("党组织")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党员"),
    )
    awarded_by = models.CharField(_("表彰单位"), max_length=100)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=HonourStatus.choices,
        default=HonourStatus.NOMINATED,
    )
    nominated_on = models.DateField(_("推荐日期"))
    publicity_from = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_to = models.DateField(_("公示结束"), null=True, blank=True)
    decided_on = models.DateField(_("批准日期"), null=True, blank=True)
    note = models.CharField(_("事迹摘要"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = HonourQuerySet.as_manager()

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        indexes = [models.Index(fields=["status", "decided_on"])]

    def __str__(self) -> str:
        who = self.member.name if self.member_id else self.org.name
        return f"{self.year}年 {who} {self.display_title}"

    @property
    def display_title(self) -> str:
        return self.title or self.get_kind_display()

    scope_path = "org__path"
