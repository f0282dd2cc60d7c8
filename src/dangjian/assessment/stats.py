"""The `assessment` key of the statistics object (INTERFACES 6). A few aggregate queries
over the subtree, none per org; a small subtree's rows (core.small_subtrees) are fetched and
counted here, and tests/assessment/test_small_subtrees.py holds the two paths equal.

- letters_signed: 党建责任书 of orgs in the subtree signed within the period.
- inspections: 专项督查 started in the period, organised by an org in the subtree or
  inspecting one.
- rectifications: 整改 items of orgs in the subtree found in the period; `closed`: of them,
  accepted by the period's end; `overdue`: of them, not accepted by the end of the period
  (or today, if earlier) with the deadline before that day.
- rank / previous_rank: the subtree root's rank in its latest external evaluation (测评)
  published in the period, and in the evaluation of the same name before that one; null when
  none.
- honours: 表彰 approved in the period, in the subtree.
"""

from django.db.models import Count, Q

from dangjian.assessment.models import (
    Evaluation,
    Honour,
    HonourStatus,
    Inspection,
    Rectification,
    ResponsibilityLetter,
)
from dangjian.core.prepared import Prepared
from dangjian.core.small_subtrees import fetches_rows, subtree_pks
from dangjian.orgs.models import Organization


def assessment_section(scope, done: dict) -> dict:
    figures = fetched_figures(scope) if fetches_rows(scope) else database_figures(scope)
    return {"assessment": figures}


def _overdue_day(scope):
    """The day a 整改 item's lateness is judged on: the period's end, or today if earlier."""
    start, end = scope.period
    return min(end, scope.as_of) if scope.as_of >= start else end


def database_figures(scope) -> dict:
    start, end = scope.period
    today = _overdue_day(scope)
    subtree = subtree_pks(scope, Organization)
    letters = (
        ResponsibilityLetter.objects.order_by()
        .filter(org__in=subtree, signed_on__gte=start, signed_on__lte=end)
        .count()
    )
    inspections = (
        Inspection.objects.order_by()
        .filter(start_on__gte=start, start_on__lte=end)
        .filter(Q(org__in=subtree) | Q(targets__in=subtree))
        .values("pk")
        .distinct()
        .count()
    )
    closed = Q(accepted_on__isnull=False, accepted_on__lte=end)
    row = (
        Rectification.objects.order_by()
        .filter(org__in=subtree, found_on__gte=start, found_on__lte=end)
        .aggregate(
            total=Count("pk"),
            closed=Count("pk", filter=closed),
            overdue=Count(
                "pk",
                filter=Q(deadline__lt=today)
                & (Q(accepted_on__isnull=True) | Q(accepted_on__gt=today)),
            ),
        )
    )
    rank, previous_rank = _ranks(scope.root, start, end)
    honours = (
        Honour.objects.order_by()
        .filter(
            org__in=subtree,
            status=HonourStatus.APPROVED,
            decided_on__gte=start,
            decided_on__lte=end,
        )
        .count()
    )
    return {
        "letters_signed": letters,
        "inspections": inspections,
        "rectifications": {
            "total": row["total"],
            "closed": row["closed"],
            "overdue": row["overdue"],
        },
        "rank": rank,
        "previous_rank": previous_rank,
        "honours": honours,
    }


def _ranks(org, start, end) -> tuple[int | None, int | None]:
    latest = (
        Evaluation.objects.filter(org=org, held_on__gte=start, held_on__lte=end)
        .order_by("-held_on", "-pk")
        .first()
    )
    if latest is None:
        return None, None
    before = (
        Evaluation.objects.filter(org=org, name=latest.name, held_on__lt=latest.held_on)
        .order_by("-held_on", "-pk")
        .values_list("rank", flat=True)
        .first()
    )
    return latest.rank, before


_LETTERS = Prepared(
    lambda ids, start, end: (
        ResponsibilityLetter.objects.order_by()
        .filter(org_id__in=ids, signed_on__gte=start, signed_on__lte=end)
        .values_list("pk", flat=True)
    )
)
# An inspection once for each of its targets in the subtree (once when only its org is).
_INSPECTIONS = Prepared(
    lambda ids, start, end: (
        Inspection.objects.order_by()
        .filter(start_on__gte=start, start_on__lte=end)
        .filter(Q(org_id__in=ids) | Q(targets__in=ids))
        .values_list("pk", flat=True)
    )
)
_RECTIFICATIONS = Prepared(
    lambda ids, start, end: (
        Rectification.objects.order_by()
        .filter(org_id__in=ids, found_on__gte=start, found_on__lte=end)
        .values_list("deadline", "accepted_on")
    )
)
# The root's evaluations up to the period's end: the latest in the period and, of the same
# name, the one before it (which may be older than the period).
_EVALUATIONS = Prepared(
    lambda org, end: (
        Evaluation.objects.order_by()
        .filter(org_id=org, held_on__lte=end)
        .values_list("held_on", "pk", "name", "rank")
    )
)
_HONOURS = Prepared(
    lambda ids, start, end: (
        Honour.objects.order_by()
        .filter(
            org_id__in=ids, status=HonourStatus.APPROVED, decided_on__gte=start, decided_on__lte=end
        )
        .values_list("pk", flat=True)
    )
)


def fetched_figures(scope) -> dict:
    """`database_figures` from a small subtree's rows (core.small_subtrees) fetched through
    the org columns by its ids, with statements compiled once (core.prepared); the tests hold
    the two to each other."""
    ids, (start, end) = scope.ids, scope.period
    today = _overdue_day(scope)
    rectifications = _RECTIFICATIONS(ids=ids, start=start, end=end)
    evaluations = _EVALUATIONS(org=scope.root.pk, end=end)
    # (held_on, pk) orders as the database's `-held_on, -pk` does, backwards.
    held = [row for row in evaluations if row[0] >= start]
    rank = previous_rank = None
    if held:
        latest_on, _pk, name, rank = max(held)
        before = [row for row in evaluations if row[2] == name and row[0] < latest_on]
        previous_rank = max(before)[3] if before else None
    return {
        "letters_signed": len(_LETTERS(ids=ids, start=start, end=end)),
        "inspections": len(set(_INSPECTIONS(ids=ids, start=start, end=end))),
        "rectifications": {
            "total": len(rectifications),
            "closed": sum(on is not None and on <= end for _deadline, on in rectifications),
            "overdue": sum(
                deadline < today and (on is None or on > today) for deadline, on in rectifications
            ),
        },
        "rank": rank,
        "previous_rank": previous_rank,
        "honours": len(_HONOURS(ids=ids, start=start, end=end)),
    }
