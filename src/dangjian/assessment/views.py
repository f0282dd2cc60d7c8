"""Pages of 责任与考核 beyond the kit's: the printable documents, the ranking's Excel, the
steps of a 整改 item (report, review), a score sheet and its two entry steps (the assessor's
scores, the org's self-assessment with evidence files), the ranking page, the Excel import
and export of scores and the import of 民主测评 results, and copying a set to a new year.
The steps and imports are declared on the register kit (`core/registers/steps.py`,
`imports.py`)."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from dangjian.assessment import documents, excel, scoring, services
from dangjian.assessment.forms import (
    CopySetForm,
    ReportForm,
    ReviewForm,
    ReviewScoresForm,
    SelfAssessmentForm,
)
from dangjian.assessment.models import (
    Indicator,
    IndicatorSet,
    Inspection,
    Rectification,
    RectificationStatus,
    ResponsibilityLetter,
    Score,
    ScoreSheet,
)
from dangjian.assessment.tree import labels
from dangjian.core import audit
from dangjian.core.excel import Sheet, sha256_bytes, write_workbook, xlsx_response
from dangjian.core.models import AuditAction
from dangjian.core.registers.imports import import_page
from dangjian.core.registers.steps import bind, record_step
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.orgs.models import Organization

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@never_cache
@login_required
def letter_docx(request, pk):
    letter = get_object_or_404(
        ResponsibilityLetter.objects.restrict(request.user).select_related("org", "superior"),
        pk=pk,
    )
    return _docx(documents.letter_docx(letter), f"{letter.year}年{letter.org.name}党建责任书.docx")


@require_safe
@never_cache
@login_required
def inspection_docx(request, pk):
    inspection = get_object_or_404(
        Inspection.objects.restrict(request.user).select_related("org"), pk=pk
    )
    items = list(
        Rectification.objects.restrict(request.user)
        .filter(inspection=inspection)
        .select_related("org")
        .order_by("org__path", "deadline", "pk")
    )
    content = documents.inspection_docx(inspection, items, timezone.localdate())
    return _docx(content, f"{inspection.topic}督查报告.docx")


@require_safe
@never_cache
@login_required
def ranking_xlsx(request, pk):
    """The ranking and every sheet's scores per leaf indicator, one audit row."""
    indicator_set = get_object_or_404(
        IndicatorSet.objects.restrict(request.user).select_related("org"), pk=pk
    )
    ranked = scoring.ranking(indicator_set)
    leaves = [
        node
        for node in Indicator.objects.filter(indicator_set=indicator_set)
        if not node.children.exists()
    ]
    scores = {
        (row.sheet_id, row.indicator_id): row
        for row in Score.objects.filter(indicator__indicator_set=indicator_set)
    }
    ranking_sheet = Sheet(
        title=_("排名"),
        headers=[
            _("名次"),
            _("党组织"),
            _("总分"),
            _("民主测评满意率(%)"),
            _("上年名次"),
            _("领导点评"),
        ],
        rows=[
            (
                row.rank,
                row.sheet.org.name,
                float(row.total),
                None if row.sheet.democratic_rate is None else float(row.sheet.democratic_rate),
                row.previous_rank,
                row.sheet.leader_comment,
            )
            for row in ranked
        ],
    )
    headers = [_("党组织")]
    for leaf in leaves:
        headers += [f"{leaf.name}({_('自评')})", f"{leaf.name}({_('考核')})"]
    detail_rows = []
    for row in ranked:
        cells = [row.sheet.org.name]
        for leaf in leaves:
            found = scores.get((row.sheet.pk, leaf.pk))
            cells += [
                None if found is None or found.self_score is None else float(found.self_score),
                None
                if found is None or found.reviewer_score is None
                else float(found.reviewer_score),
            ]
        detail_rows.append(cells)
    content = write_workbook(
        [ranking_sheet, Sheet(title=_("评分表"), headers=headers, rows=detail_rows)]
    )
    audit.batch(
        request.user,
        AuditAction.EXPORT,
        org_path=indicator_set.org.path,
        object_repr=str(indicator_set),
        rows=len(ranked),
    )
    return xlsx_response(content, f"{indicator_set}排名.xlsx")


