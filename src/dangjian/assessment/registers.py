"""责任与考核 as registers of the kit: 党建责任书, 专项督查, 整改事项, 考核指标体系 (with its
ranking), 外部测评 and 表彰. The to-do items: letters of this year not yet signed and 整改
items past their deadline, on both the rectifying and the inspecting side."""

from collections import Counter

import django_filters
from django import forms
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.assessment import scoring, services
from dangjian.assessment.forms import (
    EvaluationForm,
    HonourForm,
    IndicatorSetForm,
    InspectionForm,
    LetterForm,
    RectificationForm,
)
from dangjian.assessment.models import (
    Evaluation,
    Honour,
    HonourKind,
    HonourLevel,
    HonourStatus,
    IndicatorSet,
    Inspection,
    Rectification,
    RectificationStatus,
    ResponsibilityLetter,
    ScoreSheet,
    plain,
)
from dangjian.assessment.tree import walk
from dangjian.core.registers import Column, Notice, Register, TodoItem, register
from dangjian.core.roles import Action
from dangjian.orgs.models import Organization


class YearFilter(django_filters.NumberFilter):
    """A calendar year within what a date holds, so a stray value is ignored."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1921)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


def _form_data(data: dict, *names: str) -> dict:
    return {name: data[name] for name in names if name in data}


# --- 党建责任书 -----------------------------------------------------------------------------


class LetterFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"), field_name="year")
    signed = django_filters.ChoiceFilter(
        label=_("签订情况"),
        choices=[("yes", _("已签订")), ("no", _("未签订"))],
        empty_label=_("全部"),
        method="by_signed",
    )

    class Meta:
        model = ResponsibilityLetter
        fields = []

    def by_signed(self, queryset, name, value):
        return queryset.filter(signed_on__isnull=(value == "no"))


def _signed_badge(letter):
    return "success" if letter.is_signed else "warning"


def _signed_text(letter):
    return gettext("已签订") if letter.is_signed else gettext("未签订")


def _indicator_lines(letter):
    return [f"{i.name}({plain(i.weight)}分)" for i in letter.indicators.all()]


LETTER_FIELDS = ("year", "title", "superior_signatory", "org_signatory", "signed_on", "note")


@register
class LetterRegister(Register):
    model = ResponsibilityLetter
    name = "dutyletter"
    title = _("党建责任书")
    filterset = LetterFilterSet
    search_fields = ("org__name", "title", "org_signatory")
    org_paths = ("org__path",)
    org_label = _("签订党组织")
    ordering = ("-year", "org__path", "id")
    select_related = ("org", "superior")
    prefetch_related = ("indicators",)
    columns = (
        Column(_("年度"), "year", link="detail"),
        Column(_("签订党组织"), "org.name", link_to=("org-detail", "org_id")),
        Column(_("上级党组织"), "superior.name", css="hide-sm"),
        Column(_("签订情况"), _signed_text, badge=_signed_badge),
        Column(_("签订日期"), "signed_on", css="text-nowrap"),
        Column(_("上级签字人"), "superior_signatory", css="hide-sm"),
        Column(_("本级签字人"), "org_signatory", css="hide-sm"),
        Column(_("责任指标"), _indicator_lines, html=False),
    )
    detail_columns = (
        Column(_("标题"), "title"),
        Column(_("年度"), "year"),
        Column(_("签订党组织"), "org.name"),
        Column(_("上级党组织"), "superior.name"),
        Column(_("签订日期"), "signed_on"),
        Column(_("上级签字人"), "superior_signatory"),
        Column(_("本级签字人"), "org_signatory"),
        Column(_("说明"), "note"),
    )
    form_class = LetterForm
    detail_template = "assessment/letter_detail.html"
    add_label = _("登记责任书")
    empty_text = _("还没有党建责任书")

    def form_kwargs(self, request, obj=None):
        return {"user": request.user, "instance": obj}

    def create(self, actor, data):
        return services.create_letter(
            actor,
            org=data["org"],
            indicators=data.get("indicators_text") or (),
            **_form_data(data, *LETTER_FIELDS),
        )

    def update(self, actor, obj, data):
        return services.update_letter(
            actor, obj, indicators=data.get("indicators_text"), **_form_data(data, *LETTER_FIELDS)
        )

    def delete(self, actor, obj):
        services.delete_letter(actor, obj)

    def detail_context(self, request, obj):
        return {"indicators": list(obj.indicators.all())}

    def list_context(self, request, queryset):
        year = request.GET.get("year") or ""
        if not year.isdigit():
            return {}
        rows = queryset.filter(year=int(year)).aggregate(
            total=Count("pk"), signed=Count("pk", filter=Q(signed_on__isnull=False))
        )
        return {"letter_summary": {"year": year, **rows}}

    def todo(self, user, today):
        unsigned = (
            ResponsibilityLetter.objects.restrict(user, Action.CHANGE)
            .filter(year=today.year, signed_on__isnull=True)
            .count()
        )
        if not unsigned:
            return []
        url = reverse("dutyletter-list") + f"?year={today.year}&signed=no"
        text = gettext("%(year)s年度尚有%(n)d份党建责任书未签订") % {
            "year": today.year,
            "n": unsigned,
        }
        return [TodoItem("warning", text, url, kind="letter-unsigned")]


# --- 专项督查 -------------------------------------------------------------------------------


class InspectionFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"), field_name="start_on", lookup_expr="year")

    class Meta:
        model = Inspection
        fields = []


def _target_names(inspection):
    return [org.name for org in inspection.targets.all()]


@register
class InspectionRegister(Register):
    model = Inspection
    name = "inspection"
    title = _("专项督查")
    filterset = InspectionFilterSet
    search_fields = ("topic", "inspectors")
    org_paths = ("org__path",)
    org_label = _("组织单位")
    ordering = ("-start_on", "-id")
    select_related = ("org",)
    prefetch_related = ("targets",)
    columns = (
        Column(_("督查主题"), "topic", link="detail"),
        Column(_("组织单位"), "org.name", link_to=("org-detail", "org_id")),
        Column(_("开始日期"), "start_on", css="text-nowrap"),
        Column(_("结束日期"), "end_on", css="text-nowrap hide-sm"),
        Column(_("督查人员"), "inspectors", css="hide-sm"),
        Column(_("被督查党组织"), _target_names, html=False),
    )
    detail_columns = (
        Column(_("督查主题"), "topic"),
        Column(_("组织单位"), "org.name"),
        Column(_("开始日期"), "start_on"),
        Column(_("结束日期"), "end_on"),
        Column(_("督查人员"), "inspectors"),
        Column(_("被督查党组织"), lambda i: "、".join(_target_names(i))),
        Column(_("督查情况"), "summary"),
    )
    form_class = InspectionForm
    detail_template = "assessment/inspection_detail.html"
    add_label = _("新建督查")
    empty_text = _("还没有专项督查")

    def form_kwargs(self, request, obj=None):
        return {"user": request.user, "instance": obj}

    def create(self, actor, data):
        return services.create_inspection(
            actor,
            org=data["org"],
            targets=data["targets"],
            **_form_data(data, "topic", "start_on", "end_on", "inspectors", "summary"),
        )

    def update(self, actor, obj, data):
        return services.update_inspection(
            actor,
            obj,
            targets=data.get("targets"),
            **_form_data(data, "topic", "start_on", "end_on", "inspectors", "summary"),
        )

    def delete(self, actor, obj):
        services.delete_inspection(actor, obj)

    def detail_context(self, request, obj):
        items = list(
            Rectification.objects.restrict(request.user, Action.VIEW)
            .filter(inspection=obj)
            .select_related("org")
            .order_by("org__path", "deadline", "pk")
        )
        today = timezone.localdate()
        per_org: dict[int, dict] = {}
        for item in items:
            row = per_org.setdefault(
                item.org_id, {"org": item.org, "total": 0, "on_time": 0, "overdue": 0}
            )
            row["total"] += 1
            row["on_time"] += item.closed_on_time
            row["overdue"] += item.is_overdue_on(today)
        for row in per_org.values():
            row["share"] = round(100 * row["on_time"] / row["total"], 1)
        return {"items": items, "per_org": list(per_org.values()), "today": today}


# --- 整改事项 --------------------------------------------------------------------------------


class RectificationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=RectificationStatus.choices, empty_label=_("全部状态")
    )
    due = django_filters.ChoiceFilter(
        label=_("期限"),
        choices=[("overdue", _("已逾期")), ("open", _("未验收"))],
        empty_label=_("全部"),
        method="by_due",
    )
    year = YearFilter(label=_("反馈年度"), field_name="found_on", lookup_expr="year")

    class Meta:
        model = Rectification
        fields = []

    def by_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.overdue_on(today)
        return queryset.filter(accepted_on__isnull=True)


def _deadline_badge(item):
    return "danger" if item.is_overdue_on(timezone.localdate()) else None


def _status_badge(item):
    return {
        RectificationStatus.ACCEPTED: "success",
        RectificationStatus.RETURNED: "danger",
        RectificationStatus.SUBMITTED: "info",
    }.get(item.status, "warning")


RECTIFICATION_FIELDS = ("org", "finding", "requirement", "owner", "found_on", "deadline")


@register
class RectificationRegister(Register):
    model = Rectification
    name = "rectification"
    title = _("整改事项")
    filterset = RectificationFilterSet
    search_fields = ("finding", "owner", "inspection__topic")
    org_paths = ("org__path",)
    org_label = _("整改党组织")
    ordering = ("deadline", "id")
    select_related = ("org", "inspection")
    columns = (
        Column(_("发现问题"), lambda item: item.finding[:40], link="detail"),
        Column(_("整改党组织"), "org.name", link_to=("org-detail", "org_id")),
        Column(_("专项督查"), "inspection.topic", link_to=("inspection-detail", "inspection_id")),
        Column(_("责任人"), "owner", css="hide-sm"),
        Column(_("整改期限"), "deadline", badge=_deadline_badge, css="text-nowrap"),
        Column(_("状态"), "get_status_display", badge=_status_badge),
        Column(_("验收日期"), "accepted_on", css="text-nowrap hide-sm"),
        Column(_("整改要求"), "requirement", html=False),
        Column(_("整改情况及佐证"), "evidence", html=False),
    )
    detail_columns = (
        Column(_("专项督查"), "inspection"),
        Column(_("整改党组织"), "org.name"),
        Column(_("发现问题"), "finding"),
        Column(_("整改要求"), "requirement"),
        Column(_("整改责任人"), "owner"),
        Column(_("反馈日期"), "found_on"),
        Column(_("整改期限"), "deadline"),
        Column(_("状态"), "get_status_display"),
        Column(_("整改情况及佐证"), "evidence"),
        Column(_("报送日期"), "submitted_on"),
        Column(_("验收日期"), "accepted_on"),
        Column(_("验收意见"), "review_note"),
    )
    form_class = RectificationForm
    detail_template = "assessment/rectification_detail.html"
    add_label = _("登记整改事项")
    empty_text = _("还没有整改事项")

    def form_kwargs(self, request, obj=None):
        return {"user": request.user, "instance": obj}

    def create(self, actor, data):
        return services.add_rectification(
            actor, data["inspection"], **_form_data(data, *RECTIFICATION_FIELDS)
        )

    def update(self, actor, obj, data):
        return services.update_rectification(actor, obj, **_form_data(data, *RECTIFICATION_FIELDS))

    def delete(self, actor, obj):
        services.delete_rectification(actor, obj)

    def detail_context(self, request, obj):
        user = request.user
        may_report = Rectification.objects.restrict(user, Action.CHANGE).filter(pk=obj.pk)
        may_review = Inspection.objects.restrict(user, Action.CHANGE).filter(pk=obj.inspection_id)
        return {
            "can_report": obj.status != RectificationStatus.ACCEPTED and may_report.exists(),
            "can_review": obj.status == RectificationStatus.SUBMITTED and may_review.exists(),
            "overdue": obj.is_overdue_on(timezone.localdate()),
        }

    def todo(self, user, today):
        """One line per org with overdue items, for both sides (the rectifying org's
        people and the inspecting org's)."""
        overdue = (
            Rectification.objects.restrict(user, Action.CHANGE)
            .overdue_on(today)
            .values_list("org__name", "org__path", "org__code", "deadline")
            .order_by("deadline")
        )
        counts: Counter = Counter()
        first: dict = {}
        for name, path, code, deadline in overdue[:500]:
            counts[(name, path, code)] += 1
            first.setdefault((name, path, code), deadline)
        url = reverse("rectification-list")
        return [
            TodoItem(
                "danger",
                gettext("%(org)s有%(n)d项整改已逾期") % {"org": name, "n": n},
                f"{url}?due=overdue&org={code}",
                first[(name, path, code)],
                kind="rectification-overdue",
                org_path=path,
            )
            for (name, path, code), n in counts.items()
        ]


# --- 考核指标体系 and ranking ----------------------------------------------------------------


class IndicatorSetFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"), field_name="year")

    class Meta:
        model = IndicatorSet
        fields = []


@register
class IndicatorSetRegister(Register):
    model = IndicatorSet
    name = "indicatorset"
    title = _("考核评分")
    filterset = IndicatorSetFilterSet
    search_fields = ("name",)
    org_paths = ("org__path",)
    org_label = _("考核单位")
    ordering = ("-year", "org__path", "name", "id")
    select_related = ("org",)
    columns = (
        Column(_("年度"), "year", link="detail"),
        Column(_("名称"), "name", link="detail"),
        Column(_("考核单位"), "org.name", link_to=("org-detail", "org_id")),
        Column(_("说明"), "note", css="hide-sm"),
    )
    form_class = IndicatorSetForm
    detail_template = "assessment/indicatorset_detail.html"
    add_label = _("新建考核指标体系")
    empty_text = _("还没有考核指标体系")

    def form_kwargs(self, request, obj=None):
        return {"user": request.user, "instance": obj}

    def create(self, actor, data):
        return services.create_indicator_set(
            actor,
            org=data["org"],
            tree=data.get("tree_text") or (),
            **_form_data(data, "year", "name", "note"),
        )

    def update(self, actor, obj, data):
        return services.update_indicator_set(
            actor, obj, tree=data.get("tree_text"), **_form_data(data, "year", "name", "note")
        )

    def edit_notice(self, request, obj):
        """A scored set is not edited: the page says so and offers the copy instead."""
        if not services.is_scored(obj):
            return None
        return Notice(
            str(services.SCORED_REFUSAL),
            reverse("indicatorset-copy", args=[obj.pk]),
            gettext("复制为新年度指标体系"),
        )

    def detail_context(self, request, obj):
        user = request.user
        sheets = {
            sheet.org_id: sheet
            for sheet in ScoreSheet.objects.restrict(user).filter(indicator_set=obj)
        }
        may_assess = IndicatorSet.objects.restrict(user, Action.CHANGE).filter(pk=obj.pk).exists()
        ranking = scoring.ranking(obj)
        return {
            "tree": walk(list(obj.indicators.all())),
            "ranking": ranking,
            "previous": scoring.previous_set(obj),
            "sheets": [row.sheet for row in ranking if row.sheet.org_id in sheets],
            "may_assess": may_assess,
            "may_copy": Organization.objects.restrict(user, Action.ADD)
            .filter(pk=obj.org_id)
            .exists(),
            "scored": services.is_scored(obj),
        }


# --- 外部测评 --------------------------------------------------------------------------------


class EvaluationFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"), field_name="year")

    class Meta:
        model = Evaluation
        fields = []


@register
class EvaluationRegister(Register):
    model = Evaluation
    name = "evaluation"
    title = _("外部测评")
    filterset = EvaluationFilterSet
    search_fields = ("name", "body", "org__name")
    org_paths = ("org__path",)
    org_label = _("被测评党组织")
    ordering = ("-year", "org__path", "name", "id")
    select_related = ("org",)
    columns = (
        Column(_("年度"), "year", link="detail"),
        Column(_("被测评党组织"), "org.name", link_to=("org-detail", "org_id")),
        Column(_("测评名称"), "name"),
        Column(_("组织测评单位"), "body", css="hide-sm"),
        Column(_("排名范围"), "ranked_among", css="hide-sm"),
        Column(_("名次"), "rank"),
        Column(_("参评单位数"), "participants", css="hide-sm"),
        Column(_("得分"), "score", css="hide-sm"),
        Column(_("结果公布日期"), "held_on", html=False),
    )
    form_class = EvaluationForm
    detail_template = "assessment/evaluation_detail.html"
    list_template = "assessment/evaluation_list.html"
    add_label = _("登记测评结果")
    empty_text = _("还没有外部测评结果")

    def form_kwargs(self, request, obj=None):
        return {"user": request.user, "instance": obj}

    def create(self, actor, data):
        return services.record_evaluation(
            actor, org=data["org"], **_form_data(data, *services.EVALUATION_FIELDS)
        )

    def update(self, actor, obj, data):
        return services.update_evaluation(
            actor, obj, **_form_data(data, *services.EVALUATION_FIELDS)
        )

    def delete(self, actor, obj):
        services.delete_evaluation(actor, obj)

    def detail_context(self, request, obj):
        """The org's rank in this evaluation over the years, with the change each year
        (positive: places gained)."""
        rows, before = [], None
        for year, rank in (
            Evaluation.objects.filter(org_id=obj.org_id, name=obj.name)
            .order_by("year")
            .values_list("year", "rank")
        ):
            rows.append((year, rank, None if before is None else before - rank))
            before = rank
        return {"rank_history": rows}


# --- 表彰 ------------------------------------------------------------------------------------


class HonourFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("表彰类别"), choices=HonourKind.choices, empty_label=_("全部类别")
    )
    level = django_filters.ChoiceFilter(
        label=_("表彰级别"), choices=HonourLevel.choices, empty_label=_("全部级别")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=HonourStatus.choices, empty_label=_("全部状态")
    )
    year = YearFilter(label=_("年度"), field_name="year")

    class Meta:
        model = Honour
        fields = []


