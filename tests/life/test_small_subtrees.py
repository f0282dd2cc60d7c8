"""A small subtree's `life` figures are counted from its meetings fetched once by org id
(core.small_subtrees); every figure equals the database path's (rules.compliance's own query and
the meetings' aggregate), for every org of the world passed by its ids, on days before, on
and after slot ends and the meetings' dates, with rules changed mid-year, branches founded
and dissolved on slot ends, a 党小组's meeting and meetings with their roster counts."""

import datetime as dt

import pytest
from personas import add_org

from dangjian.life import stats
from dangjian.life.models import Meeting
from dangjian.orgs.models import Organization
from dangjian.stats.engine import Scope, make_scope
from tests.life.helpers import D, meeting, rules_changed_midyear
from tests.small_scopes import edge_days, scopes_by_ids


def _world_of_meetings(world):
    rules_changed_midyear(world)
    gb, ba, bb = world.orgs["gb"], world.orgs["ba"], world.orgs["bb"]
    made = [
        add_org(gb, f"T-C{i}", f"测试党支部{i}", "branch", founded_on=founded)
        for i, founded in enumerate((D(2025, 3, 31), D(2025, 4, 1), D(2024, 12, 31), None))
    ]
    Organization.objects.filter(pk=made[0].pk).update(dissolved_on=D(2025, 9, 30))
    Organization.objects.filter(pk=made[3].pk).update(dissolved_on=D(2025, 5, 31))
    group = add_org(ba, "T-BA-G9", "甲小学测试党小组", "group")
    meeting(ba, "lecture", D(2025, 1, 15))  # January's monthly slot and Q1 share 1 January
    meeting(bb, "lecture", D(2025, 2, 20))
    meeting(group, "group", D(2025, 4, 30))
    meeting(made[0], "general", D(2025, 4, 1))
    meeting(made[2], "committee", D(2025, 3, 31))
    meeting(ba, "general", D(2024, 12, 31))
    meeting(ba, "theme_day", D(2025, 6, 30))
    meeting(world.orgs["bx"], "committee", D(2025, 1, 1))
    meeting(world.orgs["jb"], "general", D(2024, 7, 31))
    # Roster counts of their own (the services count the roster).
    Meeting.objects.filter(org=bb).update(expected_count=9, present_count=7)
    Meeting.objects.filter(org=made[2]).update(expected_count=4, present_count=0)


def _days():
    dates = set(Meeting.objects.values_list("held_on", flat=True))
    for founded, dissolved in Organization.objects.values_list("founded_on", "dissolved_on"):
        dates |= {founded, dissolved}
    dates |= {D(2025, 1, 31), D(2025, 3, 31), D(2025, 6, 30), D(2025, 12, 31)}
    return edge_days(dates)


@pytest.mark.django_db
def test_small_subtrees_counted_from_fetched_meetings_agree_with_the_database(world):
    _world_of_meetings(world)
    days = [day for day in _days() if day >= D(2024, 1, 1)]
    assert len(days) > 20
    seen = set()
    for day in days:
        periods = ((D(day.year, 1, 1), D(day.year, 12, 31)), (day - dt.timedelta(days=200), day))
        for period in periods:
            for scope in scopes_by_ids(day, period):
                found = stats.fetched_figures(scope)
                assert found == stats.database_figures(scope), (scope.root.code, day, period)
                seen |= {key for key, value in found.items() if value and key != "by_kind"}
                seen |= {kind for kind, n in found["by_kind"].items() if n}
    assert {"required", "held", "compliance", "attendance_rate"} <= seen
    assert len(seen) >= 8, seen


def test_the_section_fetches_meetings_only_for_small_subtrees(world, monkeypatch):
    called = []
    monkeypatch.setattr(stats, "fetched_figures", lambda scope: called.append(1) or {})
    day = D(2025, 6, 30)
    stats.life_section(make_scope(world.orgs["ba"], day), {})
    assert called == [1]
    city = make_scope(world.orgs["city"], day)
    big = Scope(root=city.root, as_of=day, period=city.period, ids=tuple(range(1, 30)))
    stats.life_section(city, {})
    stats.life_section(big, {})
    assert called == [1]
