"""Who the members of 示例市 are and what happened to them, planned in memory.

Two seeded generators: `past` decides everything up to the seed's reporting date
(2010-12-31), `later` everything after it. Today's date feeds only `later`, so the 2010
figures are the same whatever day the demo is loaded, and the history still reaches today.
Nothing that is counted in the 2010 report is changed afterwards: later transfers, leavings
and retirements are dated after 2010, and a member counted as 专任教师 in 2010 keeps that
人员类型 (a teacher who retires later transfers out to the home community instead).
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from dangjian.core.dates import add_months, add_years, age_on
from dangjian.demo.people import Person, PersonMaker, weighted
from dangjian.demo.structure import SEED_DAY, City, OrgSpec, SchoolSpec, day_between
from dangjian.members.choices import EventKind, PersonType, Sex
from dangjian.orgs.models import Locality

# Seed: "中小学党员教师的比例达到34.8%" and "两年中共发展党员192名" (2009-2010).
TEACHER_PARTY_SHARE = (348, 1000)
ADMITTED_IN_CAMPAIGN = 192
CAMPAIGN_YEARS = (2009, 2010)
LAST_ESTABLISHED_JOIN = dt.date(2008, 12, 31)
FIRST_LATER_DAY = SEED_DAY + dt.timedelta(days=1)

TEACHER_AGE_BANDS = (
    ((24, 29), 15),
    ((30, 34), 20),
    ((35, 39), 22),
    ((40, 44), 19),
    ((45, 49), 13),
    ((50, 54), 8),
    ((55, 59), 3),
)

RETIRED_TRANSFER_NOTE = "退休后组织关系转至居住地社区党组织"
STUDENT_NOTES = {
    "vocational": "毕业就业, 组织关系转出",
    "other": "毕业升学, 组织关系转至高校党组织",
}


@dataclass(order=True)
class Event:
    on: dt.date
    seq: int
    kind: str = field(compare=False)  # "transfer", "leave" or "type"
    person: Person = field(compare=False)
    org: OrgSpec | None = field(default=None, compare=False)
    school: SchoolSpec | None = field(default=None, compare=False)
    leaving: str = field(default="", compare=False)
    person_type: str = field(default="", compare=False)
    note: str = field(default="", compare=False)


def party_teacher_target(city: City) -> int:
    """Party-member teachers P with round(P / T, 4) == 0.348 for the city's T teachers. A
    city too small for an exact hit gets one more teacher at its biggest school."""
    part, whole = TEACHER_PARTY_SHARE
    while True:
        total = sum(school.teachers for school in city.schools)
        target = (total * part * 2 + whole) // (whole * 2)
        if round(target / total, 4) == round(part / whole, 4):
            return target
        biggest = max(city.schools, key=lambda school: school.teachers)
        biggest.teachers += 1
        biggest.staff += 1


def admission_day(rng: random.Random, year: int, last: dt.date | None = None) -> dt.date:
    """支部大会 dates cluster before 七一 and at the year's end."""
    roll = rng.random()
    if roll < 0.35:
        day = dt.date(year, 6, rng.randint(15, 30))
    elif roll < 0.6:
        day = dt.date(year, 12, rng.randint(1, 28))
    else:
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    if last is not None and day > last:
        day = day_between(rng, dt.date(year, 1, 1), last)
    return day


def proportional(rng, items, weights, total, caps, counts) -> dict:
    """Add `total` to `counts` in proportion to `weights`, never beyond `caps`."""
    remaining = total
    while remaining > 0:
        pool = [item for item in items if counts[item] < caps[item]]
        if not pool:
            raise ValueError("no room left to allocate")
        weight_sum = sum(weights[item] for item in pool)
        exact = {item: remaining * weights[item] / weight_sum for item in pool}
        given = 0
        for item in pool:
            add = min(int(exact[item]), caps[item] - counts[item])
            counts[item] += add
            given += add
        if given == 0:
            order = sorted(pool, key=lambda item: exact[item] - int(exact[item]), reverse=True)
            for item in order[:remaining]:
                counts[item] += 1
                given += 1
        remaining -= given
    return counts


