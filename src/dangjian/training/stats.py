"""The statistics key `training` (INTERFACES 6), counted by the database (`rules.tally`: one
query whatever the number of members) for any subtree but the smallest, whose people are
loaded and counted here (`per_person_figures`, through `rules.people`, which the hours and
rotation pages list; the tests hold the tally to it on every subtree):

- `members_meeting_hours`: members on `as_of` who reached the member target (32 学时) in
  every counted calendar year of the period, over the members with a counted year (a cadre
  counts here against the member target too);
- `cadres_meeting_hours`: the same for cadres against the cadre target (56);
- `rotation_coverage` (as_of): cadres who attended a 党务干部轮训 session in the current
  cycle, over the cadres;
- `hours_total`: the members' hours within the period."""

from decimal import Decimal

from django.db.models import Q

from dangjian.core.small_subtrees import FETCH_ROWS_UP_TO, fetches_rows
from dangjian.training import rules

# A subtree of at most this many orgs (a school's branch, a 学区) has its people loaded and
# counted here, as the engine does for its member counts (core.small_subtrees.FETCH_ROWS_UP_TO):
# for a hundred people the ORM's building of the tally's query costs more than the
# database's counting (bench/training_stats.py prints both paths at each size).
FETCH_PEOPLE_UP_TO = FETCH_ROWS_UP_TO


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def spells_of(scope) -> Q:
    """The subtree's spells the way the engine reaches them: nothing to check for the whole
    tree, the indexed org column for a small subtree, the org paths otherwise."""
    if scope.whole_tree:
        return Q()
    if scope.ids is not None:
        return Q(org_id__in=list(scope.ids))
    return Q(org__path__startswith=scope.path)


def per_person_figures(scope) -> dict:
    """The same key reckoned the per-person way: every member of the subtree loaded by
    `rules.people` (as the hours and rotation pages list them) and counted here. What the
    section did before the tally; the tests and bench/training_stats.py hold it to this."""
    start, end = scope.period
    years = range(start.year, end.year + 1)
    # The spells as the engine reaches them (`spells_of`): a small subtree's by its org ids
    # (the indexed org column, no join to the orgs' paths, in prepared queries), as the
    # tally reads them.
    if fetches_rows(scope):
        persons = rules.people_in(scope.ids, scope.as_of, scope.period)
    else:
        persons = rules.people(spells_of(scope), scope.as_of, scope.period)
    # Each person weighs their spells in force (`Person.spells`: 1 unless the data holds a
    # member twice), as the member count and the tally count them.
    member_target, cadre_target = rules.member_target(), rules.cadre_target()
    members = [(p.meets(years, member_target), p.spells) for p in persons]
    members = [(met, n) for met, n in members if met is not None]
    cadres = [p for p in persons if p.cadre]
    cadre_meets = [(p.meets(years, cadre_target), p.spells) for p in cadres]
    cadre_meets = [(met, n) for met, n in cadre_meets if met is not None]
    total = sum((p.period_hours * p.spells for p in persons), Decimal(0))
    return {
        "members_meeting_hours": ratio(
            sum(n for met, n in members if met), sum(n for _met, n in members)
        ),
        "cadres_meeting_hours": ratio(
            sum(n for met, n in cadre_meets if met), sum(n for _met, n in cadre_meets)
        ),
        "rotation_coverage": ratio(
            sum(p.spells for p in cadres if p.rotated), sum(p.spells for p in cadres)
        ),
        "hours_total": float(total.quantize(Decimal("0.1"))),
    }


def figures(found: "rules.Tally") -> dict:
    return {
        "members_meeting_hours": ratio(found.members_met, found.counted),
        "cadres_meeting_hours": ratio(found.cadres_met, found.cadres_counted),
        "rotation_coverage": ratio(found.rotated, found.cadres),
        "hours_total": float(Decimal(found.period_hours).quantize(Decimal("0.1"))),
    }


def tally_figures(scope, in_force: tuple[int, int] | None = None) -> dict:
    """The key from `rules.tally`, whatever the subtree's size (the tests and the bench).
    `in_force`: the spells in force and those with a counted year, when already counted."""
    # A subtree the engine passes by its ids (at most 2,000 orgs) has the sets its members
    # are tested against taken among its own members: a school reads its own attendance,
    # not the whole city's of the year.
    narrow = scope.ids is not None
    found = rules.tally(
        spells_of(scope),
        scope.as_of,
        scope.period,
        narrow=narrow,
        live=scope.live,
        in_force=in_force,
    )
    return figures(found)


def training_section(scope, done: dict) -> dict:
    if scope.ids is not None and len(scope.ids) <= FETCH_PEOPLE_UP_TO:
        return {"training": per_person_figures(scope)}
    # The member count's pass counted the spells in force (stats.engine.member_section),
    # unless the caller asked for this section alone.
    return {"training": tally_figures(scope, done.get("_spells_in_force"))}
