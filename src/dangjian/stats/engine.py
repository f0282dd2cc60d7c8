"""The statistics object of INTERFACES section 6, as of any date, for any subtree.

Every section is one aggregate query (two for the changes of a large subtree) with
conditional counts, so the number of queries does not grow with the number of orgs: a
province and a school take the same number (docs/performance.md has the measured times
against DESIGN 5's targets). History comes from dated
records (Membership spells, MemberEvent, founded/dissolved dates), never from the current
state, so a report for 2010 stays the report for 2010 after later transfers.

A section is a function `(scope, done) -> dict` listed in SECTIONS; later modules' keys
(development, training, ...) are added there without touching the others.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from dangjian.assessment.stats import assessment_section
from dangjian.core.aggregates import CountRows
from dangjian.core.dates import born_after_for_max_age
from dangjian.core.prepared import Prepared
from dangjian.core.small_subtrees import FETCH_ROWS_UP_TO, fetches_rows
from dangjian.dues.stats import dues_section
from dangjian.excellence.stats import excellence_section
from dangjian.integrity.stats import integrity_section
from dangjian.life.stats import life_section
from dangjian.members.choices import (
    COLLEGE_OR_ABOVE,
    HAN,
    LEAVING_EVENTS,
    Backbone,
    Education,
    EventKind,
    PersonType,
    Sex,
)
from dangjian.members.models import MemberEvent, Membership, spell_in_force
from dangjian.orgs.models import (
    MassOrganization,
    MassOrgKind,
    Organization,
    OrgKind,
    School,
    SchoolStage,
)
from dangjian.orgs.stats import election_section
from dangjian.outreach.stats import outreach_section
from dangjian.recruitment.stats import development_section
from dangjian.stats import cache
from dangjian.training.stats import training_section

YOUTH_LEAGUE_KINDS = (MassOrgKind.YOUTH_LEAGUE_COMMITTEE, MassOrgKind.YOUTH_LEAGUE_BRANCH)
# Leaving kinds other than a transfer out: the member leaves the Party's ranks here.
LEFT_KINDS = tuple(kind for kind in LEAVING_EVENTS if kind != EventKind.MOVED_OUT)

# Age bands of the 党内统计 tables: (key, lowest age, highest age), both ends included;
# contiguous (member_section relies on it), only the first without a lowest age and only
# the last without a highest.
AGE_BANDS = (
    ("<=30", None, 30),
    ("31-35", 31, 35),
    ("36-40", 36, 40),
    ("41-45", 41, 45),
    ("46-50", 46, 50),
    ("51-55", 51, 55),
    ("56-60", 56, 60),
    (">=61", 61, None),
)
AGE_BAND_LABELS = {
    "<=30": _("30岁及以下"),
    "31-35": _("31-35岁"),
    "36-40": _("36-40岁"),
    "41-45": _("41-45岁"),
    "46-50": _("46-50岁"),
    "51-55": _("51-55岁"),
    "56-60": _("56-60岁"),
    ">=61": _("61岁及以上"),
}
assert all(AGE_BANDS[i][1] == AGE_BANDS[i - 1][2] + 1 for i in range(1, len(AGE_BANDS)))
MINORITY = _("少数民族")
# The members' attributes the structure tables break down (key, model field, choices).
# (Sex and 民族 have two classes each: one count, the other is the rest.)
DISTRIBUTIONS = (
    ("education", "education", Education),
    ("person_type", "person_type", PersonType),
    ("backbone", "backbone", Backbone),
)
# Mass-organisation coverage: which schools are expected to have which organisation, by
# 学段 (local practice: 团组织 where there are secondary students, 少先队 where there are
# primary or junior-secondary pupils, 工会 everywhere).
MASS_ORG_COVERAGE = (
    (
        "youth_league",
        YOUTH_LEAGUE_KINDS,
        (
            SchoolStage.JUNIOR,
            SchoolStage.SENIOR,
            SchoolStage.COMPLETE,
            SchoolStage.NINE_YEAR,
            SchoolStage.TWELVE_YEAR,
            SchoolStage.VOCATIONAL,
        ),
    ),
    (
        "young_pioneers",
        (MassOrgKind.YOUNG_PIONEERS,),
        (
            SchoolStage.PRIMARY,
            SchoolStage.JUNIOR,
            SchoolStage.NINE_YEAR,
            SchoolStage.TWELVE_YEAR,
        ),
    ),
    ("union", (MassOrgKind.UNION,), tuple(SchoolStage.values)),
)
MASS_ORG_COVERAGE_LABELS = {
    "youth_league": _("共青团组织"),
    "young_pioneers": _("少先队大队"),
    "union": _("工会"),
}


@dataclass(frozen=True)
class Scope:
    """What every section needs: the subtree (by path prefix), the day and the period.
    `whole_tree`: the subtree is every org there is, so no row needs its org checked.
    `ids`: the subtree's org ids when it is small (see `subtree_ids`).
    `live`: read the counted member attributes from the members themselves (a join) instead
    of their copy on the spells; same figures, slower; tests compare the two."""

    root: Organization
    as_of: dt.date
    period: tuple[dt.date, dt.date]
    whole_tree: bool = False
    ids: tuple[int, ...] | None = None
    live: bool = False

    @property
    def path(self) -> str:
        return self.root.path

    @property
    def attrs(self) -> str:
        """Prefix of the counted member attributes, from a Membership row."""
        return "member__" if self.live else ""


# Up to this many orgs a subtree is passed to the database as a list of ids: the planner
# then sees how few rows match and reads them through the org indexes.
SMALL_SUBTREE = 2000


def make_scope(
    root: Organization,
    as_of: dt.date,
    period: tuple[dt.date, dt.date] | None = None,
    *,
    live: bool = False,
) -> Scope:
    """The scope for `root`'s subtree: one small query to learn whether it is the whole
    tree (no org check needed) or else its ids when there are few."""
    period = period or calendar_year(as_of)
    if root.depth == 1 and not Organization.objects.filter(depth=1).exclude(pk=root.pk).exists():
        return Scope(root=root, as_of=as_of, period=period, whole_tree=True, live=live)
    found = list(
        Organization.objects.order_by()
        .filter(path__startswith=root.path)
        .values_list("pk", flat=True)[: SMALL_SUBTREE + 1]
    )
    ids = tuple(found) if len(found) <= SMALL_SUBTREE else None
    return Scope(root=root, as_of=as_of, period=period, ids=ids, live=live)


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def in_subtree(field: str, path: str) -> Q:
    return Q(**{f"{field}__startswith": path})


def subtree_ids(scope: Scope):
    """The subtree's org ids, so the counted table is reached through its indexed org
    column rather than by joining every row to its org: a list for a small subtree, a
    subquery for a large one (where reading most of the table is the right plan anyway)."""
    if scope.ids is not None:
        return list(scope.ids)
    return Organization.objects.order_by().filter(path__startswith=scope.path).values("pk")


def org_in_scope(scope: Scope, field: str = "org") -> Q:
    """Rows whose `field` (an org foreign key) lies in the subtree."""
    if scope.whole_tree:
        return Q()
    return Q(**{f"{field}__in": subtree_ids(scope)})


def existing_on(day: dt.date, prefix: str = "") -> Q:
    """An org (or mass org) founded on or before `day` (or undated) and not yet dissolved."""
    return (Q(**{f"{prefix}founded_on__isnull": True}) | Q(**{f"{prefix}founded_on__lte": day})) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": day})
    )


def calendar_year(day: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


# --- schools ---------------------------------------------------------------------------


def _school_annotations(day: dt.date, prefix: str = "") -> dict:
    """`covered_on`: the school has a covering org that exists on `day`; `home_path`: the
    path of the org the school belongs to then (its covering org, else its supervising org).
    A branch founded in 2012 does not cover its school in a 2010 report."""
    covering = Q(**{f"{prefix}covering_org__isnull": False}) & existing_on(
        day, f"{prefix}covering_org__"
    )
    return {
        "covered_on": Case(When(covering, then=Value(1)), default=Value(0)),
        "home_path": Case(
            When(covering, then=F(f"{prefix}covering_org__path")),
            default=F(f"{prefix}supervising_org__path"),
        ),
    }


def schools_of(scope: Scope, model=School, prefix: str = ""):
    """Rows of `model` whose school (reached through `prefix`) belongs to the subtree.
    The first filter is implied by the second; it lets the database start from the
    indexed org columns instead of scanning every school."""
    subtree = subtree_ids(scope)
    return (
        model.objects.order_by()
        .filter(
            Q(**{f"{prefix}covering_org__in": subtree})
            | Q(**{f"{prefix}supervising_org__in": subtree})
        )
        .annotate(**_school_annotations(scope.as_of, prefix))
        .filter(home_path__startswith=scope.path)
    )


# --- sections --------------------------------------------------------------------------


def database_org_counts(scope: Scope) -> dict:
    """{kind: (existing on `as_of`, founded within the period)}."""
    start, end = scope.period
    return {
        row["kind"]: (row["existing"], row["founded"])
        for row in Organization.objects.order_by()
        .filter(in_subtree("path", scope.path))
        .values("kind")
        .annotate(
            existing=Count("pk", filter=existing_on(scope.as_of)),
            founded=Count("pk", filter=Q(founded_on__gte=start, founded_on__lte=end)),
        )
    }


ORG_ROWS = Prepared(
    lambda ids: (
        Organization.objects.order_by()
        .filter(pk__in=ids)
        .values_list("kind", "founded_on", "dissolved_on")
    )
)


def fetched_org_counts(scope: Scope) -> dict:
    """`database_org_counts` from a small subtree's fetched orgs (core.small_subtrees)."""
    start, end = scope.period
    counts: dict = {}
    for kind, founded, dissolved in ORG_ROWS(ids=scope.ids):
        existing, new = counts.get(kind, (0, 0))
        counts[kind] = (
            existing + _exists_on(scope.as_of, founded, dissolved),
            new + (founded is not None and start <= founded <= end),
        )
    return counts


