"""statistics(): every key of INTERFACES section 6 against hand-counted answers, and the
as-of rules (joining, 转正, transfers, leaving, founding, the 35-year birthday)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from personas import add_member, add_org, add_school

from dangjian.core.context import CLI
from dangjian.members import services as members
from dangjian.orgs import services as orgs
from dangjian.orgs.models import MassOrganization
from dangjian.stats.engine import statistics

TODAY = dt.date(2025, 6, 30)
NO_ORGS = {
    "党委": 0,
    "党工委": 0,
    "党总支": 0,
    "党支部": 0,
    "联合党支部": 0,
    "临时党支部": 0,
    "党小组": 0,
}
NO_AGES = dict.fromkeys(("<=30", "31-35", "36-40", "41-45", "46-50", "51-55", "56-60", ">=61"), 0)
NO_EDUCATION = dict.fromkeys(
    ("研究生", "大学本科", "大学专科", "中等专科", "高中", "初中及以下"), 0
)
NO_PERSON_TYPES = dict.fromkeys(
    ("专任教师", "管理人员", "教辅人员", "工勤人员", "学生", "离退休人员", "其他"), 0
)
NO_BACKBONE = dict.fromkeys(("无", "教学能手", "学科带头人", "骨干教师", "名优教师"), 0)
NO_CHANGES = dict.fromkeys(("joined", "converted", "moved_in", "moved_out", "left", "restored"), 0)
NO_MASS_ORGS = {
    "团委": 0,
    "团支部": 0,
    "少先队大队": 0,
    "工会": 0,
    "妇委会": 0,
    "学生会": 0,
    "教代会": 0,
    "schools_with_youth_league": 0,
    "schools_with_young_pioneers": 0,
}


def totals_on(org, *days) -> list[int]:
    """The member totals of `org` on each day, to follow one subtree through its events."""
    return [statistics(org, day)["members"]["total"] for day in days]


def mass_org(school, kind, founded=None, dissolved=None):
    return orgs.save_mass_org(
        CLI,
        MassOrganization(school=school, kind=kind, founded_on=founded, dissolved_on=dissolved),
    )


def test_it_counts_every_key_for_the_whole_city(world):
    result = statistics(world.orgs["city"], TODAY)
    assert result == {
        "org": {"code": "T-CITY", "name": "测试市教育局党委"},
        "as_of": "2025-06-30",
        "period": {"from": "2025-01-01", "to": "2025-12-31"},
        "orgs": {**NO_ORGS, "党委": 3, "党总支": 1, "党支部": 3, "联合党支部": 1},
        "orgs_founded": NO_ORGS,
        "schools": {"total": 6, "covered": 5, "coverage": 0.8333},
        "members": {
            "total": 10,
            "正式党员": 9,
            "预备党员": 1,
            "female": 4,
            "ethnic_minority": 1,
            "age_35_and_under": 1,
            "college_or_above": 10,
        },
        "structure": {
            "sex": {"男": 6, "女": 4},
            "ethnicity": {"汉族": 9, "少数民族": 1},
            "age": {**NO_AGES, "<=30": 1, "36-40": 9},
            "education": {**NO_EDUCATION, "大学本科": 9, "大学专科": 1},
            "person_type": {**NO_PERSON_TYPES, "专任教师": 9, "管理人员": 1},
            "backbone": {**NO_BACKBONE, "无": 10},
        },
        "teachers": {"total": 79, "party_members": 9, "ratio": 0.1139},
        "mass_orgs": NO_MASS_ORGS,
        "mass_org_coverage": {
            "youth_league": {"schools": 1, "covered": 0, "coverage": 0.0},
            "young_pioneers": {"schools": 6, "covered": 0, "coverage": 0.0},
            "union": {"schools": 6, "covered": 0, "coverage": 0.0},
        },
        "changes": NO_CHANGES,
        "development": {
            "入党申请人": 0,
            "入党积极分子": 0,
            "发展对象": 0,
            "admitted": 0,
            "converted": 0,
        },
        "assessment": {
            "letters_signed": 0,
            "inspections": 0,
            "rectifications": {"total": 0, "closed": 0, "overdue": 0},
            "rank": None,
            "previous_rank": None,
            "honours": 0,
        },
        "integrity": {
            "risks": {"found": 0, "confirmed": 0, "measures": 0},
            "petitions": {"received": 0, "resolved": 0},
            "cases": {"opened": 0, "closed": 0, "leads_assisted": 0, "people_sanctioned": 0},
        },
        # Four branches, each owing 3 monthly kinds x 6 months and 2 quarterly kinds x 2
        # quarters by 30 June; no meeting recorded.
        "life": {
            "required": 88,
            "held": 0,
            "compliance": 0.0,
            "attendance_rate": 0.0,
            "by_kind": {
                "支部党员大会": 0,
                "支委会": 0,
                "党小组会": 0,
                "党课": 0,
                "主题党日": 0,
                "组织生活会": 0,
                "民主评议党员": 0,
                "谈心谈话": 0,
            },  # fmt: skip
            # 第一学区党总支's term ended on 2023-03-01 without an election.
            "elections_held": 0,
            "terms_overdue": 1,
        },
        "excellence": {
            "five_good": {"checked": 0, "passed": 0},
            "demonstration_points": {"bureau": 0, "city": 0},
            "demonstration_share": 0.0,
            "stars": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
            "commitments": {"made": 0, "fulfilled": 0},
            "exemplars": 0,
            "posts": 0,
        },
        "dues": {"due": 0.0, "paid": 0.0, "members_in_arrears": 0, "members_over_6_months": 0},
        "outreach": {
            "pairings": 0,
            "school_pairs": 0,
            "money": 0.0,
            "goods_value": 0.0,
            "books": 0,
            "tuition_waived": {"students": 0, "yuan": 0.0},
            "grants": {"students": 0, "yuan": 0.0},
            "trainings_held": 0,
        },
        "training": {
            "members_meeting_hours": 0.0,
            "cadres_meeting_hours": 0.0,
            "rotation_coverage": 0.0,
            "hours_total": 0.0,
        },
    }


def test_it_counts_a_county_subtree_root_included(world):
    result = statistics(world.orgs["county"], TODAY)
    assert result["org"] == {"code": "T-COUNTY", "name": "测试县教体局党委"}
    assert result["orgs"] == {**NO_ORGS, "党委": 1, "党总支": 1, "党支部": 2, "联合党支部": 1}
    # 庚小学 is not covered and belongs through its supervising org.
    assert result["schools"] == {"total": 5, "covered": 4, "coverage": 0.8}
    assert result["members"] == {
        "total": 8,
        "正式党员": 7,
        "预备党员": 1,
        "female": 3,
        "ethnic_minority": 1,
        "age_35_and_under": 1,
        "college_or_above": 8,
    }
    assert result["teachers"] == {"total": 69, "party_members": 7, "ratio": 0.1014}


def test_it_counts_one_branch_and_its_school(world):
    result = statistics(world.orgs["ba"], TODAY)
    assert result["orgs"] == {**NO_ORGS, "党支部": 1}
    assert result["schools"] == {"total": 1, "covered": 1, "coverage": 1.0}
    assert result["members"]["total"] == 3
    assert result["members"]["预备党员"] == 1
    assert result["teachers"] == {"total": 20, "party_members": 3, "ratio": 0.15}


def test_it_gives_zero_ratios_for_an_empty_subtree(world):
    empty = add_org(world.orgs["city"], "T-EMPTY", "空党委", "committee")
    result = statistics(empty, TODAY)
    assert result["orgs"] == {**NO_ORGS, "党委": 1}
    assert result["schools"] == {"total": 0, "covered": 0, "coverage": 0.0}
    assert result["members"]["total"] == 0
    assert result["teachers"] == {"total": 0, "party_members": 0, "ratio": 0.0}
    assert result["mass_orgs"] == NO_MASS_ORGS


def test_it_counts_education_and_person_type(world):
    add_member(world.orgs["bx"], "高中学历", education="high_school", person_type="support")
    add_member(world.orgs["bx"], "中专学历", education="secondary_vocational")
    add_member(world.orgs["bx"], "研究生学历", education="postgraduate", person_type="retired")
    result = statistics(world.orgs["county2"], TODAY)
    assert result["members"]["total"] == 5
    assert result["members"]["college_or_above"] == 3
    assert result["teachers"] == {"total": 10, "party_members": 3, "ratio": 0.3}


def test_it_counts_only_members_who_had_joined_on_the_day(world):
    before = statistics(world.orgs["ba"], dt.date(2024, 2, 29))["members"]
    on_the_day = statistics(world.orgs["ba"], dt.date(2024, 3, 1))["members"]
    assert (before["total"], before["预备党员"]) == (2, 0)
    assert (on_the_day["total"], on_the_day["预备党员"]) == (3, 1)
    assert statistics(world.orgs["city"], dt.date(2010, 6, 30))["members"]["total"] == 0


def test_it_counts_a_member_converted_later_as_probationary(world):
    day_before = statistics(world.orgs["city"], dt.date(2011, 6, 30))["members"]
    converted = statistics(world.orgs["city"], dt.date(2011, 7, 1))["members"]
    assert (day_before["total"], day_before["正式党员"], day_before["预备党员"]) == (9, 0, 9)
    assert (converted["total"], converted["正式党员"], converted["预备党员"]) == (9, 9, 0)


def test_it_moves_the_count_with_a_transfer_at_its_date(world):
    moved = world.members["a1"]
    members.update_member(CLI, moved, org=world.orgs["bx"], transfer_on=dt.date(2020, 3, 1))
    county, county2, city = world.orgs["county"], world.orgs["county2"], world.orgs["city"]

    def totals(day):
        return (
            statistics(county, day)["members"]["total"],
            statistics(county2, day)["members"]["total"],
            statistics(city, day)["members"]["total"],
        )

    assert totals(dt.date(2015, 6, 30)) == (7, 2, 9)
    assert totals(dt.date(2020, 2, 29)) == (7, 2, 9)
    assert totals(dt.date(2020, 3, 1)) == (6, 3, 9)
    assert totals(TODAY) == (7, 3, 10)
    # Seen from each subtree the transfer is a move; inside the city it is neither.
    assert statistics(county, dt.date(2020, 12, 31))["changes"]["moved_out"] == 1
    assert statistics(county, dt.date(2020, 12, 31))["changes"]["moved_in"] == 0
    assert statistics(county2, dt.date(2020, 12, 31))["changes"]["moved_in"] == 1
    assert statistics(county2, dt.date(2020, 12, 31))["changes"]["moved_out"] == 0
    city_changes = statistics(city, dt.date(2020, 12, 31))["changes"]
    assert (city_changes["moved_in"], city_changes["moved_out"]) == (0, 0)


def test_it_stops_counting_on_the_day_of_a_leaving_event(world):
    members.record_leaving(CLI, world.members["b1"], kind="deceased", on=dt.date(2023, 5, 10))
    members.record_leaving(CLI, world.members["b2"], kind="moved_out", on=dt.date(2023, 8, 1))
    members.record_leaving(CLI, world.members["b3"], kind="expelled", on=dt.date(2024, 1, 2))
    bb = world.orgs["bb"]
    assert totals_on(bb, dt.date(2023, 5, 9), dt.date(2023, 5, 10)) == [3, 2]
    assert statistics(bb, dt.date(2023, 8, 1))["members"] == {
        "total": 1,
        "正式党员": 1,
        "预备党员": 0,
        "female": 0,
        "ethnic_minority": 0,
        "age_35_and_under": 0,
        "college_or_above": 1,
    }
    assert statistics(bb, dt.date(2024, 1, 2))["members"]["total"] == 0
    changes_2023 = statistics(bb, dt.date(2023, 12, 31))["changes"]
    assert changes_2023 == {**NO_CHANGES, "moved_out": 1, "left": 1}
    # A period given explicitly spans the years.
    both = statistics(bb, TODAY, period=(dt.date(2023, 1, 1), dt.date(2024, 12, 31)))
    assert both["period"] == {"from": "2023-01-01", "to": "2024-12-31"}
    assert (both["changes"]["left"], both["changes"]["moved_out"]) == (2, 1)


def test_it_counts_restoration_and_a_move_back_in(world):
    a2 = members.record_leaving(CLI, world.members["a2"], kind="suspended", on=dt.date(2022, 1, 1))
    members.restore(CLI, a2, on=dt.date(2022, 9, 1))
    b2 = members.record_leaving(CLI, world.members["b2"], kind="moved_out", on=dt.date(2022, 2, 1))
    members.restore(CLI, b2, on=dt.date(2022, 10, 1), org=world.orgs["jb"])
    county = world.orgs["county"]
    # 7 in the county in 2022 (王五 joined in 2024), less the two who left.
    days = (dt.date(2022, 8, 31), dt.date(2022, 9, 1), dt.date(2022, 10, 1))
    assert totals_on(county, *days) == [5, 6, 7]
    assert statistics(county, dt.date(2022, 12, 31))["changes"] == {
        **NO_CHANGES,
        "moved_in": 1,
        "moved_out": 1,
        "left": 1,
        "restored": 1,
    }
    assert statistics(world.orgs["jb"], dt.date(2022, 10, 1))["members"]["total"] == 3


def test_it_counts_joinings_and_conversions_in_the_period(world):
    in_2010 = statistics(world.orgs["city"], dt.date(2010, 12, 31))
    assert in_2010["changes"]["joined"] == 9
    assert in_2010["changes"]["converted"] == 0
    assert statistics(world.orgs["city"], dt.date(2011, 12, 31))["changes"]["converted"] == 9
    in_2024 = statistics(world.orgs["ba"], dt.date(2024, 12, 31))["changes"]
    assert (in_2024["joined"], in_2024["converted"]) == (1, 0)
    assert statistics(world.orgs["bb"], dt.date(2024, 12, 31))["changes"]["joined"] == 0


def test_it_counts_orgs_founded_on_or_before_the_day_and_not_dissolved(world):
    county = world.orgs["county"]
    assert statistics(county, dt.date(2012, 5, 31))["orgs"] == {
        **NO_ORGS,
        "党委": 1,
        "党总支": 1,
        "党支部": 1,
        "联合党支部": 1,
    }
    assert statistics(county, dt.date(2012, 6, 1))["orgs"]["党支部"] == 2
    temp = add_org(
        world.orgs["gb"], "T-TMP", "临时党支部", "temporary_branch", founded_on=dt.date(2020, 1, 1)
    )
    group = add_org(world.orgs["ba"], "T-GRP", "第一党小组", "group")
    orgs.update_org(CLI, temp, dissolved_on=dt.date(2021, 1, 1))
    days = (dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2020, 12, 31), dt.date(2021, 1, 1))
    assert [statistics(county, day)["orgs"]["临时党支部"] for day in days] == [0, 1, 1, 0]
    # An undated org counts on every day.
    assert statistics(group, dt.date(1980, 1, 1))["orgs"] == {**NO_ORGS, "党小组": 1}
    working = add_org(world.orgs["city"], "T-WC", "工委", "working_committee")
    assert statistics(working, TODAY)["orgs"] == {**NO_ORGS, "党工委": 1}


def test_it_does_not_count_a_school_covered_by_an_org_founded_later(world):
    """乙中学党支部 was founded 2012-06-01: before, 乙中学 belonged to its supervisor uncovered."""
    county = world.orgs["county"]
    before = statistics(county, dt.date(2011, 1, 1))["schools"]
    assert before == {"total": 5, "covered": 3, "coverage": 0.6}
    assert statistics(county, dt.date(2012, 6, 1))["schools"]["covered"] == 4
    assert statistics(world.orgs["bb"], dt.date(2011, 1, 1))["schools"]["total"] == 0
    assert statistics(world.orgs["bb"], dt.date(2012, 6, 1))["schools"]["total"] == 1


def test_it_counts_teachers_of_an_uncovered_school_under_its_supervisor(world):
    orgs.update_school(CLI, world.schools["e"], teacher_count=0)
    assert statistics(world.orgs["county"], TODAY)["teachers"]["total"] == 64
    assert statistics(world.orgs["gb"], TODAY)["teachers"]["total"] == 50


def test_it_applies_the_35_year_boundary_on_the_birthday(world):
    young = add_member(world.orgs["bx"], "三十五岁", birth=dt.date(1989, 6, 30))
    assert young.birth_date == dt.date(1989, 6, 30)
    branch = world.orgs["bx"]
    # 35 the day before the 36th birthday, 36 on it.
    assert statistics(branch, dt.date(2025, 6, 29))["members"]["age_35_and_under"] == 1
    assert statistics(branch, dt.date(2025, 6, 30))["members"]["age_35_and_under"] == 0
    # Exactly 35 on the 35th birthday.
    assert statistics(branch, dt.date(2024, 6, 30))["members"]["age_35_and_under"] == 1


def test_it_counts_mass_organisations_as_of_the_day(world):
    s = world.schools
    mass_org(s["a"], "young_pioneers", founded=dt.date(2005, 9, 1))
    mass_org(s["a"], "union")
    mass_org(s["b"], "youth_league_committee", founded=dt.date(2015, 5, 4))
    mass_org(s["b"], "youth_league_branch")
    mass_org(s["b"], "young_pioneers", dissolved=dt.date(2020, 1, 1))
    mass_org(s["b"], "student_union", founded=dt.date(2016, 1, 1))
    mass_org(s["c"], "women")
    mass_org(s["d"], "staff_congress")
    mass_org(s["e"], "young_pioneers")
    mass_org(s["x"], "youth_league_committee")
    county = world.orgs["county"]
    assert statistics(county, TODAY)["mass_orgs"] == {
        "团委": 1,
        "团支部": 1,
        "少先队大队": 2,
        "工会": 1,
        "妇委会": 1,
        "学生会": 1,
        "教代会": 1,
        "schools_with_youth_league": 1,
        "schools_with_young_pioneers": 2,
    }
    assert statistics(county, dt.date(2014, 12, 31))["mass_orgs"] == {
        "团委": 0,
        "团支部": 1,
        "少先队大队": 3,
        "工会": 1,
        "妇委会": 1,
        "学生会": 0,
        "教代会": 1,
        "schools_with_youth_league": 1,
        "schools_with_young_pioneers": 3,
    }
    city = statistics(world.orgs["city"], TODAY)["mass_orgs"]
    assert (city["团委"], city["schools_with_youth_league"]) == (2, 2)
    # 乙中学 belongs to its supervisor before its branch was founded.
    assert statistics(world.orgs["gb"], dt.date(2011, 1, 1))["mass_orgs"]["团支部"] == 0
    assert statistics(world.orgs["gb"], TODAY)["mass_orgs"]["团支部"] == 1


def _grow(world, n):
    """n more branches under a new general branch, each with a school and two members."""
    gb = add_org(world.orgs["county2"], f"T-G{n}", f"学区{n}", "general_branch")
    for i in range(n):
        branch = add_org(gb, f"T-G{n}-{i}", f"支部{n}-{i}", "branch")
        school = add_school(f"S-G{n}-{i}", f"学校{n}-{i}", gb, branch)
        mass_org(school, "young_pioneers")
        # Born apart from the shared world's people, so no ID number can clash.
        birth = dt.date(1986, 1, 1) + dt.timedelta(days=i)
        add_member(branch, f"甲{n}-{i}", birth=birth)
        add_member(branch, f"乙{n}-{i}", sex="female", birth=birth)


@pytest.mark.parametrize("root_key", ["city", "ba"])
def test_it_uses_a_constant_number_of_queries(world, root_key, django_assert_max_num_queries):
    root = world.orgs[root_key]
    with CaptureQueriesContext(connection) as small:
        statistics(root, TODAY)
    # The scope (is it the whole tree? its ids), a query per section, two for the changes,
    # five for 责任与考核 (letters, inspections, 整改, the evaluation rank, honours), four
    # for 组织生活 (its rules, the branches, the held slots, the meetings' counts), four for
    # 党费 (the ledger three ways, the payments), seven for 结对帮扶 and 培训与学习 (the
    # ledger, the pairings, the hours per person and year, the cadres, the rotation).
    # A subtree of a few orgs (core.small_subtrees) has some sections count their fetched rows
    # instead, a few plain queries each whatever the number of rows: 党费 four (two more
    # when members without any spell have their record there), 创先争优 seven, 廉政 four,
    # 换届 two.
    assert len(small) <= (29 if root_key == "city" else 39)
    _grow(world, 12)
    with django_assert_max_num_queries(len(small)):
        result = statistics(root, TODAY)
    if root_key == "city":
        assert result["members"]["total"] == 34
        assert result["orgs"]["党支部"] == 15
        assert result["mass_orgs"]["schools_with_young_pioneers"] == 12


@pytest.mark.parametrize("live", [False, True])
def test_small_subtrees_counted_from_fetched_rows_agree_with_the_database(world, live):
    """A small subtree's members are fetched and counted in Python (FETCH_MEMBERS_UP_TO);
    every count equals the database's conditional counts, for every org and on days around
    the world's events (joining, 转正, transfers, birthdays at the band edges)."""
    from dataclasses import replace

    from dangjian.stats.engine import _member_counts, _member_counts_fetched, calendar_year
    from tests.small_scopes import scopes_by_ids

    # Most of the world was born on 1985-05-01: 31 (out of the first band) on 2016-05-01,
    # 41 on 2026-05-01.
    days = [dt.date(2009, 12, 31), dt.date(2011, 7, 1), TODAY, dt.date(2040, 5, 1)]
    days += [dt.date(2016, 4, 30), dt.date(2016, 5, 1), dt.date(2026, 4, 30), dt.date(2026, 5, 1)]
    checked = 0
    for day in days:
        for by_ids in scopes_by_ids(day, calendar_year(day)):
            scope = replace(by_ids, live=live)
            fetched = _member_counts_fetched(scope)
            assert fetched == _member_counts(scope), (scope.root.code, day)
            checked += fetched["total"]
    assert checked > 0
