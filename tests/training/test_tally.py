"""The statistics key `training` counted by the database (`rules.tally`) against the same key
computed the per-person way (`rules.people` and `Person.meets`, what the section did before
and what the hours and rotation pages still list), on a fixture with every boundary the
rules have: exactly 32 and 56 学时 and a tenth short, sums of tenths, cadres held to 32 in
the members' ratio, seats ending or starting on the day, members without hours, joined on
1 January or the day after, sessions on 31 December and 1 January, the rotation cycle's
first day, a transfer and a leaving mid-year, a recruit's hours, a member with two spells
in force (counted once per spell, as the member count counts it), several orgs and scopes,
one- and two-year periods."""

import datetime as dt
import operator
import random

import pytest
from django.db import connections
from django.db.models import Q
from personas import add_member as add_world_member

from dangjian.core.context import CLI
from dangjian.core.dates import add_years
from dangjian.core.routers import replica_reads
from dangjian.members import services as member_services
from dangjian.members.models import Membership
from dangjian.orgs.models import Organization, Position
from dangjian.stats.engine import Scope, make_scope, member_section
from dangjian.training import rules, services
from dangjian.training.stats import (
    FETCH_PEOPLE_UP_TO,
    per_person_figures,
    spells_of,
    tally_figures,
    training_section,
)
from tests.core.test_routers import replicas  # noqa: F401
from tests.training.test_training import attend, candidate, seat, session  # noqa: F401


def held_elsewhere(org, member, title):
    return Position.objects.create(org=org, member=member, title=title, start_on=D(2020, 1, 1))


D = dt.date


LONG_AGO = D(2010, 7, 1)


def add_member(org, name, joined=LONG_AGO):
    """A member, full one year after joining (the world's helper assumes 2010)."""
    return add_world_member(org, name, joined=joined, converted=add_years(joined, 1))


def by_people(scope) -> dict:
    return per_person_figures(scope)


def by_tally(scope) -> dict:
    return tally_figures(scope)


