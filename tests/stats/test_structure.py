"""The statistics object's later keys against hand-counted answers: `structure` (the
standard tables' breakdowns), `orgs_founded`, `mass_org_coverage`, and `changes` over
periods that cut through events; and the same figures whichever way the subtree reaches
the database (whole tree, list of ids, subquery)."""

import datetime as dt

import pytest
from personas import add_member, add_org

from dangjian.core.context import CLI
from dangjian.members import services as members
from dangjian.orgs import services as orgs
from dangjian.orgs.models import MassOrganization
from dangjian.stats import engine
from dangjian.stats.engine import make_scope, statistics

TODAY = dt.date(2025, 6, 30)


def bands(**counts):
    keys = ("<=30", "31-35", "36-40", "41-45", "46-50", "51-55", "56-60", ">=61")
    named = {"<=30": "le30", ">=61": "ge61"}
    return {key: counts.get(named.get(key, "b" + key.replace("-", "_")), 0) for key in keys}


def test_it_puts_members_in_age_bands_by_full_years_on_the_day(world):
    branch = world.orgs["bx"]  # 郑一 and 冯二, born 1985-05-01
    for birth in (
        dt.date(1994, 7, 1),  # 30 on 2025-06-30, 31 the next day
        dt.date(1994, 6, 30),  # 31 on 2025-06-30
        dt.date(1989, 7, 1),  # 35
        dt.date(1989, 6, 30),  # 36
        dt.date(1964, 7, 1),  # 60
        dt.date(1964, 6, 30),  # 61
    ):
        add_member(
            branch,
            f"生于{birth}",
            birth=birth,
            joined=dt.date(2015, 7, 1),
            converted=dt.date(2016, 7, 1),
        )
    assert statistics(branch, TODAY)["structure"]["age"] == bands(
        le30=1, b31_35=2, b36_40=3, b56_60=1, ge61=1
    )
    # A day later three have a birthday: 30 → 31, 35 → 36, 60 → 61.
    assert statistics(branch, dt.date(2025, 7, 1))["structure"]["age"] == bands(
        b31_35=2, b36_40=4, ge61=2
    )
    assert statistics(branch, TODAY)["members"]["age_35_and_under"] == 3


def test_it_breaks_members_down_by_every_attribute(world):
    bx = world.orgs["bx"]

    def add(name, **fields):
        # Born a month after the shared world's people, so no ID number can clash.
        return add_member(bx, name, birth=dt.date(1985, 6, 1), **fields)

    add("高中", education="high_school", person_type="support", sex="female")
    add("中专", education="secondary_vocational", person_type="worker")
    add("研究生", education="postgraduate", person_type="retired", ethnicity="满族")
    add("初中", education="junior_or_below", person_type="student")
    add("其他", person_type="other", education="college")
    members.update_member(CLI, add("能手"), backbone="skilled")
    members.update_member(CLI, add("带头人", sex="female"), backbone="subject_leader")
    members.update_member(CLI, add("名优"), backbone="famous")
    result = statistics(world.orgs["county2"], TODAY)
    total = result["members"]["total"]
    assert total == 10
    assert result["structure"] == {
        "sex": {"男": 7, "女": 3},
        "ethnicity": {"汉族": 9, "少数民族": 1},
        "age": bands(b36_40=10),
        "education": {
            "研究生": 1,
            "大学本科": 5,
            "大学专科": 1,
            "中等专科": 1,
            "高中": 1,
            "初中及以下": 1,
        },
        "person_type": {
            "专任教师": 5,
            "管理人员": 0,
            "教辅人员": 1,
            "工勤人员": 1,
            "学生": 1,
            "离退休人员": 1,
            "其他": 1,
        },
        "backbone": {"无": 7, "教学能手": 1, "学科带头人": 1, "骨干教师": 0, "名优教师": 1},
    }
    for breakdown in result["structure"].values():
        assert sum(breakdown.values()) == total


def test_it_breaks_down_only_the_members_counted_on_the_day(world):
    members.record_leaving(CLI, world.members["b2"], kind="deceased", on=dt.date(2023, 5, 10))
    bb = world.orgs["bb"]
    before = statistics(bb, dt.date(2023, 5, 9))["structure"]
    after = statistics(bb, dt.date(2023, 5, 10))["structure"]
    assert before["sex"] == {"男": 2, "女": 1}
    assert before["person_type"]["管理人员"] == 1
    assert after["sex"] == {"男": 2, "女": 0}
    assert after["person_type"]["管理人员"] == 0
    # Before anyone joined, every breakdown is zero.
    empty = statistics(bb, dt.date(2010, 6, 30))["structure"]
    assert all(n == 0 for part in empty.values() for n in part.values())


def test_it_counts_orgs_founded_within_the_period_both_ends_included(world):
    county = world.orgs["county"]
    assert statistics(county, dt.date(2009, 12, 31))["orgs_founded"]["党总支"] == 1
    assert statistics(county, dt.date(2009, 12, 31))["orgs_founded"]["党支部"] == 1
    # 丙丁联合党支部 was founded 2010-01-01, 乙中学党支部 2012-06-01.
    period = (dt.date(2010, 1, 1), dt.date(2012, 6, 1))
    founded = statistics(county, dt.date(2012, 6, 1), period)["orgs_founded"]
    assert (founded["联合党支部"], founded["党支部"], founded["党总支"]) == (1, 1, 0)
    cut = statistics(county, dt.date(2012, 5, 31), (dt.date(2010, 1, 2), dt.date(2012, 5, 31)))
    assert sum(cut["orgs_founded"].values()) == 0
    # An org founded and dissolved within the period was still founded in it.
    temp = add_org(
        world.orgs["gb"], "T-TMP", "临时党支部", "temporary_branch", founded_on=dt.date(2020, 3, 1)
    )
    orgs.update_org(CLI, temp, dissolved_on=dt.date(2020, 9, 1))
    in_2020 = statistics(county, dt.date(2020, 12, 31))
    assert in_2020["orgs_founded"]["临时党支部"] == 1
    assert in_2020["orgs"]["临时党支部"] == 0