def org_section(scope: Scope, done: dict) -> dict:
    """Orgs existing on `as_of` by kind, and those founded within the period by kind."""
    rows = fetched_org_counts(scope) if fetches_rows(scope) else database_org_counts(scope)
    return {
        "orgs": {str(OrgKind(kind).label): rows.get(kind, (0, 0))[0] for kind in OrgKind.values},
        "orgs_founded": {
            str(OrgKind(kind).label): rows.get(kind, (0, 0))[1] for kind in OrgKind.values
        },
    }


def _exists_on(day: dt.date, founded: dt.date | None, dissolved: dt.date | None) -> bool:
    """`existing_on` for fetched dates."""
    return (founded is None or founded <= day) and (dissolved is None or dissolved > day)


def _home_in_subtree(scope: Scope, covering, founded, dissolved, supervising) -> tuple:
    """For a fetched school: (is it covered on `as_of`, does it belong to the subtree then),
    as `_school_annotations` and `schools_of` decide (its covering org while that exists,
    else its supervising org); the subtree is a small one passed by its ids."""
    covered = covering is not None and _exists_on(scope.as_of, founded, dissolved)
    home = covering if covered else supervising
    return covered, home in scope.ids


def _schools_fetch(model, prefix: str, *fields: str) -> Prepared:
    """The rows of `model` whose school hangs under one of `ids` (covering or supervising
    org), with what `_home_in_subtree` needs and `fields`."""
    return Prepared(
        lambda ids: (
            model.objects.order_by()
            .filter(
                Q(**{f"{prefix}covering_org__in": ids}) | Q(**{f"{prefix}supervising_org__in": ids})
            )
            .values_list(
                f"{prefix}covering_org_id",
                f"{prefix}covering_org__founded_on",
                f"{prefix}covering_org__dissolved_on",
                f"{prefix}supervising_org_id",
                *fields,
            )
        )
    )