@pytest.fixture
def varied(world, candidate, settings):  # noqa: F811
    """The world's ten members plus boundary cases and a seeded crowd across five branches."""
    settings.DANGJIAN_TRAINING_CYCLE_START = D(2018, 1, 1)  # cycles 2024..2026, 2021..2023
    o, m = world.orgs, world.members
    ba, bb, jb, bx, county = o["ba"], o["bb"], o["jb"], o["bx"], o["county"]
    may, dec31, jan1 = session(ba), session(bb, on=D(2023, 12, 31)), session(jb, on=D(2025, 1, 1))
    first_2024, last_2024 = session(county, on=D(2024, 1, 1)), session(county, on=D(2024, 12, 31))
    tenths = [session(bx, on=D(2024, 2, day), hours="3.2") for day in range(1, 11)]
    attend(may, m["a1"], "32")  # exactly the member target
    attend(may, m["a2"], "31.9")
    attend(may, m["a3"], "40")  # joined 2024-03-01: 2024 not counted for them
    attend(dec31, m["b1"], "60")  # 2023 only
    attend(first_2024, m["b1"], "16")
    attend(last_2024, m["b1"], "16")  # 32 on the year's first and last days
    attend(jan1, m["b2"], "60")  # 2025 only
    for entry in tenths:
        attend(entry, m["x1"], "3.2")  # ten tenths-sums: 32.0 reached
    for entry in tenths[:9]:
        attend(entry, m["x2"], "3.2")  # 28.8
    cadre56 = add_member(ba, "书记甲", joined=D(2015, 1, 1))
    cadre55 = add_member(bb, "委员乙", joined=D(2015, 1, 1))
    cadre32 = add_member(jb, "委员丙", joined=D(2015, 1, 1))
    seat(ba, cadre56)
    seat(bb, cadre55, title="organisation")
    # Seats whose holder is no member of the seat's org (moved away while seated, or typed
    # in before holders were checked): `save_position` refuses to link such a holder now,
    # so they are written as older data would be; the rules still count them.
    held_elsewhere(o["gb"], cadre32, title="propaganda")  # a seat above their branch
    attend(may, cadre56, "56")
    attend(may, cadre55, "55.9")
    attend(may, cadre32, "32")  # meets the members' 32, not the cadres' 56
    seat(ba, m["a2"], start=D(2015, 1, 1), end=D(2024, 12, 31))  # ends on the day asked
    seat(bb, m["b3"], start=D(2024, 12, 31), title="member")  # starts on the day asked
    held_elsewhere(o["county2"], m["c1"], title="member")  # a seat outside the subtree
    rotation_first = session(county, on=D(2024, 1, 1), hours="8", kind="rotation")
    rotation_before = session(county, on=D(2023, 12, 31), hours="8", kind="rotation")
    rotation_after = session(county, on=D(2025, 6, 1), hours="8", kind="rotation")
    attend(rotation_first, cadre56, "8")
    attend(rotation_before, cadre55, "8")
    attend(rotation_after, cadre32, "8")
    attend(rotation_first, m["a1"], "8")  # no seat: covers nobody
    jan_first = add_member(jb, "元旦入党", joined=D(2024, 1, 1))
    jan_second = add_member(jb, "次日入党", joined=D(2024, 1, 2))
    attend(may, jan_first, "32")
    attend(may, jan_second, "32")
    moved = add_member(ba, "调动者", joined=D(2012, 1, 1))
    attend(may, moved, "33")
    member_services.update_member(CLI, moved, org=jb, transfer_on=D(2024, 7, 1))
    gone = add_member(bb, "离开者", joined=D(2012, 1, 1))
    attend(may, gone, "40")
    member_services.record_leaving(CLI, gone, kind="deceased", on=D(2024, 9, 1))
    twice = add_member(ba, "两段", joined=D(2012, 1, 1))
    attend(may, twice, "32")
    # Data the services never write: two spells in force (ba and bb). The training key
    # counts such corrupt data as the member count (members.total) does, once per spell:
    # twice where both orgs are in the subtree (both paths weigh the person by their spells).
    Membership.objects.create(member=twice, org=bb, start_on=D(2020, 1, 1))
    school = session(ba, on=D(2024, 4, 10), hours="24", kind="party_school")
    services.record_attendance(CLI, school, recruits=[candidate])  # no member: not counted
    rng = random.Random(20261207)
    crowd_sessions = [
        session(org, on=D(year, rng.randint(1, 12), rng.randint(1, 28)), hours="20")
        for org in (ba, bb, jb, bx)
        for year in (2023, 2024, 2025)
    ]
    for i in range(40):
        org = rng.choice((ba, bb, jb, bx))
        joined = D(rng.choice((2010, 2023, 2024)), rng.choice((1, 6)), 1)
        member = add_member(org, f"群众{i}", joined=joined)
        if rng.random() < 0.2:
            seat(org, member, start=D(2020, 1, 1), title="member")
        for entry in rng.sample(crowd_sessions, rng.randint(0, 6)):
            attend(entry, member, rng.choice(("4", "8", "12.5", "16", "20")))
    return world


SCOPES = ("city", "county", "gb", "ba", "bb", "jb", "county2", "bx")
DAYS = (
    (D(2024, 12, 31), (D(2024, 1, 1), D(2024, 12, 31))),
    (D(2024, 12, 30), (D(2024, 1, 1), D(2024, 12, 30))),
    (D(2024, 6, 30), (D(2024, 1, 1), D(2024, 12, 31))),
    (D(2024, 12, 31), (D(2023, 1, 1), D(2024, 12, 31))),  # two years, each must be met
    (D(2024, 12, 31), (D(2024, 6, 1), D(2024, 6, 30))),
    (D(2025, 3, 31), (D(2024, 7, 1), D(2025, 3, 31))),
    (D(2023, 12, 31), (D(2023, 1, 1), D(2023, 12, 31))),
    (D(2026, 1, 1), (D(2026, 1, 1), D(2026, 12, 31))),
)


