"""示例市, the demo city of INTERFACES section 5, written through the services.

The shape (structure.py) and the people (history.py) are planned in memory from seeded
generators; this module writes them with the same services the web pages and imports use,
as the command line (`CLI`), in one transaction: a load that fails leaves nothing behind.
The seed speech's 2010 figures come out of the records (schools, orgs, members, spells), so
the statistics engine finds them without knowing this is a demo.
"""

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts import services as accounts
from dangjian.core import audit
from dangjian.core.audit import AuditAction
from dangjian.core.context import CLI
from dangjian.core.dates import add_months, add_years
from dangjian.core.roles import Role
from dangjian.demo import assessment as demo_assessment
from dangjian.demo import disclosure as demo_disclosure
from dangjian.demo import dues as demo_dues
from dangjian.demo import elections as demo_elections
from dangjian.demo import excellence as demo_excellence
from dangjian.demo import integrity as demo_integrity
from dangjian.demo import life as demo_life
from dangjian.demo import lifecycle as demo_lifecycle
from dangjian.demo import outreach as demo_outreach
from dangjian.demo import recruitment as demo_recruitment
from dangjian.demo import training as demo_training
from dangjian.demo.history import SEED_DAY, Event, Plan
from dangjian.demo.people import Person, weighted
from dangjian.demo.structure import City, OrgSpec, build_city, day_between
from dangjian.members import services as members
from dangjian.members.choices import PersonType
from dangjian.members.models import Membership, spell_in_force
from dangjian.orgs import rules as org_rules
from dangjian.orgs import services as orgs
from dangjian.orgs.models import (
    DEFAULT_TERM_YEARS,
    FormedBy,
    MassOrganization,
    MassOrgKind,
    Organization,
    OrgKind,
    Position,
    PositionTitle,
    SchoolStage,
)

SEED = 20101231
ROOT_CODE = "DEMO"
COUNTY_CODE = "DEMO-XIAN1"
BRANCH_NAME = "示例区第三中学党支部"
HISTORY_FROM = dt.date(2009, 1, 1)  # leadership history is kept from the campaign on

LEAGUE_STAGES = (
    SchoolStage.JUNIOR,
    SchoolStage.SENIOR,
    SchoolStage.COMPLETE,
    SchoolStage.NINE_YEAR,
    SchoolStage.VOCATIONAL,
)
PIONEER_STAGES = (SchoolStage.PRIMARY, SchoolStage.JUNIOR, SchoolStage.NINE_YEAR)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    who: object  # lazily translated text


DEMO_ACCOUNTS = (
    DemoAccount("admin", "Demo@2026a", gettext_lazy("市教育局党委管理员")),
    DemoAccount("county", "Xian1@2026b", gettext_lazy("示例一县教体局党委组织员")),
    DemoAccount("branch", "Zhibu@2026c", gettext_lazy("第三中学党支部书记")),
    DemoAccount("member", "Dangyuan@2026d", gettext_lazy("党员")),
    DemoAccount("jijian", "Jijian@2026e", gettext_lazy("市教育局纪检")),
)


@dataclass(frozen=True)
class LoadResult:
    orgs: int
    schools: int
    members: int
    seconds: float


def is_loaded() -> bool:
    return Organization.objects.filter(code=ROOT_CODE).exists()