SCHOOL_ROWS = _schools_fetch(School, "", "stage", "teacher_count")
MASS_ORG_ROWS = _schools_fetch(
    MassOrganization, "school__", "kind", "school_id", "school__stage", "founded_on", "dissolved_on"
)


def _fetched_schools(scope: Scope, rows: Prepared):
    """The rows `schools_of` gives, for a small subtree passed by its ids: (covered on
    `as_of`, *fields) of each, fetched through the indexed org columns and sorted here."""
    for covering, founded, dissolved, supervising, *values in rows(ids=scope.ids):
        covered, here = _home_in_subtree(scope, covering, founded, dissolved, supervising)
        if here:
            yield covered, *values


def database_school_counts(scope: Scope) -> dict:
    return schools_of(scope).aggregate(
        total=Count("pk"),
        covered=Sum("covered_on", output_field=IntegerField()),
        teachers=Sum("teacher_count"),
        **{
            f"expected_{key}": Count("pk", filter=Q(stage__in=stages))
            for key, _kinds, stages in MASS_ORG_COVERAGE
        },
    )


def fetched_school_counts(scope: Scope) -> dict:
    """`database_school_counts` from a small subtree's fetched schools (core.small_subtrees)."""
    row = {"total": 0, "covered": 0, "teachers": 0}
    row.update({f"expected_{key}": 0 for key, _kinds, _stages in MASS_ORG_COVERAGE})
    for covered, stage, teachers in _fetched_schools(scope, SCHOOL_ROWS):
        row["total"] += 1
        row["covered"] += covered
        row["teachers"] += teachers or 0
        for key, _kinds, stages in MASS_ORG_COVERAGE:
            row[f"expected_{key}"] += stage in stages
    return row


