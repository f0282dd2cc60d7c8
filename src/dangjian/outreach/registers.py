"""结对名册 and 帮扶台账 as registers of the kit; the ledger's list adds totals per kind over
the filtered rows (the subtree and period being filters) and a chart of them."""

import django_filters
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, Register, register
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.outreach import services
from dangjian.outreach.forms import AssistanceForm, PairingForm
from dangjian.outreach.models import Assistance, AssistanceKind, Pairing, PairingKind
from dangjian.outreach.stats import ledger_totals


class PairingFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("结对类型"), choices=PairingKind.choices, empty_label=_("全部类型")
    )
    active_on = django_filters.DateFilter(label=_("某日在结对"), method="by_active")

    class Meta:
        model = Pairing
        fields = []

    def by_active(self, queryset, name, value):
        return queryset.active_between(value, value)


@register
class PairingRegister(Register):
    model = Pairing
    name = "pairing"  # /api/pairings/
    title = _("结对名册")
    filterset = PairingFilterSet
    search_fields = ("partner_name", "partner_school__name", "responsible", "school__name")
    search_placeholder = _("结对对象、学校或责任人")
    org_paths = ("org__path",)
    org_label = _("帮扶党组织")
    ordering = ("-started_on", "id")
    select_related = ("org", "school", "partner_school")
    columns = (
        Column(_("帮扶党组织"), "org.name", link="detail"),
        Column(_("结对类型"), "get_kind_display"),
        Column(_("帮扶学校"), "school.name", css="hide-sm"),
        Column(_("结对对象"), "partner_label"),
        Column(_("结对日期"), "started_on", css="text-nowrap"),
        Column(_("结束日期"), "ended_on", css="text-nowrap hide-sm"),
        Column(_("责任人"), "responsible", css="hide-sm"),
        Column(_("帮扶措施"), "plan", html=False),
    )
    form_class = PairingForm
    add_label = _("登记结对")
    empty_text = _("还没有结对帮扶记录")

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "instance": obj}

    def create(self, actor, data):
        return services.create_pairing(actor, **data)

    def update(self, actor, obj, data):
        return services.update_pairing(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_pairing(actor, obj)


class AssistanceFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("帮扶类别"), choices=AssistanceKind.choices, empty_label=_("全部类别")
    )
    pairing_kind = django_filters.ChoiceFilter(
        label=_("结对类型"),
        field_name="pairing__kind",
        choices=PairingKind.choices,
        empty_label=_("全部类型"),
    )
    start = django_filters.DateFilter(label=_("起始日期"), field_name="on", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("截止日期"), field_name="on", lookup_expr="lte")

    class Meta:
        model = Assistance
        fields = []


def _amount(entry: Assistance):
    return entry.amount


@register
class AssistanceRegister(Register):
    model = Assistance
    name = "assistance"  # /api/assistance/
    title = _("帮扶台账")
    filterset = AssistanceFilterSet
    search_fields = ("description", "pairing__partner_name", "pairing__partner_school__name")
    search_placeholder = _("帮扶内容或结对对象")
    org_paths = ("pairing__org__path",)
    org_label = _("帮扶党组织")
    ordering = ("-on", "-id")
    select_related = ("pairing__org", "pairing__partner_school")
    columns = (
        Column(_("日期"), "on", link="detail", css="text-nowrap"),
        Column(_("帮扶党组织"), "pairing.org.name"),
        Column(_("结对对象"), "pairing.partner_label", css="hide-sm"),
        Column(_("帮扶类别"), "get_kind_display"),
        Column(_("金额(元)"), _amount, css="text-end"),
        Column(_("数量"), "quantity", css="text-end"),
        Column(_("内容"), "description", css="hide-sm"),
    )
    form_class = AssistanceForm
    add_label = _("登记帮扶")
    empty_text = _("还没有帮扶记录")
    list_template = "outreach/assistance_list.html"
    detail_template = "outreach/assistance_detail.html"

    def can_add(self, user) -> bool:
        return can(user, Action.CHANGE)

    def create(self, actor, data):
        return services.record_assistance(actor, **data)

    def update(self, actor, obj, data):
        return services.update_assistance(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_assistance(actor, obj)

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "instance": obj}

    def form_notice(self, request, form) -> str | None:
        if not form.fields["pairing"].queryset.exists():
            return gettext("您管理的党组织还没有结对, 请先登记结对")
        return None

    def detail_context(self, request, obj) -> dict:
        return services.PHOTOS.context(obj)

    def list_context(self, request, queryset) -> dict:
        totals = ledger_totals(queryset)
        rows = [
            (gettext("资金(元)"), totals["money"]),
            (gettext("物资折款(元)"), totals["goods_value"]),
            (gettext("图书(册)"), totals["books"]),
            (gettext("减免学费(人)"), totals["tuition_waived"]["students"]),
            (gettext("减免学费(元)"), totals["tuition_waived"]["yuan"]),
            (gettext("争取助学金(人)"), totals["grants"]["students"]),
            (gettext("争取助学金(元)"), totals["grants"]["yuan"]),
            (gettext("培训(次)"), totals["trainings_held"]),
        ]
        yuan_rows = [(label, value) for label, value in rows if "元" in label]
        chart = {
            "totals": {
                "kind": "hbar",
                "categories": [label for label, value in yuan_rows if value],
                "series": [
                    {
                        "name": gettext("金额(元)"),
                        "data": [value for _label, value in yuan_rows if value],
                    }
                ],
            }
        }
        return {"totals": rows, "charts": chart}
