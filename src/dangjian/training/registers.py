"""培训与学习 as registers of the kit: courses, sessions (with their attendance on the
detail page), attendance records (a member reads their own), mentoring pairs and 党建研究;
the hours and rotation reports are pages of their own (views.py) on the same rules."""

import datetime as dt

import django_filters
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, Register, TodoItem, register
from dangjian.core.roles import Action
from dangjian.core.scope import scope_paths
from dangjian.orgs.models import Organization
from dangjian.training import rules, services
from dangjian.training.forms import CourseForm, MentorshipForm, ResearchForm, TrainingForm
from dangjian.training.models import (
    Attendance,
    Course,
    CourseKind,
    Level,
    MentorKind,
    MentorOutcome,
    Mentorship,
    Research,
    ResearchKind,
    Training,
)


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1921)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class CourseFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("培训类别"), choices=CourseKind.choices, empty_label=_("全部类别")
    )
    level = django_filters.ChoiceFilter(
        label=_("层级"), choices=Level.choices, empty_label=_("全部层级")
    )

    class Meta:
        model = Course
        fields = []


class OrgForms:
    """Registers whose form takes the viewer and the edited record."""

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "instance": obj}


@register
class CourseRegister(OrgForms, Register):
    model = Course
    name = "course"
    title = _("培训课程")
    filterset = CourseFilterSet
    search_fields = ("title", "organiser")
    search_placeholder = _("课程主题或承办单位")
    org_paths = ("org__path",)
    org_label = _("主办党组织")
    ordering = ("org__path", "title", "id")
    select_related = ("org",)
    columns = (
        Column(_("课程主题"), "title", link="detail"),
        Column(_("培训类别"), "get_kind_display"),
        Column(_("层级"), "get_level_display", css="hide-sm"),
        Column(_("主办党组织"), "org.name", link_to=("org-detail", "org_id")),
        Column(_("承办单位"), "organiser", css="hide-sm"),
        Column(_("每期学时"), "hours", css="text-end"),
    )
    form_class = CourseForm
    add_label = _("新增课程")
    empty_text = _("还没有培训课程")

    def create(self, actor, data):
        return services.save_course(actor, **data)

    def update(self, actor, obj, data):
        return services.save_course(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_course(actor, obj)


class TrainingFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("培训类别"),
        field_name="course__kind",
        choices=CourseKind.choices,
        empty_label=_("全部类别"),
    )
    start = django_filters.DateFilter(label=_("起始日期"), field_name="on", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("截止日期"), field_name="on", lookup_expr="lte")

    class Meta:
        model = Training
        fields = []


@register
class TrainingRegister(OrgForms, Register):
    model = Training
    name = "training"  # /api/trainings/
    title = _("培训班次")
    filterset = TrainingFilterSet
    search_fields = ("course__title", "place", "note")
    search_placeholder = _("课程主题或地点")
    org_paths = ("org__path",)
    org_label = _("举办党组织")
    ordering = ("-on", "-id")
    select_related = ("org", "course")
    columns = (
        Column(_("日期"), "on", link="detail", css="text-nowrap"),
        Column(_("课程"), "course.title"),
        Column(_("培训类别"), "course.get_kind_display", css="hide-sm"),
        Column(_("举办党组织"), "org.name", link_to=("org-detail", "org_id"), css="hide-sm"),
        Column(_("学时"), "hours", css="text-end"),
        Column(_("地点"), "place", css="hide-sm"),
    )
    form_class = TrainingForm
    add_label = _("新增培训")
    empty_text = _("还没有培训记录")
    detail_template = "training/training_detail.html"

    def create(self, actor, data):
        return services.save_training(actor, **data)

    def update(self, actor, obj, data):
        return services.save_training(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_training(actor, obj)

    def todo(self, user, today):
        return shortfall_todo(user, today)

    def detail_context(self, request, obj) -> dict:
        attendance = list(
            obj.attendance.select_related("member__org", "recruit__org").order_by("id")
        )
        may_change = self.queryset(request.user, Action.CHANGE).filter(pk=obj.pk).exists()
        return {
            "attendance": attendance,
            "can_attend": may_change,
            "signin_state": obj.signin_state(timezone.localdate()),
            **services.PHOTOS.context(obj),
        }


class AttendanceFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"), field_name="training__on", lookup_expr="year")
    kind = django_filters.ChoiceFilter(
        label=_("培训类别"),
        field_name="training__course__kind",
        choices=CourseKind.choices,
        empty_label=_("全部类别"),
    )

    class Meta:
        model = Attendance
        fields = []


def _person(entry: Attendance) -> str:
    person = entry.member or entry.recruit
    return person.name if person else ""


@register
class AttendanceRegister(Register):
    model = Attendance
    name = "attendance"
    title = _("参训记录")
    filterset = AttendanceFilterSet
    search_fields = ("member__name", "member__name_pinyin", "recruit__name", "certificate")
    search_placeholder = _("姓名、拼音或证书编号")
    org_paths = ("training__org__path",)
    org_label = _("举办党组织")
    ordering = ("-training__on", "-id")
    select_related = ("training__course", "training__org", "member", "recruit")
    columns = (
        Column(_("姓名"), _person, link="detail"),
        Column(_("日期"), "training.on", css="text-nowrap"),
        Column(_("课程"), "training.course.title"),
        Column(_("培训类别"), "training.course.get_kind_display", css="hide-sm"),
        Column(_("学时"), "hours", css="text-end"),
        Column(_("登记方式"), "get_source_display", css="hide-sm"),
        Column(_("证书编号"), "certificate", html=False, as_text=True),
    )
    empty_text = _("还没有参训记录")

    def delete(self, actor, obj):
        services.delete_attendance(actor, obj)


class MentorshipFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("结对类型"), choices=MentorKind.choices, empty_label=_("全部类型")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("培养成效"), choices=MentorOutcome.choices, empty_label=_("全部")
    )

    class Meta:
        model = Mentorship
        fields = []


