"""The org network's registers: 党组织 as a filterable list beside the tree (the tree stays
the way to browse; the list is for finding, filtering and exporting), and 学校."""

import django_filters
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, Register, register
from dangjian.core.roles import Action
from dangjian.orgs import services
from dangjian.orgs.forms import OrgForm, SchoolForm
from dangjian.orgs.models import (
    SUPERVISOR_KINDS,
    Locality,
    Organization,
    OrgKind,
    Ownership,
    School,
    SchoolStage,
)


class OrgFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("组织类别"), choices=OrgKind.choices, empty_label=_("全部类别")
    )

    class Meta:
        model = Organization
        fields = []


@register
class OrgRegister(Register):
    model = Organization
    name = "org"
    title = _("党组织")
    list_needs_scope = True
    filterset = OrgFilterSet
    search_fields = ("name", "code")
    search_placeholder = _("组织名称、代码或拼音首字母")
    org_paths = ("path",)
    ordering = ("path",)
    columns = (
        Column(_("组织代码"), "code", as_text=True),
        Column(_("组织名称"), "name", link="detail"),
        Column(_("组织类别"), "get_kind_display"),
        Column(_("成立日期"), "founded_on", css="hide-sm"),
        Column(_("本届任期开始"), "term_start", css="hide-sm"),
        Column(_("应换届日期"), "next_election_on"),
    )
    # The import layout (orgs.xlsx), so an export re-imports.
    export_url = "data-export-orgs"
    empty_filtered_text = _("没有找到匹配的党组织")
    # Editing through the kit; adding (under a parent), moving and deleting are the tree's.
    form_class = OrgForm

    def form_kwargs(self, request, obj=None) -> dict:
        return {"instance": obj}

    def update(self, actor, obj, data):
        return services.update_org(actor, obj, **data)


class SchoolFilterSet(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(
        label=_("学段"), choices=SchoolStage.choices, empty_label=_("全部学段")
    )
    locality = django_filters.ChoiceFilter(
        label=_("城乡类别"), choices=Locality.choices, empty_label=_("全部城乡类别")
    )
    ownership = django_filters.ChoiceFilter(
        label=_("办学性质"), choices=Ownership.choices, empty_label=_("全部办学性质")
    )
    covered = django_filters.ChoiceFilter(
        label=_("党组织覆盖"),
        choices=[("yes", _("已覆盖")), ("no", _("未覆盖"))],
        empty_label=_("全部"),
        method="by_cover",
    )

    class Meta:
        model = School
        fields = []

    def by_cover(self, queryset, name, value):
        return queryset.filter(covering_org__isnull=value == "no")


def _covering(school: School):
    return school.covering_org.name if school.covering_org_id else _("未覆盖")


@register
class SchoolRegister(Register):
    model = School
    name = "school"
    title = _("学校")
    filterset = SchoolFilterSet
    search_fields = ("name", "code")
    search_placeholder = _("学校名称、代码或拼音首字母")
    org_paths = ("covering_org__path", "supervising_org__path")
    ordering = ("code",)
    select_related = ("supervising_org", "covering_org")
    columns = (
        Column(_("学校代码"), "code", css="hide-sm", as_text=True),
        Column(_("学校名称"), "name", link="detail"),
        Column(_("学段"), "get_stage_display", css="hide-sm"),
        Column(
            _("主管党组织"),
            "supervising_org.name",
            link_to=("org-detail", "supervising_org_id"),
            css="hide-sm",
        ),
        Column(
            _("党组织"),
            _covering,
            link_to=("org-detail", "covering_org_id"),
            badge=lambda s: None if s.covering_org_id else "danger",
        ),
        Column(_("专任教师数"), "teacher_count", css="text-end"),
    )
    # The import layout (schools.xlsx), so an export re-imports.
    export_url = "data-export-schools"
    form_class = SchoolForm
    add_label = _("新增学校")
    empty_text = _("还没有学校")
    empty_filtered_text = _("没有符合条件的学校")
    list_template = "orgs/school_list.html"

    def org_path_of(self, obj) -> str:
        return (obj.covering_org or obj.supervising_org).path

    def can_add(self, user) -> bool:
        """A school is added under a supervising org where the user has ADD."""
        orgs = Organization.objects.restrict(user, Action.ADD)
        return orgs.filter(kind__in=SUPERVISOR_KINDS).exists()

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "instance": obj}

    def form_notice(self, request, form) -> str | None:
        if form.instance.pk is None and not form.fields["supervising_org"].queryset.exists():
            # An organiser of a branch may add, but a school hangs under a 党委/党工委/党总支.
            return gettext("学校须由主管党组织(党委、党工委或党总支)新增，您在这些组织没有新增权限")
        return None

    def create(self, actor, data):
        return services.create_school(actor, **data)

    def update(self, actor, obj, data):
        return services.update_school(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_school(actor, obj)

    def list_context(self, request, queryset) -> dict:
        totals = queryset.aggregate(total=Count("pk"), covered=Count("covering_org"))
        return {"totals": totals, "uncovered": totals["total"] - totals["covered"]}