def load_city(today: dt.date | None = None, log: Callable[[str], None] | None = None):
    """Write 示例市 into an empty database (the caller checks `is_loaded` first)."""
    today = today or timezone.localdate()
    log = log or (lambda message: None)
    started = time.perf_counter()
    city = build_city(SEED)
    plan = Plan(city, today, SEED)
    past = list(plan.plan_until_2010())
    later = plan.plan_after_2010()
    demo_recruitment.make_admissions_feasible(plan.persons, plan.later_maker)
    with transaction.atomic():
        log(_("正在建立党组织和学校……"))
        _write_orgs(city, random.Random(SEED + 3), today)
        _write_schools(city)
        _write_mass_orgs(city, random.Random(SEED + 4), today)
        log(_("正在建立党员档案……"))
        _write_members(past, _("示例市演示数据: 2010年底以前的党员"))
        _apply(sorted(plan.leavings_until_2010))
        _write_members(later, _("示例市演示数据: 2011年以来发展和转入的党员"))
        log(_("正在写入2011年以来的组织关系变动……"))
        _apply(plan.events)
        log(_("正在建立领导班子和演示账号……"))
        rolls = _write_positions(city, plan.persons, random.Random(SEED + 5), today)
        demo_elections.load(city, rolls, random.Random(SEED + 6), today)
        _write_accounts(city, plan.persons)
        log(_("正在写入发展党员记录……"))
        loaded = demo_recruitment.load(plan, today)
        _fit_teacher_counts(city, (SEED_DAY, add_years(today, -1), today))
        demo_lifecycle.load(today, BRANCH_NAME, SEED + 6)
        log(_("正在写入责任与考核记录……"))
        assessed = demo_assessment.load(today)
        log(
            _("党建责任书 %(n)d 份, 整改事项 %(r)d 项, 表彰 %(h)d 项, 用时 %(s).1f 秒")
            % {
                "n": assessed.letters,
                "r": assessed.rectifications,
                "h": assessed.honours,
                "s": assessed.seconds,
            }
        )
        log(_("正在写入廉政建设记录……"))
        demo_integrity.load(today)
        log(_("正在写入组织生活会议……"))
        meetings = demo_life.load(today)
        log(_("正在写入结对帮扶和学习培训记录……"))
        started_here = time.perf_counter()
        pairs = demo_outreach.load(city, today)
        trained = demo_training.load(city, plan.persons, today)
        log(
            _("结对帮扶 %(p)d 对、帮扶记录 %(e)d 条, 参训记录 %(a)d 条, 用时 %(s).1f 秒")
            % {
                "p": pairs.pairings,
                "e": pairs.entries,
                "a": trained.attendance,
                "s": time.perf_counter() - started_here,
            }
        )
        log(_("正在写入创先争优与示范记录……"))
        demo_excellence.load(today)
        log(_("正在写入党费、党务公开和文件资料……"))
        demo_dues.load(today, SEED + 6, BRANCH_NAME)
        demo_disclosure.load(today, BRANCH_NAME)
        log(
            _("发展党员记录 %(n)d 条, 用时 %(s).1f 秒")
            % {"n": loaded.recruits, "s": loaded.seconds}
        )
        log(
            _("组织生活会议 %(n)d 次, 出席记录 %(a)d 条, 用时 %(s).1f 秒")
            % {"n": meetings.meetings, "a": meetings.attendances, "s": meetings.seconds}
        )
    return LoadResult(
        orgs=len(city.orgs),
        schools=len(city.schools),
        members=len(plan.persons),
        seconds=time.perf_counter() - started,
    )


# -- orgs, schools, mass organisations ----------------------------------------------------


def _term_starts(rng: random.Random, spec: OrgSpec, today: dt.date) -> list[dt.date]:
    """The org's 换届 dates since 2009 (or its founding), the last being the current term.
    Most terms run their course; some elections are overdue and some are due soon, as in
    any real city (reminders and to-do items have something to show)."""
    years = DEFAULT_TERM_YEARS.get(spec.kind)
    if not years:
        return []
    if spec.founded_on >= HISTORY_FROM:
        start = spec.founded_on
    else:
        start = day_between(rng, HISTORY_FROM, add_years(HISTORY_FROM, years))
        start = max(start, spec.founded_on)
    starts = [start]
    while True:
        following = add_years(starts[-1], years) + dt.timedelta(days=rng.randint(-20, 45))
        if following > today:
            break
        starts.append(following)
    roll = rng.random()
    missed_recently = len(starts) > 1 and starts[-1] > add_months(today, -8)
    if roll < 0.1 and missed_recently:
        # The last election did not take place: 换届 overdue, by months, not years (a
        # committee reminds a branch long before; a few lag, none for years).
        starts.pop()
    elif roll < 0.14:
        due_soon = add_years(today + dt.timedelta(days=rng.randint(5, 85)), -years)
        if due_soon > (starts[-2] if len(starts) > 1 else spec.founded_on):
            starts[-1] = due_soon
    return starts


def _write_orgs(city: City, rng: random.Random, today: dt.date) -> None:
    for spec in city.orgs:
        spec.terms = _term_starts(rng, spec, today)
        spec.obj = orgs.create_org(
            CLI,
            parent=spec.parent.obj if spec.parent else None,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            founded_on=spec.founded_on,
            term_start=spec.terms[-1] if spec.terms else None,
            term_years=DEFAULT_TERM_YEARS.get(spec.kind),
        )


def _write_schools(city: City) -> None:
    for spec in city.schools:
        spec.obj = orgs.create_school(
            CLI,
            code=spec.code,
            name=spec.name,
            stage=spec.stage,
            ownership="public",
            locality=spec.locality,
            supervising_org=spec.supervisor.obj,
            district=spec.region.name,
            staff_count=spec.staff,
            teacher_count=spec.teachers,
            student_count=spec.students,
            covering_org=spec.unit.obj if spec.unit else None,
        )