def test_the_database_counts_what_the_people_give(varied, settings):
    compared = 0
    for key in SCOPES:
        root = Organization.objects.get(pk=varied.orgs[key].pk)
        for as_of, period in DAYS:
            engine = make_scope(root, as_of, period)
            # The same subtree reached the three ways: whole tree or ids (the engine's
            # choice above), and by path as for a subtree of more than 2,000 orgs.
            by_path = Scope(root=root, as_of=as_of, period=period)
            expected = by_people(engine)
            assert by_tally(engine) == expected, (key, as_of, period)
            assert training_section(engine, {})["training"] == expected
            handed = member_section(engine, {})
            assert training_section(engine, handed)["training"] == expected
            assert tally_figures(engine, handed["_spells_in_force"]) == expected
            assert by_tally(by_path) == expected, (key, as_of, period, "by path")
            # The people read by the org ids (a small subtree's, as the section reads them)
            # are those read by the org paths.
            assert by_people(by_path) == expected, (key, as_of, period, "people by path")
            # The tally's members are the member count's, spell for spell.
            found = rules.tally(spells_of(engine), as_of, period, narrow=engine.ids is not None)
            assert found.members == member_section(engine, {})["members"]["total"]
            compared += 1
    assert compared == len(SCOPES) * len(DAYS)
    # The figures are not all zero: the fixture exercises every ratio.
    year = make_scope(varied.orgs["city"], D(2024, 12, 31), (D(2024, 1, 1), D(2024, 12, 31)))
    figures = by_tally(year)
    assert all(figures[key] not in (0, 1) for key in figures), figures
    settings.DANGJIAN_TRAINING_MEMBER_HOURS = 20
    settings.DANGJIAN_TRAINING_CADRE_HOURS = 32
    assert by_tally(year) == by_people(year) != figures
    # A target of 0 is met by every counted member, also those who attended nothing (the
    # tally reaches them through its count of the spells, not through their attendance).
    settings.DANGJIAN_TRAINING_MEMBER_HOURS = 0
    for key in SCOPES:
        scope = make_scope(varied.orgs[key], D(2024, 12, 31), (D(2024, 1, 1), D(2024, 12, 31)))
        assert by_tally(scope) == by_people(scope), key
    assert by_tally(year)["members_meeting_hours"] == 1.0


def test_a_small_subtree_s_prepared_people_are_those_read_by_the_org_ids(
    varied, django_assert_num_queries
):
    """`people_in` (the statistics' two prepared queries) gives the Persons `people` gives,
    flags, hours and spells alike, on every subtree and day of the fixture."""
    seen = set()
    for key in SCOPES:
        scope = make_scope(varied.orgs[key], D(2024, 12, 31))
        if scope.ids is None:
            continue
        for as_of, period in DAYS:
            expected = rules.people(Q(org_id__in=list(scope.ids)), as_of, period)
            with django_assert_num_queries(2):
                found = rules.people_in(scope.ids, as_of, period)
            by_member = operator.attrgetter("member_id")
            assert sorted(found, key=by_member) == sorted(expected, key=by_member), (key, as_of)
            seen |= {f for person in found for f in ("cadre", "rotated") if getattr(person, f)}
            seen |= {"two spells" for person in found if person.spells > 1}
    assert seen == {"cadre", "rotated", "two spells"}