def school_section(scope: Scope, done: dict) -> dict:
    row = fetched_school_counts(scope) if fetches_rows(scope) else database_school_counts(scope)
    total, covered = row["total"], row["covered"] or 0
    return {
        "schools": {"total": total, "covered": covered, "coverage": ratio(covered, total)},
        "_teachers_total": row["teachers"] or 0,
        "_mass_expected": {key: row[f"expected_{key}"] for key, _k, _s in MASS_ORG_COVERAGE},
    }


def age_band_q(day: dt.date, low: int | None, high: int | None, prefix: str = "") -> Q:
    """Full years of age on `day` within [low, high] (None: open end)."""
    q = Q()
    if high is not None:
        q &= Q(**{f"{prefix}birth_date__gte": born_after_for_max_age(day, high)})
    if low is not None:
        q &= Q(**{f"{prefix}birth_date__lt": born_after_for_max_age(day, low - 1)})
    return q


def in_force(day: dt.date, prefix: str = "") -> Q:
    """A membership spell in force on `day` (members.models.spell_in_force: one definition
    for the engine and the pages that count members outside it)."""
    return spell_in_force(day, prefix)


# A subtree of at most this many orgs (a school's branch, a 学区) has its members in force
# fetched and counted here: for a few hundred rows the ORM's building of thirty conditional
# counts costs more than the database's counting (core.small_subtrees, for every section).
FETCH_MEMBERS_UP_TO = FETCH_ROWS_UP_TO


def counted_from(scope: Scope) -> dt.date:
    """1 January of the period's last year: a member who joined by then has a year the
    training key counts (training.rules.counted_years)."""
    return dt.date(scope.period[1].year, 1, 1)


def _member_counts(scope: Scope) -> dict:
    """One pass over the spells in force: totals, distributions and, per age band, the
    count "at most its highest age" (the last band: "at least its lowest")."""
    day, p = scope.as_of, scope.attrs
    # COUNT(*): no column to read and test for NULL thirty times a row (8% of the pass).
    counts = {
        "total": CountRows(),
        "full": CountRows(Q(**{f"{p}converted_on__lte": day})),
        "female": CountRows(Q(**{f"{p}sex": Sex.FEMALE})),
        "minority": CountRows(~Q(**{f"{p}ethnicity": HAN})),
        "joined_by": CountRows(Q(**{f"{p}joined_on__lte": counted_from(scope)})),
    }
    for key, field, choices in DISTRIBUTIONS:
        for i, value in enumerate(choices.values):
            counts[f"{key}_{i}"] = CountRows(Q(**{f"{p}{field}": value}))
    for i, (_key, low, high) in enumerate(AGE_BANDS):
        q = age_band_q(day, None, high, p) if high is not None else age_band_q(day, low, high, p)
        counts[f"age_{i}"] = CountRows(q)
    return (
        Membership.objects.order_by().filter(org_in_scope(scope), in_force(day)).aggregate(**counts)
    )


SPELL_FIELDS = ("converted_on", "sex", "ethnicity", "birth_date", "joined_on")
SPELL_FIELDS += tuple(field for _key, field, _choices in DISTRIBUTIONS)
# The spells in force of a small subtree with the counted attributes: their copy on the
# spell, or (live, Scope.live) the member's own.
SPELL_ROWS = {
    live: Prepared(
        lambda ids, day, p="member__" if live else "": (
            Membership.objects.order_by()
            .filter(in_force(day), org_id__in=ids)
            .values_list(*(f"{p}{field}" for field in SPELL_FIELDS))
        )
    )
    for live in (False, True)
}