def _fit_teacher_counts(city: City, days) -> None:
    """A school's party-member 专任教师 never exceed its 专任教师: the history moves and
    admits teachers without looking at the school's size, so a small school can end up with
    more than it has. Such a school gets the teachers it needs, taken from the schools with
    the most room, so the city's 专任教师 (and its 34.8%) stay as published."""
    needed: dict[int, int] = defaultdict(int)
    for day in days:
        rows = (
            Membership.objects.order_by()
            .filter(spell_in_force(day), person_type=PersonType.TEACHER, work_unit__isnull=False)
            .values_list("work_unit")
            .annotate(n=Count("pk"))
        )
        for school_id, n in rows:
            needed[school_id] = max(needed[school_id], n)
    short = [s for s in city.schools if needed[s.obj.pk] > s.teachers]
    if not short:
        return
    missing = sum(needed[s.obj.pk] - s.teachers for s in short)
    donors = sorted(
        (s for s in city.schools if s not in short),
        key=lambda s: needed[s.obj.pk] - s.teachers,
    )
    changed = set(short)
    for spec in short:
        spec.staff += needed[spec.obj.pk] - spec.teachers
        spec.teachers = needed[spec.obj.pk]
    for spec in donors:
        if missing == 0:
            break
        # Keep a donor at or above its own party-member teachers (and a fifth to spare).
        room = spec.teachers - max(needed[spec.obj.pk], int(spec.teachers * 0.8))
        give = min(room, missing)
        if give > 0:
            spec.teachers -= give
            spec.staff -= give
            missing -= give
            changed.add(spec)
    if missing:
        raise ValueError("no school has room for the teachers a small school needs")
    for spec in changed:
        orgs.update_school(CLI, spec.obj, teacher_count=spec.teachers, staff_count=spec.staff)


def _write_mass_orgs(city: City, rng: random.Random, today: dt.date) -> None:
    """ "一建三带": a 工会 in every school; 团委 and 少先队大队 set up in 2009-2010 by 公推选举
    in every school with such pupils (seed: 49 and 448, "覆盖率达到100%"); 教代会, 妇委会
    in the larger schools, 学生会 in secondary schools; a few 教工团支部 since."""

    def add(school, kind, suffix, founded_on):
        orgs.save_mass_org(
            CLI,
            MassOrganization(
                school=school.obj, kind=kind, name=school.name + suffix, founded_on=founded_on
            ),
        )

    def day(first, last):
        return day_between(rng, dt.date.fromisoformat(first), dt.date.fromisoformat(last))

    for school in city.schools:
        add(school, MassOrgKind.UNION, "工会委员会", day("1985-01-01", "2008-12-31"))
        if school.stage in LEAGUE_STAGES:
            add(school, MassOrgKind.YOUTH_LEAGUE_COMMITTEE, "团委", day("2009-01-05", "2010-11-30"))
        if school.stage in PIONEER_STAGES:
            add(school, MassOrgKind.YOUNG_PIONEERS, "少先队大队", day("2009-01-05", "2010-11-30"))
        if school.teachers >= 30:
            add(
                school,
                MassOrgKind.STAFF_CONGRESS,
                "教职工代表大会",
                day("1995-01-01", "2008-12-31"),
            )
        if school.teachers >= 40:
            add(school, MassOrgKind.WOMEN, "妇女委员会", day("2000-01-01", "2010-10-31"))
        if school.stage in LEAGUE_STAGES:
            add(school, MassOrgKind.STUDENT_UNION, "学生会", day("2003-01-01", "2010-10-31"))
    urban_primaries = sorted(
        (s for s in city.schools if s.stage == SchoolStage.PRIMARY and s.teachers >= 60),
        key=lambda s: -s.teachers,
    )
    for school in urban_primaries[:6]:
        founded_on = day("2013-03-01", "2021-12-31")
        if founded_on <= today:
            add(school, MassOrgKind.YOUTH_LEAGUE_BRANCH, "教工团支部", founded_on)


# -- members and their history ------------------------------------------------------------


def _write_members(persons: list[Person], note: str) -> None:
    created = members.bulk_create_members(CLI, [p.row() for p in persons], audit_note=note)
    for person, member in zip(persons, created, strict=True):
        person.member = member
        person.spells = [[person.org, person.start_on, None]]


