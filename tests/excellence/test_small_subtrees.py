"""A small subtree's `excellence` key is counted from its fetched rows (core.small_subtrees); every
count equals the database's single query, for every org of the world, on days and periods
around the checks, points, ratings, commitments, posts and exemplars."""

import datetime as dt
from decimal import Decimal

from personas import add_org, add_school

from dangjian.core.context import CLI
from dangjian.excellence import services
from dangjian.excellence.stats import database_counts, fetched_counts
from tests.small_scopes import scopes_by_ids

DAY = dt.date(2024, 3, 1)


def _point(org, *, score=90, evaluated_on=DAY):
    point = services.apply_point(CLI, org, applied_on=evaluated_on - dt.timedelta(days=30))
    return services.evaluate_point(CLI, point, evaluated_on=evaluated_on, score=Decimal(score))


def _answers(n):
    return {str(i): {"met": True, "evidence": "台账"} for i in range(n)}


def _world_of_excellence(world):
    ba, bb, jb = world.orgs["ba"], world.orgs["bb"], world.orgs["jb"]
    county = world.orgs["county"]
    # A school org founded later, with a titled point before it existed.
    new = add_org(county, "T-NEW", "新学校党支部", "branch", founded_on=dt.date(2024, 9, 1))
    add_school("S-NEW", "新小学", county, new)
    kept = _point(ba)
    services.select_bureau(CLI, kept, on=dt.date(2024, 6, 1))
    services.recommend_city(CLI, kept, on=dt.date(2024, 7, 1))
    lost = _point(bb, evaluated_on=dt.date(2024, 4, 1))
    services.select_bureau(CLI, lost, on=dt.date(2024, 6, 1))
    services.review_point(
        CLI, lost, reviewed_on=dt.date(2025, 1, 15), kept=False, note="年度复核未达标"
    )
    _point(jb, score=50)  # below the standard
    _point(new, evaluated_on=dt.date(2024, 5, 1))
    returned = services.submit_check(CLI, ba, self_checked_on=DAY, answers=_answers(10))
    services.review_check(CLI, returned, passed=False, reviewed_on=DAY, note="退回")
    again = services.submit_check(
        CLI, ba, self_checked_on=DAY + dt.timedelta(days=20), answers=_answers(10)
    )
    services.review_check(CLI, again, passed=True, reviewed_on=DAY + dt.timedelta(days=30))
    other = services.submit_check(CLI, bb, self_checked_on=DAY, answers=_answers(10))
    services.review_check(CLI, other, passed=False, reviewed_on=dt.date(2024, 11, 1), note="退回")
    a1, a2 = world.members["a1"], world.members["a2"]
    services.rate_member(CLI, a1, year=2024, stars=3, rated_on=dt.date(2024, 12, 20))
    services.rate_member(CLI, a2, year=2024, stars=2, rated_on=dt.date(2024, 12, 20))
    services.rate_member(CLI, a2, year=2023, stars=1, rated_on=dt.date(2023, 12, 20))
    done = services.make_commitment(CLI, a1, year=2024, text="上好示范课", made_on=DAY)
    services.review_commitment(CLI, done, stage="mid", reviewed_on=dt.date(2024, 7, 1), note="好")
    services.review_commitment(
        CLI, done, stage="final", reviewed_on=dt.date(2024, 12, 1), fulfilment="fulfilled"
    )
    services.make_commitment(CLI, a2, year=2024, text="家访", made_on=dt.date(2024, 4, 1))
    for org, start, end in ((ba, dt.date(2023, 1, 1), dt.date(2023, 12, 31)), (bb, DAY, None)):
        services.create_post(
            CLI, org, kind="window", name="窗口", holder_name="张三", start_on=start, end_on=end
        )
    services.create_exemplar(
        CLI, bb, name="乙", title="优秀共产党员", level="city", recognised_on=DAY
    )


def test_small_subtrees_counted_from_fetched_rows_agree_with_the_database(world):
    _world_of_excellence(world)
    days = [dt.date(2023, 12, 31), DAY, dt.date(2024, 4, 30), dt.date(2024, 8, 31)]
    days += [dt.date(2024, 9, 1), dt.date(2024, 12, 31), dt.date(2025, 1, 14), dt.date(2025, 1, 15)]
    seen = set()
    for day in days:
        for period in (
            (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)),
            (dt.date(2023, 6, 1), dt.date(2024, 6, 30)),
        ):
            for scope in scopes_by_ids(day, period):
                fetched = fetched_counts(scope)
                assert fetched == database_counts(scope), (scope.root.code, day, period)
                seen |= {key for key, value in fetched.items() if value}
    assert seen == set(fetched) - {"s4", "s5"}
