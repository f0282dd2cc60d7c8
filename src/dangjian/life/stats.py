"""The `life` key of the statistics object (INTERFACES 6).

`required`: slots (a month, quarter or year of a kind of meeting, by the frequency rules in
force then) owed by the subtree's branches that end within the period and by `as_of`;
`held`: those with at least one meeting; compliance = held / required. `attendance_rate`:
present / expected summed over the meetings held in the period (a meeting's counts, kept
beside its roster); `by_kind`: meetings held in the period by kind. A few queries whatever
the size of the subtree (life.rules). The election figures of the same key
(`elections_held`, `terms_overdue`) come from orgs' section: this one merges into the dict."""

from django.db.models import Count, Q, Sum

from dangjian.life import rules
from dangjian.life.models import Meeting, MeetingKind


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def life_section(scope, done: dict) -> dict:
    start, end = scope.period
    last = min(end, scope.as_of)
    result = rules.compliance(scope.path, start, end, scope.as_of)
    meetings = Meeting.objects.order_by().filter(
        org__path__startswith=scope.path, held_on__gte=start, held_on__lte=last
    )
    row = meetings.aggregate(
        expected=Sum("expected_count"),
        present=Sum("present_count"),
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in rules.COUNTED_KINDS},
    )
    section = {
        "required": result.required,
        "held": result.held,
        "compliance": ratio(result.held, result.required),
        "attendance_rate": ratio(row["present"] or 0, row["expected"] or 0),
        "by_kind": {str(MeetingKind(kind).label): row[kind] for kind in rules.COUNTED_KINDS},
    }
    return {"life": {**done.get("life", {}), **section}}
