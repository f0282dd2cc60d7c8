"""`development` (INTERFACES 6): people at each stage on `as_of` in the subtree, and those
admitted (dated by the 支部大会) and converted within the period."""

from dataclasses import dataclass

import pytest

from dangjian.core.context import CLI
from dangjian.recruitment import services
from dangjian.recruitment.models import CloseReason, Recruit
from dangjian.recruitment.rules import Local
from dangjian.recruitment.stats import development_section, source_figures
from tests.recruitment.helpers import D, admit, advance, convert, new_recruit


@dataclass(frozen=True)
class Scope:
    path: str
    as_of: object
    period: tuple


YEAR_2024 = (D(2024, 1, 1), D(2024, 12, 31))


def figures(org, as_of, period=YEAR_2024):
    return development_section(Scope(org.path, as_of, period), {})["development"]


@pytest.fixture
def pipeline(world):
    """In T-BA: one applicant (2023-01-10), one closed applicant, one admitted (支部大会
    2024-06-03, approved 06-20) and converted 2025-06-03; in T-BB one applicant."""
    pair = [world.members["a1"], world.members["a2"]]
    applicant = new_recruit(world.orgs["ba"], name="甲")
    closed = new_recruit(world.orgs["ba"], name="乙")
    services.close_recruit(CLI, closed, on=D(2023, 6, 1), reason=CloseReason.WITHDREW)
    admitted = admit(advance(new_recruit(world.orgs["ba"], name="丙"), pair, pair), pair)
    convert(admitted, pair, D(2025, 6, 3), D(2025, 6, 20))
    other = new_recruit(world.orgs["bb"], name="丁")
    return applicant, closed, admitted, other


def test_it_counts_people_at_each_stage_on_a_day(world, pipeline):
    ba = world.orgs["ba"]
    assert figures(ba, D(2023, 1, 9)) == {
        "入党申请人": 0,
        "入党积极分子": 0,
        "发展对象": 0,
        "admitted": 1,
        "converted": 0,
    }
    on_day = figures(ba, D(2023, 1, 10))
    assert on_day["入党申请人"] == 3
    assert figures(ba, D(2023, 5, 31))["入党申请人"] == 2  # 丙 became an activist 03-01
    assert figures(ba, D(2023, 6, 1))["入党申请人"] == 1  # 乙 closed on 06-01
    assert figures(ba, D(2023, 6, 1))["入党积极分子"] == 1
    assert figures(ba, D(2024, 3, 1))["发展对象"] == 1
    # Admitted on the 支部大会 day (approved later): no longer a 发展对象 from that day.
    assert figures(ba, D(2024, 6, 2))["发展对象"] == 1
    assert figures(ba, D(2024, 6, 3))["发展对象"] == 0


def test_it_counts_admissions_and_conversions_in_the_period(world, pipeline):
    ba = world.orgs["ba"]
    assert figures(ba, D(2024, 12, 31))["admitted"] == 1
    assert figures(ba, D(2024, 12, 31), (D(2024, 6, 4), D(2024, 12, 31)))["admitted"] == 0
    assert figures(ba, D(2024, 12, 31), (D(2024, 6, 3), D(2024, 6, 3)))["admitted"] == 1
    assert figures(ba, D(2025, 12, 31), (D(2025, 1, 1), D(2025, 12, 31)))["converted"] == 1


def test_it_counts_within_the_subtree(world, pipeline):
    assert figures(world.orgs["bb"], D(2023, 6, 1))["入党申请人"] == 1
    assert figures(world.orgs["county"], D(2023, 6, 1))["入党申请人"] == 2
    assert figures(world.orgs["bx"], D(2023, 6, 1))["入党申请人"] == 0


def test_it_counts_source_categories(world):
    young = new_recruit(world.orgs["ba"], D(2026, 3, 1), name="青年", birth=D(1995, 1, 1))
    new_recruit(
        world.orgs["ba"], D(2026, 3, 1), name="年长", birth=D(1980, 1, 1), backbone="subject_leader"
    )
    new_recruit(
        world.orgs["bb"],
        D(2026, 3, 2),
        name="学生",
        birth=D(2007, 1, 1),
        person_type="student",
        work_unit=world.schools["b"],
    )
    rows = source_figures(
        Recruit.objects.all(), (D(2026, 1, 1), D(2026, 12, 31)), D(2026, 11, 20), Local()
    )
    by_label = {row["label"]: row for row in rows}
    assert by_label["合计"]["applied"] == 3
    assert by_label["35周岁及以下青年教师"]["applied"] == 1
    assert by_label["学科带头人"]["pipeline"] == 1
    # 乙中学 is a 初级中学: its pupils are not 高中/中职 students.
    assert by_label["高中、中职学生"]["applied"] == 0
    assert young.stage == "applicant"


def test_a_small_subtree_counted_from_its_fetched_recruits_agrees_with_the_database(
    world, pipeline
):
    """Every org passed by its ids (core.small_subtrees), on every day a recruit's stage
    date starts or ends something and the days either side, two periods each."""
    import datetime as dt

    from dangjian.recruitment.stats import database_counts, fetched_counts
    from tests.small_scopes import edge_days, scopes_by_ids

    days = edge_days(
        day
        for row in Recruit.objects.values_list(
            "applied_on", "activist_on", "candidate_on", "admitted_on", "closed_on", "converted_on"
        )
        for day in row
    )
    assert len(days) > 15
    seen = set()
    for day in days:
        for period in ((D(day.year, 1, 1), D(day.year, 12, 31)), (day - dt.timedelta(200), day)):
            for scope in scopes_by_ids(day, period):
                found = fetched_counts(scope)
                assert found == database_counts(scope), (scope.root.code, day, period)
                seen |= {key for key, value in found.items() if value}
    assert seen == set(fetched_counts(scope))  # every figure was non-zero somewhere
