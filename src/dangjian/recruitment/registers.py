"""发展党员 as a register: the plain, filterable list of everyone in the pipeline (the board
is the pipeline's working view and uses the same filters), its Excel export and the 待办
items of the pipeline's deadlines; and the 党纪处分 records the pipeline's rules read (who
may not introduce, who has no vote)."""

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, DefaultChoiceFilter, Register, register
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.members import registers as person
from dangjian.members.choices import PersonType, Sex
from dangjian.recruitment import services, todo
from dangjian.recruitment.forms import SanctionForm
from dangjian.recruitment.models import Recruit, Sanction, SanctionKind, Stage

OPEN = "open"


def _by_stage(queryset, value):
    return queryset.open() if value == OPEN else queryset.filter(stage=value)


class RecruitFilterSet(django_filters.FilterSet):
    stage = DefaultChoiceFilter(
        label=_("阶段"),
        choices=[(OPEN, _("发展中(未转正)")), *Stage.choices, ("all", _("全部阶段"))],
        default=OPEN,
        apply=_by_stage,
    )
    due = django_filters.ChoiceFilter(
        label=_("期限"),
        choices=[("overdue", _("已逾期")), ("soon", _("30天内到期"))],
        empty_label=_("全部"),
        method="by_due",
    )
    person_type = django_filters.ChoiceFilter(
        label=_("人员类型"), choices=PersonType.choices, empty_label=_("全部")
    )
    sex = django_filters.ChoiceFilter(label=_("性别"), choices=Sex.choices, empty_label=_("全部"))

    class Meta:
        model = Recruit
        fields = []

    def by_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(next_due_on__lt=today)
        return queryset.filter(
            next_due_on__gte=today, next_due_on__lte=today + dt.timedelta(days=30)
        )


def _due_badge(recruit: Recruit):
    due = recruit.next_due_on
    if due is None or not recruit.is_open:
        return None
    return "danger" if due < timezone.localdate() else None


@register
class RecruitRegister(Register):
    model = Recruit
    name = "recruit"
    title = _("发展党员名册")
    filterset = RecruitFilterSet
    search_placeholder = _("姓名、拼音或首字母")
    org_paths = ("org__path",)
    ordering = ("org__path", "applied_on", "id")
    select_related = ("org", "work_unit")
    columns = (
        person.NAME,
        person.SEX,
        person.MASKED_ID,
        Column(_("所在党支部"), "org.name", link_to=("org-detail", "org_id")),
        person.WORK_UNIT,
        person.PERSON_TYPE,
        Column(_("阶段"), "get_stage_display"),
        Column(_("申请入党日期"), "applied_on", css="hide-sm"),
        Column(_("确定积极分子日期"), "activist_on", html=False),
        Column(_("确定发展对象日期"), "candidate_on", html=False),
        Column(_("接收预备党员日期"), "admitted_on", html=False),
        Column(_("转正日期"), "converted_on", html=False),
        Column(_("下一期限"), "next_due_on", badge=_due_badge, css="text-nowrap"),
    )
    add_url_name = "recruit-create"
    add_label = _("登记入党申请人")
    # The import layout (recruits.xlsx, one row per step), so an export re-imports.
    export_url = "recruit-export"
    list_template = "recruitment/recruit_list.html"
    empty_text = _("还没有发展党员记录")
    # The API has always listed every stage unless asked; the pages start with open ones.
    api_defaults = {"stage": "all"}

    def todo(self, user, today):
        return todo.todo_items(user, today)

    def list_context(self, request, queryset) -> dict:
        return {"can_export_full_id": can(request.user, Action.REVEAL_ID)}


# -- 党纪处分 ------------------------------------------------------------------------------


class YearFilter(django_filters.NumberFilter):
    """A calendar year; a whole number within what a date can hold, so a stray value is
    ignored rather than reaching the database's year lookup."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1921)  # the Party's founding year
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class SanctionFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("处分"), choices=SanctionKind.choices, empty_label=_("全部处分")
    )
    in_force = django_filters.ChoiceFilter(
        label=_("今日是否生效"),
        choices=[("yes", _("生效中")), ("no", _("已期满"))],
        empty_label=_("全部"),
        method="by_force",
    )
    year = YearFilter(label=_("处分年度"), field_name="start_on", lookup_expr="year")

    class Meta:
        model = Sanction
        fields = []

    def by_force(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.in_force(today) if value == "yes" else queryset.lapsed(today)


def _kind_badge(sanction: Sanction):
    return "danger" if sanction.kind == SanctionKind.PROBATION else None


def _in_force(sanction: Sanction) -> str:
    return gettext("生效中") if sanction.in_force_on(timezone.localdate()) else gettext("已期满")


def _force_badge(sanction: Sanction):
    return "warning" if sanction.in_force_on(timezone.localdate()) else "secondary"


_SANCTION_URLS = {"list": "recruit-sanctions", "create": "recruit-sanction-create"}


@register
class SanctionRegister(Register):
    model = Sanction
    name = "sanction"  # the API: /api/sanctions/, basename api-sanction
    title = _("党纪处分")
    filterset = SanctionFilterSet
    search_placeholder = _("党员姓名、拼音或首字母")
    org_paths = ("member__org__path",)
    ordering = ("-start_on", "-id")
    select_related = ("member__org",)
    columns = (
        Column(_("党员"), "member.name", link="detail"),
        Column(_("党组织"), "member.org.name"),
        Column(_("处分"), "get_kind_display", badge=_kind_badge),
        Column(_("处分日期"), "start_on", css="text-nowrap"),
        Column(_("期满日期"), "end_on", css="text-nowrap"),
        Column(_("今日状态"), _in_force, badge=_force_badge),
        Column(_("说明"), "note", css="hide-sm"),
    )
    detail_columns = (
        Column(_("党员"), "member.name"),
        Column(_("党组织"), "member.org.name"),
        Column(_("处分"), "get_kind_display"),
        Column(_("处分日期"), "start_on"),
        Column(_("期满或恢复权利日期"), "end_on"),
        Column(_("今日状态"), _in_force),
        Column(_("说明"), "note"),
        Column(_("登记时间"), "created_at"),
    )
    form_class = SanctionForm
    add_label = _("登记处分")
    empty_text = _("没有党纪处分记录")
    empty_filtered_text = _("没有符合条件的党纪处分记录")
    list_template = "recruitment/sanctions.html"
    detail_template = "recruitment/sanction_detail.html"
    form_template = "recruitment/sanction_form.html"

    def url_name(self, view: str) -> str:
        # The pages kept the names they had before the kit (links and bookmarks use them).
        return _SANCTION_URLS.get(view, f"recruit-sanction-{view}")

    def can_add(self, user) -> bool:
        # The service records a sanction on a member the actor may change.
        return can(user, Action.CHANGE)

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user}

    def form_notice(self, request, form) -> str | None:
        if not form.fields["member"].queryset.exists():
            return gettext("您管理的党组织中没有可登记处分的党员")
        return None

    def create(self, actor, data):
        return services.record_sanction(
            actor,
            data["member"],
            kind=data["kind"],
            start_on=data["start_on"],
            end_on=data.get("end_on"),
            note=data.get("note") or "",
        )
