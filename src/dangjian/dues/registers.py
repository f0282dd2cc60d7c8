"""党费 on the register kit: the ledger (应交/已交 per member and month, `/api/dues/`), the
payments, the bases and the reductions; and the 6-month warning on the 待办 list. The
warning is a reminder to the branch, never a change of the member's status."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, Register, TodoItem, register
from dangjian.core.roles import Action
from dangjian.dues import forms as dues_forms
from dangjian.dues import rules as R
from dangjian.dues import services
from dangjian.dues.models import (
    ApprovalStatus,
    DuesBase,
    DuesMonth,
    DuesPayment,
    DuesReduction,
    PaymentKind,
    RateCategory,
)
from dangjian.members.models import Member


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2008)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


def _owed(row: DuesMonth):
    return row.owed


def _owed_badge(row: DuesMonth):
    return "danger" if row.owed > 0 and row.month < R.month_of(timezone.localdate()) else None


MEMBER = Column(_("党员"), "member.name", link="detail")
ORG = Column(_("所在党组织"), "member.org.name", css="hide-sm")


class LedgerFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"), field_name="month", lookup_expr="year")
    month = django_filters.NumberFilter(
        label=_("月"), field_name="month", lookup_expr="month", min_value=1, max_value=12
    )
    state = django_filters.ChoiceFilter(
        label=_("交纳情况"),
        choices=[("owed", _("未交清")), ("paid", _("已交清")), ("reduced", _("减免"))],
        empty_label=_("全部"),
        method="by_state",
    )
    category = django_filters.ChoiceFilter(
        label=_("交纳类别"), choices=RateCategory.choices, empty_label=_("全部")
    )

    class Meta:
        model = DuesMonth
        fields = []

    def by_state(self, queryset, name, value):
        if value == "owed":
            return queryset.filter(due__gt=F("paid"))
        if value == "paid":
            return queryset.filter(due__lte=F("paid"))
        return queryset.exclude(reduction="")


def warning_members(user, today: dt.date):
    """Members in the user's scope who paid nothing for each of the last N completed
    months while dues were owed: one aggregate query."""
    first, last = R.warning_window(today)
    rows = (
        DuesMonth.objects.restrict(user, Action.VIEW)
        .order_by()
        .filter(month__gte=first, month__lte=last, due__gt=0, paid=0)
        .values("member_id")
        .annotate(months=Count("pk"), owed=Sum("due"))
        .filter(months__gte=R.warning_months())
    )
    return {row["member_id"]: row for row in rows}


@register
class DuesLedgerRegister(Register):
    model = DuesMonth
    name = "dues"
    title = _("党费台账")
    filterset = LedgerFilterSet
    search_fields = ("member__name", "member__name_pinyin")
    search_placeholder = _("党员姓名或拼音")
    org_paths = ("member__org__path",)
    ordering = ("-month", "member__org__path", "member__name", "id")
    select_related = ("member__org",)
    columns = (
        MEMBER,
        ORG,
        Column(_("月份"), lambda r: f"{r.month:%Y-%m}", export_value="month"),
        Column(_("交纳类别"), "get_category_display", css="hide-sm"),
        Column(_("基数(元)"), "base", css="hide-sm text-end"),
        Column(_("应交(元)"), "due", css="text-end"),
        Column(_("已交(元)"), "paid", css="text-end"),
        Column(_("欠交(元)"), _owed, badge=_owed_badge, css="text-end"),
        Column(_("减免"), "get_reduction_display", css="hide-sm"),
    )
    empty_text = _("还没有党费台账: 登记党员的年度党费基数后自动生成")
    list_template = "dues/ledger.html"

    def list_context(self, request, queryset) -> dict:
        totals = queryset.order_by().aggregate(due=Sum("due"), paid=Sum("paid"))
        return {"totals": totals}

    def todo(self, user, today):
        flagged = warning_members(user, today)
        if not flagged:
            return []
        members = Member.objects.filter(pk__in=list(flagged)).select_related("org")
        n = R.warning_months()
        return [
            TodoItem(
                "danger",
                gettext("%(name)s已连续%(n)d个月未交纳党费(欠交%(owed)s元), 请及时了解情况")
                % {"name": m.name, "n": flagged[m.pk]["months"], "owed": flagged[m.pk]["owed"]},
                reverse("dues-member", args=[m.pk]),
                None,
                kind="dues_arrears",
                org_path=m.org.path,
            )
            for m in members
            if flagged[m.pk]["months"] >= n
        ]


class PaymentFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("交纳年度"), field_name="paid_on", lookup_expr="year")
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=PaymentKind.choices, empty_label=_("全部")
    )
    paid_from = django_filters.DateFilter(
        label=_("交纳日期从"), field_name="paid_on", lookup_expr="gte"
    )
    paid_to = django_filters.DateFilter(label=_("至"), field_name="paid_on", lookup_expr="lte")

    class Meta:
        model = DuesPayment
        fields = []


@register
class DuesPaymentRegister(Register):
    model = DuesPayment
    name = "duespayment"
    title = _("党费交纳记录")
    filterset = PaymentFilterSet
    search_fields = ("member__name", "member__name_pinyin", "receipt_no")
    search_placeholder = _("党员姓名、拼音或收据号")
    org_paths = ("member__org__path",)
    ordering = ("-paid_on", "-id")
    select_related = ("member__org",)
    columns = (
        Column(_("收据号"), "receipt_no", link="detail", as_text=True),
        Column(_("党员"), "member.name"),
        ORG,
        Column(_("类型"), "get_kind_display"),
        Column(_("所属月份"), lambda p: f"{p.month:%Y-%m}", export_value="month"),
        Column(_("金额(元)"), "amount", css="text-end"),
        Column(_("交纳日期"), "paid_on", css="text-nowrap"),
        Column(_("方式"), "get_method_display", css="hide-sm"),
        Column(_("上缴中央"), "to_centre", css="hide-sm"),
        Column(_("经办人"), "recorded_by", html=False),
    )
    detail_columns = (
        Column(_("收据号"), "receipt_no"),
        Column(_("党员"), "member.name"),
        Column(_("所在党组织"), "member.org.name"),
        Column(_("类型"), "get_kind_display"),
        Column(_("所属月份"), lambda p: f"{p.month:%Y-%m}"),
        Column(_("金额(元)"), "amount"),
        Column(_("交纳日期"), "paid_on"),
        Column(_("方式"), "get_method_display"),
        Column(_("全额上缴中央"), lambda p: gettext("是") if p.to_centre else gettext("否")),
        Column(_("说明"), "note"),
        Column(_("经办人"), "recorded_by"),
        Column(_("登记时间"), "created_at"),
    )
    form_class = dues_forms.PaymentForm
    add_label = _("登记交纳")
    empty_text = _("还没有党费交纳记录")
    list_template = "dues/payments.html"
    detail_template = "dues/payment_detail.html"

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user}

    def form_notice(self, request, form) -> str | None:
        if not form.fields["member"].queryset.exists():
            return gettext("您管理的党组织中没有可登记党费的党员")
        return None

    def create(self, actor, data):
        if data.get("amount") is not None:
            return services.record_payment(
                actor,
                data["member"],
                month=data["first_month"],
                paid_on=data["paid_on"],
                method=data["method"],
                amount=data["amount"],
                note=data.get("note") or "",
            )
        return services.pay_months(
            actor,
            data["member"],
            first_month=data["first_month"],
            count=data.get("count") or 1,
            paid_on=data["paid_on"],
            method=data["method"],
            note=data.get("note") or "",
        )[0]

    def delete(self, actor, obj):
        services.delete_payment(actor, obj)


class BaseFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"))
    category = django_filters.ChoiceFilter(
        label=_("交纳类别"), choices=RateCategory.choices, empty_label=_("全部")
    )

    class Meta:
        model = DuesBase
        fields = []


@register
class DuesBaseRegister(Register):
    model = DuesBase
    name = "duesbase"
    title = _("党费基数")
    filterset = BaseFilterSet
    search_fields = ("member__name", "member__name_pinyin")
    search_placeholder = _("党员姓名或拼音")
    org_paths = ("member__org__path",)
    ordering = ("-year", "member__org__path", "member__name", "id")
    select_related = ("member__org",)
    columns = (
        Column(_("党员"), "member.name", link="detail"),
        ORG,
        Column(_("年度"), "year"),
        Column(_("交纳类别"), "get_category_display"),
        Column(_("月交纳基数(元)"), "base", css="text-end"),
        Column(_("说明"), "note", css="hide-sm"),
    )
    form_class = dues_forms.BaseForm
    add_label = _("登记基数")
    empty_text = _("还没有登记党费基数")
    list_template = "dues/bases.html"

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "instance": obj}

    def form_notice(self, request, form) -> str | None:
        if not form.fields["member"].queryset.exists():
            return gettext("您管理的党组织中没有可登记党费基数的党员")
        return None

    def create(self, actor, data):
        return services.set_base(
            actor,
            data["member"],
            year=data["year"],
            category=data["category"],
            base=data.get("base"),
            note=data.get("note") or "",
        )

    def update(self, actor, obj, data):
        return services.update_base(
            actor, obj, category=data["category"], base=data.get("base"), note=data.get("note")
        )

    def delete(self, actor, obj):
        services.delete_base(actor, obj)


class ReductionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("审批状态"), choices=ApprovalStatus.choices, empty_label=_("全部")
    )

    class Meta:
        model = DuesReduction
        fields = []


@register
class DuesReductionRegister(Register):
    model = DuesReduction
    name = "duesreduction"
    title = _("党费减免")
    filterset = ReductionFilterSet
    search_fields = ("member__name", "member__name_pinyin")
    search_placeholder = _("党员姓名或拼音")
    org_paths = ("member__org__path",)
    ordering = ("-first_month", "-id")
    select_related = ("member__org",)
    columns = (
        Column(_("党员"), "member.name", link="detail"),
        ORG,
        Column(_("类型"), "get_kind_display"),
        Column(_("起始月份"), lambda r: f"{r.first_month:%Y-%m}", export_value="first_month"),
        Column(_("截止月份"), lambda r: f"{r.last_month:%Y-%m}", export_value="last_month"),
        Column(_("减交后每月(元)"), "monthly_amount", css="hide-sm"),
        Column(
            _("审批状态"),
            "get_status_display",
            badge=lambda r: {"pending": "warning", "approved": "success"}.get(r.status),
        ),
        Column(_("原因"), "reason", css="hide-sm"),
    )
    form_class = dues_forms.ReductionForm
    add_label = _("申请减免")
    empty_text = _("没有党费减免记录")
    detail_template = "dues/reduction_detail.html"

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user}

    def form_notice(self, request, form) -> str | None:
        if not form.fields["member"].queryset.exists():
            return gettext("您管理的党组织中没有党员")
        return None

    def create(self, actor, data):
        return services.propose_reduction(
            actor,
            data["member"],
            kind=data["kind"],
            first_month=data["first_month"],
            last_month=data["last_month"],
            monthly_amount=data.get("monthly_amount"),
            reason=data["reason"],
        )

    def delete(self, actor, obj):
        services.delete_reduction(actor, obj)

    def detail_context(self, request, obj) -> dict:
        may = services.may_decide(request.user, obj)
        return {"may_decide": may, "decision_form": dues_forms.DecisionForm() if may else None}

    def todo(self, user, today):
        pending = (
            DuesReduction.objects.restrict(user, Action.CHANGE)
            .filter(status=ApprovalStatus.PENDING)
            .select_related("member__org")
        )
        return [
            TodoItem(
                "warning",
                gettext("%(name)s的党费%(kind)s申请待审批")
                % {"name": r.member.name, "kind": r.get_kind_display()},
                reverse("duesreduction-detail", args=[r.pk]),
                None,
                kind="dues_reduction",
                org_path=r.member.org.path,
            )
            for r in pending
            if services.may_decide(user, r)
        ]
