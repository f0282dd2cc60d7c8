"""The dashboard's breakdowns against hand-counted answers: per child org, per school, the
uncovered schools, and the year-end series (checked against the statistics object)."""

import datetime as dt

from personas import add_org

from dangjian.core.context import CLI
from dangjian.members import services as members
from dangjian.orgs import services as orgs
from dangjian.stats.breakdowns import breakdown, uncovered_schools, yearly
from dangjian.stats.engine import make_scope, statistics

TODAY = dt.date(2025, 6, 30)


def rows_by_name(root, day=TODAY):
    children, _schools = breakdown(make_scope(root, day))
    return {
        (row.org.name if row.org else "本级"): (
            row.schools,
            row.covered,
            row.teachers,
            row.members,
            row.teacher_members,
        )
        for row in children
    }


def test_it_breaks_the_city_down_by_county(world):
    assert rows_by_name(world.orgs["city"]) == {
        "测试县教体局党委": (5, 4, 69, 8, 7),
        "另一县教体局党委": (1, 1, 10, 2, 2),
    }


def test_it_shows_the_roots_own_schools_first(world):
    """庚小学 is uncovered and supervised by the county itself."""
    children, _ = breakdown(make_scope(world.orgs["county"], TODAY))
    assert [row.org.name if row.org else None for row in children] == [
        None,
        "第一学区党总支",
        "丙丁联合党支部",
    ]
    assert rows_by_name(world.orgs["county"]) == {
        "本级": (1, 0, 5, 0, 0),
        "第一学区党总支": (2, 2, 50, 6, 5),
        "丙丁联合党支部": (2, 2, 14, 2, 2),
    }
    own, gb, jb = children
    assert (own.coverage, gb.coverage, gb.teacher_ratio, jb.teacher_ratio) == (
        0.0,
        1.0,
        0.1,
        0.1429,
    )
    assert gb.mass_expected == {"youth_league": 1, "young_pioneers": 2, "union": 2}


def test_it_follows_the_day_for_schools_members_and_children(world):
    """On 2011-01-01 乙中学's branch did not exist yet, and 王五 had not joined."""
    assert rows_by_name(world.orgs["county"], dt.date(2011, 1, 1)) == {
        "本级": (2, 0, 35, 0, 0),
        "第一学区党总支": (1, 1, 20, 5, 4),
        "丙丁联合党支部": (2, 2, 14, 2, 2),
    }
    gone = add_org(
        world.orgs["city"], "T-GONE", "已撤销党委", "committee", founded_on=dt.date(2000, 1, 1)
    )
    orgs.update_org(CLI, gone, dissolved_on=dt.date(2015, 1, 1))
    assert "已撤销党委" in rows_by_name(world.orgs["city"], dt.date(2014, 12, 31))
    assert "已撤销党委" not in rows_by_name(world.orgs["city"])


def test_it_counts_party_member_teachers_per_school(world):
    members.record_leaving(CLI, world.members["b3"], kind="moved_out", on=dt.date(2024, 1, 1))
    _, schools = breakdown(make_scope(world.orgs["city"], TODAY))
    shares = {s.name: (s.teachers, s.party_teachers, s.ratio, s.covered) for s in schools}
    assert shares == {
        "甲小学": (20, 3, 0.15, True),
        "乙中学": (30, 1, 0.0333, True),  # 钱七 is a manager; 孙八 moved out
        "丙小学": (8, 1, 0.125, True),
        "丁小学": (6, 1, 0.1667, True),
        "庚小学": (5, 0, 0.0, False),
        "戊小学": (10, 2, 0.2, True),
    }
    _, earlier = breakdown(make_scope(world.orgs["city"], dt.date(2023, 12, 31)))
    assert {s.name: s.party_teachers for s in earlier}["乙中学"] == 2


def test_it_lists_the_uncovered_schools_as_of_the_day(world):
    county = world.orgs["county"]
    assert [s.name for s in uncovered_schools(make_scope(county, TODAY))] == ["庚小学"]
    assert [s.name for s in uncovered_schools(make_scope(county, dt.date(2011, 1, 1)))] == [
        "乙中学",
        "庚小学",
    ]
    assert list(uncovered_schools(make_scope(world.orgs["county2"], TODAY))) == []


def test_it_counts_members_at_each_year_end_as_the_statistics_object_does(world):
    members.update_member(
        CLI, world.members["a1"], org=world.orgs["bx"], transfer_on=dt.date(2020, 3, 1)
    )
    members.record_leaving(CLI, world.members["b1"], kind="deceased", on=dt.date(2023, 5, 10))
    members.record_leaving(CLI, world.members["c1"], kind="moved_out", on=dt.date(2021, 12, 31))
    members.restore(CLI, world.members["c1"], on=dt.date(2022, 1, 1))
    for key in ("city", "county", "county2", "ba"):
        root = world.orgs[key]
        points = yearly(make_scope(root, TODAY), members_on_day=-1, first_year=2008)
        assert [p.year for p in points] == list(range(2008, 2026))
        for point in points[:-1]:
            expected = statistics(root, dt.date(point.year, 12, 31))["members"]["total"]
            assert point.members == expected, (key, point)
        assert points[-1].members == -1  # the day's own count is the caller's
    county = {
        p.year: (p.members, p.admitted)
        for p in yearly(make_scope(world.orgs["county"], TODAY), 7, first_year=2008)
    }
    assert county[2009] == (0, 0)
    assert county[2010] == (7, 7)
    assert county[2019] == (7, 0)
    assert county[2020] == (6, 0)
    assert county[2021] == (5, 0)  # 周九 moved out on 31 December
    assert county[2022] == (6, 0)
    assert county[2023] == (5, 0)
    assert county[2024] == (6, 1)  # 王五 joined
    assert county[2025] == (7, 0)


def test_it_counts_admissions_up_to_the_day(world):
    points = yearly(make_scope(world.orgs["ba"], dt.date(2024, 2, 29)), 2, first_year=2023)
    assert [(p.year, p.admitted) for p in points] == [(2023, 0), (2024, 0)]
    points = yearly(make_scope(world.orgs["ba"], dt.date(2024, 3, 1)), 3, first_year=2023)
    assert [(p.year, p.members, p.admitted) for p in points] == [(2023, 2, 0), (2024, 3, 1)]
