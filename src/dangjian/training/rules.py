"""The hour targets and the rotation cycle (DESIGN 6; numbers are settings), and the one
computation every page, the statistics key `training`, the 待办 list and `/me/` share:
members of a subtree on a day, who of them is a cadre, their hours per calendar year.

- A member's year counts from the first 1 January they were already a member on (one who
  joined during a year could not be held to that year's full hours).
- A cadre is a member who holds a seat of a 班子 on the day (书记, 副书记 and 委员 alike:
  DESIGN 6's "secretaries and committee members"), found by the seat's link to the member
  record (`orgs.Position.member`) and never by name: a seat typed by name only makes no
  one a cadre. The seats are dated, so the day asked decides who was a cadre then.
- The rotation cycle runs `DANGJIAN_TRAINING_CYCLE_YEARS` calendar years from
  `DANGJIAN_TRAINING_CYCLE_START`; a cadre is covered by a 党务干部轮训 session attended on
  or after the current cycle's start and on or before the day, wherever they held their
  seat then (a cadre who changed post mid-cycle stays covered)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connections
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Round

from dangjian.core.aggregates import CountRows
from dangjian.core.dates import add_years
from dangjian.core.prepared import Prepared
from dangjian.core.scope import path_q
from dangjian.members.models import Membership, spell_in_force
from dangjian.orgs.models import Position
from dangjian.training.models import Attendance, CourseKind


def member_target() -> int:
    return settings.DANGJIAN_TRAINING_MEMBER_HOURS


def cadre_target() -> int:
    return settings.DANGJIAN_TRAINING_CADRE_HOURS


def cycle_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The rotation cycle holding `day`: (first day, last day), both included."""
    start = settings.DANGJIAN_TRAINING_CYCLE_START
    years = settings.DANGJIAN_TRAINING_CYCLE_YEARS
    if day < start:
        while day < start:
            start = add_years(start, -years)
    else:
        while add_years(start, years) <= day:
            start = add_years(start, years)
    return start, add_years(start, years) - dt.timedelta(days=1)


def counted_years(joined_on: dt.date, years: range) -> list[int]:
    return [year for year in years if joined_on <= dt.date(year, 1, 1)]


@dataclass
class Person:
    member_id: int
    org_id: int
    name: str
    joined_on: dt.date
    cadre: bool = False
    hours: dict = field(default_factory=dict)  # year -> Decimal
    period_hours: Decimal = Decimal(0)
    rotated: bool = False
    # Spells in force in the subtree on the day: 1, unless the data holds a member twice
    # (never written by the services); the statistics count such a person once per spell,
    # as the member count (stats.engine.member_section) and `tally` do.
    spells: int = 1

    @property
    def target(self) -> int:
        return cadre_target() if self.cadre else member_target()

    def meets(self, years: range, target: int | None = None) -> bool | None:
        """Whether every counted year reached the target; None when no year counts."""
        target = self.target if target is None else target
        counted = counted_years(self.joined_on, years)
        if not counted:
            return None
        return all(self.hours.get(year, 0) >= target for year in counted)


def seated(day: dt.date):
    """Seats in force on `day` that name a member record (the cadres of that day)."""
    return Position.objects.order_by().current(day).filter(member__isnull=False)


def _hours(member_ids, first: dt.date, last: dt.date, start: dt.date, end: dt.date):
    """(member, year, hours, hours within [start, end]) of the sessions in [first, last]."""
    return (
        Attendance.objects.order_by()
        .filter(training__on__gte=first, training__on__lte=last, member_id__in=member_ids)
        .annotate(year=ExtractYear("training__on"))
        .values("member_id", "year")
        .annotate(
            total=Sum("hours"),
            in_period=Sum("hours", filter=Q(training__on__gte=start, training__on__lte=end)),
        )
        .values_list("member_id", "year", "total", "in_period")
    )


def _rotated(cycle_start: dt.date, day: dt.date):
    return Attendance.objects.order_by().filter(
        training__course__kind=CourseKind.ROTATION,
        training__on__gte=cycle_start,
        training__on__lte=day,
    )


def _years_of(period) -> tuple[dt.date, dt.date]:
    return dt.date(period[0].year, 1, 1), dt.date(period[1].year, 12, 31)


