"""换届 figures of the statistics object (INTERFACES 6, key `life`: `elections_held` and
`terms_overdue`; the meetings' keys of the same dict come from the life app, and each section
merges into what the other left, so their order in SECTIONS does not matter).

`elections_held`: elections of orgs in the subtree held within the period (both ends
included). `terms_overdue`: orgs in the subtree existing on `as_of` whose term had ended by
then (the term's start plus its years, calendar years, before `as_of`) without an election.
The term in force on `as_of` starts on the org's `term_start` when that is on or before the
day, else on the latest approved election held by then (the register keeps the history)."""

import datetime as dt

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from dangjian.core.dates import add_years
from dangjian.core.prepared import Prepared
from dangjian.core.small_subtrees import fetches_rows
from dangjian.orgs.models import DEFAULT_TERM_YEARS, Election, Organization


def _existing_on(day: dt.date) -> Q:
    return (Q(founded_on__isnull=True) | Q(founded_on__lte=day)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
    )


def ended_before(field: str, years: int, day: dt.date) -> Q:
    """`add_years(field, years) < day`, as a filter on the start date: the start is before
    the day `years` earlier (on or before it when that day was clamped from 29 February,
    since 28 February plus the years then ends on the 28th, before the 29th)."""
    back = add_years(day, -years)
    lookup = "lte" if back.day != day.day else "lt"
    return Q(**{f"{field}__{lookup}": back})


def _with_terms(path: str, day: dt.date):
    """The subtree's orgs with the start and the length of the term in force on `day`."""
    last = (
        Election.objects.order_by()
        .filter(org=OuterRef("pk"), held_on__lte=day, approved_on__isnull=False)
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    defaults = [When(kind=kind, then=Value(y)) for kind, y in DEFAULT_TERM_YEARS.items() if y]
    return (
        Organization.objects.order_by()
        .filter(path__startswith=path)
        .annotate(
            start=Case(When(term_start__lte=day, then=F("term_start")), default=Subquery(last)),
            years=Coalesce(
                "term_years", Case(*defaults, default=Value(None), output_field=IntegerField())
            ),
        )
    )


# The term lengths `_overdue_q` tests (any other length is never overdue).
TERM_LENGTHS = sorted({*range(1, 6), *(y for y in DEFAULT_TERM_YEARS.values() if y)})


def _overdue_q(day: dt.date) -> Q:
    ended = Q()
    for years in TERM_LENGTHS:
        ended |= Q(years=years) & ended_before("start", years, day)
    return _existing_on(day) & ended


def overdue_orgs(path: str, day: dt.date):
    """The orgs of the subtree at `path` whose term had ended by `day` without an election."""
    return _with_terms(path, day).filter(_overdue_q(day))


def election_section(scope, done: dict) -> dict:
    """One query: the subtree's orgs, their elections of the period and their terms; for a
    small subtree (core.small_subtrees) two plain ones, counted here."""
    row = fetched_counts(scope) if fetches_rows(scope) else database_counts(scope)
    life = {**done.get("life", {}), "elections_held": row["held"], "terms_overdue": row["overdue"]}
    return {"life": life}


def database_counts(scope) -> dict:
    start, end = scope.period
    row = _with_terms(scope.path, scope.as_of).aggregate(
        held=Count(
            "elections",
            filter=Q(elections__held_on__gte=start, elections__held_on__lte=end),
            distinct=True,
        ),
        overdue=Count("pk", filter=_overdue_q(scope.as_of), distinct=True),
    )
    return {"held": row["held"], "overdue": row["overdue"]}


ELECTION_ROWS = Prepared(
    lambda ids: (
        Election.objects.order_by()
        .filter(org_id__in=ids)
        .values_list("org_id", "held_on", "approved_on")
    )
)
TERM_ROWS = Prepared(
    lambda ids: (
        Organization.objects.order_by()
        .filter(pk__in=ids)
        .values_list("pk", "kind", "term_start", "term_years", "founded_on", "dissolved_on")
    )
)


def fetched_counts(scope) -> dict:
    """`database_counts` from the subtree's orgs and elections fetched by its ids (a small
    subtree, core.small_subtrees); the tests hold the two to each other."""
    start, end = scope.period
    day = scope.as_of
    held = 0
    last: dict[int, dt.date] = {}
    for org_id, held_on, approved_on in ELECTION_ROWS(ids=scope.ids):
        held += start <= held_on <= end
        # The latest approved election held by the day (`_with_terms`' subquery).
        if held_on <= day and approved_on is not None:
            last[org_id] = max(held_on, last.get(org_id, held_on))
    overdue = 0
    for pk, kind, term_start, term_years, founded, dissolved in TERM_ROWS(ids=scope.ids):
        if not ((founded is None or founded <= day) and (dissolved is None or dissolved > day)):
            continue
        term = term_start if term_start is not None and term_start <= day else last.get(pk)
        years = term_years if term_years is not None else DEFAULT_TERM_YEARS.get(kind)
        if term is None or years not in TERM_LENGTHS:
            continue
        back = add_years(day, -years)
        overdue += term <= back if back.day != day.day else term < back
    return {"held": held, "overdue": overdue}
