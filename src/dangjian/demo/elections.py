"""示例市's 换届 records, 学校领导班子 and 党员活动室 (阵地), written in bulk after the orgs'
班子 history (city._write_positions), with one audit row per table.

Elections: one record per term since 2009 (or the org's founding), held on the day the term
started, with the 请示 and the superior's consent before and the approval a few days after;
the elected are exactly the Position rows of that term, the ballots satisfy the 2020 条例
(quorum above 4/5, elected above 1/2 of those who should attend, 20% more committee
candidates than seats), and the first committees of the seed's 学区 and 高中 党总支 are
formed by 考察任命. A few orgs missed their last election by some months (city._term_starts).

学校领导班子 (seed, 示例区, 2010): 7 schools got a 党组织书记, 二中 to 五中 a party-member
副校长 each by 公开竞聘, and 39 schools in all had their 班子 adjusted; nothing else changed
in the district in 2009-2010, so those figures are what the records count over the period.
The counties and the later years have ordinary turnover, and a few seats stand vacant."""

import datetime as dt
import random

from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.audit import AuditAction
from dangjian.core.context import CLI
from dangjian.core.dates import add_years
from dangjian.demo.people import PersonMaker
from dangjian.demo.structure import City, day_between
from dangjian.orgs import rules
from dangjian.orgs.elections import room_standards
from dangjian.orgs.models import (
    ActivityRoom,
    Election,
    ElectionCandidate,
    ElectionRound,
    FormedBy,
    LeaderTitle,
    PositionTitle,
    SchoolLeader,
    SelectedBy,
)

DISTRICT = "DEMO-QU"
SEED_YEAR = 2010
SEED_SECRETARIES = 7
SEED_VICE_SCHOOLS = ("示例区第二中学", "示例区第三中学", "示例区第四中学", "示例区第五中学")
SEED_ADJUSTED = 39


def load(city: City, rolls, rng: random.Random, today: dt.date) -> None:
    _write_elections(city, rolls, rng, today)
    _write_leaders(city, rng, today)
    _write_rooms(city, rng, today)


def _batch(city: City, what: str, count: int) -> None:
    audit.batch(
        CLI,
        AuditAction.CREATE,
        org_path=city.root.obj.path,
        object_repr=_("示例市演示数据: %(what)s %(n)d 条") % {"what": what, "n": count},
        count=count,
    )


# -- 换届选举 ------------------------------------------------------------------------------


