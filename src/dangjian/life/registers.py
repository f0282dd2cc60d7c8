"""组织生活 registers: meetings (list, filters, export, API), themed series, and the dated
frequency rules; the 待办 items of meetings still missing before and after their deadline."""

import datetime as dt

import django_filters
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, Register, TodoItem, register
from dangjian.core.roles import Action
from dangjian.core.scope import can, is_unrestricted
from dangjian.life import rules, services
from dangjian.life.forms import GroupMembershipForm, MeetingForm
from dangjian.life.models import GroupMembership, Meeting, MeetingKind, Series


class YearFilter(django_filters.NumberFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1921)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class MeetingFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("会议类型"), choices=MeetingKind.choices, empty_label=_("全部类型")
    )
    year = YearFilter(label=_("年度"), field_name="held_on", lookup_expr="year")
    held_from = django_filters.DateFilter(
        label=_("起始日期"), field_name="held_on", lookup_expr="gte"
    )
    held_to = django_filters.DateFilter(
        label=_("截止日期"), field_name="held_on", lookup_expr="lte"
    )

    class Meta:
        model = Meeting
        fields = []


def _rate(meeting: Meeting) -> str:
    rate = meeting.attendance_rate
    return "—" if rate is None else f"{rate:.0%}"


@register
class MeetingRegister(Register):
    model = Meeting
    name = "meeting"
    title = _("组织生活会议")
    filterset = MeetingFilterSet
    search_fields = ("title", "topic", "place")
    search_placeholder = _("会议名称、党课题目或地点")
    org_paths = ("org__path",)
    ordering = ("-held_on", "-pk")
    select_related = ("org",)
    list_needs_scope = True
    columns = (
        Column(_("日期"), "held_on", css="text-nowrap"),
        Column(_("会议名称"), "title", link="detail"),
        Column(_("会议类型"), "get_kind_display"),
        Column(_("党组织"), "org.name", link_to=("org-detail", "org_id"), css="hide-sm"),
        Column(_("地点"), "place", html=False),
        Column(_("主持人"), "chair", html=False),
        Column(_("党课主讲人"), "speaker", html=False),
        Column(_("党课题目"), "topic", html=False),
        Column(_("应到"), "expected_count", css="text-end hide-sm"),
        Column(_("实到"), "present_count", css="text-end hide-sm"),
        Column(_("出席率"), _rate, css="text-end"),
    )
    detail_columns = (
        Column(_("党组织"), "org.name"),
        Column(_("会议类型"), "get_kind_display"),
        Column(_("日期"), "held_on"),
        Column(_("地点"), "place"),
        Column(_("主持人"), "chair"),
        Column(_("记录人"), "recorder"),
        Column(_("党课主讲人"), "speaker"),
        Column(_("党课题目"), "topic"),
        Column(_("主题系列活动项目"), "series_item"),
        Column(_("议程"), "agenda"),
        Column(_("会议记录"), "minutes"),
        Column(_("决定事项"), "decisions"),
    )
    form_class = MeetingForm
    add_label = _("登记会议")
    empty_text = _("还没有会议记录")
    empty_filtered_text = _("没有符合条件的会议")
    detail_template = "life/meeting_detail.html"

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "instance": obj}

    def form_notice(self, request, form):
        if "org" in form.fields and not form.fields["org"].queryset.exists():
            return gettext("您没有可以登记会议的党组织")
        return None

    def create(self, actor, data):
        return services.create_meeting(actor, **data)

    def update(self, actor, obj, data):
        return services.update_meeting(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_meeting(actor, obj)

    def todo(self, user, today: dt.date) -> list[TodoItem]:
        return todo_items(user, today)

    def detail_context(self, request, obj) -> dict:
        from dangjian.life.views import roster_context

        return roster_context(request, obj)


def todo_items(user, today: dt.date) -> list[TodoItem]:
    """Per branch the user may act for (every branch, recorded meetings or not): the slots
    ending within the reminder days and not yet held (warning), and those of the last month
    that passed their deadline unheld (danger); one item per branch and state, naming the
    kinds."""
    if not can(user, Action.CHANGE):
        return []
    from dangjian.core.scope import scope_paths
    from dangjian.orgs.models import Organization

    if is_unrestricted(user):
        paths = list(Organization.objects.filter(depth=1).values_list("path", flat=True))
    else:
        paths = scope_paths(user, Action.CHANGE)
    horizon = today + dt.timedelta(days=rules.reminder_days())
    start = rules.slot_bounds("monthly", today - dt.timedelta(days=31))[0]
    end = rules.month_end(horizon.year, horizon.month)
    book = None
    items = []
    for path in paths:
        # Every branch owes its meetings by the frequencies, whether or not it has recorded
        # one here yet: a branch still on paper is reminded like the others.
        book = book or rules.RuleBook.load()
        result = rules.compliance(path, start, end, end, book=book, cells=True)
        by_branch: dict = {}
        for branch, slot, state in result.cells:
            if state == rules.HELD:
                continue
            if slot.end < today:
                if (today - slot.end).days > 31:
                    continue
                level = "danger"
            elif slot.end <= horizon:
                level = "warning"
            else:
                continue
            key = (branch["pk"], level)
            entry = by_branch.setdefault(key, (branch, slot.end, []))
            entry[2].append(str(MeetingKind(slot.kind).label))
        for (_pk, level), (branch, due, kinds) in sorted(by_branch.items(), key=lambda i: i[1][1]):
            text = (
                gettext("%(org)s %(due)s前应召开的%(kinds)s未召开(已逾期)")
                if level == "danger"
                else gettext("%(org)s 请在%(due)s前召开%(kinds)s")
            ) % {"org": branch["name"], "due": due.isoformat(), "kinds": "、".join(kinds)}
            items.append(
                TodoItem(
                    level,
                    text,
                    reverse("life-compliance") + f"?org={branch['code']}&year={due.year}",
                    due,
                    kind="life",
                    org_path=branch["path"],
                )
            )
    return items


class SeriesFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"), field_name="start_on", lookup_expr="year")

    class Meta:
        model = Series
        fields = []


@register
class SeriesRegister(Register):
    model = Series
    name = "series"
    title = _("主题系列活动")
    filterset = SeriesFilterSet
    search_fields = ("name",)
    org_paths = ("org__path",)
    ordering = ("-start_on", "pk")
    select_related = ("org",)
    list_needs_scope = True
    columns = (
        Column(_("名称"), "name", link="detail"),
        Column(_("发起党组织"), "org.name"),
        Column(_("开始日期"), "start_on"),
        Column(_("结束日期"), "end_on"),
    )
    add_url_name = "series-create"
    add_label = _("发起系列活动")
    empty_text = _("还没有主题系列活动")
    detail_template = "life/series_detail.html"

    def url_name(self, view: str) -> str:
        return f"series-{view}"

    def delete(self, actor, obj):
        services.delete_series(actor, obj)

    def detail_context(self, request, obj) -> dict:
        from dangjian.life.views import series_progress

        return series_progress(request.user, obj)


class GroupMembershipFilterSet(django_filters.FilterSet):
    current = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("yes", _("在组")), ("no", _("已调出"))],
        empty_label=_("全部"),
        method="filter_current",
    )

    class Meta:
        model = GroupMembership
        fields = []

    def filter_current(self, queryset, name, value):
        from django.utils import timezone

        today = timezone.localdate()
        if value == "yes":
            return queryset.in_force(today)
        return queryset.exclude(pk__in=queryset.in_force(today).values("pk"))