def _persons(rows) -> dict[int, Person]:
    found: dict[int, Person] = {}
    for row in rows:
        if row[0] in found:
            found[row[0]].spells += 1
        else:
            found[row[0]] = Person(*row)
    return found


def _add_hours(found: dict[int, Person], rows) -> list[Person]:
    for member_id, year, total, in_period in rows:
        person = found.get(member_id)
        if person is not None:
            person.hours[year] = total or Decimal(0)
            person.period_hours += in_period or Decimal(0)
    return list(found.values())


def people(spells_q: Q, as_of: dt.date, period: tuple[dt.date, dt.date]) -> list[Person]:
    """Members whose spell in force on `as_of` matches `spells_q`, with their cadre flag
    (a seat held on `as_of`), hours per calendar year of the period, hours within the period
    and rotation, each person once (with the number of their spells matched, `spells`).
    Four queries whatever the number of people."""
    rows = (
        Membership.objects.order_by()
        .filter(spell_in_force(as_of) & spells_q)
        .values_list("member_id", "org_id", "member__name", "member__joined_on")
    )
    found = _persons(rows)
    if not found:
        return []
    member_ids = Membership.objects.order_by().filter(spell_in_force(as_of) & spells_q)
    member_ids = member_ids.values("member_id")
    cadres = set(seated(as_of).filter(member_id__in=member_ids).values_list("member_id", flat=True))
    for person in found.values():
        person.cadre = person.member_id in cadres
    cycle_start, _cycle_end = cycle_of(as_of)
    rotated = _rotated(cycle_start, as_of).filter(member_id__in=member_ids)
    for member_id in rotated.values_list("member_id", flat=True).distinct():
        if member_id in found:
            found[member_id].rotated = True
    return _add_hours(found, _hours(member_ids, *_years_of(period), *period))


def _in_force(ids, day):
    return Membership.objects.order_by().filter(spell_in_force(day), org_id__in=ids)


# A small subtree's people (`people_in`): the spells with their flags, then their hours.
_PEOPLE = Prepared(
    lambda ids, day, cycle_start: (
        _in_force(ids, day)
        .annotate(
            cadre=Exists(seated(day).filter(member_id=OuterRef("member_id"))),
            rotated=Exists(_rotated(cycle_start, day).filter(member_id=OuterRef("member_id"))),
        )
        .values_list("member_id", "org_id", "member__name", "member__joined_on", "cadre", "rotated")
    )
)
_HOURS = Prepared(
    lambda ids, day, first, last, start, end: _hours(
        _in_force(ids, day).values("member_id"), first, last, start, end
    )
)


def people_in(ids, as_of: dt.date, period: tuple[dt.date, dt.date]) -> list[Person]:
    """`people(Q(org_id__in=ids), as_of, period)` for the statistics of a small subtree,
    where building four querysets cost more than the database's answers: the cadre and
    rotation flags come with the spells (per spell, the same for each of a member's), two
    prepared queries (core.prepared)."""
    ids = list(ids)
    rows = _PEOPLE(ids=ids, day=as_of, cycle_start=cycle_of(as_of)[0])
    found = _persons(row[:4] for row in rows)
    if not found:
        return []
    for member_id, _org, _name, _joined, cadre, rotated in rows:
        found[member_id].cadre, found[member_id].rotated = bool(cadre), bool(rotated)
    first, last = _years_of(period)
    hours = _HOURS(ids=ids, day=as_of, first=first, last=last, start=period[0], end=period[1])
    return _add_hours(found, hours)


@dataclass(frozen=True)
class Tally:
    """What the statistics key `training` is made of, counted by the database (see `tally`),
    one per spell in force as the member count (`members.total`) counts: `members` in all,
    `counted` of them have a counted year in the period, `members_met` of them reached the
    member target in every counted year; `cadres` (seat holders on the day), of whom
    `cadres_counted` have a counted year and `cadres_met` reached the cadre target in every
    one, `rotated` attended a 党务干部轮训 session this cycle; `period_hours` the members'
    hours within the period."""

    members: int
    counted: int
    members_met: int
    cadres: int
    cadres_counted: int
    cadres_met: int
    rotated: int
    period_hours: Decimal