def _may_review(user, item) -> bool:
    """Only the inspecting side accepts or returns an item."""
    return Inspection.objects.restrict(user, Action.CHANGE).filter(pk=item.inspection_id).exists()


def _finding(item) -> str:
    return f"{item.org.name}: {item.finding}"


rectification_report = record_step(
    Rectification,
    form=lambda request, item: bind(ReportForm, request, initial={"evidence": item.evidence}),
    save=lambda user, item, data: services.report_rectification(user, item, **data),
    message=_lazy("已报送整改情况"),
    heading=_lazy("报送整改情况"),
    detail="rectification-detail",
    allowed=lambda user, item: item.status != RectificationStatus.ACCEPTED,
    select_related=("org", "inspection"),
    lead=_finding,
)

rectification_review = record_step(
    Rectification,
    action=Action.VIEW,
    form=lambda request, item: bind(ReviewForm, request),
    save=lambda user, item, data: services.review_rectification(user, item, **data),
    message=_lazy("已记录验收结论"),
    heading=_lazy("整改验收"),
    detail="rectification-detail",
    allowed=_may_review,
    select_related=("org", "inspection"),
    lead=_finding,
)


# --- 考核: sheets, score entry, ranking, Excel --------------------------------------------


def _may_assess(user, indicator_set_id) -> bool:
    """The assessor: who may change the set (the issuing org's side)."""
    return IndicatorSet.objects.restrict(user, Action.CHANGE).filter(pk=indicator_set_id).exists()


def _sheet_forms(sheet):
    leaves = services.leaves_of(sheet.indicator_set)
    scores = {row.indicator_id: row for row in Score.objects.filter(sheet=sheet)}
    return {
        "leaves": leaves,
        "scores": scores,
        "labels": labels(sheet.indicator_set.indicators.all()),
    }


def _total_message(sheet) -> str:
    _rows, total = scoring.sheet_breakdown(sheet)
    return _("已保存%(org)s的评分, 当前总分%(total)s分") % {"org": sheet.org.name, "total": total}


def _sheet_lead(sheet) -> str:
    return f"{sheet.indicator_set} · {sheet.org.name}"


SHEET_RELATED = ("org", "indicator_set", "indicator_set__org")

sheet_review = record_step(
    ScoreSheet,
    action=Action.VIEW,
    form=lambda request, sheet: bind(ReviewScoresForm, request, sheet=sheet, **_sheet_forms(sheet)),
    save=lambda user, sheet, form_data: services.enter_review(user, sheet, **form_data),
    message=_total_message,
    heading=_lazy("录入考核得分"),
    detail="scoresheet-detail",
    allowed=lambda user, sheet: _may_assess(user, sheet.indicator_set_id),
    select_related=SHEET_RELATED,
    lead=_sheet_lead,
    template="assessment/sheet_review.html",
)

sheet_self = record_step(
    ScoreSheet,
    form=lambda request, sheet: bind(SelfAssessmentForm, request, **_sheet_forms(sheet)),
    save=lambda user, sheet, form_data: services.enter_self_assessment(user, sheet, rows=form_data),
    message=_total_message,
    heading=_lazy("填报自评"),
    detail="scoresheet-detail",
    select_related=SHEET_RELATED,
    lead=_sheet_lead,
    template="assessment/sheet_self.html",
)


@require_safe
@never_cache
@login_required
def sheet_detail(request, pk):
    """One org's sheet: every indicator with its scores, evidence and the value it counts
    with (weighted and capped), and the total."""
    sheet = get_object_or_404(
        ScoreSheet.objects.restrict(request.user).select_related(*SHEET_RELATED), pk=pk
    )
    rows, total = scoring.sheet_breakdown(sheet)
    may_self = ScoreSheet.objects.restrict(request.user, Action.CHANGE).filter(pk=pk).exists()
    return render(
        request,
        "assessment/sheet_detail.html",
        {
            "object": sheet,
            "rows": rows,
            "total": total,
            "can_review": _may_assess(request.user, sheet.indicator_set_id),
            "can_self": may_self,
        },
    )