def _member_counts_fetched(scope: Scope) -> dict:
    """The same counts as `_member_counts`, from the fetched rows (the same comparisons:
    a missing date or value counts nowhere, as in SQL); tests compare the two."""
    day, p = scope.as_of, scope.attrs
    rows = SPELL_ROWS[bool(p)](ids=scope.ids, day=day)
    positions = {
        key: {value: i for i, value in enumerate(choices.values)}
        for key, _field, choices in DISTRIBUTIONS
    }
    bands = [
        (f"age_{i}", born_after_for_max_age(day, high if high is not None else low - 1), high)
        for i, (_key, low, high) in enumerate(AGE_BANDS)
    ]
    joined_by = counted_from(scope)
    row = {"total": 0, "full": 0, "female": 0, "minority": 0, "joined_by": 0}
    row.update({f"{key}_{i}": 0 for key, found in positions.items() for i in found.values()})
    row.update({key: 0 for key, _cut, _high in bands})
    for converted, sex, ethnicity, birth, joined, *values in rows:
        row["total"] += 1
        row["joined_by"] += joined is not None and joined <= joined_by
        row["full"] += converted is not None and converted <= day
        row["female"] += sex == Sex.FEMALE
        row["minority"] += ethnicity is not None and ethnicity != HAN
        for (key, found), value in zip(positions.items(), values, strict=True):
            if value in found:
                row[f"{key}_{found[value]}"] += 1
        if birth is not None:
            for key, cut, high in bands:
                row[key] += (birth >= cut) if high is not None else (birth < cut)
    return row


def member_section(scope: Scope, done: dict) -> dict:
    """Counted through the spell in force on `as_of`, so a member transferred later is
    counted where they were then, and one who left on `as_of` is no longer counted.
    The structure tables' breakdowns ride on the same single pass; figures that are sums
    of breakdowns (35 and under, college or above, teachers) are added up, not recounted.
    The attributes are read from their copy on the spell (no join), unless `scope.live`."""
    if scope.ids is not None and len(scope.ids) <= FETCH_MEMBERS_UP_TO:
        row = _member_counts_fetched(scope)
    else:
        row = _member_counts(scope)
    # The bands are contiguous: each closed band is "at most its highest age" less the band
    # below, one date comparison per band instead of two.
    for i in range(len(AGE_BANDS) - 1, 0, -1):
        if AGE_BANDS[i][2] is not None:
            row[f"age_{i}"] -= row[f"age_{i - 1}"]
    total, female, minority = row["total"], row["female"], row["minority"]
    structure = {
        "sex": {str(Sex.MALE.label): total - female, str(Sex.FEMALE.label): female},
        "ethnicity": {HAN: total - minority, str(MINORITY): minority},
        "age": {key: row[f"age_{i}"] for i, (key, _l, _h) in enumerate(AGE_BANDS)},
    }
    by_value = {}
    for key, _field, choices in DISTRIBUTIONS:
        by_value[key] = {value: row[f"{key}_{i}"] for i, value in enumerate(choices.values)}
        structure[key] = {str(choices(v).label): n for v, n in by_value[key].items()}
    young = sum(
        row[f"age_{i}"] for i, (_k, _l, high) in enumerate(AGE_BANDS) if high and high <= 35
    )
    return {
        "members": {
            "total": total,
            "正式党员": row["full"],
            "预备党员": total - row["full"],
            "female": female,
            "ethnic_minority": minority,
            "age_35_and_under": young,
            "college_or_above": sum(by_value["education"][v] for v in COLLEGE_OR_ABOVE),
        },
        "structure": structure,
        "_teacher_members": by_value["person_type"][PersonType.TEACHER],
        # For the training key (training.rules.tally): the spells in force, and of them
        # those with a counted year, so it need not pass over the spells again.
        "_spells_in_force": (total, row["joined_by"]),
    }


def teacher_section(scope: Scope, done: dict) -> dict:
    total, members = done["_teachers_total"], done["_teacher_members"]
    return {"teachers": {"total": total, "party_members": members, "ratio": ratio(members, total)}}


