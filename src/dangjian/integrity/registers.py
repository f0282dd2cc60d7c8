"""廉政建设 registers on the kit. Risks, their measures and education records are ordinary
scoped records; 信访, 线索和案件 and 诫勉谈话 are confidential (`view_action =
Action.DISCIPLINE`, `audit_reads`): only the 纪检 role of a subtree reads or writes them, and
every list, detail and export leaves an audit row."""

import django_filters
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, Register, TodoItem, register
from dangjian.core.roles import Action
from dangjian.integrity import services
from dangjian.integrity.forms import (
    CaseForm,
    EducationForm,
    MeasureForm,
    PetitionForm,
    RiskForm,
    TalkForm,
)
from dangjian.integrity.models import (
    Case,
    CaseKind,
    CaseStage,
    Channel,
    Education,
    EducationKind,
    Measure,
    Petition,
    Risk,
    RiskDomain,
    RiskLevel,
    Talk,
    TalkKind,
)
from dangjian.integrity.stats import funnel

ORG = Column(_("党组织"), "org.name", link_to=("org-detail", "org_id"))


class _Year(django_filters.NumberFilter):
    """A calendar year within what a date holds; a stray value is ignored, never a 500."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1921)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


def _services_register(create, update, delete):
    """The three methods every register here has: the app's services with the form's data."""

    class Methods:
        def create(self, actor, data):
            return create(actor, **data)

        def update(self, actor, obj, data):
            return update(actor, obj, **data)

        def delete(self, actor, obj):
            delete(actor, obj)

        def form_kwargs(self, request, obj=None):
            return {"user": request.user, "instance": obj}

    return Methods


# -- 廉政风险防控 -------------------------------------------------------------------------


class RiskFilterSet(django_filters.FilterSet):
    domain = django_filters.ChoiceFilter(
        label=_("风险领域"), choices=RiskDomain.choices, empty_label=_("全部领域")
    )
    level = django_filters.ChoiceFilter(
        label=_("风险等级"), choices=RiskLevel.choices, empty_label=_("全部等级")
    )
    stage = django_filters.ChoiceFilter(
        label=_("环节"),
        choices=[("found", _("已排查未确认")), ("confirmed", _("已评估确认"))],
        empty_label=_("全部"),
        method="by_stage",
    )
    year = _Year(label=_("排查年度"), field_name="found_on", lookup_expr="year")

    class Meta:
        model = Risk
        fields = []

    def by_stage(self, queryset, name, value):
        return queryset.filter(confirmed_on__isnull=(value == "found"))


def _level_badge(risk):
    return {"high": "danger", "medium": "warning"}.get(risk.level, "secondary")


@register
class RiskRegister(
    _services_register(services.create_risk, services.update_risk, services.delete_risk), Register
):
    model = Risk
    name = "risk"
    title = _("廉政风险防控")
    filterset = RiskFilterSet
    search_fields = ("post", "people", "description")
    search_placeholder = _("岗位、人员或风险描述")
    org_paths = ("org__path",)
    ordering = ("org__path", "-found_on", "id")
    select_related = ("org",)
    columns = (
        Column(_("岗位"), "post", link="detail"),
        ORG,
        Column(_("风险领域"), "get_domain_display"),
        Column(_("风险等级"), "get_level_display", badge=_level_badge),
        Column(_("涉及人员"), "people", css="hide-sm"),
        Column(_("排查日期"), "found_on", css="text-nowrap"),
        Column(_("评估确认日期"), "confirmed_on", css="text-nowrap"),
        Column(_("最近复查"), "reviewed_on", css="hide-sm text-nowrap"),
        Column(_("风险描述"), "description", html=False),
    )
    detail_columns = (
        ORG,
        Column(_("风险领域"), "get_domain_display"),
        Column(_("岗位"), "post"),
        Column(_("涉及人员"), "people"),
        Column(_("风险描述"), "description"),
        Column(_("风险等级"), "get_level_display"),
        Column(_("排查日期"), "found_on"),
        Column(_("评估确认日期"), "confirmed_on"),
        Column(_("最近年度复查日期"), "reviewed_on"),
        Column(_("复查意见"), "review_note"),
    )
    form_class = RiskForm
    add_label = _("登记风险点")
    empty_text = _("还没有廉政风险点")
    list_template = "integrity/risk_list.html"
    detail_template = "integrity/risk_detail.html"

    def list_context(self, request, queryset):
        """The funnel of the filtered rows (排查 → 评估确认 → 防控措施), one query."""
        figures = funnel(queryset)
        chart = {
            "funnel": {
                "title": gettext("风险防控漏斗"),
                "kind": "hbar",
                "categories": [str(label) for label, _count, _share in figures["stages"]],
                "series": [
                    {"name": gettext("数量"), "data": [c for _l, c, _s in figures["stages"]]}
                ],
                "percent": False,
                "links": None,
            }
        }
        if not figures["found"] and not figures["measures"]:
            chart["funnel"]["categories"] = []
        return {"funnel": figures, "funnel_chart": chart}

    def todo(self, user, today):
        """Confirmed risk points whose yearly review is due (one line per org subtree
        would hide which; they are few, one line each)."""
        from django.db.models import Q

        from dangjian.core.dates import add_years

        year_ago = add_years(today, -1)
        due = (
            Risk.objects.restrict(user, Action.CHANGE)
            .filter(confirmed_on__isnull=False)
            .filter(
                Q(reviewed_on__isnull=True, confirmed_on__lte=year_ago)
                | Q(reviewed_on__lte=year_ago)
            )
            .select_related("org")
            .order_by("org__path", "pk")
        )
        count = due.count()
        if not count:
            return []
        return [
            TodoItem(
                "info",
                gettext("%(n)d个廉政风险点已满一年未复查") % {"n": count},
                reverse("risk-list") + "?stage=confirmed",
                kind="risk-review",
            )
        ]


class MeasureFilterSet(django_filters.FilterSet):
    risk = django_filters.NumberFilter(label=_("风险点编号"), field_name="risk_id")
    year = _Year(label=_("制定年度"), field_name="set_on", lookup_expr="year")

    class Meta:
        model = Measure
        fields = []


@register
class MeasureRegister(
    _services_register(services.create_measure, services.update_measure, services.delete_measure),
    Register,
):
    model = Measure
    name = "risk-measure"
    title = _("防控措施")
    filterset = MeasureFilterSet
    search_fields = ("content", "owner")
    search_placeholder = _("措施内容或责任人")
    org_paths = ("risk__org__path",)
    ordering = ("risk__org__path", "risk_id", "set_on", "id")
    select_related = ("risk__org",)
    columns = (
        Column(_("防控措施"), "content", link="detail"),
        Column(_("风险点"), "risk", link=lambda m: reverse("risk-detail", args=[m.risk_id])),
        Column(_("党组织"), "risk.org.name"),
        Column(_("责任人"), "owner"),
        Column(_("制定日期"), "set_on", css="text-nowrap"),
        Column(_("检查日期"), "review_on", css="text-nowrap"),
    )
    form_class = MeasureForm

    def form_kwargs(self, request, obj=None):
        kwargs = {"user": request.user, "instance": obj}
        if obj is None and request.GET.get("risk", "").isdigit():
            kwargs["initial"] = {"risk": int(request.GET["risk"])}
        return kwargs

    add_label = _("制定防控措施")
    empty_text = _("还没有防控措施")
    add_action = Action.CHANGE  # a measure changes its risk point


class EducationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=EducationKind.choices, empty_label=_("全部类别")
    )
    year = _Year(label=_("年度"), field_name="held_on", lookup_expr="year")

    class Meta:
        model = Education
        fields = []


@register
class EducationRegister(
    _services_register(
        services.create_education, services.update_education, services.delete_education
    ),
    Register,
):
    model = Education
    name = "integrity-education"
    title = _("廉政教育")
    filterset = EducationFilterSet
    search_fields = ("title", "speaker", "place")
    search_placeholder = _("主题、主讲人或地点")
    org_paths = ("org__path",)
    ordering = ("-held_on", "id")
    select_related = ("org",)
    columns = (
        Column(_("日期"), "held_on", link="detail", css="text-nowrap"),
        Column(_("类别"), "get_kind_display"),
        Column(_("主题"), "title"),
        ORG,
        Column(_("主讲人"), "speaker", css="hide-sm"),
        Column(_("地点"), "place", css="hide-sm"),
        Column(_("参加人数"), "attendance"),
        Column(_("备注"), "note", html=False),
    )
    form_class = EducationForm
    add_label = _("登记教育活动")
    empty_text = _("还没有廉政教育记录")
    detail_template = "integrity/education_detail.html"

    def list_queryset(self, user):
        """参加人数 counted from the attendance records (one aggregate for the page, the
        export and the API alike), never typed."""
        return super().list_queryset(user).annotate(attendance=Count("attendees"))

    def detail_context(self, request, obj) -> dict:
        return {
            "attendees": list(
                obj.attendees.select_related("member__org").order_by(
                    "member__org__path", "member__name", "pk"
                )
            )
        }


# -- confidential -------------------------------------------------------------------------


class _Confidential:
    view_action = Action.DISCIPLINE
    audit_reads = True
    org_label = _("承办党组织")
    add_action = Action.DISCIPLINE


class PetitionFilterSet(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(
        label=_("信访方式"), choices=Channel.choices, empty_label=_("全部方式")
    )
    state = django_filters.ChoiceFilter(
        label=_("办理情况"),
        choices=[("open", _("办理中")), ("overdue", _("已超期")), ("resolved", _("已办结"))],
        empty_label=_("全部"),
        method="by_state",
    )
    year = _Year(label=_("受理年度"), field_name="received_on", lookup_expr="year")

    class Meta:
        model = Petition
        fields = []

    def by_state(self, queryset, name, value):
        if value == "resolved":
            return queryset.filter(resolved_on__isnull=False)
        queryset = queryset.filter(resolved_on__isnull=True)
        if value == "overdue":
            return queryset.filter(due_on__lt=timezone.localdate())
        return queryset


def _petition_badge(petition):
    if petition.resolved_on:
        return "success"
    return "danger" if petition.overdue_on(timezone.localdate()) else "warning"


def _petition_state(petition) -> str:
    if petition.resolved_on:
        return gettext("已办结")
    if petition.overdue_on(timezone.localdate()):
        return gettext("已超期")
    return gettext("办理中")


@register
class PetitionRegister(
    _Confidential,
    _services_register(
        services.create_petition, services.update_petition, services.delete_petition
    ),
    Register,
):
    model = Petition
    name = "petition"
    title = _("信访")
    filterset = PetitionFilterSet
    search_fields = ("subject",)
    search_placeholder = _("反映事项")
    org_paths = ("org__path",)
    ordering = ("-received_on", "-id")
    select_related = ("org",)
    columns = (
        Column(_("受理日期"), "received_on", link="detail", css="text-nowrap"),
        Column(_("信访方式"), "get_channel_display"),
        Column(_("反映事项"), "subject"),
        Column(_("承办党组织"), "org.name"),
        Column(_("办理期限"), "due_on", css="text-nowrap"),
        Column(_("办理情况"), _petition_state, badge=_petition_badge),
        Column(_("办结日期"), "resolved_on", css="hide-sm text-nowrap"),
        Column(_("办理结果"), "get_result_display", css="hide-sm"),
        Column(_("满意度"), "get_satisfaction_display", html=False),
    )
    detail_columns = (
        Column(_("承办党组织"), "org.name"),
        Column(_("受理日期"), "received_on"),
        Column(_("信访方式"), "get_channel_display"),
        Column(_("信访人"), "petitioner"),
        Column(_("反映事项"), "subject"),
        Column(_("办理期限"), "due_on"),
        Column(_("办理情况"), _petition_state),
        Column(_("办理进展"), "progress"),
        Column(_("办理结果"), "get_result_display"),
        Column(_("办结日期"), "resolved_on"),
        Column(_("答复意见"), "reply"),
        Column(_("信访人满意度"), "get_satisfaction_display"),
    )
    form_class = PetitionForm
    add_label = _("登记信访件")
    empty_text = _("还没有信访记录")

    def todo(self, user, today):
        """Overdue petitions, for the 纪检 role only (restrict() keeps everyone else out);
        the line names no petitioner and no matter."""
        overdue = (
            Petition.objects.restrict(user)
            .filter(resolved_on__isnull=True, due_on__lt=today)
            .select_related("org")
            .only("pk", "received_on", "due_on", "org__path")
            .order_by("due_on", "pk")
        )
        return [
            TodoItem(
                "danger",
                gettext("信访件(%(d)s受理)已超过办理期限 %(due)s")
                % {"d": petition.received_on, "due": petition.due_on},
                reverse("petition-detail", args=[petition.pk]),
                petition.due_on,
                kind="petition-overdue",
                org_path=petition.org.path,
            )
            for petition in overdue
        ]


class CaseFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=CaseKind.choices, empty_label=_("全部类别")
    )
    stage = django_filters.ChoiceFilter(
        label=_("环节"), choices=CaseStage.choices, empty_label=_("全部环节"), method="by_stage"
    )
    year = _Year(label=_("受理年度"), field_name="received_on", lookup_expr="year")

    class Meta:
        model = Case
        fields = []

    def by_stage(self, queryset, name, value):
        fields = ["checked_on", "filed_on", "reviewed_on", "closed_on"]
        if value == CaseStage.LEAD:
            return queryset.filter(**{f"{f}__isnull": True for f in fields})
        index = [CaseStage.CHECK, CaseStage.FILED, CaseStage.REVIEW, CaseStage.CLOSED].index(value)
        later = fields[index + 1 :]
        return queryset.filter(
            **{f"{fields[index]}__isnull": False}, **{f"{f}__isnull": True for f in later}
        )


@register
class CaseRegister(
    _Confidential,
    _services_register(services.create_case, services.update_case, services.delete_case),
    Register,
):
    model = Case
    name = "case"
    title = _("线索和案件")
    filterset = CaseFilterSet
    search_fields = ("subject_name", "matter")
    search_placeholder = _("被反映人或问题线索")
    org_paths = ("org__path",)
    ordering = ("-received_on", "-id")
    select_related = ("org",)
    columns = (
        Column(_("受理日期"), "received_on", link="detail", css="text-nowrap"),
        Column(_("类别"), "get_kind_display"),
        Column(_("被反映人"), "subject_name"),
        Column(_("承办党组织"), "org.name"),
        Column(_("环节"), "get_stage_display"),
        Column(_("立案日期"), "filed_on", css="hide-sm text-nowrap"),
        Column(_("结案日期"), "closed_on", css="hide-sm text-nowrap"),
        Column(_("党纪处分"), "get_party_outcome_display"),
        Column(_("政务处分"), "get_government_outcome_display", css="hide-sm"),
    )
    detail_columns = (
        Column(_("承办党组织"), "org.name"),
        Column(_("类别"), "get_kind_display"),
        Column(_("被反映人"), "subject_name"),
        Column(_("职务"), "post"),
        Column(_("线索来源"), "source"),
        Column(_("问题线索"), "matter"),
        Column(_("环节"), "get_stage_display"),
        Column(_("线索受理日期"), "received_on"),
        Column(_("初核日期"), "checked_on"),
        Column(_("立案日期"), "filed_on"),
        Column(_("审查终结日期"), "reviewed_on"),
        Column(_("结案(办结)日期"), "closed_on"),
        Column(_("党纪处分"), "get_party_outcome_display"),
        Column(_("留党察看期限(年)"), "probation_years"),
        Column(_("政务处分"), "get_government_outcome_display"),
        Column(_("申诉日期"), "appeal_on"),
        Column(_("申诉结果"), "appeal_result"),
    )
    form_class = CaseForm
    add_label = _("登记线索")
    empty_text = _("还没有线索和案件记录")


class TalkFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=TalkKind.choices, empty_label=_("全部类别")
    )
    year = _Year(label=_("年度"), field_name="held_on", lookup_expr="year")

    class Meta:
        model = Talk
        fields = []


@register
class TalkRegister(
    _Confidential,
    _services_register(services.create_talk, services.update_talk, services.delete_talk),
    Register,
):
    model = Talk
    name = "admonition"
    title = _("诫勉和提醒谈话")
    filterset = TalkFilterSet
    search_fields = ("person_name", "matter")
    search_placeholder = _("谈话对象或事由")
    org_paths = ("org__path",)
    ordering = ("-held_on", "-id")
    select_related = ("org",)
    columns = (
        Column(_("谈话日期"), "held_on", link="detail", css="text-nowrap"),
        Column(_("类别"), "get_kind_display"),
        Column(_("谈话对象"), "person_name"),
        Column(_("职务"), "post", css="hide-sm"),
        Column(_("党组织"), "org.name"),
        Column(_("谈话人"), "by_whom", css="hide-sm"),
        Column(_("谈话事由"), "matter", html=False),
        Column(_("后续跟踪"), "follow_up", html=False),
    )
    form_class = TalkForm
    add_label = _("登记谈话")
    empty_text = _("还没有诫勉和提醒谈话记录")
