"""The statistics object of INTERFACES section 6, as of any date, for any subtree.

Every section is one aggregate query over one table with conditional counts, so the cost
does not grow with the number of orgs: a province and a school take the same number of
queries (DESIGN 5: 0.5 s at the root of a 1M-member province). History comes from dated
records (Membership spells, MemberEvent, founded/dissolved dates), never from the current
state, so a report for 2010 stays the report for 2010 after later transfers.

A section is a function `(scope, done) -> dict` listed in SECTIONS; later modules' keys
(development, training, ...) are added there without touching the others.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from dangjian.core.dates import born_after_for_max_age
from dangjian.members.choices import (
    COLLEGE_OR_ABOVE,
    HAN,
    LEAVING_EVENTS,
    EventKind,
    PersonType,
    Sex,
)
from dangjian.members.models import MemberEvent, Membership
from dangjian.orgs.models import MassOrganization, MassOrgKind, Organization, OrgKind, School

YOUTH_LEAGUE_KINDS = (MassOrgKind.YOUTH_LEAGUE_COMMITTEE, MassOrgKind.YOUTH_LEAGUE_BRANCH)
# Leaving kinds other than a transfer out: the member leaves the Party's ranks here.
LEFT_KINDS = tuple(kind for kind in LEAVING_EVENTS if kind != EventKind.MOVED_OUT)


@dataclass(frozen=True)
class Scope:
    """What every section needs: the subtree (by path prefix), the day and the period."""

    root: Organization
    as_of: dt.date
    period: tuple[dt.date, dt.date]

    @property
    def path(self) -> str:
        return self.root.path


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def in_subtree(field: str, path: str) -> Q:
    return Q(**{f"{field}__startswith": path})


def subtree_ids(scope: "Scope"):
    """The subtree as a subquery of ids: the counted table is then reached through its
    indexed org column rather than by joining every row to its org."""
    return Organization.objects.order_by().filter(path__startswith=scope.path).values("pk")


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


def org_section(scope: Scope, done: dict) -> dict:
    row = (
        Organization.objects.order_by()
        .filter(in_subtree("path", scope.path), existing_on(scope.as_of))
        .aggregate(**{kind: Count("pk", filter=Q(kind=kind)) for kind in OrgKind.values})
    )
    return {"orgs": {str(OrgKind(kind).label): row[kind] for kind in OrgKind.values}}


def school_section(scope: Scope, done: dict) -> dict:
    row = schools_of(scope).aggregate(
        total=Count("pk"),
        covered=Sum("covered_on", output_field=IntegerField()),
        teachers=Sum("teacher_count"),
    )
    total, covered = row["total"], row["covered"] or 0
    return {
        "schools": {"total": total, "covered": covered, "coverage": ratio(covered, total)},
        "_teachers_total": row["teachers"] or 0,
    }


def member_section(scope: Scope, done: dict) -> dict:
    """Counted through the spell in force on `as_of`, so a member transferred later is
    counted where they were then, and one who left on `as_of` is no longer counted."""
    day = scope.as_of
    full = Q(member__converted_on__lte=day)
    row = (
        Membership.objects.order_by()
        .filter(
            Q(org__in=subtree_ids(scope)),
            Q(start_on__lte=day),
            Q(end_on__isnull=True) | Q(end_on__gt=day),
        )
        .aggregate(
            total=Count("pk"),
            full=Count("pk", filter=full),
            female=Count("pk", filter=Q(member__sex=Sex.FEMALE)),
            minority=Count("pk", filter=~Q(member__ethnicity=HAN)),
            young=Count("pk", filter=Q(member__birth_date__gte=born_after_for_max_age(day, 35))),
            college=Count("pk", filter=Q(member__education__in=COLLEGE_OR_ABOVE)),
            teachers=Count("pk", filter=Q(member__person_type=PersonType.TEACHER)),
        )
    )
    return {
        "members": {
            "total": row["total"],
            "正式党员": row["full"],
            "预备党员": row["total"] - row["full"],
            "female": row["female"],
            "ethnic_minority": row["minority"],
            "age_35_and_under": row["young"],
            "college_or_above": row["college"],
        },
        "_teacher_members": row["teachers"],
    }


def teacher_section(scope: Scope, done: dict) -> dict:
    total, members = done["_teachers_total"], done["_teacher_members"]
    return {"teachers": {"total": total, "party_members": members, "ratio": ratio(members, total)}}


def mass_org_section(scope: Scope, done: dict) -> dict:
    row = (
        schools_of(scope, MassOrganization, "school__")
        .filter(existing_on(scope.as_of))
        .aggregate(
            **{kind: Count("pk", filter=Q(kind=kind)) for kind in MassOrgKind.values},
            league=Count("school", distinct=True, filter=Q(kind__in=YOUTH_LEAGUE_KINDS)),
            pioneers=Count("school", distinct=True, filter=Q(kind=MassOrgKind.YOUNG_PIONEERS)),
        )
    )
    counts = {str(MassOrgKind(kind).label): row[kind] for kind in MassOrgKind.values}
    return {
        "mass_orgs": {
            **counts,
            "schools_with_youth_league": row["league"],
            "schools_with_young_pioneers": row["pioneers"],
        }
    }


def change_section(scope: Scope, done: dict) -> dict:
    """Movements over the period, seen from the subtree: a transfer inside the system
    between this subtree and another is a move in (or out) here."""
    start, end = scope.period
    subtree = subtree_ids(scope)
    here = Q(org__in=subtree)
    came_from_here = Q(from_org__in=subtree)
    transferred = Q(kind=EventKind.TRANSFERRED)
    row = (
        MemberEvent.objects.order_by()
        .filter(on__gte=start, on__lte=end)
        .filter(here | came_from_here)
        .aggregate(
            joined=Count("pk", filter=here & Q(kind=EventKind.JOINED)),
            converted=Count("pk", filter=here & Q(kind=EventKind.CONVERTED)),
            moved_in=Count(
                "pk",
                filter=(here & Q(kind=EventKind.MOVED_IN)) | (transferred & here & ~came_from_here),
            ),
            moved_out=Count(
                "pk",
                filter=(here & Q(kind=EventKind.MOVED_OUT))
                | (transferred & came_from_here & ~here),
            ),
            left=Count("pk", filter=here & Q(kind__in=LEFT_KINDS)),
            restored=Count("pk", filter=here & Q(kind=EventKind.RESTORED)),
        )
    )
    return {"changes": row}


# Sections run in order; `done` holds what earlier ones returned, including private
# ("_"-prefixed, dropped from the result) values, so no figure is queried twice.
SECTIONS: list[Callable] = [
    org_section,
    school_section,
    member_section,
    teacher_section,
    mass_org_section,
    change_section,
]


def statistics(
    root: Organization,
    as_of: dt.date,
    period: tuple[dt.date, dt.date] | None = None,
) -> dict:
    """The statistics object for the subtree of `root` (root included) on `as_of`.
    `period` (default: the calendar year of `as_of`) bounds the `changes`, both ends included."""
    period = period or calendar_year(as_of)
    scope = Scope(root=root, as_of=as_of, period=period)
    result: dict = {
        "org": {"code": root.code, "name": root.name},
        "as_of": as_of.isoformat(),
        "period": {"from": period[0].isoformat(), "to": period[1].isoformat()},
    }
    for section in SECTIONS:
        result.update(section(scope, result))
    return {key: value for key, value in result.items() if not key.startswith("_")}