def database_mass_org_counts(scope: Scope) -> dict:
    return (
        schools_of(scope, MassOrganization, "school__")
        .filter(existing_on(scope.as_of))
        .aggregate(
            **{kind: Count("pk", filter=Q(kind=kind)) for kind in MassOrgKind.values},
            league=Count("school", distinct=True, filter=Q(kind__in=YOUTH_LEAGUE_KINDS)),
            pioneers=Count("school", distinct=True, filter=Q(kind=MassOrgKind.YOUNG_PIONEERS)),
            **{
                f"covered_{key}": Count(
                    "school", distinct=True, filter=Q(kind__in=kinds, school__stage__in=stages)
                )
                for key, kinds, stages in MASS_ORG_COVERAGE
            },
        )
    )


def fetched_mass_org_counts(scope: Scope) -> dict:
    """`database_mass_org_counts` from a small subtree's fetched mass orgs (core.small_subtrees)."""
    row = dict.fromkeys(MassOrgKind.values, 0)
    schools = {"league": set(), "pioneers": set()}
    schools.update({f"covered_{key}": set() for key, _kinds, _stages in MASS_ORG_COVERAGE})
    for _covered, kind, school, stage, founded, dissolved in _fetched_schools(scope, MASS_ORG_ROWS):
        if not _exists_on(scope.as_of, founded, dissolved):
            continue
        if kind in row:
            row[kind] += 1
        if kind in YOUTH_LEAGUE_KINDS:
            schools["league"].add(school)
        if kind == MassOrgKind.YOUNG_PIONEERS:
            schools["pioneers"].add(school)
        for key, kinds, stages in MASS_ORG_COVERAGE:
            if kind in kinds and stage in stages:
                schools[f"covered_{key}"].add(school)
    row.update({key: len(found) for key, found in schools.items()})
    return row


def mass_org_section(scope: Scope, done: dict) -> dict:
    row = fetched_mass_org_counts(scope) if fetches_rows(scope) else database_mass_org_counts(scope)
    counts = {str(MassOrgKind(kind).label): row[kind] for kind in MassOrgKind.values}
    return {
        "mass_orgs": {
            **counts,
            "schools_with_youth_league": row["league"],
            "schools_with_young_pioneers": row["pioneers"],
        },
        "_mass_covered": {key: row[f"covered_{key}"] for key, _k, _s in MASS_ORG_COVERAGE},
    }


def mass_org_coverage_section(scope: Scope, done: dict) -> dict:
    """Schools expected to have each mass organisation (by 学段) and how many of them have
    one on `as_of` (the seed's "覆盖率达到100%")."""
    expected, covered = done["_mass_expected"], done["_mass_covered"]
    return {
        "mass_org_coverage": {
            key: {
                "schools": expected[key],
                "covered": covered[key],
                "coverage": ratio(covered[key], expected[key]),
            }
            for key, _kinds, _stages in MASS_ORG_COVERAGE
        }
    }


def database_change_counts(scope: Scope) -> dict:
    """Movements over the period, seen from the subtree: a transfer inside the system
    between this subtree and another is a move in (or out) here.

    Events are reached through their org columns: for a small subtree one query whose two
    id lists the database reads through both indexes; for a large one two queries (events
    at orgs of the subtree; transfers away from them), since an OR of two subqueries would
    make it scan every event. The date is what is counted (never null): with the kind and
    the origin it is all a whole-tree query reads, so the (date, kind, origin) index
    answers it alone."""
    start, end = scope.period
    transferred = Q(kind=EventKind.TRANSFERRED)
    events = MemberEvent.objects.order_by().filter(on__gte=start, on__lte=end)
    counts = {
        "joined": Count("on", filter=Q(kind=EventKind.JOINED)),
        "converted": Count("on", filter=Q(kind=EventKind.CONVERTED)),
        "moved_in": Count("on", filter=Q(kind=EventKind.MOVED_IN)),
        "moved_out": Count("on", filter=Q(kind=EventKind.MOVED_OUT)),
        "left": Count("on", filter=Q(kind__in=LEFT_KINDS)),
        "restored": Count("on", filter=Q(kind=EventKind.RESTORED)),
    }
    if scope.whole_tree:
        # Every org is here: a transfer can only come from outside when its origin is unknown.
        counts["transferred_in"] = Count("on", filter=transferred & Q(from_org__isnull=True))
        row = events.aggregate(**counts)
        row["transferred_out"] = 0
    else:
        subtree = subtree_ids(scope)
        here, came_from_here = Q(org__in=subtree), Q(from_org__in=subtree)
        counts["transferred_in"] = Count("on", filter=transferred & ~came_from_here)
        away = transferred & came_from_here & ~here
        if scope.ids is not None:
            counts = {key: Count("on", filter=here & c.filter) for key, c in counts.items()}
            counts["transferred_out"] = Count("on", filter=away)
            row = events.filter(here | came_from_here).aggregate(**counts)
        else:
            row = events.filter(here).aggregate(**counts)
            row["transferred_out"] = events.filter(away).count()
    return row