def _flag(q: Q):
    return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())


def tally(
    spells_q: Q,
    as_of: dt.date,
    period: tuple[dt.date, dt.date],
    *,
    narrow: bool,
    live: bool = False,
    in_force: tuple[int, int] | None = None,
):
    """The figures `people(spells_q, as_of, period)` followed by `Person.meets` give (the
    statistics key `training`, a person weighted by `Person.spells`), counted by the
    database without loading anyone, one per spell in force as the member count counts (a
    member with two spells in force, data the services never write, counts twice).

    Two queries, each driven by its smaller side:
    - the spells in force in the subtree, and of them those with a counted year (入党日期,
      read from its copy on the spell, members.models.MIRRORED_ATTNAMES, or from the
      member itself when `live`, as stats.engine.Scope.live, on or before 1 January of the
      period's last year). The member count's pass over the spells counts them already
      (stats.engine.member_section), so the engine passes them in as `in_force`;
    - the spells of the members who can change a figure: the seated (the cadres) and those
      who attended a session in the period's years, left-joined to their attendance summed
      per calendar year and over the period, with their cadre and rotation flags. A spell
      outside that set has no hours, so it meets the member target only when the target is
      0, and it is no cadre. The cost follows the seats and the attendance, not the
      members times the flags (six hash probes per spell in the one query before).
    The parts are built by the ORM and joined here (the ORM has no join to a grouped
    subquery). `narrow`: the subtree is small, so its attendance and seats are reached
    through its members (a school reads its own rows, not the whole city's of the year);
    else every attendant of the years is summed. Sums are rounded to the field's one
    decimal, as `people` reads them (SQLite adds decimals as floats: 3.2 ten times must
    reach 32). tests/training/test_tally.py holds it to the per-person path."""
    start, end = period
    years = range(start.year, end.year + 1)
    counted_from = dt.date(end.year, 1, 1)
    joined = "member__joined_on" if live else "joined_on"
    spells = Membership.objects.order_by().filter(spell_in_force(as_of) & spells_q)
    if in_force is None:
        found = spells.aggregate(
            members=CountRows(), counted=CountRows(Q(**{f"{joined}__lte": counted_from}))
        )
        in_force = (found["members"], found["counted"])
    in_scope = spells.values("member_id")
    cycle_start, _cycle_end = cycle_of(as_of)
    rotated = Attendance.objects.order_by().filter(
        member__isnull=False,
        training__course__kind=CourseKind.ROTATION,
        training__on__gte=cycle_start,
        training__on__lte=as_of,
    )
    seats = seated(as_of)
    if narrow:
        seats, rotated = (
            seats.filter(member_id__in=in_scope),
            rotated.filter(member_id__in=in_scope),
        )
    members = spells.annotate(
        person=F("member_id"),
        joined=F(joined),
        cadre=_flag(Q(member_id__in=seats.values("member_id"))),
        rotated=_flag(Q(member_id__in=rotated.values("member_id"))),
    ).values("person", "joined", "cadre", "rotated")
    decimal = DecimalField(max_digits=9, decimal_places=1)

    def within(first: dt.date, last: dt.date):
        hours = Sum("hours", filter=Q(training__on__gte=first, training__on__lte=last))
        return Round(hours, 1, output_field=decimal)

    attended = Attendance.objects.order_by().filter(
        member__isnull=False,
        training__on__gte=dt.date(start.year, 1, 1),
        training__on__lte=dt.date(end.year, 12, 31),
    )
    if narrow:
        attended = attended.filter(member_id__in=in_scope)
    # Named columns: SQLite names a subquery's bare columns as it likes.
    attended = (
        attended.annotate(person=F("member_id"))
        .values("person")
        .annotate(
            in_period=within(start, end),
            **{f"y{year}": within(dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in years},
        )
    )
    seated_ids = seats.annotate(person=F("member_id")).values("person")
    # The database the ORM would read them from (a replica when core.routers routes the
    # statistics there), compiled for it.
    alias = members.db
    connection = connections[alias]
    day = connection.ops.adapt_datefield_value
    counted_sql, counted_params = "p.joined <= %s", [day(counted_from)]

    def meets(target: int) -> tuple[str, list]:
        sql, params = [counted_sql], list(counted_params)
        for year in years:
            sql.append(f"(p.joined > %s OR COALESCE(h.y{year}, 0) >= %s)")
            params += [day(dt.date(year, 1, 1)), target]
        return " AND ".join(sql), params

    member_met, member_params = meets(member_target())
    cadre_met, cadre_params = meets(cadre_target())
    members_sql, members_params = members.query.get_compiler(using=alias).as_sql()
    attended_sql, attended_params = attended.query.get_compiler(using=alias).as_sql()
    seated_sql, seated_params = seated_ids.query.get_compiler(using=alias).as_sql()
    sql = (
        f"WITH h AS ({attended_sql}) SELECT"
        f" SUM(CASE WHEN {counted_sql} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {member_met} THEN 1 ELSE 0 END),"
        " SUM(p.cadre),"
        f" SUM(CASE WHEN p.cadre = 1 AND {counted_sql} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN p.cadre = 1 AND {cadre_met} THEN 1 ELSE 0 END),"
        " SUM(p.cadre * p.rotated),"
        " SUM(h.in_period)"
        f" FROM ({members_sql}) p"
        f" JOIN (SELECT s.person FROM ({seated_sql}) s UNION SELECT person FROM h) k"
        " ON k.person = p.person"
        " LEFT JOIN h ON h.person = p.person"
    )
    params = [
        *attended_params,
        *counted_params,
        *member_params,
        *counted_params,
        *cadre_params,
        *members_params,
        *seated_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counted_here, met_here, *cadres, hours = (value or 0 for value in cursor.fetchone())
    members_in_force, counted = in_force
    # The counted spells outside the joined set have no hours: they meet only a target of 0.
    members_met = met_here + (counted - counted_here if member_target() <= 0 else 0)
    return Tally(members_in_force, counted, members_met, *cadres, period_hours=Decimal(hours))


def subtree_people(path: str, as_of: dt.date, period) -> list[Person]:
    return people(Q(org__path__startswith=path), as_of, period)


def year_hours(member, year: int) -> Decimal:
    """A member's hours in a calendar year (the `/me/` card)."""
    total = Attendance.objects.filter(
        member=member,
        training__on__gte=dt.date(year, 1, 1),
        training__on__lte=dt.date(year, 12, 31),
    ).aggregate(total=Sum("hours"))["total"]
    return total or Decimal(0)


def is_cadre(member, day: dt.date) -> bool:
    return seated(day).filter(member=member).exists()


def by_org(persons: list[Person]) -> dict[int, list[Person]]:
    grouped = defaultdict(list)
    for person in persons:
        grouped[person.org_id].append(person)
    return grouped


def short_by_org(paths: list[str], day: dt.date):
    """Per org of the subtrees at `paths`: how many of its members on `day` are short of
    this calendar year's target (the cadre target for a seat holder on `day`), those who
    joined during the year not counted; the orgs with most first. One aggregate query, the
    same figures as `people(...)` followed by `Person.meets` for the year, without loading
    the people (it runs on every home page in the last quarter)."""
    if not paths:
        return Membership.objects.none().values()
    first, last = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    year_hours = (
        Attendance.objects.order_by()
        .filter(member_id=OuterRef("member_id"), training__on__gte=first, training__on__lte=last)
        .values("member_id")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    decimal = DecimalField(max_digits=9, decimal_places=1)
    seat = seated(day).filter(member_id=OuterRef("member_id"))
    return (
        Membership.objects.order_by()
        .filter(spell_in_force(day), path_q("org__path", paths), joined_on__lte=first)
        .annotate(
            have=Coalesce(Subquery(year_hours, output_field=decimal), Value(0, decimal)),
            target=Case(
                When(Exists(seat), then=Value(cadre_target(), decimal)),
                default=Value(member_target(), decimal),
            ),
        )
        .filter(have__lt=F("target"))
        .values("org_id", "org__name", "org__code", "org__path")
        .annotate(short=Count("member_id", distinct=True))
        .order_by("-short", "org__path")
    )