def _apply(events: list[Event]) -> None:
    """Transfers, leavings and 人员类型 changes, in date order, through the services."""
    for event in events:
        person = event.person
        if event.kind == "leave":
            person.member = members.record_leaving(
                CLI, person.member, kind=event.leaving, on=event.on, note=event.note
            )
            person.spells[-1][2] = event.on
        elif event.kind == "transfer":
            person.member = members.update_member(
                CLI,
                person.member,
                org=event.org.obj,
                work_unit=event.school.obj if event.school else None,
                transfer_on=event.on,
            )
            person.spells[-1][2] = event.on
            person.spells.append([event.org, event.on, None])
            person.org, person.school = event.org, event.school
        else:
            person.member = members.update_member(CLI, person.member, person_type=event.person_type)
            person.person_type = event.person_type


# -- leadership ---------------------------------------------------------------------------


class _Rolls:
    """Who was a full member of which org on a given day (from the planned spells)."""

    def __init__(self, city: City, persons: list[Person]):
        self.by_org: dict[OrgSpec, list[Person]] = defaultdict(list)
        for person in persons:
            for org in {spell[0] for spell in person.spells}:
                self.by_org[org].append(person)
        self.children: dict[OrgSpec, list[OrgSpec]] = defaultdict(list)
        for spec in city.orgs:
            if spec.parent is not None:
                self.children[spec.parent].append(spec)

    def branches_under(self, spec: OrgSpec) -> list[OrgSpec]:
        found, stack = [], [spec]
        while stack:
            current = stack.pop()
            if current.holds_members:
                found.append(current)
            stack.extend(self.children[current])
        return found

    def full_members(self, spec: OrgSpec, day: dt.date) -> list[Person]:
        """Full members in the org (for a 党总支 or 党委: in its branches) on `day`."""
        if spec.holds_members:
            branches = [spec]
        else:
            region_office = spec.region.office if spec.kind == OrgKind.COMMITTEE else None
            branches = [region_office] if region_office else self.branches_under(spec)
        found = []
        for branch in branches:
            for person in self.by_org[branch]:
                if person.full_on(day) and person.org_on(day) is branch:
                    found.append(person)
        return found


SEAT_WEIGHTS = {
    PersonType.MANAGER: 5,
    PersonType.TEACHER: 2,
    PersonType.SUPPORT: 1,
    PersonType.WORKER: 1,
}


def _choose(rng: random.Random, people: list[Person], taken: set[int]) -> Person | None:
    pool = [
        (p, SEAT_WEIGHTS[p.person_type])
        for p in people
        if id(p) not in taken and p.person_type in SEAT_WEIGHTS
    ]
    return weighted(rng, pool) if pool else None


def _write_positions(city: City, persons: list[Person], rng: random.Random, today) -> None:
    """班子 history from the term in force when the campaign began (2009-01-01) to today: a
    secretary and, where the branch was big enough then (>= 7 full members), a 支委会 for
    every term, or the 总支/党委 committee (the first term of the seed's 学区 and 高中 党总支
    by 考察任命). Each seat links to its holder's member record, so the training figures of
    2009-2010 count the cadres of that time. Written in bulk with one audit row;
    demo.elections records the election behind each term.

    The current terms draw from `rng` as they always have (the accounts and the current
    pages keep their people); the earlier committees and the term before the first one draw
    from a second generator."""
    rolls = _Rolls(city, persons)
    history = random.Random(SEED + 55)
    rows = []
    for spec in city.orgs:
        holder = None
        for index, start in enumerate(spec.terms):
            end = spec.terms[index + 1] if index + 1 < len(spec.terms) else None
            people = rolls.full_members(spec, start) or rolls.full_members(spec, today)
            if holder is None or holder not in people or rng.random() < 0.45:
                holder = _choose(rng, people, set()) or holder
            if holder is None:
                continue
            if spec.appointed and index == 0 and start == spec.founded_on:
                formed_by = FormedBy.APPOINTMENT
            elif start.year >= 2012 and rng.random() < 0.3:
                formed_by = FormedBy.OPEN_ELECTION
            else:
                formed_by = FormedBy.ELECTION
            seats = [(PositionTitle.SECRETARY, holder)]
            if end is None:
                seats += _committee_seats(rng, spec, people, holder, rolls, today)
            else:
                seats += _past_committee(history, spec, people, holder, rolls, start)
            spec.term_seats.append((start, end, formed_by, seats))
            rows += _seat_rows(spec, seats, formed_by, start, end)
            spec.secretary = holder
        rows += _term_before_history(spec, history, rolls)
    Position.objects.bulk_create(rows, batch_size=2000)
    audit.batch(
        CLI,
        AuditAction.CREATE,
        org_path=city.root.obj.path,
        object_repr=_("示例市演示数据: 领导班子 %(n)d 条") % {"n": len(rows)},
        count=len(rows),
    )
    return rolls


