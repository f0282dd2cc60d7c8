"""What the dashboard and the standard tables draw beyond the statistics object: figures
per child org of the root (each county of a city), per school, and per year. Each is a
fixed number of grouped queries whatever the size of the subtree; Python only folds the
grouped rows (never one query per org).

Schools belong to an org by the rule of the statistics object (their covering org, else
their supervising org, as of the day), members by the spell in force on the day."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, Count, DateField, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Substr, TruncYear

from dangjian.members.choices import EventKind, PersonType
from dangjian.members.models import MemberEvent, Membership
from dangjian.orgs.models import MassOrganization, Organization
from dangjian.stats.engine import (
    MASS_ORG_COVERAGE,
    Scope,
    existing_on,
    in_force,
    org_in_scope,
    ratio,
    schools_of,
)

FIRST_YEAR = 2000


class YearStart(TruncYear):
    """1 January of a date's year. PostgreSQL's own DATE_TRUNC of a date first casts it to
    a timestamp with time zone, a time-zone lookup per row; as a plain timestamp the
    grouping of a million spells takes a fifth less."""

    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"DATE_TRUNC('year', ({sql})::timestamp)::date", params


@dataclass
class ChildRow:
    """One child org of the root (or, with `org` None, the root's own schools and members)."""

    org: Organization | None
    schools: int = 0
    covered: int = 0
    teachers: int = 0
    members: int = 0
    teacher_members: int = 0
    mass_expected: dict = field(default_factory=dict)
    mass_covered: dict = field(default_factory=dict)

    @property
    def coverage(self) -> float:
        return ratio(self.covered, self.schools)

    @property
    def teacher_ratio(self) -> float:
        return ratio(self.teacher_members, self.teachers)

    @property
    def coverage_pct(self) -> float:
        return round(self.coverage * 100, 1)

    @property
    def teacher_pct(self) -> float:
        return round(self.teacher_ratio * 100, 1)

    def mass_coverage(self, key: str) -> float:
        return ratio(self.mass_covered.get(key, 0), self.mass_expected.get(key, 0))

    @property
    def empty(self) -> bool:
        return not (self.schools or self.members)


@dataclass
class SchoolRow:
    pk: int
    code: str
    name: str
    teachers: int
    party_teachers: int
    covered: bool

    @property
    def ratio(self) -> float:
        return ratio(self.party_teachers, self.teachers)


def child_orgs(scope: Scope):
    """The root's children, in tree order, each marked whether it exists on the day."""
    return (
        Organization.objects.filter(path__startswith=scope.path, depth=scope.root.depth + 1)
        .annotate(
            exists=Case(When(existing_on(scope.as_of), then=Value(True)), default=Value(False))
        )
        .order_by("path")
    )


def _member_units(scope: Scope) -> list[dict]:
    """Members in force, grouped by (org, work unit): one pass serves both the per-child
    and the per-school figures."""
    p = scope.attrs
    return list(
        Membership.objects.order_by()
        .filter(org_in_scope(scope), in_force(scope.as_of))
        .values("org_id", unit=F(f"{p}work_unit_id"))
        .annotate(
            total=Count("pk"),
            teachers=Count("pk", filter=Q(**{f"{p}person_type": PersonType.TEACHER})),
        )
    )


def breakdown(scope: Scope) -> tuple[list[ChildRow], list[SchoolRow]]:
    """Per child org (plus the root's own rows, first, when it has any) and per school."""
    cut = len(scope.path) + Organization.steplen
    rows = {child.path: ChildRow(child) for child in child_orgs(scope)}
    own = ChildRow(None)

    def row_for(path: str) -> ChildRow:
        return rows[path] if len(path) >= cut else own

    expected = {
        f"expected_{key}": Count("pk", filter=Q(stage__in=stages))
        for key, _k, stages in MASS_ORG_COVERAGE
    }
    for item in (
        schools_of(scope)
        .annotate(branch=Substr("home_path", 1, cut))
        .values("branch")
        .annotate(
            total=Count("pk"),
            covered=Sum("covered_on", output_field=IntegerField()),
            teachers=Sum("teacher_count"),
            **expected,
        )
    ):
        row = row_for(item["branch"])
        row.schools, row.covered = item["total"], item["covered"] or 0
        row.teachers = item["teachers"] or 0
        row.mass_expected = {key: item[f"expected_{key}"] for key, _k, _s in MASS_ORG_COVERAGE}
    covered = {
        f"covered_{key}": Count(
            "school", distinct=True, filter=Q(kind__in=kinds, school__stage__in=stages)
        )
        for key, kinds, stages in MASS_ORG_COVERAGE
    }
    for item in (
        schools_of(scope, MassOrganization, "school__")
        .filter(existing_on(scope.as_of))
        .annotate(branch=Substr("home_path", 1, cut))
        .values("branch")
        .annotate(**covered)
    ):
        row_for(item["branch"]).mass_covered = {
            key: item[f"covered_{key}"] for key, _k, _s in MASS_ORG_COVERAGE
        }

    units = _member_units(scope)
    paths = dict(
        Organization.objects.order_by()
        .filter(path__startswith=scope.path)
        .values_list("pk", "path")
    )
    party_teachers: dict[int, int] = {}
    for unit in units:
        row = row_for(paths[unit["org_id"]][:cut])
        row.members += unit["total"]
        row.teacher_members += unit["teachers"]
        school = unit["unit"]
        if school is not None:
            party_teachers[school] = party_teachers.get(school, 0) + unit["teachers"]

    schools = [
        SchoolRow(
            pk=school["pk"],
            code=school["code"],
            name=school["name"],
            teachers=school["teacher_count"],
            party_teachers=party_teachers.get(school["pk"], 0),
            covered=bool(school["covered_on"]),
        )
        for school in schools_of(scope)
        .order_by("code")
        .values("pk", "code", "name", "teacher_count", "covered_on")
    ]
    # A child dissolved by the day shows only while it still holds figures.
    children = [row for row in rows.values() if row.org.exists or not row.empty]
    if not own.empty:
        children.insert(0, own)
    return children, schools


def uncovered_schools(scope: Scope):
    """Schools of the subtree without a covering org on the day, with their supervisor."""
    return schools_of(scope).filter(covered_on=0).select_related("supervising_org").order_by("code")


@dataclass
class YearPoint:
    year: int
    members: int  # as of 31 December (or the day, for the day's own year)
    admitted: int  # 入党 (admitted by the 支部大会) during the year, up to the day


def yearly(scope: Scope, members_on_day: int, first_year: int = FIRST_YEAR) -> list[YearPoint]:
    """Members at each year end since `first_year` and admissions per year: one grouped
    query over spells by (start year, end year) and one over admissions by year.

    A spell is in force on 31 December of Y exactly when it started in Y or before and did
    not end by then, i.e. its end year is after Y; so the year-end counts are sums over
    the grouped rows. The day's own year shows the count on the day (`members_on_day`)."""
    day = scope.as_of
    last = day.year
    spells = (
        Membership.objects.order_by()
        .filter(org_in_scope(scope), start_on__lte=dt.date(last - 1, 12, 31))
        .exclude(end_on__lte=dt.date(first_year, 12, 31))
        # Truncated to 1 January rather than EXTRACT-ed: PostgreSQL's EXTRACT yields numerics,
        # which group three times slower than dates over a million spells.
        .annotate(
            start_year=YearStart("start_on"),
            end_year=YearStart("end_on"),
        )
        .values("start_year", "end_year")
        # Counting a column of the (start, end) index lets it be read alone.
        .annotate(n=Count("start_on"))
    )
    spells = [
        {
            "start_year": row["start_year"].year,
            "end_year": row["end_year"].year if row["end_year"] else None,
            "n": row["n"],
        }
        for row in spells
    ]
    admitted = dict(
        MemberEvent.objects.order_by()
        .filter(
            org_in_scope(scope),
            kind=EventKind.JOINED,
            on__gte=dt.date(first_year, 1, 1),
            on__lte=day,
        )
        .annotate(year=YearStart("on"))
        .values("year")
        .annotate(n=Count("on"))
        .values_list("year", "n")
    )
    admitted = {year.year: n for year, n in admitted.items()}
    points = []
    for year in range(first_year, last + 1):
        if year == last:
            members = members_on_day
        else:
            members = sum(
                row["n"]
                for row in spells
                if row["start_year"] <= year and (row["end_year"] is None or row["end_year"] > year)
            )
        points.append(YearPoint(year, members, admitted.get(year, 0)))
    return points