def _write_elections(city: City, rolls, rng: random.Random, today: dt.date) -> None:
    plans = []  # (Election, [(title, person, elected)], present, invalid)
    for spec in city.orgs:
        for start, _end, formed_by, seats in spec.term_seats:
            voters = rolls.full_members(spec, start)
            election = Election(
                org=spec.obj,
                formed_by=formed_by,
                committee=len(seats) >= rules.COMMITTEE_MIN_SEATS,
                seats=len(seats),
                requested_on=start - dt.timedelta(days=rng.randint(30, 75)),
                permitted_on=start - dt.timedelta(days=rng.randint(7, 25)),
                held_on=start,
                approved_on=min(start + dt.timedelta(days=rng.randint(3, 21)), today),
                approval_ref=_("教党字〔%(y)d〕%(n)d号")
                % {"y": start.year, "n": rng.randint(1, 99)},
            )
            if formed_by == FormedBy.APPOINTMENT:
                plans.append((election, [(t, p, True) for t, p in seats], 0, 0))
                continue
            should_attend = len(voters)
            if should_attend == 0:
                continue  # no roll to vote from: the record would not hold (none in the demo)
            election.should_attend = should_attend
            taken = {id(person) for _title, person in seats}
            others = [p for p in voters if id(p) not in taken]
            extra = rules.margin_needed(len(seats)) - len(seats) if election.committee else 0
            rng.shuffle(others)
            losers = [(PositionTitle.MEMBER, p, False) for p in others[:extra]]
            lowest = 4 * should_attend // 5 + 1
            present = max(lowest, should_attend - rng.randint(0, max(should_attend // 8, 0)))
            invalid = 1 if present > lowest and rng.random() < 0.15 else 0
            plans.append((election, [(t, p, True) for t, p in seats] + losers, present, invalid))
    Election.objects.bulk_create([plan[0] for plan in plans], batch_size=1000)
    rounds, candidates = [], []
    for election, slate, present, invalid in plans:
        round_ = None
        if election.by_ballot:
            round_ = ElectionRound(
                election=election,
                number=1,
                seats=election.seats,
                present=present,
                valid_ballots=present - invalid,
                invalid_ballots=invalid,
            )
            rounds.append(round_)
        valid = present - invalid
        majority = election.should_attend // 2 + 1
        for title, person, elected in slate:
            votes = None
            if round_ is not None:
                votes = rng.randint(majority, valid) if elected else rng.randint(0, majority - 1)
            candidates.append(
                ElectionCandidate(
                    election=election,
                    round=round_,
                    member=person.member,
                    name=person.name,
                    title=title,
                    votes=votes,
                    elected=elected,
                )
            )
    # The elections' and rounds' keys, set by their bulk_create, are taken from the related
    # objects when the candidates are saved.
    ElectionRound.objects.bulk_create(rounds, batch_size=1000)
    ElectionCandidate.objects.bulk_create(candidates, batch_size=2000)
    _batch(city, _("换届选举"), len(plans))


# -- 学校领导班子 --------------------------------------------------------------------------


class _Leaders:
    def __init__(self, rng: random.Random, today: dt.date):
        self.rng, self.today = rng, today
        self.names = PersonMaker(rng, 2010_0901)
        self.rows: list[SchoolLeader] = []
        self.current: dict[tuple, SchoolLeader] = {}

    def name(self) -> str:
        sex = "male" if self.rng.random() < 0.62 else "female"
        return self.names.name(sex, "汉族")

    def appoint(self, school, title, slot, day, *, party=True, how=SelectedBy.APPOINTMENT):
        """A new holder of `slot` (a seat of `title`) from `day`; the one before leaves."""
        key = (school.code, title, slot)
        before = self.current.get(key)
        if before is not None:
            before.end_on = day
        leader = SchoolLeader(
            school=school.obj,
            title=title,
            holder_name=self.name(),
            party_member=party,
            selected_by=how,
            start_on=day,
        )
        self.rows.append(leader)
        self.current[key] = leader
        return leader

    def vacate(self, school, title, slot, day) -> None:
        leader = self.current.pop((school.code, title, slot), None)
        if leader is not None:
            leader.end_on = day


def _write_leaders(city: City, rng: random.Random, today: dt.date) -> None:
    board = _Leaders(rng, today)
    district = [s for s in city.schools if s.region.code == DISTRICT]
    covered = [s for s in district if s.unit is not None]
    late_secretary = set(id(s) for s in rng.sample(covered, SEED_SECRETARIES))
    vice_schools = [s for s in district if s.name in SEED_VICE_SCHOOLS]
    # The 班子 before the campaign: every school a 校长 and one or two 副校长, and a 党组织
    # 书记 where it has a party org (but for the seven the district filled in 2010).
    for school in city.schools:
        first = day_between(rng, dt.date(2003, 9, 1), dt.date(2008, 8, 31))
        board.appoint(school, LeaderTitle.PRINCIPAL, 0, first, party=rng.random() < 0.88)
        for slot in range(1 if school.teachers < 60 else 2):
            board.appoint(school, LeaderTitle.VICE_PRINCIPAL, slot, first, party=rng.random() < 0.6)
        if school.unit is not None and id(school) not in late_secretary:
            board.appoint(school, LeaderTitle.SECRETARY, 0, first)
    # 2010 in the district (the seed).
    spring = (dt.date(SEED_YEAR, 3, 1), dt.date(SEED_YEAR, 9, 30))
    adjusted = set()
    for school in district:
        if id(school) in late_secretary:
            board.appoint(school, LeaderTitle.SECRETARY, 0, day_between(rng, *spring))
            adjusted.add(id(school))
    for school in vice_schools:
        board.appoint(
            school,
            LeaderTitle.VICE_PRINCIPAL,
            9,  # an added seat: the 副校长 chosen by 公开竞聘
            day_between(rng, *spring),
            how=SelectedBy.OPEN_COMPETITION,
        )
        adjusted.add(id(school))
    rest = [s for s in district if id(s) not in adjusted]
    for school in rng.sample(rest, SEED_ADJUSTED - len(adjusted)):
        title = rng.choice((LeaderTitle.PRINCIPAL, LeaderTitle.VICE_PRINCIPAL))
        board.appoint(school, title, 0, day_between(rng, *spring), party=rng.random() < 0.8)
        adjusted.add(id(school))
    # Ordinary turnover: the counties from 2009, the district from 2011, to the present.
    for year in range(2009, today.year + 1):
        for school in city.schools:
            if school.region.code == DISTRICT and year <= SEED_YEAR:
                continue
            if rng.random() >= 0.07:
                continue
            day = day_between(rng, dt.date(year, 7, 1), dt.date(year, 9, 15))
            if day > today:
                continue
            title = rng.choice((LeaderTitle.PRINCIPAL, LeaderTitle.VICE_PRINCIPAL))
            if (
                title == LeaderTitle.VICE_PRINCIPAL
                and rng.random() < 0.12
                and year >= today.year - 1
            ):
                board.vacate(school, title, 0, day)  # not yet filled: a 缺额 to show
                continue
            board.appoint(school, title, 0, day, party=rng.random() < 0.75)
    SchoolLeader.objects.bulk_create(board.rows, batch_size=2000)
    _batch(city, _("学校领导班子任职"), len(board.rows))


# -- 阵地建设 ------------------------------------------------------------------------------


def _write_rooms(city: City, rng: random.Random, today: dt.date) -> None:
    codes = [code for code, _label in room_standards()]
    rooms = []
    for school in city.schools:
        if school.unit is None or rng.random() < 0.06:
            continue  # no party org, or no room yet
        area = rng.randint(15, 80)
        met = [code for code in codes if rng.random() < 0.95]
        if area < 20:  # the standard's 20 square metres (the list's "area" item)
            met = [code for code in met if code != "area"]
        rooms.append(
            ActivityRoom(
                school=school.obj,
                name=_("党员活动室"),
                area=area,
                checked_on=day_between(rng, add_years(today, -2), today),
                items_met=met,
            )
        )
    ActivityRoom.objects.bulk_create(rooms, batch_size=2000)
    _batch(city, _("党员活动室"), len(rooms))
