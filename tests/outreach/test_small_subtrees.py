"""A small subtree's `outreach` key is counted from its fetched pairings and ledger entries
(core.small_subtrees); every figure, type included, equals the database's aggregates, for every org
of the world passed by its ids, on days and periods around the pairings' starts and ends and
the entries' dates."""

import datetime as dt

from dangjian.outreach.models import Assistance, Pairing
from dangjian.outreach.stats import database_figures, fetched_figures, outreach_section
from dangjian.stats.engine import Scope, make_scope
from tests.outreach.test_outreach import give, pair
from tests.small_scopes import edge_days, small_scope_cases

D = dt.date


def _world_of_outreach(world):
    o, s = world.orgs, world.schools
    ba = pair(o["ba"], ended=D(2024, 1, 1))
    give(ba, "money", D(2023, 12, 31), "1000")
    give(ba, "money", D(2024, 1, 1), "100.10")
    give(ba, "goods", D(2023, 7, 1), "0.20")
    later = pair(o["ba"], started=D(2024, 3, 1))
    give(later, "money", D(2024, 3, 1), "0.10")
    give(later, "money", D(2024, 12, 31), "0.20")
    give(later, "books", D(2024, 4, 23), quantity=500)
    give(later, "tuition", D(2024, 9, 1), "4800", quantity=12)
    give(later, "grant", D(2024, 11, 15), "3000.05", quantity=3)
    give(later, "training", D(2024, 11, 12), quantity=40)
    give(later, "visit", D(2024, 5, 1))
    bundled = pair(o["bb"], kind="bundled", school=s["a"], partner_school=s["c"])
    give(bundled, "training", D(2024, 2, 29))
    give(bundled, "goods", D(2025, 1, 1), "350.55")
    give(bundled, "books", D(2025, 1, 1), quantity=20)
    far = pair(o["bx"], started=D(2024, 6, 1), ended=D(2025, 5, 31))
    give(far, "money", D(2024, 6, 1), "3")
    give(far, "tuition", D(2025, 5, 31), "10", quantity=1)
    pair(o["county"], started=D(2025, 1, 1))  # no ledger


def _edges():
    dates = set()
    for started, ended in Pairing.objects.values_list("started_on", "ended_on"):
        dates |= {started, ended}
    dates |= set(Assistance.objects.values_list("on", flat=True))
    return edge_days(dates)


def test_small_subtrees_counted_from_fetched_rows_agree_with_the_database(world):
    _world_of_outreach(world)
    days = _edges()
    assert len(days) > 20
    seen = set()
    for _day, period, scope in small_scope_cases(days):
        found = fetched_figures(scope)
        # repr: the same types too (a count an int, never a Decimal).
        assert repr(found) == repr(database_figures(scope)), (scope.root.code, period)
        for key, value in found.items():
            if isinstance(value, dict):
                seen |= {(key, k) for k, v in value.items() if v}
            elif value:
                seen.add(key)
    assert seen == {
        "pairings",
        "school_pairs",
        "money",
        "goods_value",
        "books",
        ("tuition_waived", "students"),
        ("tuition_waived", "yuan"),
        ("grants", "students"),
        ("grants", "yuan"),
        "trainings_held",
    }


def test_the_section_fetches_rows_only_for_small_subtrees(world, monkeypatch):
    from dangjian.outreach import stats

    called = []
    monkeypatch.setattr(stats, "fetched_figures", lambda scope: called.append(1) or {})
    day = D(2024, 12, 31)
    outreach_section(make_scope(world.orgs["ba"], day), {})
    assert called == [1]
    city = make_scope(world.orgs["city"], day)
    big = Scope(root=city.root, as_of=day, period=city.period, ids=tuple(range(1, 30)))
    outreach_section(city, {})
    outreach_section(big, {})
    assert called == [1]
