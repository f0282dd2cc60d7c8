"""A small subtree's `assessment` key is counted from its fetched rows (core.small_subtrees);
every figure equals the database's, for every org of the world passed by its ids, on every
day a letter, inspection, 整改 item, evaluation or honour is dated on and the days either
side, over periods ending on the day, starting on it and starting after it (the overdue
items are then judged on the period's end)."""

import datetime as dt

from dangjian.assessment import services
from dangjian.assessment.models import (
    Evaluation,
    Honour,
    Inspection,
    Rectification,
    ResponsibilityLetter,
)
from dangjian.assessment.stats import database_figures, fetched_figures
from dangjian.core.context import CLI
from tests.small_scopes import edge_days, small_scope_cases

D = dt.date
ONE = dt.timedelta(days=1)


def _inspection(org, start_on, targets):
    return services.create_inspection(
        CLI,
        org=org,
        topic="专项督查",
        start_on=start_on,
        end_on=start_on + dt.timedelta(days=5),
        inspectors="督查组",
        targets=targets,
    )


def _item(inspection, org, found_on, deadline, accepted_on=None):
    item = services.add_rectification(
        CLI, inspection, org=org, finding="问题", owner="某", found_on=found_on, deadline=deadline
    )
    if accepted_on is not None:
        services.report_rectification(CLI, item, evidence="已整改", submitted_on=found_on)
        services.review_rectification(CLI, item, accept=True, on=accepted_on)


def _evaluation(org, name, held_on, rank):
    services.record_evaluation(
        CLI,
        org=org,
        name=name,
        body="测评单位",
        year=held_on.year,
        held_on=held_on,
        ranked_among="全县",
        rank=rank,
    )


def _honour(member=None, org=None, *, nominated_on, decided_on=None, approve=True):
    honour = services.nominate_honour(
        CLI,
        kind="excellent_member" if member else "advanced_org",
        level="county",
        year=nominated_on.year,
        member=member,
        org=org,
        awarded_by="中共测试县委",
        nominated_on=nominated_on,
    )
    if decided_on is not None:
        end = decided_on - ONE
        services.publicise_honour(CLI, honour, start=nominated_on, end=end)
        services.decide_honour(CLI, honour, approve=approve, on=decided_on)


def _world_of_assessment(world):
    o, m = world.orgs, world.members
    for org, year, signed_on in (
        (o["ba"], 2024, D(2024, 1, 15)),
        (o["bb"], 2024, D(2023, 12, 31)),
        (o["jb"], 2024, None),
        (o["bx"], 2023, D(2023, 3, 1)),
        (o["gb"], 2025, D(2024, 12, 31)),
    ):
        services.create_letter(CLI, org=org, year=year, signed_on=signed_on)
    by_county = _inspection(o["county"], D(2024, 3, 1), [o["ba"]])
    _item(by_county, o["ba"], D(2024, 3, 5), D(2024, 4, 30), accepted_on=D(2024, 4, 25))
    _item(by_county, o["ba"], D(2024, 3, 5), D(2024, 3, 31), accepted_on=D(2024, 5, 10))
    _item(by_county, o["ba"], D(2024, 3, 10), D(2024, 6, 30))
    # Its org and both targets in the gb subtree: counted once.
    by_gb = _inspection(o["gb"], D(2024, 6, 1), [o["ba"], o["bb"]])
    _item(by_gb, o["bb"], D(2024, 6, 5), D(2024, 6, 5))
    by_county2 = _inspection(o["county2"], D(2023, 12, 31), [o["bx"]])
    _item(by_county2, o["bx"], D(2024, 1, 2), D(2024, 1, 31), accepted_on=D(2024, 2, 1))
    _inspection(o["county"], D(2024, 12, 31), [o["ba"], o["jb"]])
    for year, rank in ((2008, 15), (2009, 12), (2010, 8)):
        _evaluation(o["county"], "政风行风测评", D(year, 12, 28), rank)
    # The same day as the last one, recorded later: the latest, with none before it.
    _evaluation(o["county"], "满意度测评", D(2010, 12, 28), 3)
    _evaluation(o["ba"], "学校测评", D(2023, 12, 31), 5)
    _evaluation(o["ba"], "学校测评", D(2024, 6, 1), 2)
    _evaluation(o["gb"], "学区测评", D(2024, 12, 31), 4)
    _honour(m["a1"], nominated_on=D(2024, 6, 1), decided_on=D(2024, 6, 10))
    _honour(org=o["bb"], nominated_on=D(2024, 12, 1), decided_on=D(2024, 12, 31))
    _honour(m["b1"], nominated_on=D(2024, 3, 1), decided_on=D(2024, 3, 20), approve=False)
    _honour(m["c1"], nominated_on=D(2024, 5, 1))
    _honour(org=o["bx"], nominated_on=D(2023, 12, 1), decided_on=D(2024, 1, 1))


def _edges():
    dates = set(ResponsibilityLetter.objects.values_list("signed_on", flat=True))
    dates |= set(Inspection.objects.values_list("start_on", flat=True))
    for found, deadline, accepted in Rectification.objects.values_list(
        "found_on", "deadline", "accepted_on"
    ):
        dates |= {found, deadline, accepted}
    dates |= set(Evaluation.objects.values_list("held_on", flat=True))
    dates |= set(Honour.objects.values_list("decided_on", flat=True))
    return edge_days(dates)


def test_small_subtrees_counted_from_fetched_rows_agree_with_the_database(world):
    _world_of_assessment(world)
    days = _edges()
    assert len(days) > 40
    seen = set()
    for day, period, scope in small_scope_cases(days):
        found = fetched_figures(scope)
        assert found == database_figures(scope), (scope.root.code, day, period)
        for key, value in found.items():
            if isinstance(value, dict):
                seen |= {(key, k) for k, v in value.items() if v}
            elif value:
                seen.add(key)
    assert seen == {
        "letters_signed",
        "inspections",
        ("rectifications", "total"),
        ("rectifications", "closed"),
        ("rectifications", "overdue"),
        "rank",
        "previous_rank",
        "honours",
    }