@register
class GroupMembershipRegister(Register):
    """党小组成员: who is in which 党小组 of their branch, with dates (a 党小组会 expects the
    group's members of its day)."""

    model = GroupMembership
    name = "groupmember"
    title = _("党小组成员")
    filterset = GroupMembershipFilterSet
    search_fields = ("member__name", "member__name_pinyin", "group__name")
    search_placeholder = _("党员姓名或党小组名称")
    org_paths = ("group__path",)
    ordering = ("group__path", "end_on", "member__name_pinyin", "pk")
    select_related = ("group", "member")
    list_needs_scope = True
    columns = (
        Column(_("党小组"), "group.name", link="detail"),
        Column(_("党员"), "member.name", link_to=("member-detail", "member_id")),
        Column(_("编入日期"), "start_on", css="text-nowrap"),
        Column(_("调出日期"), "end_on", css="text-nowrap"),
    )
    detail_columns = (
        Column(_("党小组"), "group.name"),
        Column(_("党员"), "member.name"),
        Column(_("编入日期"), "start_on"),
        Column(_("调出日期"), "end_on"),
    )
    form_class = GroupMembershipForm
    add_label = _("编入党小组")
    empty_text = _("还没有党小组成员记录")

    def form_kwargs(self, request, obj=None) -> dict:
        from dangjian.orgs.models import Organization

        group = None
        code = (request.GET.get("group") or "").strip()[:32]
        if obj is None and code:
            group = Organization.objects.restrict(request.user).filter(code=code).first()
        return {"user": request.user, "instance": obj, "group": group}

    def create(self, actor, data):
        return services.assign_to_group(actor, **data)

    def update(self, actor, obj, data):
        return services.leave_group(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_group_membership(actor, obj)