@register
class MentorshipRegister(OrgForms, Register):
    model = Mentorship
    name = "mentorship"
    title = _("双培双带与青蓝工程")
    filterset = MentorshipFilterSet
    search_fields = ("mentor__name", "mentee_name")
    search_placeholder = _("导师或培养对象姓名")
    org_paths = ("org__path",)
    ordering = ("-started_on", "-id")
    select_related = ("org", "mentor")
    columns = (
        Column(_("党员导师"), "mentor.name", link="detail"),
        Column(_("培养对象"), "mentee_name"),
        Column(_("结对类型"), "get_kind_display", css="hide-sm"),
        Column(_("党组织"), "org.name", css="hide-sm"),
        Column(_("结对日期"), "started_on", css="text-nowrap"),
        Column(_("培养成效"), "get_outcome_display"),
        Column(_("成效日期"), "outcome_on", html=False),
    )
    form_class = MentorshipForm
    add_label = _("登记结对")
    empty_text = _("还没有师徒结对")

    def create(self, actor, data):
        return services.save_mentorship(actor, **data)

    def update(self, actor, obj, data):
        return services.save_mentorship(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_mentorship(actor, obj)


class ResearchFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=ResearchKind.choices, empty_label=_("全部类别")
    )
    level = django_filters.ChoiceFilter(
        label=_("级别"), choices=Level.choices, empty_label=_("全部级别")
    )
    year = YearFilter(label=_("年度"), field_name="year")

    class Meta:
        model = Research
        fields = []


@register
class ResearchRegister(OrgForms, Register):
    model = Research
    name = "research"
    title = _("党建研究")
    filterset = ResearchFilterSet
    search_fields = ("title", "authors")
    search_placeholder = _("题目或作者")
    org_paths = ("org__path",)
    ordering = ("-year", "-id")
    select_related = ("org",)
    columns = (
        Column(_("题目"), "title", link="detail"),
        Column(_("类别"), "get_kind_display"),
        Column(_("作者或负责人"), "authors", css="hide-sm"),
        Column(_("级别"), "get_level_display", css="hide-sm"),
        Column(_("年度"), "year"),
        Column(_("党组织"), "org.name", css="hide-sm"),
        Column(_("成果"), "outcome", css="hide-sm"),
    )
    form_class = ResearchForm
    add_label = _("登记研究成果")
    empty_text = _("还没有党建研究成果")

    def create(self, actor, data):
        return services.save_research(actor, **data)

    def update(self, actor, obj, data):
        return services.save_research(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_research(actor, obj)


# -- 待办: hour shortfalls in the last quarter ----------------------------------------------

SHORTFALL_FROM_MONTH = 10
SHORTFALL_ITEMS = 20


def shortfall_todo(user, today: dt.date) -> list[TodoItem]:
    """In the year's last quarter, one item per branch in the user's charge whose members
    (or cadres) have not yet reached this year's hours: one aggregate query
    (`rules.short_by_org`), whatever the number of people."""
    if today.month < SHORTFALL_FROM_MONTH:
        return []
    paths = scope_paths(user, Action.CHANGE)
    if getattr(user, "is_superuser", False):
        paths = list(Organization.objects.filter(depth=1).values_list("path", flat=True))
    end_of_year = dt.date(today.year, 12, 31)
    return [
        TodoItem(
            "warning",
            gettext("%(org)s有%(n)d名党员本年度学习培训学时未达标")
            % {"org": row["org__name"], "n": row["short"]},
            reverse("training-hours") + f"?org={row['org__code']}&year={today.year}&short=1",
            end_of_year,
            kind="training_hours",
            org_path=row["org__path"],
        )
        for row in rules.short_by_org(paths, today)[:SHORTFALL_ITEMS]
    ]


def now_year() -> int:
    return timezone.localdate().year