def mass_org(school, kind, founded=None, dissolved=None):
    return orgs.save_mass_org(
        CLI,
        MassOrganization(school=school, kind=kind, founded_on=founded, dissolved_on=dissolved),
    )


def test_it_measures_mass_organisation_coverage_among_the_schools_that_need_one(world):
    s = world.schools  # 乙中学 is a 初级中学; the others are 小学
    mass_org(s["b"], "youth_league_branch", founded=dt.date(2015, 5, 4))
    mass_org(s["a"], "youth_league_committee")  # a primary school needs none
    mass_org(s["a"], "young_pioneers", founded=dt.date(2005, 9, 1))
    mass_org(s["b"], "young_pioneers", dissolved=dt.date(2020, 1, 1))
    mass_org(s["c"], "young_pioneers")
    mass_org(s["c"], "young_pioneers")  # twice: still one school
    for key in "abcde":
        mass_org(s[key], "union", founded=dt.date(2012, 1, 1))
    county = world.orgs["county"]
    assert statistics(county, TODAY)["mass_org_coverage"] == {
        "youth_league": {"schools": 1, "covered": 1, "coverage": 1.0},
        "young_pioneers": {"schools": 5, "covered": 2, "coverage": 0.4},
        "union": {"schools": 5, "covered": 5, "coverage": 1.0},
    }
    assert statistics(county, dt.date(2011, 12, 31))["mass_org_coverage"] == {
        "youth_league": {"schools": 1, "covered": 0, "coverage": 0.0},
        "young_pioneers": {"schools": 5, "covered": 3, "coverage": 0.6},
        "union": {"schools": 5, "covered": 0, "coverage": 0.0},
    }
    # The city adds 戊小学 (no organisations).
    city = statistics(world.orgs["city"], TODAY)["mass_org_coverage"]
    assert city["young_pioneers"] == {"schools": 6, "covered": 2, "coverage": 0.3333}


def test_it_counts_changes_in_a_period_that_cuts_through_events(world):
    moved = world.members["a1"]
    members.update_member(CLI, moved, org=world.orgs["bx"], transfer_on=dt.date(2020, 3, 1))
    members.record_leaving(CLI, world.members["c1"], kind="deceased", on=dt.date(2020, 3, 2))
    county = world.orgs["county"]

    def changes(start, end):
        return statistics(county, end, (start, end))["changes"]

    on_the_day = changes(dt.date(2020, 3, 1), dt.date(2020, 3, 1))
    assert (on_the_day["moved_out"], on_the_day["left"]) == (1, 0)
    next_day = changes(dt.date(2020, 3, 2), dt.date(2020, 12, 31))
    assert (next_day["moved_out"], next_day["left"]) == (0, 1)
    both = changes(dt.date(2020, 1, 1), dt.date(2020, 3, 2))
    assert (both["moved_out"], both["left"], both["moved_in"]) == (1, 1, 0)
    # 2010-07-01: nine joined; 2011-07-01 nine converted; a period ending the day before
    # the conversions has only the joinings.
    early = changes(dt.date(2010, 7, 1), dt.date(2011, 6, 30))
    assert (early["joined"], early["converted"]) == (7, 0)
    assert changes(dt.date(2010, 7, 2), dt.date(2011, 7, 1))["converted"] == 7


def test_it_counts_a_transfer_into_the_subtree_from_elsewhere(world):
    members.update_member(
        CLI, world.members["x1"], org=world.orgs["jb"], transfer_on=dt.date(2021, 4, 1)
    )
    year = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    jb = statistics(world.orgs["jb"], dt.date(2021, 12, 31), year)["changes"]
    assert (jb["moved_in"], jb["moved_out"]) == (1, 0)
    county2 = statistics(world.orgs["county2"], dt.date(2021, 12, 31), year)["changes"]
    assert (county2["moved_in"], county2["moved_out"]) == (0, 1)
    city = statistics(world.orgs["city"], dt.date(2021, 12, 31), year)["changes"]
    assert (city["moved_in"], city["moved_out"]) == (0, 0)


def _history(world):
    members.update_member(
        CLI, world.members["a1"], org=world.orgs["bx"], transfer_on=dt.date(2020, 3, 1)
    )
    members.record_leaving(CLI, world.members["b1"], kind="moved_out", on=dt.date(2022, 2, 1))
    members.restore(CLI, world.members["b1"], on=dt.date(2023, 2, 1), org=world.orgs["jb"])


@pytest.mark.parametrize("day", [dt.date(2011, 6, 30), dt.date(2020, 3, 1), TODAY])
@pytest.mark.parametrize("key", ["city", "county", "gb", "ba", "county2"])
def test_it_gives_the_same_figures_whichever_way_the_subtree_is_queried(
    world, monkeypatch, key, day
):
    """The whole tree skips the org check, a small subtree goes as a list of ids, a large
    one as a subquery: three plans, one answer."""
    _history(world)
    root = world.orgs[key]
    as_ids = statistics(root, day)
    monkeypatch.setattr(engine, "SMALL_SUBTREE", 0)
    assert make_scope(root, day).ids is None
    assert statistics(root, day) == as_ids
    if key == "city":
        assert make_scope(root, day).whole_tree
        add_org(None, "T-OTHER", "另一棵树", "committee")
        assert not make_scope(root, day).whole_tree
        assert statistics(root, day) == as_ids
