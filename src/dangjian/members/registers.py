"""The member registry (党员信息库) as a register of the kit: its filters, search and list
columns. The detail, create, edit and lifecycle pages stay the app's own: a member's record
is more than a register row (transfers, spells, reveal of the ID number)."""

import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.dates import age_on, born_after_for_max_age, born_on_or_before_for_min_age
from dangjian.core.registers import Column, DefaultChoiceFilter, Register, register
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.members.choices import Category, Education, PersonType, Sex, Status
from dangjian.members.models import Member

# (key, label, min age, max age); ages are full calendar years as of today.
AGE_BANDS = (
    ("-30", _("30岁及以下"), None, 30),
    ("31-35", _("31-35岁"), 31, 35),
    ("36-40", _("36-40岁"), 36, 40),
    ("41-45", _("41-45岁"), 41, 45),
    ("46-50", _("46-50岁"), 46, 50),
    ("51-55", _("51-55岁"), 51, 55),
    ("56-60", _("56-60岁"), 56, 60),
    ("61-", _("61岁及以上"), 61, None),
)
ANY = _("全部")


def age_band_filter(queryset, key: str, today: dt.date):
    for band, _label, low, high in AGE_BANDS:
        if band == key:
            if high is not None:
                queryset = queryset.filter(birth_date__gte=born_after_for_max_age(today, high))
            if low is not None:
                queryset = queryset.filter(
                    birth_date__lte=born_on_or_before_for_min_age(today, low)
                )
            return queryset
    return queryset


class MemberFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        label=_("党员类别"), choices=Category.choices, empty_label=ANY, method="by_category"
    )
    person_type = django_filters.ChoiceFilter(
        label=_("人员类型"), choices=PersonType.choices, empty_label=ANY
    )
    education = django_filters.ChoiceFilter(
        label=_("学历"), choices=Education.choices, empty_label=ANY
    )
    age = django_filters.ChoiceFilter(
        label=_("年龄段"),
        choices=[(key, label) for key, label, _low, _high in AGE_BANDS],
        empty_label=ANY,
        method="by_age",
    )
    sex = django_filters.ChoiceFilter(label=_("性别"), choices=Sex.choices, empty_label=ANY)
    status = DefaultChoiceFilter(
        label=_("党籍状态"),
        choices=[*Status.choices, ("all", _("全部状态"))],
        default=Status.ACTIVE,
    )

    class Meta:
        model = Member
        fields = []

    def by_category(self, queryset, name, value):
        today = timezone.localdate()
        if value == Category.FULL:
            return queryset.filter(converted_on__lte=today)
        return queryset.exclude(converted_on__lte=today)

    def by_age(self, queryset, name, value):
        return age_band_filter(queryset, value, timezone.localdate())


def _birth_and_age(member: Member) -> str:
    age = age_on(member.birth_date, timezone.localdate())
    return _("%(birth)s (%(age)d岁)") % {"birth": member.birth_date.isoformat(), "age": age}


# Columns of a person in a branch, shared by the registers of people (members, recruits).
NAME = Column(_("姓名"), "name", link="detail")
SEX = Column(_("性别"), "get_sex_display")
MASKED_ID = Column(_("身份证号"), "masked_id", css="hide-sm font-monospace text-nowrap")
ORG = Column(_("所在党组织"), "org.name", link_to=("org-detail", "org_id"))
WORK_UNIT = Column(
    _("工作单位"), "work_unit.name", link_to=("school-detail", "work_unit_id"), css="hide-sm"
)
PERSON_TYPE = Column(_("人员类型"), "get_person_type_display", css="hide-sm")


@register
class MemberRegister(Register):
    model = Member
    name = "member"
    title = _("党员信息库")
    list_needs_scope = True
    filterset = MemberFilterSet
    search_placeholder = _("姓名、拼音、首字母或身份证号后4位")
    org_paths = ("org__path",)
    org_label = _("所在党组织")
    ordering = ("org__path", "name", "id")
    select_related = ("org", "work_unit")
    columns = (
        NAME,
        SEX,
        Column(_("出生日期/年龄"), _birth_and_age, css="hide-sm text-nowrap"),
        Column(_("学历"), "get_education_display", css="hide-sm"),
        PERSON_TYPE,
        Column(
            _("党员类别"),
            "get_category_display",
            badge=lambda m: "warning" if m.category == Category.PROBATIONARY else None,
        ),
        Column(_("所在党组织"), "org.name", link_to=("org-detail", "org_id")),
        Column(
            _("工作单位"),
            "work_unit.name",
            link_to=("school-detail", "work_unit_id"),
            css="hide-sm",
        ),
        Column(_("身份证号"), "masked_id", css="hide-sm font-monospace text-nowrap"),
        Column(
            _("党籍状态"),
            "get_status_display",
            badge=lambda m: None if m.status == Status.ACTIVE else "secondary",
        ),
    )
    # The import layout (members.xlsx), so an export re-imports; full ID numbers on request.
    export_url = "data-export-members"
    api_defaults = {"status": "all"}
    add_url_name = "member-create"
    add_label = _("新增党员")
    empty_text = _("还没有党员记录")
    empty_filtered_text = _("没有符合条件的党员, 请调整搜索或筛选条件")
    list_template = "members/member_list.html"

    def list_context(self, request, queryset) -> dict:
        return {"can_export_full_id": can(request.user, Action.REVEAL_ID)}
