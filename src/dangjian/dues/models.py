"""党费 (the 2008 中组部 rules, DESIGN 6): the dated rate table, each member's base per year,
payments, reductions and exemptions, and the monthly ledger derived from them.

The ledger (`DuesMonth`, one row per member and month that dues are owed for) is kept by the
services whenever a base, payment or reduction changes, so totals, arrears and the
statistics are aggregate queries over one table instead of a rate computation per member."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.scope import RestrictedQuerySet
from dangjian.members.models import Member


class RateCategory(models.TextChoices):
    SALARIED = "salaried", _("在职党员")
    RETIRED = "retired", _("离退休党员")
    STUDENT = "student", _("学生党员")
    UNEMPLOYED = "unemployed", _("下岗失业及无固定收入党员")


# Categories charged a flat monthly amount: no base needs entering.
FLAT_CATEGORIES = frozenset({RateCategory.STUDENT, RateCategory.UNEMPLOYED})


class DuesRate(models.Model):
    """One band of the rate table: from `valid_from` on, a base up to `upper` (inclusive,
    "以下" includes the number; empty = no upper bound) pays `percent` of it, or `flat` yuan a
    month. A new table is new rows with a later `valid_from`; old months keep their rates."""

    valid_from = models.DateField(_("施行日期"))
    category = models.CharField(_("党员类别"), max_length=20, choices=RateCategory.choices)
    upper = models.DecimalField(
        _("基数上限(含)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(
        _("比例(%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    flat = models.DecimalField(
        _("固定金额(元/月)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("党费交纳比例")
        verbose_name_plural = _("党费交纳比例")
        ordering = ["-valid_from", "category", "upper"]
        constraints = [
            models.UniqueConstraint(
                fields=["valid_from", "category", "upper"], name="dues_rate_band_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from} {self.get_category_display()} {self.upper or '∞'}"


class MemberScopedQuerySet(RestrictedQuerySet):
    pass


class MemberScoped(models.Model):
    """A dues record of one member: in the scope of the member's org; the member sees their
    own (`/me/` and the API)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, verbose_name=_("党员"))

    objects = MemberScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    scope_path = "member__org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)


class DuesBase(MemberScoped):
    """The member's monthly base for a calendar year: the after-tax fixed salary (工资总额
    less personal income tax and social insurance), reassessed once a year."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="dues_bases", verbose_name=_("党员")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    category = models.CharField(_("交纳类别"), max_length=20, choices=RateCategory.choices)
    base = models.DecimalField(_("月交纳基数(元)"), max_digits=10, decimal_places=2, default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("党费基数")
        verbose_name_plural = _("党费基数")
        ordering = ["-year", "member__org__path", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="dues_base_member_year"),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.year}"


class ReductionKind(models.TextChoices):
    REDUCE = "reduce", _("减交")
    EXEMPT = "exempt", _("免交")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class DuesReduction(MemberScoped):
    """减交或免交: proposed by the branch, approved by the superior committee (2008 rules);
    only an approved one changes what is due."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="dues_reductions", verbose_name=_("党员")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ReductionKind.choices)
    first_month = models.DateField(_("起始月份"))
    last_month = models.DateField(_("截止月份"))
    monthly_amount = models.DecimalField(
        _("减交后每月金额(元)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    reason = models.CharField(_("原因"), max_length=300)
    status = models.CharField(
        _("审批状态"),
        max_length=10,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党费减免")
        verbose_name_plural = _("党费减免")
        ordering = ["-first_month", "-id"]

    def __str__(self) -> str:
        return f"{self.member.name} {self.get_kind_display()}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("现金")
    TRANSFER = "transfer", _("转账")


class PaymentKind(models.TextChoices):
    REGULAR = "regular", _("按月交纳")
    VOLUNTARY = "voluntary", _("自愿多交")


class DuesPayment(MemberScoped):
    """Money received by the branch: for one month (`regular`, part or all of it), or a
    voluntary one-off (`voluntary`; from the threshold on it all goes to the Centre)."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="dues_payments", verbose_name=_("党员")
    )
    kind = models.CharField(
        _("类型"), max_length=10, choices=PaymentKind.choices, default=PaymentKind.REGULAR
    )
    month = models.DateField(_("所属月份"), db_index=True)
    amount = models.DecimalField(_("金额(元)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("交纳日期"), db_index=True)
    method = models.CharField(_("方式"), max_length=10, choices=PaymentMethod.choices)
    to_centre = models.BooleanField(_("全额上缴中央"), default=False)
    receipt_no = models.CharField(_("收据号"), max_length=40, db_index=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.CharField(_("经办人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党费交纳记录")
        verbose_name_plural = _("党费交纳记录")
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["member", "month"], name="dues_payment_member_month")]

    def __str__(self) -> str:
        return f"{self.member.name} {self.month:%Y-%m} {self.amount}"


class DuesMonth(MemberScoped):
    """The ledger: what one member owes for one month and what was paid for it. Derived
    (services.refresh_ledger); never edited by hand."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="dues_months", verbose_name=_("党员")
    )
    month = models.DateField(_("月份"))
    base = models.DecimalField(_("基数(元)"), max_digits=10, decimal_places=2, default=0)
    category = models.CharField(_("交纳类别"), max_length=20, choices=RateCategory.choices)
    due = models.DecimalField(_("应交(元)"), max_digits=10, decimal_places=2)
    paid = models.DecimalField(_("已交(元)"), max_digits=10, decimal_places=2, default=0)
    reduction = models.CharField(
        _("减免"), max_length=10, choices=ReductionKind.choices, blank=True
    )

    class Meta:
        verbose_name = _("党费台账")
        verbose_name_plural = _("党费台账")
        ordering = ["-month", "member__org__path", "member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_month_member_month"),
        ]
        indexes = [models.Index(fields=["month"], name="dues_month_month")]

    def __str__(self) -> str:
        return f"{self.member.name} {self.month:%Y-%m}"

    @property
    def owed(self):
        return max(self.due - self.paid, 0)
