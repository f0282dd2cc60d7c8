"""Pages of 责任与考核 beyond the kit's: the printable documents, the ranking's Excel and
the two steps of a 整改 item (report, review), each one service."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dangjian.assessment import documents, scoring, services
from dangjian.assessment.forms import ReportForm, ReviewForm
from dangjian.assessment.models import (
    Indicator,
    IndicatorSet,
    Inspection,
    Rectification,
    RectificationStatus,
    ResponsibilityLetter,
    Score,
)
from dangjian.core import audit
from dangjian.core.excel import Sheet, write_workbook, xlsx_response
from dangjian.core.forms import record_page
from dangjian.core.models import AuditAction
from dangjian.core.roles import Action

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


def _item(request, pk, action):
    return get_object_or_404(
        Rectification.objects.restrict(request.user, action).select_related("org", "inspection"),
        pk=pk,
    )


@never_cache
@login_required
def rectification_report(request, pk):
    item = _item(request, pk, Action.CHANGE)
    if item.status == RectificationStatus.ACCEPTED:
        raise Http404
    form = ReportForm(request.POST or None, initial={"evidence": item.evidence})
    return record_page(
        request,
        form,
        lambda data: services.report_rectification(request.user, item, **data),
        _("已报送整改情况"),
        "assessment/action_form.html",
        item,
        name="object",
        detail="rectification-detail",
        heading=_("报送整改情况"),
    )


@never_cache
@login_required
def rectification_review(request, pk):
    item = _item(request, pk, Action.VIEW)
    if (
        not Inspection.objects.restrict(request.user, Action.CHANGE)
        .filter(pk=item.inspection_id)
        .exists()
    ):
        raise Http404
    form = ReviewForm(request.POST or None)
    return record_page(
        request,
        form,
        lambda data: services.review_rectification(request.user, item, **data),
        _("已记录验收结论"),
        "assessment/action_form.html",
        item,
        name="object",
        detail="rectification-detail",
        heading=_("整改验收"),
    )
