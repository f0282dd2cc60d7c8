"""发展党员 as a register: the plain, filterable list of everyone in the pipeline (the board
is the pipeline's working view and uses the same filters), its Excel export and the 待办
items of the pipeline's deadlines."""

import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, DefaultChoiceFilter, Register, register
from dangjian.members import registers as person
from dangjian.members.choices import PersonType, Sex
from dangjian.recruitment import todo
from dangjian.recruitment.models import Recruit, Stage

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
    empty_text = _("还没有发展党员记录")
    # The API has always listed every stage unless asked; the pages start with open ones.
    api_defaults = {"stage": "all"}

    def todo(self, user, today):
        return todo.todo_items(user, today)
