"""创先争优与示范 (DESIGN 2.6): the "五个好" acceptance checks, the 党建示范点 pipeline, the
members' yearly star ratings and public commitments, the 先锋岗/责任区/示范窗口 posts, the
先进典型 exemplars and the campaigns ("四比三优两满意").

Every record is dated and hangs on an org (a member's records keep the branch they were made
in, so a later transfer does not move the history), which is how `restrict()` scopes them
and how the statistics count them as of a day."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.scope import ANY_SCOPE, RestrictedQuerySetMixin
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

FIVE_GOOD_CRITERIA = (
    ("leadership", _("领导班子好")),
    ("members", _("党员队伍好")),
    ("mechanism", _("工作机制好")),
    ("results", _("工作业绩好")),
    ("reputation", _("群众反映好")),
)


class ScopedQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    pass


class ReferenceQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    """Checklists and criteria: readable by anyone who may view some subtree."""


# -- "五个好" -------------------------------------------------------------------------------


class FiveGoodChecklistQuerySet(ReferenceQuerySet):
    def in_force(self, day: dt.date):
        """The checklist in force on `day`: the latest that took effect on or before it;
        before the first one, the first one."""
        found = self.filter(effective_from__lte=day).order_by("-effective_from").first()
        return found or self.order_by("effective_from").first()


class FiveGoodChecklist(models.Model):
    """The "五个好" criteria with their sub-items, as a dated rule record: a check is made
    against the list in force on its date, so a revised list leaves old checks as they were.
    `items`: [{"criterion": "leadership", "text": "..."}, ...]."""

    name = models.CharField(_("名称"), max_length=100)
    effective_from = models.DateField(_("施行日期"), unique=True)
    items = models.JSONField(_("检查细目"))

    objects = FiveGoodChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("“五个好”检查标准")
        verbose_name_plural = _("“五个好”检查标准")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return self.name

    scope_path = ANY_SCOPE

    def grouped(self) -> list[tuple[str, list[tuple[int, str]]]]:
        """(criterion label, [(item index, text)]) in the five criteria's order."""
        labels = dict(FIVE_GOOD_CRITERIA)
        return [
            (
                labels[key],
                [(i, it["text"]) for i, it in enumerate(self.items) if it["criterion"] == key],
            )
            for key, _label in FIVE_GOOD_CRITERIA
        ]


class CheckStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已自查, 待验收")
    PASSED = "passed", _("验收通过")
    RETURNED = "returned", _("退回整改")