class Plan:
    def __init__(self, city: City, today: dt.date, seed: int):
        self.city = city
        self.today = today
        self.past = random.Random(seed + 1)
        self.later = random.Random(seed + 2)
        self.past_maker = PersonMaker(self.past, seed + 1)
        self.later_maker = PersonMaker(self.later, seed + 2)
        self.later_maker._ids = self.past_maker._ids  # one ID register for both
        self.persons: list[Person] = []
        self.leavings_until_2010: list[Event] = []
        self.events: list[Event] = []
        self._seq = 0
        self._type_changes: dict[int, dt.date] = {}
        self._busy: set[int] = set()  # persons already moved by a planned transfer

    # -- helpers ------------------------------------------------------------------------

    def _event(self, on, kind, person, **data) -> Event:
        self._seq += 1
        return Event(on, self._seq, kind, person, **data)

    def _units_on(self, day: dt.date) -> list[OrgSpec]:
        """Orgs covering schools that exist on `day`."""
        return [
            org for org in self.city.orgs if org.schools and org.branches and org.founded_on <= day
        ]

    @staticmethod
    def _birth_in_year(rng, year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))

    @staticmethod
    def _birth_for_age(rng, age: int, on: dt.date) -> dt.date:
        """A birthday giving full `age` years on `on`."""
        latest = add_years(on, -age)
        return latest - dt.timedelta(days=rng.randint(0, 360))

    def _branch_for(self, rng, unit: OrgSpec, person_type: str) -> OrgSpec:
        if len(unit.branches) == 1:
            return unit.branches[0]
        if person_type in (PersonType.TEACHER, PersonType.STUDENT):
            return rng.choices(unit.branches, weights=(4, 4, 2))[0]
        return unit.branches[-1]

    # -- until 2010-12-31 ---------------------------------------------------------------

    def plan_until_2010(self) -> list[Person]:
        rng = self.past
        city = self.city
        covered = [s for s in city.schools if s.unit and s.unit.founded_on <= SEED_DAY]
        units: list[OrgSpec] = []
        for school in covered:
            if school.unit not in units:
                units.append(school.unit)
        target = party_teacher_target(city)
        students = rng.randint(18, 26)
        staff = rng.randint(10, 16)
        new_teachers = ADMITTED_IN_CAMPAIGN - students - staff
        established = target - new_teachers

        # Every branch gets three full members first (a branch needs >= 3), the rest by size.
        counts = {school: 0 for school in covered}
        for unit in units:
            need = 3 * len(unit.branches)
            schools = sorted(unit.schools, key=lambda s: -s.teachers)
            for index in range(max(need, len(schools))):
                counts[schools[index % len(schools)]] += 1
        weights = {
            s: s.teachers * rng.uniform(0.8, 1.2) * (1.1 if s.locality == Locality.URBAN else 1)
            for s in covered
        }
        caps = {s: max(counts[s], int(s.teachers * 0.7)) for s in covered}
        proportional(rng, covered, weights, established - sum(counts.values()), caps, counts)
        admitted = {school: 0 for school in covered}
        caps = {s: max(0, int(s.teachers * 0.8) - counts[s]) for s in covered}
        proportional(rng, covered, weights, new_teachers, caps, admitted)

        for unit in units:
            for school in unit.schools:
                self._school_until_2010(unit, school, counts[school], admitted[school])
        for region in city.regions:
            if region.office is not None:
                self._office_until_2010(region.office)
        self._campaign_students(covered, students)
        self._campaign_staff(covered, staff)
        self._deceased_before_2010(units)
        self._expelled_in_2010(units)
        return self.persons

    def _school_until_2010(self, unit, school, teachers: int, admitted: int) -> None:
        rng = self.past
        branches = unit.branches
        for index in range(teachers):
            # The first three of each branch are placed in turn: no branch below 3.
            if index < 3 * len(branches):
                branch = branches[index % len(branches)]
            else:
                branch = self._branch_for(rng, unit, PersonType.TEACHER)
            self.persons.append(self._established(branch, school, PersonType.TEACHER))
        for _ in range(admitted):
            branch = self._branch_for(rng, unit, PersonType.TEACHER)
            self.persons.append(self._campaign_teacher(branch, school))
        size = school.teachers
        extras = {
            PersonType.MANAGER: (
                rng.randint(2, 4)
                if size >= 60
                else rng.randint(1, 2)
                if size >= 25
                else int(rng.random() < 0.4)
            ),
            PersonType.SUPPORT: (
                rng.randint(1, 3) if size >= 60 else rng.randint(0, 1) if size >= 25 else 0
            ),
            PersonType.WORKER: rng.randint(0, 2) if size >= 40 else 0,
            PersonType.RETIRED: (
                round(teachers * rng.uniform(0.05, 0.15))
                if teachers >= 5
                else int(rng.random() < 0.2)
            ),
        }
        for person_type, count in extras.items():
            for _ in range(count):
                branch = self._branch_for(rng, unit, person_type)
                self.persons.append(self._established(branch, school, person_type))

    def _office_until_2010(self, office: OrgSpec) -> None:
        rng = self.past
        for person_type, count in (
            (PersonType.MANAGER, rng.randint(10, 16)),
            (PersonType.SUPPORT, rng.randint(1, 2)),
            (PersonType.WORKER, 1),
            (PersonType.RETIRED, rng.randint(1, 3)),
        ):
            for _ in range(count):
                self.persons.append(self._established(office, None, person_type))

    def _established(self, branch: OrgSpec, school, person_type: str) -> Person:
        """A member who joined before 2009 and is still there on 2010-12-31."""
        rng = self.past
        female_share = {
            PersonType.TEACHER: 0.64,
            PersonType.MANAGER: 0.35,
            PersonType.SUPPORT: 0.55,
            PersonType.WORKER: 0.4,
            PersonType.RETIRED: 0.5,
        }[person_type]
        sex = Sex.FEMALE if rng.random() < female_share else Sex.MALE
        if person_type == PersonType.RETIRED:
            last_year = 1955 if sex == Sex.FEMALE else 1950
            birth = self._birth_in_year(rng, rng.randint(1946, last_year))
        else:
            if person_type == PersonType.TEACHER:
                low, high = weighted(rng, TEACHER_AGE_BANDS)
            elif person_type == PersonType.MANAGER:
                low, high = 30, 58
            elif person_type == PersonType.SUPPORT:
                low, high = 25, 57
            else:
                low, high = 28, 58
            retire = 60 if sex == Sex.MALE else 55
            if sex == Sex.FEMALE and person_type == PersonType.WORKER:
                retire = 50
            age = min(rng.randint(low, high), retire - 1)
            birth = self._birth_in_year(rng, SEED_DAY.year - age)
        moved_in_on = None
        if person_type == PersonType.TEACHER and rng.random() < 0.4 and birth.year >= 1965:
            # Joined at the teachers' college, transferred in when hired.
            joined = add_years(birth, rng.randint(19, 21)) + dt.timedelta(rng.randint(0, 330))
            joined = min(joined, LAST_ESTABLISHED_JOIN)
            hired = dt.date(birth.year + rng.randint(21, 23), 8, 20) + dt.timedelta(
                rng.randint(0, 25)
            )
            if hired > joined:
                moved_in_on = min(hired, SEED_DAY)
        else:
            first = max(add_years(birth, 23), dt.date(1970, 1, 1))
            last = min(add_years(birth, 45), LAST_ESTABLISHED_JOIN)
            if first > last:
                first = max(add_years(birth, 18), last - dt.timedelta(days=400))
            joined = day_between(rng, first, last)
        extended = rng.random() < 0.03
        converted = add_months(joined, 18 if extended else 12)
        region = (school or branch).region
        return self.past_maker.person(
            region=region,
            org=branch,
            school=school,
            person_type=person_type,
            sex=sex,
            birth=birth,
            joined_on=joined,
            converted_on=converted,
            moved_in_on=moved_in_on,
        )

    def _campaign_teacher(self, branch, school) -> Person:
        """One of the 192 admitted in 2009-2010: mostly young teachers and 骨干."""
        rng = self.past
        joined = admission_day(rng, rng.choice(CAMPAIGN_YEARS))
        promising = rng.random() < 0.2
        age = rng.randint(33, 44) if promising else rng.randint(23, 32)
        sex = Sex.FEMALE if rng.random() < 0.62 else Sex.MALE
        return self.past_maker.person(
            region=school.region,
            org=branch,
            school=school,
            person_type=PersonType.TEACHER,
            sex=sex,
            birth=self._birth_for_age(rng, age, joined),
            joined_on=joined,
            converted_on=self._campaign_conversion(joined),
            promising=promising,
        )

    def _campaign_conversion(self, joined: dt.date) -> dt.date:
        """转正 one year on; a few 预备期 extended by six months."""
        return add_months(joined, 18 if self.past.random() < 0.025 else 12)

    def _campaign_students(self, covered, count: int) -> None:
        rng = self.past
        schools = [s for s in covered if s.has_students_of_age]
        for _ in range(count):
            school = rng.choices(schools, weights=[s.students for s in schools])[0]
            joined = admission_day(rng, rng.choice(CAMPAIGN_YEARS))
            birth = self._birth_for_age(rng, 18, joined)
            person = self.past_maker.person(
                region=school.region,
                org=self._branch_for(rng, school.unit, PersonType.STUDENT),
                school=school,
                person_type=PersonType.STUDENT,
                sex=Sex.FEMALE if rng.random() < 0.55 else Sex.MALE,
                birth=birth,
                joined_on=joined,
                converted_on=None,
            )
            self.persons.append(person)
            self._graduation(person, rng)

    def _graduation(self, person: Person, rng) -> None:
        """A pupil member leaves with the school: transferred to a university or employer."""
        year = person.joined_on.year + (1 if person.joined_on.month > 6 else 0)
        on = dt.date(year, 7, 10) + dt.timedelta(days=rng.randint(15, 50))
        note = STUDENT_NOTES.get(person.school.stage, STUDENT_NOTES["other"])
        event = self._event(on, "leave", person, leaving=EventKind.MOVED_OUT, note=note)
        if on <= SEED_DAY:
            person.left_on = on
            self.leavings_until_2010.append(event)
        elif on <= self.today:
            person.left_on = on
            self.events.append(event)

    def _campaign_staff(self, covered, count: int) -> None:
        rng = self.past
        schools = [s for s in covered if s.teachers >= 25]
        for _ in range(count):
            school = rng.choices(schools, weights=[s.teachers for s in schools])[0]
            person_type = PersonType.MANAGER if rng.random() < 0.6 else PersonType.SUPPORT
            joined = admission_day(rng, rng.choice(CAMPAIGN_YEARS))
            self.persons.append(
                self.past_maker.person(
                    region=school.region,
                    org=self._branch_for(rng, school.unit, person_type),
                    school=school,
                    person_type=person_type,
                    sex=Sex.FEMALE if rng.random() < 0.45 else Sex.MALE,
                    birth=self._birth_for_age(rng, rng.randint(26, 42), joined),
                    joined_on=joined,
                    converted_on=self._campaign_conversion(joined),
                )
            )

    def _deceased_before_2010(self, units) -> None:
        """Older members who died before the report: history, not counted in 2010."""
        rng = self.past
        big = [u for u in units if sum(s.teachers for s in u.schools) >= 60]
        for _ in range(rng.randint(30, 45)):
            unit = rng.choice(big)
            school = unit.schools[0]
            birth = self._birth_in_year(rng, rng.randint(1922, 1940))
            joined = day_between(rng, add_years(birth, 20), add_years(birth, 40))
            person = self.past_maker.person(
                region=school.region,
                org=self._branch_for(rng, unit, PersonType.RETIRED),
                school=school,
                person_type=PersonType.RETIRED,
                sex=Sex.FEMALE if rng.random() < 0.4 else Sex.MALE,
                birth=birth,
                joined_on=joined,
                converted_on=add_years(joined, 1),
            )
            self.persons.append(person)
            died = day_between(
                rng, max(add_years(birth, 65), dt.date(1996, 1, 1)), dt.date(2010, 11, 30)
            )
            person.left_on = died
            self.leavings_until_2010.append(
                self._event(died, "leave", person, leaving=EventKind.DECEASED, note="病故")
            )

    def _expelled_in_2010(self, units) -> None:
        """Seed: "先后共有6人受到党纪政纪的严肃处置"; two of them lost their membership."""
        rng = self.past
        big = [u for u in units if sum(s.teachers for s in u.schools) >= 80]
        for unit in rng.sample(big, 2):
            person = self._established(unit.branches[0], unit.schools[0], PersonType.TEACHER)
            self.persons.append(person)
            on = day_between(rng, dt.date(2010, 3, 1), dt.date(2010, 11, 30))
            on = max(on, person.start_on + dt.timedelta(days=30))
            person.left_on = on
            self.leavings_until_2010.append(
                self._event(
                    on, "leave", person, leaving=EventKind.EXPELLED, note="严重违纪, 开除党籍"
                )
            )

    # -- after 2010-12-31 ---------------------------------------------------------------

    def plan_after_2010(self) -> list[Person]:
        """New members year by year, then what happens to everyone: retirements, deaths,
        transfers, 换届-relevant changes. Returns the new members; events go to `events`."""
        rng = self.later
        today = self.today
        past_persons = list(self.persons)
        for person in past_persons:
            self._finish_titles(person)
        new: list[Person] = []
        for year in range(FIRST_LATER_DAY.year, today.year + 1):
            count = rng.randint(80, 120)
            if year == today.year:
                count = round(count * today.timetuple().tm_yday / 365)
            for _ in range(count):
                new.append(self._later_member(admission_day(rng, year, today)))
            for _ in range(rng.randint(4, 9)):
                hired = dt.date(year, 8, 20) + dt.timedelta(rng.randint(0, 25))
                if hired <= today:
                    new.append(self._later_moved_in(hired))
        new.extend(self._overdue_probation())
        self.persons.extend(new)
        for person in new:
            self._finish_titles(person)
        for person in self.persons:
            self._retire(person)
        for person in self.persons:
            self._old_age(person)
        self._late_joints()
        self._transfers()
        self._promotions()
        self._discipline()
        self.events.sort()
        return new

    def _finish_titles(self, person: Person) -> None:
        """Titles and 骨干类别 as they stand today (or when the member retired)."""
        self.later_maker.finish(person, min(self.today, person.retirement_day()))

    def _pick_unit(self, rng, day: dt.date, person_type: str):
        units = self._units_on(day)
        schools = [s for unit in units for s in unit.schools]
        if person_type == PersonType.STUDENT:
            schools = [s for s in schools if s.has_students_of_age]
            weights = [s.students for s in schools]
        elif person_type == PersonType.TEACHER:
            weights = [s.teachers for s in schools]
        else:
            schools = [s for s in schools if s.teachers >= 25]
            weights = [s.teachers for s in schools]
        school = rng.choices(schools, weights=weights)[0]
        return school.unit, school

    def _later_member(self, joined: dt.date) -> Person:
        rng = self.later
        person_type = weighted(
            rng,
            (
                (PersonType.TEACHER, 80),
                (PersonType.STUDENT, 7),
                (PersonType.MANAGER, 6),
                (PersonType.SUPPORT, 4),
                (PersonType.WORKER, 3),
            ),
        )
        if person_type == PersonType.STUDENT:
            age = 18
        elif person_type == PersonType.TEACHER:
            age = rng.randint(23, 33) if rng.random() < 0.85 else rng.randint(34, 45)
        else:
            age = rng.randint(25, 45)
        unit, school = self._pick_unit(rng, joined, person_type)
        office = None
        if person_type == PersonType.MANAGER and rng.random() < 0.15:
            office = school.region.office
        converted = None
        if person_type != PersonType.STUDENT:
            converted = add_months(joined, 18 if rng.random() < 0.015 else 12)
            if converted > self.today:
                converted = None
        person = self.later_maker.person(
            region=school.region,
            org=office or self._branch_for(rng, unit, person_type),
            school=None if office else school,
            person_type=person_type,
            sex=Sex.FEMALE if rng.random() < 0.6 else Sex.MALE,
            birth=self._birth_for_age(rng, age, joined),
            joined_on=joined,
            converted_on=converted,
        )
        if person_type == PersonType.STUDENT:
            self._graduation(person, rng)
        return person

    def _later_moved_in(self, hired: dt.date) -> Person:
        """A new teacher who joined at university (after 2010) and transferred in."""
        rng = self.later
        unit, school = self._pick_unit(rng, hired, PersonType.TEACHER)
        birth = self._birth_for_age(rng, rng.randint(22, 24), hired)
        first = max(FIRST_LATER_DAY, add_years(birth, 19), add_years(hired, -3))
        joined = day_between(rng, first, hired - dt.timedelta(days=20))
        converted = add_years(joined, 1)
        return self.later_maker.person(
            region=school.region,
            org=self._branch_for(rng, unit, PersonType.TEACHER),
            school=school,
            person_type=PersonType.TEACHER,
            sex=Sex.FEMALE if rng.random() < 0.65 else Sex.MALE,
            birth=birth,
            joined_on=joined,
            converted_on=converted if converted <= self.today else None,
            moved_in_on=hired,
        )

    def _overdue_probation(self) -> list[Person]:
        """Two whose 预备期 ended weeks ago without a 转正 decision: a to-do for their branch."""
        rng = self.later
        persons = []
        for weeks in (3, 7):
            joined = add_years(self.today - dt.timedelta(weeks=weeks), -1)
            unit, school = self._pick_unit(rng, joined, PersonType.TEACHER)
            persons.append(
                self.later_maker.person(
                    region=school.region,
                    org=self._branch_for(rng, unit, PersonType.TEACHER),
                    school=school,
                    person_type=PersonType.TEACHER,
                    sex=Sex.FEMALE if rng.random() < 0.6 else Sex.MALE,
                    birth=self._birth_for_age(rng, rng.randint(25, 32), joined),
                    joined_on=joined,
                    converted_on=None,
                )
            )
        return persons

    def _leave(self, person: Person, on: dt.date, kind: str, note: str) -> None:
        person.left_on = on
        self.events.append(self._event(on, "leave", person, leaving=kind, note=note))

    def _retire(self, person: Person) -> None:
        if person.person_type not in (
            PersonType.TEACHER,
            PersonType.MANAGER,
            PersonType.SUPPORT,
            PersonType.WORKER,
        ):
            return
        retired = person.retirement_day()
        if not (SEED_DAY < retired <= self.today and retired > person.start_on):
            return
        if person.left_on:
            return
        if person.person_type == PersonType.TEACHER and person.joined_on <= SEED_DAY:
            # Counted as a teacher in 2010: keeps its type and moves to the home community.
            on = min(self.today, retired + dt.timedelta(days=self.later.randint(0, 60)))
            self._leave(person, on, EventKind.MOVED_OUT, RETIRED_TRANSFER_NOTE)
        else:
            self._type_changes[id(person)] = retired
            self.events.append(self._event(retired, "type", person, person_type=PersonType.RETIRED))

    def _old_age(self, person: Person) -> None:
        """Deaths among older members; nobody still listed is older than 75."""
        if person.left_on or person.person_type == PersonType.STUDENT:
            return
        rng = self.later
        today = self.today
        for year in range(FIRST_LATER_DAY.year, today.year + 1):
            on = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
            if on <= person.start_on or on > today or age_on(person.birth, on) < 65:
                continue
            if rng.random() < 0.012:
                self._leave(person, on, EventKind.DECEASED, "病故")
                return
        limit = add_years(person.birth, 76) - dt.timedelta(days=1)
        if limit <= today:
            first = max(FIRST_LATER_DAY, add_years(person.birth, 70), person.start_on)
            on = day_between(rng, first + dt.timedelta(days=1), limit)
            if rng.random() < 0.7:
                self._leave(person, on, EventKind.DECEASED, "病故")
            else:
                self._leave(person, on, EventKind.MOVED_OUT, "随子女迁居外地, 组织关系转出")

    def _movable(self, person: Person, day: dt.date) -> bool:
        changed = self._type_changes.get(id(person))
        return (
            person.person_type in (PersonType.TEACHER, PersonType.MANAGER)
            and person.school is not None
            and person.start_on < day
            and (person.left_on is None or person.left_on > day + dt.timedelta(days=30))
            and (changed is None or changed > day)
            and id(person) not in self._busy
        )

    def _late_joints(self) -> None:
        """A 联合党支部 founded after 2010 for schools that had none: three full members of
        the same 学区 are transferred into it on its founding day."""
        rng = self.later
        for org in self.city.orgs:
            if not (org.schools and SEED_DAY < org.founded_on <= self.today):
                continue
            day = org.founded_on
            near = [
                p
                for p in self.persons
                if p.org.area_org is org.area_org
                and p.org is not org
                and p.full_on(day)
                and self._movable(p, day)
            ]
            for index, person in enumerate(rng.sample(near, 3)):
                self._busy.add(id(person))
                school = org.schools[index % len(org.schools)]
                self.events.append(self._event(day, "transfer", person, org=org, school=school))

    def _transfers(self) -> None:
        """Teachers move between schools of the same county or district every year."""
        rng = self.later
        by_region: dict[str, list[Person]] = {}
        for person in self.persons:
            by_region.setdefault(person.org.region.key, []).append(person)
        for year in range(FIRST_LATER_DAY.year, self.today.year + 1):
            for _ in range(rng.randint(6, 12)):
                day = dt.date(year, 8, 25) + dt.timedelta(days=rng.randint(0, 20))
                if day > self.today:
                    continue
                region = rng.choice(["QU", "XIAN1", "XIAN2"])
                candidates = [p for p in by_region[region] if self._movable(p, day)]
                if not candidates:
                    continue
                person = rng.choice(candidates)
                targets = [
                    unit
                    for unit in self._units_on(day)
                    if unit.region.key == region and person.org not in unit.branches
                ]
                unit = rng.choice(targets)
                self._busy.add(id(person))
                self.events.append(
                    self._event(
                        day,
                        "transfer",
                        person,
                        org=self._branch_for(rng, unit, person.person_type),
                        school=rng.choice(unit.schools),
                    )
                )

    def _promotions(self) -> None:
        """Young teachers who joined after 2010 become school managers (人员类型 changes only
        for those, so the 2010 teacher count stays as it was)."""
        rng = self.later
        for year in range(2014, self.today.year + 1):
            day = dt.date(year, 9, 1)
            if day > self.today:
                continue
            candidates = [
                p
                for p in self.persons
                if p.joined_on > SEED_DAY
                and add_years(p.joined_on, 3) <= day
                and self._movable(p, day)
                and p.person_type == PersonType.TEACHER
            ]
            if candidates:
                person = rng.choice(candidates)
                self._busy.add(id(person))
                self._type_changes[id(person)] = day
                self.events.append(self._event(day, "type", person, person_type=PersonType.MANAGER))

    def _discipline(self) -> None:
        rng = self.later
        day = dt.date(2016, 5, 12)
        candidates = [
            p
            for p in self.persons
            if self._movable(p, day) and p.left_on is None and id(p) not in self._type_changes
        ]
        if candidates and day <= self.today:
            person = rng.choice(candidates)
            self._busy.add(id(person))
            self._leave(person, day, EventKind.EXPELLED, "严重违纪, 开除党籍")
        day = dt.date(2019, 10, 8)
        candidates = [
            p
            for p in self.persons
            if p.person_type == PersonType.WORKER
            and p.left_on is None
            and p.start_on < day
            and id(p) not in self._type_changes
        ]
        if candidates and day <= self.today:
            person = rng.choice(candidates)
            self._leave(person, day, EventKind.SUSPENDED, "失去联系超过6个月, 停止党籍")