def _seat_rows(spec, seats, formed_by, start, end) -> list[Position]:
    return [
        Position(
            org=spec.obj,
            title=title,
            holder_name=person.name,
            member=person.member,
            formed_by=formed_by,
            start_on=start,
            end_on=end,
        )
        for title, person in seats
    ]


def _past_committee(rng, spec, people, secretary, rolls, day):
    """An earlier term's committee, sized by the full members of its first day; none when
    the roll then was too short for the 差额 an election of it needs."""
    seats = _committee_seats(rng, spec, people, secretary, rolls, day)
    size = len(seats) + 1
    voters = len(rolls.full_members(spec, day))
    if size >= org_rules.COMMITTEE_MIN_SEATS and voters < org_rules.margin_needed(size):
        return []
    return seats


def _term_before_history(spec, rng, rolls) -> list[Position]:
    """The term in force on 2009-01-01 of an org founded before then whose first recorded
    换届 came later: its secretary (the next term's, re-elected, more often than not) and
    committee, from the full members of its first day, a term's length before the next."""
    years = DEFAULT_TERM_YEARS.get(spec.kind)
    if not years or not spec.term_seats:
        return []
    first, _end, _formed_by, first_seats = min(spec.term_seats, key=lambda term: term[0])
    if first <= HISTORY_FROM or spec.founded_on >= first:
        return []
    start = max(add_years(first, -years), spec.founded_on)
    people = rolls.full_members(spec, start)
    if not people:
        return []
    holder = first_seats[0][1]
    if holder not in people or rng.random() < 0.45:
        holder = _choose(rng, people, set())
    if holder is None:
        return []
    seats = [(PositionTitle.SECRETARY, holder)]
    seats += _past_committee(rng, spec, people, holder, rolls, start)
    spec.term_seats.insert(0, (start, first, FormedBy.ELECTION, seats))
    return _seat_rows(spec, seats, FormedBy.ELECTION, start, first)


def _committee_seats(rng, spec, people, secretary, rolls, today):
    """2018 支部工作条例: >= 7 full members → 支委会 of 3-5; fewer → a secretary (and
    perhaps a deputy). 党总支 and 党委 have a full committee."""
    full_now = len(rolls.full_members(spec, today)) if spec.holds_members else 99
    if full_now >= 7:
        titles = [PositionTitle.ORGANISATION, PositionTitle.PROPAGANDA]
        if full_now >= 15:
            titles.append(PositionTitle.DISCIPLINE)
        if full_now >= 30:
            titles.insert(0, PositionTitle.DEPUTY_SECRETARY)
    elif full_now >= 4 and rng.random() < 0.4:
        titles = [PositionTitle.DEPUTY_SECRETARY]
    else:
        titles = []
    taken = {id(secretary)}
    seats = []
    for title in titles:
        person = _choose(rng, people, taken)
        if person is None:
            break
        taken.add(id(person))
        seats.append((title, person))
    return seats


# -- accounts -----------------------------------------------------------------------------


def _write_accounts(city: City, persons: list[Person]) -> None:
    branch = next(spec for spec in city.orgs if spec.name == BRANCH_NAME)
    secretary = branch.secretary
    ordinary = sorted(
        (
            p
            for p in persons
            if p.org is branch
            and p.active
            and p.converted_on
            and p.person_type == PersonType.TEACHER
            and p is not secretary
            and not Position.objects.filter(member=p.member).exists()
        ),
        key=lambda p: p.id_number,
    )
    member = ordinary[0]
    root = city.root.obj
    county = city.org(COUNTY_CODE).obj
    admin, county_user, branch_user, member_user, discipline = DEMO_ACCOUNTS
    for account, full_name, org, role, record in (
        (discipline, str(discipline.who), root, Role.DISCIPLINE, None),
        (admin, str(admin.who), root, Role.ADMIN, None),
        (county_user, str(county_user.who), county, Role.ORGANISER, None),
        (branch_user, secretary.name, branch.obj, Role.ORGANISER, None),
        (member_user, member.name, branch.obj, Role.MEMBER_SELF, member.member),
    ):
        accounts.create_user(
            CLI,
            username=account.username,
            password=account.password,
            full_name=full_name,
            org=org,
            role=role,
            member=record,
        )


__all__ = ["DEMO_ACCOUNTS", "ROOT_CODE", "SEED_DAY", "LoadResult", "is_loaded", "load_city"]