def _set(request, pk, action=Action.VIEW):
    return get_object_or_404(
        IndicatorSet.objects.restrict(request.user, action).select_related("org"), pk=pk
    )


@require_POST
@never_cache
@login_required
def set_open_sheets(request, pk):
    indicator_set = _set(request, pk, Action.CHANGE)
    opened = services.open_sheets(request.user, indicator_set)
    messages.success(request, _("已开设%(n)d份评分表") % {"n": opened})
    return redirect("indicatorset-detail", pk)


@require_safe
@never_cache
@login_required
def set_ranking(request, pk):
    """The ranking with each org's total, the tie-break figure and the change."""
    indicator_set = _set(request, pk)
    return render(
        request,
        "assessment/ranking.html",
        {
            "object": indicator_set,
            "ranking": scoring.ranking(indicator_set),
            "previous": scoring.previous_set(indicator_set),
        },
    )


@never_cache
@login_required
def scores_import(request, pk):
    indicator_set = _set(request, pk, Action.CHANGE)
    return import_page(
        request,
        excel.score_importer(indicator_set),
        heading=_("导入考核评分"),
        intro=_("下载的表格已列出每个被考核党组织的每项末级指标, 填写考核得分后导入。"),
        filename=f"{indicator_set}考核评分.xlsx",
        done=reverse("indicatorset-ranking", args=[pk]),
        template_download=lambda: excel.SCORE_TEMPLATE.export_workbook(
            excel.score_lines(indicator_set, with_scores=False)
        ),
        context={"lead": str(indicator_set), "back_url": reverse("indicatorset-detail", args=[pk])},
    )


@never_cache
@login_required
def rates_import(request, pk):
    indicator_set = _set(request, pk, Action.CHANGE)
    return import_page(
        request,
        excel.rate_importer(indicator_set),
        heading=_("导入民主测评结果"),
        intro=_("每行一个被考核党组织的民主测评满意率; 还没有评分表的党组织会开设评分表。"),
        filename="民主测评结果导入模板.xlsx",
        done=reverse("indicatorset-ranking", args=[pk]),
        context={"lead": str(indicator_set), "back_url": reverse("indicatorset-detail", args=[pk])},
    )


@require_safe
@never_cache
@login_required
def scores_xlsx(request, pk):
    """Every sheet's reviewer scores in the import's layout (edit and import back); one
    audit row."""
    indicator_set = _set(request, pk)
    lines = excel.score_lines(indicator_set, with_scores=True)
    content = excel.SCORE_TEMPLATE.export_workbook(lines)
    audit.batch(
        request.user,
        AuditAction.EXPORT,
        org_path=indicator_set.org.path,
        object_repr=_("导出考核评分: %(set)s") % {"set": indicator_set},
        template=excel.SCORE_TEMPLATE.name,
        rows=len(lines),
        sha256=sha256_bytes(content),
    )
    return xlsx_response(content, f"{indicator_set}考核评分.xlsx")


set_copy = record_step(
    IndicatorSet,
    action=Action.VIEW,
    form=lambda request, s: bind(CopySetForm, request, initial={"year": s.year + 1}),
    save=lambda user, s, data: services.copy_indicator_set(user, s, **data),
    message=lambda copy: _("已复制为“%(name)s”") % {"name": copy},
    heading=_lazy("复制为新年度指标体系"),
    detail="indicatorset-detail",
    allowed=lambda user, s: (
        Organization.objects.restrict(user, Action.ADD).filter(pk=s.org_id).exists()
    ),
    select_related=("org",),
    done=lambda original, copy: reverse("indicatorset-edit", args=[copy.pk]),
)


@never_cache
@login_required
def evaluations_import(request):
    """外部测评 ranks from Excel, for those who may add them."""
    if not can(request.user, Action.ADD):
        raise Http404
    return import_page(
        request,
        excel.EVALUATION_IMPORTER,
        heading=_("导入外部测评结果"),
        intro=_("每行一个党组织一项测评一个年度的名次, 按上级或外单位公布的结果填写。"),
        filename="外部测评结果导入模板.xlsx",
        done=reverse("evaluation-list"),
        context={"back_url": reverse("evaluation-list")},
    )
