"""The `life` key of the statistics object (INTERFACES 6).

`required`: slots (a month, quarter or year of a kind of meeting, by the frequency rules in
force then) owed by the subtree's branches that end within the period and by `as_of`;
`held`: those with at least one meeting; compliance = held / required. `attendance_rate`:
present / expected summed over the meetings held in the period (a meeting's counts, kept
beside its roster); `by_kind`: meetings held in the period by kind. A few queries whatever
the size of the subtree (life.rules); a small subtree's (core.small_subtrees) meetings are fetched
once and counted here (`fetched_figures`, held to `database_figures` by
tests/life/test_small_subtrees.py). The election figures of the same key
(`elections_held`, `terms_overdue`) come from orgs' section: this one merges into the dict."""

from django.db.models import Count, Q, Sum

from dangjian.core.small_subtrees import fetches_rows
from dangjian.life import rules
from dangjian.life.models import Meeting, MeetingKind


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def database_figures(scope) -> dict:
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
    return {
        "required": result.required,
        "held": result.held,
        "compliance": ratio(result.held, result.required),
        "attendance_rate": ratio(row["present"] or 0, row["expected"] or 0),
        "by_kind": {str(MeetingKind(kind).label): row[kind] for kind in rules.COUNTED_KINDS},
    }


def fetched_figures(scope) -> dict:
    """`database_figures` for a small subtree (core.small_subtrees): its meetings from the first
    slot's start to the period's end fetched once by org id, the held slots found among
    them (rules.compliance's `fetched`) and the period's counts counted here."""
    start, end = scope.period
    last = min(end, scope.as_of)
    book = rules.RuleBook.load()
    first = min([start, *(slot.start for slot in book.slots(start, end))])
    rows = list(
        Meeting.objects.order_by()
        .filter(org_id__in=list(scope.ids), held_on__gte=first, held_on__lte=end)
        .values_list(
            "org_id", "org__kind", "org__path", "kind", "held_on", "expected_count", "present_count"
        )
    )
    fetched = [row[:5] for row in rows]
    result = rules.compliance(scope.path, start, end, scope.as_of, book=book, fetched=fetched)
    expected = present = 0
    by_kind = dict.fromkeys(rules.COUNTED_KINDS, 0)
    for *_org, kind, held_on, expected_count, present_count in rows:
        if start <= held_on <= last:
            expected += expected_count or 0
            present += present_count or 0
            if kind in by_kind:
                by_kind[kind] += 1
    return {
        "required": result.required,
        "held": result.held,
        "compliance": ratio(result.held, result.required),
        "attendance_rate": ratio(present, expected),
        "by_kind": {str(MeetingKind(kind).label): by_kind[kind] for kind in rules.COUNTED_KINDS},
    }


def life_section(scope, done: dict) -> dict:
    section = fetched_figures(scope) if fetches_rows(scope) else database_figures(scope)
    return {"life": {**done.get("life", {}), **section}}
