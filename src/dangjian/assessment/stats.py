"""The `assessment` key of the statistics object (INTERFACES 6). A few aggregate queries
over the subtree, none per org.

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
from dangjian.core.small_subtrees import subtree_pks
from dangjian.orgs.models import Organization


def assessment_section(scope, done: dict) -> dict:
    start, end = scope.period
    today = min(end, scope.as_of) if scope.as_of >= start else end
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
        "assessment": {
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
