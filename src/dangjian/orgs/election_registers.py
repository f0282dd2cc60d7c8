"""Registers of 换届选举, 学校领导班子 and 阵地建设 (the kit's list, filters, export, detail,
create/edit/delete and API); the ballot sheet and the approval are pages of their own
(orgs.election_views), since they are steps of a record rather than its fields."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, Register, TodoItem, register
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.orgs import elections as services
from dangjian.orgs.forms import ActivityRoomForm, ElectionForm, SchoolLeaderForm
from dangjian.orgs.models import (
    ActivityRoom,
    Election,
    FormedBy,
    LeaderTitle,
    SchoolLeader,
    SelectedBy,
)


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1921)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


# -- 换届选举 ------------------------------------------------------------------------------


class ElectionFilterSet(django_filters.FilterSet):
    formed_by = django_filters.ChoiceFilter(
        label=_("产生方式"), choices=FormedBy.choices, empty_label=_("全部方式")
    )
    approved = django_filters.ChoiceFilter(
        label=_("上级批复"),
        choices=[("yes", _("已批复")), ("no", _("待批复"))],
        empty_label=_("全部"),
        method="by_approval",
    )
    year = YearFilter(label=_("选举年度"), field_name="held_on", lookup_expr="year")

    class Meta:
        model = Election
        fields = []

    def by_approval(self, queryset, name, value):
        return queryset.filter(approved_on__isnull=value == "no")


def _status_badge(election: Election):
    return {"approved": "success", "awaiting": "warning", "preparing": "secondary"}[election.status]


def _elected(election: Election) -> list[str]:
    return [c.name for c in election.candidates.all() if c.elected]


@register
class ElectionRegister(Register):
    model = Election
    name = "election"  # the API: /api/elections/, basename api-election
    title = _("换届选举")
    list_needs_scope = True
    filterset = ElectionFilterSet
    search_fields = ("org__name", "org__code")
    search_placeholder = _("组织名称或代码")
    org_paths = ("org__path",)
    ordering = ("-held_on", "-id")
    select_related = ("org",)
    prefetch_related = ("candidates__round", "rounds")
    columns = (
        Column(_("选举日期"), "held_on", link="detail", css="text-nowrap"),
        Column(_("党组织"), "org.name", link_to=("org-detail", "org_id")),
        Column(_("产生方式"), "get_formed_by_display", css="hide-sm"),
        Column(_("应选人数"), "seats", css="text-end hide-sm"),
        Column(_("应到会人数"), "should_attend", css="text-end hide-sm"),
        Column(_("当选(任命)"), _elected, css="hide-sm"),
        Column(_("状态"), "get_status_display", badge=_status_badge),
        Column(_("上级批复日期"), "approved_on", css="text-nowrap hide-sm"),
    )
    detail_columns = (
        Column(_("党组织"), "org.name"),
        Column(_("产生方式"), "get_formed_by_display"),
        Column(_("选举委员会"), lambda e: gettext("是") if e.committee else gettext("否")),
        Column(_("应选人数"), "seats"),
        Column(_("请示日期"), "requested_on"),
        Column(_("上级同意召开日期"), "permitted_on"),
        Column(_("选举日期"), "held_on"),
        Column(_("应到会人数"), "should_attend"),
        Column(_("状态"), "get_status_display"),
        Column(_("上级批复日期"), "approved_on"),
        Column(_("批复文号"), "approval_ref"),
        Column(_("说明"), "note"),
    )
    form_class = ElectionForm
    add_label = _("登记换届")
    empty_text = _("还没有换届选举记录")
    empty_filtered_text = _("没有符合条件的换届选举记录")
    detail_template = "orgs/election_detail.html"

    def can_add(self, user) -> bool:
        return can(user, Action.CHANGE)

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "instance": obj}

    def form_notice(self, request, form) -> str | None:
        if not form.fields["org"].queryset.exists():
            return gettext("您没有可以登记换届的党组织")
        return None

    def create(self, actor, data):
        return services.create_election(actor, **data)

    def update(self, actor, obj, data):
        return services.update_election(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_election(actor, obj)

    def detail_context(self, request, obj) -> dict:
        """The corrections of an approved 换届 with the seats each replaced, and whether this
        viewer (the approving level) may correct it."""
        corrections = list(obj.corrections.prefetch_related("replaced_positions"))
        return {
            "corrections": corrections,
            "can_correct": bool(obj.approved_on) and services.may_correct(request.user, obj),
        }

    def todo(self, user, today) -> list[TodoItem]:
        """Results entered but not yet approved: the 班子 does not change until then."""
        waiting = (
            self.queryset(user)
            .filter(approved_on__isnull=True, held_on__lte=today)
            .select_related("org")
            .only("pk", "held_on", "org__name", "org__path")
        )
        return [
            TodoItem(
                "warning",
                gettext("%(org)s %(day)s的换届选举结果尚待上级批复")
                % {"org": e.org.name, "day": e.held_on},
                self.detail_url(e),
                e.held_on,
                "election-approval",
                e.org.path,
            )
            for e in waiting
        ]


# -- 学校领导班子 --------------------------------------------------------------------------


class LeaderFilterSet(django_filters.FilterSet):
    title = django_filters.ChoiceFilter(
        label=_("职务"), choices=LeaderTitle.choices, empty_label=_("全部职务")
    )
    selected_by = django_filters.ChoiceFilter(
        label=_("选任方式"), choices=SelectedBy.choices, empty_label=_("全部方式")
    )
    current = django_filters.ChoiceFilter(
        label=_("任职状态"),
        choices=[("yes", _("现任")), ("no", _("已离任"))],
        empty_label=_("全部"),
        method="by_current",
    )
    year = YearFilter(label=_("任职年度"), field_name="start_on", lookup_expr="year")

    class Meta:
        model = SchoolLeader
        fields = []

    def by_current(self, queryset, name, value):
        today = timezone.localdate()
        current = queryset.current(today)
        return current if value == "yes" else queryset.exclude(pk__in=current.values("pk"))


def _party(leader: SchoolLeader) -> str:
    return gettext("是") if leader.party_member else gettext("否")


@register
class SchoolLeaderRegister(Register):
    model = SchoolLeader
    name = "school-leader"  # the API: /api/school-leaders/
    title = _("学校领导班子")
    list_needs_scope = True
    filterset = LeaderFilterSet
    search_fields = ("holder_name", "school__name", "school__code")
    search_placeholder = _("姓名或学校")
    org_paths = ("school__covering_org__path", "school__supervising_org__path")
    ordering = ("school__code", "end_on", "title", "-start_on", "id")
    select_related = ("school__covering_org", "school__supervising_org")
    columns = (
        Column(_("学校"), "school.name", link_to=("school-detail", "school_id")),
        Column(_("职务"), "get_title_display"),
        Column(_("姓名"), "holder_name", link="detail"),
        Column(_("中共党员"), _party, css="hide-sm"),
        Column(_("选任方式"), "get_selected_by_display", css="hide-sm"),
        Column(_("任职日期"), "start_on", css="text-nowrap"),
        Column(_("离任日期"), "end_on", css="text-nowrap hide-sm"),
    )
    form_class = SchoolLeaderForm
    add_label = _("登记任职")
    empty_text = _("还没有学校领导班子记录")
    empty_filtered_text = _("没有符合条件的任职记录")
    list_template = "orgs/leader_list.html"

    def org_path_of(self, obj) -> str:
        return (obj.school.covering_org or obj.school.supervising_org).path

    def can_add(self, user) -> bool:
        return can(user, Action.CHANGE)

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "instance": obj}

    def form_notice(self, request, form) -> str | None:
        if not form.fields["school"].queryset.exists():
            return gettext("您没有可以登记领导班子的学校")
        return None

    def create(self, actor, data):
        return services.save_leader(actor, SchoolLeader(**data))

    def update(self, actor, obj, data):
        for key, value in data.items():
            setattr(obj, key, value)
        return services.save_leader(actor, obj)

    def delete(self, actor, obj):
        services.delete_leader(actor, obj)


# -- 阵地建设 ------------------------------------------------------------------------------


def _missing(room: ActivityRoom) -> list[str]:
    met = set(room.items_met or ())
    return [str(label) for code, label in services.room_standards() if code not in met]


def _compliant(room: ActivityRoom) -> str:
    return gettext("达标") if not _missing(room) else gettext("未达标")


class RoomFilterSet(django_filters.FilterSet):
    compliant = django_filters.ChoiceFilter(
        label=_("是否达标"),
        choices=[("yes", _("达标")), ("no", _("未达标"))],
        empty_label=_("全部"),
        method="by_compliance",
    )

    class Meta:
        model = ActivityRoom
        fields = []

    def by_compliance(self, queryset, name, value):
        # "Every item of the list met" is read in Python: a school has a room or two, so
        # the rows are few, and the list is a setting a JSON query would have to follow.
        ids = [
            room.pk
            for room in queryset.select_related(None).only("pk", "items_met")
            if not _missing(room)
        ]
        if value == "yes":
            return queryset.filter(pk__in=ids)
        return queryset.exclude(pk__in=ids)


@register
class ActivityRoomRegister(Register):
    model = ActivityRoom
    name = "activity-room"  # the API: /api/activity-rooms/
    title = _("阵地建设")
    list_needs_scope = True
    filterset = RoomFilterSet
    search_fields = ("school__name", "school__code", "name")
    search_placeholder = _("学校名称或代码")
    org_paths = ("school__covering_org__path", "school__supervising_org__path")
    ordering = ("school__code", "-checked_on", "id")
    select_related = ("school__covering_org", "school__supervising_org")
    columns = (
        Column(_("学校"), "school.name", link_to=("school-detail", "school_id")),
        Column(_("名称"), "name", link="detail"),
        Column(_("面积(平方米)"), "area", css="text-end hide-sm"),
        Column(_("检查日期"), "checked_on", css="text-nowrap"),
        Column(
            _("是否达标"),
            _compliant,
            badge=lambda r: "success" if not _missing(r) else "danger",
        ),
        Column(_("未达标项目"), _missing, css="hide-sm"),
    )
    form_class = ActivityRoomForm
    add_label = _("登记活动室")
    empty_text = _("还没有党员活动室记录")
    empty_filtered_text = _("没有符合条件的党员活动室")
    list_template = "orgs/room_list.html"

    def org_path_of(self, obj) -> str:
        return (obj.school.covering_org or obj.school.supervising_org).path

    def can_add(self, user) -> bool:
        return can(user, Action.CHANGE)

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "instance": obj}

    def form_notice(self, request, form) -> str | None:
        if not form.fields["school"].queryset.exists():
            return gettext("您没有可以登记党员活动室的学校")
        return None

    def create(self, actor, data):
        return services.save_room(actor, ActivityRoom(**data))

    def update(self, actor, obj, data):
        for key, value in data.items():
            setattr(obj, key, value)
        return services.save_room(actor, obj)

    def delete(self, actor, obj):
        services.delete_room(actor, obj)

    def list_context(self, request, queryset) -> dict:
        rooms = list(queryset.select_related(None).only("pk", "items_met"))
        compliant = sum(1 for room in rooms if not _missing(room))
        return {
            "room_total": len(rooms),
            "room_compliant": compliant,
            "standards": services.room_standards(),
        }