CHANGE_ROWS = Prepared(
    lambda ids, start, end: (
        MemberEvent.objects.order_by()
        .filter(on__gte=start, on__lte=end)
        .filter(Q(org__in=ids) | Q(from_org__in=ids))
        .values_list("kind", "org_id", "from_org_id")
    )
)


def fetched_change_counts(scope: Scope) -> dict:
    """`database_change_counts` from a small subtree's fetched events of the period (those
    at its orgs and transfers away from them: a few per org and year; core.small_subtrees)."""
    start, end = scope.period
    rows = CHANGE_ROWS(ids=scope.ids, start=start, end=end)
    keys = ("joined", "converted", "moved_in", "moved_out", "left", "restored")
    row = dict.fromkeys((*keys, "transferred_in", "transferred_out"), 0)
    simple = {  # by the plain values: a choice's hash is not its value's
        EventKind.JOINED.value: "joined",
        EventKind.CONVERTED.value: "converted",
        EventKind.MOVED_IN.value: "moved_in",
        EventKind.MOVED_OUT.value: "moved_out",
        EventKind.RESTORED.value: "restored",
    }
    for kind, org, from_org in rows:
        here, came_from_here = org in scope.ids, from_org in scope.ids
        if here:
            if kind in simple:
                row[simple[kind]] += 1
            if kind in LEFT_KINDS:
                row["left"] += 1
        if kind == EventKind.TRANSFERRED:
            if here and not came_from_here:
                row["transferred_in"] += 1
            if came_from_here and not here:
                row["transferred_out"] += 1
    return row


def change_section(scope: Scope, done: dict) -> dict:
    """Movements over the period, seen from the subtree (`database_change_counts`; a small
    subtree's counted from its fetched events, `fetched_change_counts`)."""
    row = fetched_change_counts(scope) if fetches_rows(scope) else database_change_counts(scope)
    row["moved_in"] += row.pop("transferred_in")
    row["moved_out"] += row.pop("transferred_out")
    keys = ("joined", "converted", "moved_in", "moved_out", "left", "restored")
    return {"changes": {key: row[key] for key in keys}}


# Sections run in order; `done` holds what earlier ones returned, including private
# ("_"-prefixed, dropped from the result) values, so no figure is queried twice.
SECTIONS: list[Callable] = [
    org_section,
    school_section,
    member_section,
    teacher_section,
    mass_org_section,
    mass_org_coverage_section,
    change_section,
    development_section,
    election_section,
    assessment_section,
    integrity_section,
    life_section,
    outreach_section,
    training_section,
    excellence_section,
    dues_section,
]


def statistics(
    root: Organization,
    as_of: dt.date,
    period: tuple[dt.date, dt.date] | None = None,
    *,
    live: bool = False,
    sections: list[Callable] | None = None,
) -> dict:
    """The statistics object for the subtree of `root` (root included) on `as_of`.
    `period` (default: the calendar year of `as_of`) bounds the `changes`, both ends included.
    `live`: see Scope. `sections`: only these of SECTIONS (in SECTIONS' order), for a caller
    that needs part of the object. Reused while the counted tables are unchanged
    (stats.cache)."""
    names = None if sections is None else tuple(section.__name__ for section in sections)
    return cache.remember(
        "statistics",
        (root.pk, as_of, period, live, names),
        lambda: _statistics(root, as_of, period, live, sections),
    )


def _statistics(root, as_of, period, live, sections) -> dict:
    scope = make_scope(root, as_of, period, live=live)
    result: dict = {
        "org": {"code": root.code, "name": root.name},
        "as_of": as_of.isoformat(),
        "period": {"from": scope.period[0].isoformat(), "to": scope.period[1].isoformat()},
    }
    for section in SECTIONS:
        if sections is None or section in sections:
            result.update(section(scope, result))
    return {key: value for key, value in result.items() if not key.startswith("_")}