def test_the_fixture_reaches_the_boundaries_it_names(varied):
    """The boundary cases are what the fixture says they are (else the comparison above
    could pass without testing them), and the tally's counts agree with the people's."""
    year = (D(2024, 1, 1), D(2024, 12, 31))
    ba = make_scope(varied.orgs["ba"], D(2024, 12, 31), year)
    found = rules.tally(spells_of(ba), ba.as_of, ba.period, narrow=True)
    people = {p.name: p for p in rules.subtree_people(ba.path, ba.as_of, ba.period)}
    expected_counted = [p for p in people.values() if p.meets(range(2024, 2025)) is not None]
    assert found.counted == len(expected_counted)
    assert "调动者" not in people  # moved to jb on 2024-07-01
    assert people["两段"].hours[2024] == 32 and "李四" in people
    assert people["两段"].spells == 1  # only the ba spell is in ba's subtree
    gb = make_scope(varied.orgs["gb"], D(2024, 12, 31), year)
    gb_people = {p.name: p for p in rules.subtree_people(gb.path, gb.as_of, gb.period)}
    # Both spells are in gb's subtree: the person once, weighing two as in members.total.
    assert gb_people["两段"].spells == 2
    gb_found = rules.tally(spells_of(gb), gb.as_of, gb.period, narrow=True)
    assert gb_found.members == sum(p.spells for p in gb_people.values())
    assert gb_found.members == len(gb_people) + 1
    assert gb_found.members == member_section(gb, {})["members"]["total"]
    assert found.cadres == sum(p.cadre for p in people.values())
    assert people["李四"].cadre is False  # the seat ended on the day asked
    assert people["书记甲"].cadre and people["书记甲"].rotated
    bx = make_scope(varied.orgs["bx"], D(2024, 12, 31), year)
    bx_people = {p.name: p for p in rules.subtree_people(bx.path, bx.as_of, bx.period)}
    assert bx_people["郑一"].meets(range(2024, 2025)) is True  # 3.2 x 10
    assert bx_people["冯二"].meets(range(2024, 2025)) is False


def test_it_counts_in_two_queries_for_many_members_as_for_few(world, django_assert_num_queries):
    """Two alone; one when the member count's pass has counted the spells in force
    (`_spells_in_force`, as the engine hands them over), with the same figures."""
    ba = world.orgs["ba"]
    winter = session(ba)

    def grow(n):
        for i in range(n):
            member = add_member(ba, f"党员{i}")
            attend(winter, member, "40")
            if i % 3 == 0:
                seat(ba, member, title="member")

    for scope_of in (
        lambda: make_scope(world.orgs["city"], D(2024, 12, 31)),  # the whole tree
        lambda: make_scope(ba, D(2024, 12, 31)),  # by ids, narrowed
        lambda: Scope(root=ba, as_of=D(2024, 12, 31), period=(D(2024, 1, 1), D(2024, 12, 31))),
    ):
        grow(2)
        scope = scope_of()
        with django_assert_num_queries(2):
            few = by_tally(scope)
        grow(30)
        scope = scope_of()
        with django_assert_num_queries(2):
            many = by_tally(scope)
        assert few != many and many == by_people(scope)
        in_force = member_section(scope, {})["_spells_in_force"]
        with django_assert_num_queries(1):
            assert tally_figures(scope, in_force) == many


def test_the_section_loads_people_only_for_the_smallest_subtrees(world, monkeypatch):
    counted = []
    monkeypatch.setattr(rules, "people_in", lambda *a, **k: counted.append(a) or [])
    monkeypatch.setattr(rules, "people", lambda *a, **k: counted.append(a) or [])
    training_section(make_scope(world.orgs["ba"], D(2024, 12, 31)), {})
    assert len(counted) == 1
    city = make_scope(world.orgs["city"], D(2024, 12, 31))
    big = Scope(
        root=city.root,
        as_of=city.as_of,
        period=city.period,
        ids=tuple(range(1, FETCH_PEOPLE_UP_TO + 2)),
    )
    training_section(city, {})
    training_section(big, {})
    assert len(counted) == 1


def test_the_tally_reads_where_the_router_sends_the_statistics(
    replicas,  # noqa: F811
    world,
    monkeypatch,
):
    """The tally runs its own SQL: on the connection the ORM would read from (a replica
    inside `replica_reads`, as the statistics are), not always on the primary."""
    used = []

    class Recording:
        def __getitem__(self, alias):
            used.append(alias)
            return connections[alias]

    monkeypatch.setattr(rules, "connections", Recording())
    year = (D(2024, 1, 1), D(2024, 12, 31))
    rules.tally(Q(), D(2024, 12, 31), year, narrow=False)
    with replica_reads():
        found = rules.tally(Q(), D(2024, 12, 31), year, narrow=False)
    assert used == ["default", "replica1"]
    assert found.counted == 9  # the world's ten members less 王五, who joined in 2024
