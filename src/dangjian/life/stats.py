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

from django.db.models import Count, FilteredRelation, Q, Sum

from dangjian.core.prepared import Prepared
from dangjian.core.small_subtrees import fetches_rows
from dangjian.life import rules
from dangjian.life.models import Meeting, MeetingKind
from dangjian.orgs.models import BRANCH_KINDS, Organization


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


# A small subtree's orgs, each with its meetings held in [first, end] (or once with none),
# as a prepared query (core.prepared): building querysets cost more than the database's
# answers.
_ORGS = Prepared(
    lambda ids, first, end: (
        Organization.objects.order_by()
        .filter(pk__in=ids)
        .annotate(
            met=FilteredRelation(
                "meetings", condition=Q(meetings__held_on__gte=first, meetings__held_on__lte=end)
            )
        )
        .values_list(
            "pk",
            "kind",
            "path",
            "founded_on",
            "dissolved_on",
            "met__kind",
            "met__held_on",
            "met__expected_count",
            "met__present_count",
        )
    )
)


def fetched_figures(scope) -> dict:
    """`database_figures` for a small subtree (core.small_subtrees): its orgs with their
    meetings from the first slot's start to the period's end fetched once by org id, the
    held slots found among them (rules.compliance's `fetched`) and the period's counts
    counted here."""
    start, end = scope.period
    last = min(end, scope.as_of)
    book = rules.RuleBook.load()
    first = min([start, *(slot.start for slot in book.slots(start, end))])
    branches, rows = {}, []
    for pk, org_kind, path, founded, dissolved, *meeting in _ORGS(
        ids=list(scope.ids), first=first, end=end
    ):
        if org_kind in BRANCH_KINDS:
            branches[pk] = (pk, path, founded, dissolved)
        if meeting[1] is not None:
            rows.append((pk, org_kind, path, *meeting))
    fetched = [row[:5] for row in rows]
    result = rules.compliance(
        scope.path, start, end, scope.as_of, book=book, fetched=fetched, branches=branches.values()
    )
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