class FiveGoodCheck(models.Model):
    """A branch's self-check against the checklist, with evidence per item, and the
    superior's 验收: passed, or returned with reasons (the branch then checks again: a new
    row, so the history per branch is the list of its checks)."""

    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织")
    )
    checklist = models.ForeignKey(
        FiveGoodChecklist, on_delete=models.PROTECT, related_name="+", verbose_name=_("检查标准")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    self_checked_on = models.DateField(_("自查日期"))
    # {"0": {"met": true, "evidence": "..."}, ...} keyed by the checklist item's index.
    answers = models.JSONField(_("自查情况"), default=dict)
    summary = models.TextField(_("自查小结"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=CheckStatus.choices, default=CheckStatus.SUBMITTED
    )
    reviewed_on = models.DateField(_("验收日期"), null=True, blank=True)
    review_note = models.TextField(_("验收意见或退回理由"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("“五个好”检查")
        verbose_name_plural = _("“五个好”检查")
        ordering = ["-self_checked_on", "-id"]
        indexes = [models.Index(fields=["org", "reviewed_on"])]

    def __str__(self) -> str:
        return f"{self.org.name} {self.year}年“五个好”检查"

    scope_path = "org__path"

    @property
    def met_count(self) -> int:
        return sum(1 for answer in self.answers.values() if answer.get("met"))


# -- 党建示范点 -----------------------------------------------------------------------------


class PointLevel(models.TextChoices):
    APPLIED = "applied", _("已申报")
    EVALUATED = "evaluated", _("已评估")
    BUREAU = "bureau", _("局级示范点")
    CITY = "city", _("市级示范点")
    REVOKED = "revoked", _("已撤销称号")


class DemonstrationPoint(models.Model):
    """One org's way through 申报 → 评估 (scored against the standard) → 局级评选 → 推荐市级,
    with a yearly review that may take the title away. `meets_standard` is fixed when the
    evaluation is recorded (against the standard score then in force); the share of school
    orgs at the standard (INTERFACES 6) counts evaluated points that met it and were not
    revoked on the day."""

    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织")
    )
    applied_on = models.DateField(_("申报日期"))
    application = models.TextField(_("申报材料摘要"), blank=True)
    evaluated_on = models.DateField(_("评估日期"), null=True, blank=True)
    score = models.DecimalField(
        _("评估得分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    standard_score = models.DecimalField(
        _("达标分数线"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    meets_standard = models.BooleanField(_("达到示范点标准"), default=False)
    bureau = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("评选党委"),
    )
    bureau_on = models.DateField(_("评为局级示范点日期"), null=True, blank=True)
    city_on = models.DateField(_("推荐为市级示范点日期"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销称号日期"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党建示范点")
        verbose_name_plural = _("党建示范点")
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["bureau", "bureau_on"])]

    def __str__(self) -> str:
        return f"{self.org.name} ({self.applied_on.year}年申报)"

    scope_path = "org__path"

    @property
    def level(self) -> str:
        if self.revoked_on:
            return PointLevel.REVOKED
        if self.city_on:
            return PointLevel.CITY
        if self.bureau_on:
            return PointLevel.BUREAU
        if self.evaluated_on:
            return PointLevel.EVALUATED
        return PointLevel.APPLIED

    def get_level_display(self) -> str:
        return str(PointLevel(self.level).label)


def at_standard_q(day: dt.date, prefix: str = "") -> Q:
    """A point at the 示范点 standard on `day`: evaluated by then, met the standard, and its
    title not revoked by then."""
    return Q(**{f"{prefix}meets_standard": True, f"{prefix}evaluated_on__lte": day}) & (
        Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": day})
    )


class DemonstrationReview(models.Model):
    """The yearly review of a titled point: kept, or the title taken away."""

    point = models.ForeignKey(
        DemonstrationPoint,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("示范点"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    reviewed_on = models.DateField(_("复核日期"))
    kept = models.BooleanField(_("保留称号"))
    note = models.CharField(_("复核意见"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("示范点年度复核")
        verbose_name_plural = _("示范点年度复核")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["point", "year"], name="excellence_review_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}年复核"

    scope_path = "point__org__path"


# -- 党员评星定格 ---------------------------------------------------------------------------


class StarCriteria(models.Model):
    """A year's 评星定格 criteria: what each star means, the items assessed, and the caps on
    the distribution within a branch (percent of its members; none: no cap)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    items = models.TextField(_("评定项目"), help_text=_("每行一项"))
    meanings = models.JSONField(_("星级含义"), default=dict)
    caps = models.JSONField(_("星级比例上限(%)"), default=dict)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("评星定格标准")
        verbose_name_plural = _("评星定格标准")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年评星定格标准"

    scope_path = ANY_SCOPE

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]


STAR_CHOICES = [(n, "★" * n) for n in range(1, 6)]


class StarRating(models.Model):
    """A member's yearly rating: self-assessment, peer and branch assessment, and the
    result (the branch's), 1-5 stars."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("党员")
    )
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党支部")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    self_stars = models.PositiveSmallIntegerField(
        _("自评"), choices=STAR_CHOICES, null=True, blank=True
    )
    peer_stars = models.PositiveSmallIntegerField(
        _("互评"), choices=STAR_CHOICES, null=True, blank=True
    )
    stars = models.PositiveSmallIntegerField(_("评定星级"), choices=STAR_CHOICES)
    rated_on = models.DateField(_("评定日期"))
    note = models.CharField(_("评语"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员评星定格")
        verbose_name_plural = _("党员评星定格")
        ordering = ["-year", "org_id", "-stars", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="excellence_one_rating_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.year}年 {'★' * self.stars}"

    scope_path = "org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)


# -- 党员公开承诺 ---------------------------------------------------------------------------


class Fulfilment(models.TextChoices):
    PENDING = "pending", _("待评议")
    FULFILLED = "fulfilled", _("已兑现")
    PARTLY = "partly", _("部分兑现")
    UNFULFILLED = "unfulfilled", _("未兑现")


class CommitmentQuerySet(ScopedQuerySet):
    def public(self, day: dt.date):
        """What the 党务公开 portal may show on `day`: published by then, and both the member
        and the branch still agreeing (withdrawing either takes it off at once)."""
        return self.filter(
            published_on__isnull=False,
            published_on__lte=day,
            member_agreed=True,
            branch_agreed=True,
        )


class Commitment(models.Model):
    """A member's public commitment for the year: published (on the 党务公开 portal) once
    the member and the branch both agree; reviewed mid-year and at year end."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("党员")
    )
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党支部")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    text = models.TextField(_("承诺内容"))
    made_on = models.DateField(_("承诺日期"))
    member_agreed = models.BooleanField(_("本人同意公开"), default=False)
    branch_agreed = models.BooleanField(_("支部同意公开"), default=False)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    mid_note = models.CharField(_("年中评议"), max_length=200, blank=True)
    mid_reviewed_on = models.DateField(_("年中评议日期"), null=True, blank=True)
    fulfilment = models.CharField(
        _("兑现情况"), max_length=12, choices=Fulfilment.choices, default=Fulfilment.PENDING
    )
    final_note = models.CharField(_("年终评议"), max_length=200, blank=True)
    final_reviewed_on = models.DateField(_("年终评议日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员公开承诺")
        verbose_name_plural = _("党员公开承诺")
        ordering = ["-year", "org_id", "id"]

    def __str__(self) -> str:
        return f"{self.member.name} {self.year}年公开承诺"

    scope_path = "org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)


# -- 先锋岗 / 责任区 / 示范窗口 --------------------------------------------------------------


class PostKind(models.TextChoices):
    VANGUARD = "vanguard", _("党员先锋岗")
    AREA = "area", _("党员责任区")
    WINDOW = "window", _("党员示范窗口")


class Post(models.Model):
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织")
    )
    kind = models.CharField(_("类别"), max_length=10, choices=PostKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    holder = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党员"),
    )
    holder_name = models.CharField(_("负责人"), max_length=50)
    start_on = models.DateField(_("设立日期"))
    end_on = models.DateField(_("撤销日期"), null=True, blank=True)
    covers = models.CharField(_("职责或覆盖范围"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("先锋岗·责任区·示范窗口")
        verbose_name_plural = _("先锋岗·责任区·示范窗口")
        ordering = ["org_id", "kind", "-start_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    scope_path = "org__path"


# -- 先进典型 -------------------------------------------------------------------------------


class Level(models.TextChoices):
    SCHOOL = "school", _("校级")
    COUNTY = "county", _("县(区)级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("国家级")


class ExemplarQuerySet(ScopedQuerySet):
    def published(self, day: dt.date):
        """What the 党务公开 portal may show on `day`: published, and never anything else."""
        return self.filter(published_on__isnull=False, published_on__lte=day)


class Exemplar(models.Model):
    """先进典型: a person or a collective recognised at a level, with their story; public on
    the 党务公开 portal once published. `honour` is the 表彰 record it came from (a string
    reference: assessment is a sibling app, neither imports the other), naming the same
    member (a person) or the same org (a collective); `honour_note` is free text for a 表彰
    kept nowhere in the system (and what was typed before the link existed)."""

    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党员"),
    )
    name = models.CharField(_("典型名称"), max_length=100)
    title = models.CharField(_("荣誉称号"), max_length=100)
    level = models.CharField(_("表彰级别"), max_length=10, choices=Level.choices)
    recognised_on = models.DateField(_("表彰日期"))
    story = models.TextField(_("先进事迹"), blank=True)
    honour = models.ForeignKey(
        "assessment.Honour",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exemplars",
        verbose_name=_("对应表彰"),
    )
    honour_note = models.CharField(_("表彰说明"), max_length=100, blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ExemplarQuerySet.as_manager()

    class Meta:
        verbose_name = _("先进典型")
        verbose_name_plural = _("先进典型")
        ordering = ["-recognised_on", "id"]
        indexes = [models.Index(fields=["org", "recognised_on"])]

    def __str__(self) -> str:
        return f"{self.name}({self.title})"

    scope_path = "org__path"

    @property
    def honour_text(self) -> str:
        """The 表彰 as words: the linked record, else the free note."""
        return str(self.honour) if self.honour_id else self.honour_note


class ExemplarPhoto(models.Model):
    """A photo of an exemplar, in the upload store (`core.uploads`: re-encoded, EXIF gone).
    The stored file is readable by whoever may view the exemplar's org, and by anyone
    (the 党务公开 portal) while the exemplar is published (`services.publish_exemplar` keeps
    the file's `public` flag in step)."""

    exemplar = models.ForeignKey(
        Exemplar, on_delete=models.CASCADE, related_name="photos", verbose_name=_("先进典型")
    )
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("照片")
    )
    caption = models.CharField(_("照片说明"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("先进典型照片")
        verbose_name_plural = _("先进典型照片")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.file.name

    scope_path = "exemplar__org__path"


# -- 创先争优活动 ---------------------------------------------------------------------------


class Campaign(models.Model):
    """A themed campaign such as "四比三优两满意" run by an org over a period."""

    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织")
    )
    name = models.CharField(_("活动名称"), max_length=100)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"), null=True, blank=True)
    content = models.TextField(_("活动内容"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("创先争优活动")
        verbose_name_plural = _("创先争优活动")
        ordering = ["-start_on", "id"]

    def __str__(self) -> str:
        return self.name

    scope_path = "org__path"
