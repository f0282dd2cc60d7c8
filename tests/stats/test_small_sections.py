"""A small subtree's orgs, schools, mass orgs and changes are counted from its fetched rows
(core.small_subtrees); every figure equals the database's aggregates, for every org of the world
passed by its ids, on every day where a date of the data starts or ends something (an
org's or a mass org's founding and dissolution, an event) and the days either side."""

import datetime as dt

from dangjian.core.context import CLI
from dangjian.members import services as members
from dangjian.members.models import MemberEvent
from dangjian.orgs.models import MassOrganization, Organization, School
from dangjian.stats import engine
from dangjian.stats.engine import Scope
from tests.small_scopes import edge_days, scopes_by_ids
from tests.stats.test_engine import mass_org


def _world_of_schools_and_changes(world):
    s, o, m = world.schools, world.orgs, world.members
    mass_org(s["a"], "young_pioneers", founded=dt.date(2005, 9, 1))
    mass_org(s["a"], "union", dissolved=dt.date(2023, 3, 1))
    mass_org(s["b"], "youth_league_committee", founded=dt.date(2015, 5, 4))
    mass_org(s["b"], "youth_league_branch")
    mass_org(s["b"], "young_pioneers", dissolved=dt.date(2020, 1, 1))
    mass_org(s["b"], "student_union", founded=dt.date(2016, 1, 1))
    mass_org(s["c"], "women")
    mass_org(s["c"], "youth_league_branch", founded=dt.date(2018, 9, 1))
    mass_org(s["d"], "staff_congress")
    mass_org(s["e"], "young_pioneers")
    mass_org(s["x"], "youth_league_committee")
    # A school's branch founded late and one dissolved: the school belongs to its
    # supervisor outside those dates (the rows are written as older data would be).
    covering = School.objects.exclude(covering_org=None).order_by("pk")
    first, second = covering[0].covering_org, covering[1].covering_org
    Organization.objects.filter(pk=first.pk).update(founded_on=dt.date(2019, 7, 1))
    Organization.objects.filter(pk=second.pk).update(dissolved_on=dt.date(2024, 3, 1))
    School.objects.filter(pk=covering[0].pk).update(teacher_count=7)
    # Events: a transfer between branches, one out of the system and back, a leaving.
    members.update_member(CLI, m["a1"], org=o["bb"], transfer_on=dt.date(2024, 7, 1))
    a2 = members.record_leaving(CLI, m["a2"], kind="suspended", on=dt.date(2022, 1, 1))
    members.restore(CLI, a2, on=dt.date(2022, 9, 1))
    b2 = members.record_leaving(CLI, m["b2"], kind="moved_out", on=dt.date(2022, 2, 1))
    members.restore(CLI, b2, on=dt.date(2022, 10, 1), org=o["jb"])
    members.update_member(CLI, m["x1"], org=o["ba"], transfer_on=dt.date(2023, 5, 1))


def _edges():
    """Every date the data starts or ends something on, and the days either side."""
    dates = set()
    for model in (Organization, MassOrganization):
        for founded, dissolved in model.objects.values_list("founded_on", "dissolved_on"):
            dates |= {founded, dissolved}
    dates |= set(MemberEvent.objects.values_list("on", flat=True))
    return edge_days(dates)


def test_small_subtrees_counted_from_fetched_rows_agree_with_the_database(world):
    _world_of_schools_and_changes(world)
    days = _edges()
    assert len(days) > 30
    pairs = (
        (engine.fetched_org_counts, engine.database_org_counts),
        (engine.fetched_school_counts, engine.database_school_counts),
        (engine.fetched_mass_org_counts, engine.database_mass_org_counts),
        (engine.fetched_change_counts, engine.database_change_counts),
    )
    seen = set()
    for day in days:
        # The calendar year, and a period ending on the day (events on its edges).
        for period in (engine.calendar_year(day), (day - dt.timedelta(days=200), day)):
            for scope in scopes_by_ids(day, period):
                for fetched, database in pairs:
                    found = fetched(scope)
                    expected = database(scope)
                    # SQLite sums nothing to None where the fetched count says 0.
                    expected = {
                        key: value if isinstance(value, tuple) else value or 0
                        for key, value in expected.items()
                    }
                    assert found == expected, (fetched.__name__, scope.root.code, day, period)
                    seen |= {
                        (fetched.__name__, key)
                        for key, value in found.items()
                        if (any(value) if isinstance(value, tuple) else value)
                    }
    for fetched, _database in pairs:
        keys = {key for name, key in seen if name == fetched.__name__}
        assert keys == set(fetched(next(scopes_by_ids(days[0], engine.calendar_year(days[0]))))), (
            fetched.__name__,
            keys,
        )


def test_the_sections_fetch_rows_only_for_small_subtrees(world, monkeypatch):
    called = []
    names = (
        "fetched_org_counts",
        "fetched_school_counts",
        "fetched_mass_org_counts",
        "fetched_change_counts",
    )
    for name in names:
        real = getattr(engine, name)
        monkeypatch.setattr(engine, name, lambda scope, real=real: called.append(1) or real(scope))
    day = dt.date(2025, 6, 30)
    branch = engine.make_scope(world.orgs["ba"], day)
    sections = (
        engine.org_section,
        engine.school_section,
        engine.mass_org_section,
        engine.change_section,
    )
    for section in sections:
        section(branch, {})
    assert len(called) == 4
    city = engine.make_scope(world.orgs["city"], day)
    big = Scope(root=city.root, as_of=day, period=city.period, ids=tuple(range(1, 30)))
    for scope in (city, big):
        for section in sections:
            section(scope, {})
    assert len(called) == 4