def _honoured(honour):
    return honour.member.name if honour.member_id else honour.org.name


HONOUR_FIELDS = (
    "kind",
    "title",
    "level",
    "year",
    "org",
    "member",
    "awarded_by",
    "nominated_on",
    "note",
)


@register
class HonourRegister(Register):
    model = Honour
    name = "honour"
    title = _("表彰")
    filterset = HonourFilterSet
    search_placeholder = _("党员姓名、拼音, 党组织或称号")
    org_paths = ("org__path",)
    ordering = ("-year", "org__path", "id")
    select_related = ("org", "member")
    columns = (
        Column(_("年度"), "year", link="detail"),
        Column(_("受表彰者"), _honoured, link="detail"),
        Column(_("荣誉称号"), "display_title"),
        Column(_("级别"), "get_level_display"),
        Column(_("党组织"), "org.name", link_to=("org-detail", "org_id"), css="hide-sm"),
        Column(_("表彰单位"), "awarded_by", css="hide-sm"),
        Column(_("状态"), "get_status_display"),
        Column(_("批准日期"), "decided_on", css="text-nowrap hide-sm"),
    )
    form_class = HonourForm
    list_template = "assessment/honour_list.html"
    detail_template = "assessment/honour_detail.html"  # renders the "honour" panels
    add_label = _("推荐表彰")
    empty_text = _("还没有表彰记录")

    def form_kwargs(self, request, obj=None):
        return {"user": request.user, "instance": obj}

    def create(self, actor, data):
        return services.nominate_honour(actor, **_form_data(data, *HONOUR_FIELDS))

    def update(self, actor, obj, data):
        return services.update_honour(actor, obj, **_form_data(data, *HONOUR_FIELDS))

    def delete(self, actor, obj):
        services.delete_honour(actor, obj)

    def list_context(self, request, queryset):
        """Approved honours per year and level over the filtered rows (one query)."""
        rows = (
            queryset.filter(status=HonourStatus.APPROVED)
            .order_by()
            .values("year", "level")
            .annotate(n=Count("pk"))
        )
        levels = list(HonourLevel.choices)
        table: dict[int, dict] = {}
        for row in rows:
            table.setdefault(row["year"], {})[row["level"]] = row["n"]
        return {
            "honour_levels": [label for _value, label in levels],
            "honour_counts": [
                (year, [table[year].get(value, 0) for value, _label in levels])
                for year in sorted(table, reverse=True)
            ],
        }
