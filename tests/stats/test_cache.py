"""stats.cache: a figure is reused only while nothing it counts has changed. After every
kind of write (services, bulk import, raw SQL past the application) the reused object is
the freshly computed one; the version moves only when a write commits."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from personas import add_member, build_world

from dangjian.core.audit import AuditAction, record
from dangjian.core.context import CLI
from dangjian.members import services as members
from dangjian.members.choices import EventKind
from dangjian.orgs import services as orgs
from dangjian.stats import cache, dashboard, tasks, triggers
from dangjian.stats.engine import _statistics, statistics
from dangjian.stats.models import DataChange, DataVersion

TODAY = dt.date(2025, 6, 30)
# Committing tests: figures are reused only outside a transaction block.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_counted_table_carries_the_triggers():
    tables = set(triggers.counted_tables(apps))
    assert {"members_member", "members_membership", "orgs_organization"} <= tables
    assert tables <= triggers.installed(connection)


@pytest.fixture
def city():
    caches["stats"].clear()
    world = build_world()
    cache.version()  # a flushed database gets its version row back first
    return world


def fresh(org):
    return _statistics(org, TODAY, None, False, None)


def reused(org) -> tuple[dict, int]:
    """The statistics object through the cache, and how many queries it took."""
    with CaptureQueriesContext(connection) as queries:
        result = statistics(org, TODAY)
    return result, len(queries)


def test_a_result_is_reused_until_a_write_commits(city):
    org = city.orgs["city"]
    first, _ = reused(org)
    again, queries = reused(org)
    assert again == first
    assert queries == 1  # the version, nothing recounted

    before = cache.version()
    add_member(
        city.orgs["ba"],
        "新党员",
        birth=dt.date(1992, 1, 1),
        joined=dt.date(2015, 7, 1),
        converted=dt.date(2016, 7, 1),
    )
    assert cache.version() != before
    after, queries = reused(org)
    assert queries > 1
    assert after == fresh(org)
    assert after["members"]["total"] == first["members"]["total"] + 1


def test_every_kind_of_write_is_seen(city):
    org = city.orgs["city"]
    member = add_member(city.orgs["ba"], "甲", birth=dt.date(1980, 3, 1))
    writes = [
        lambda: members.update_member(CLI, member, education="postgraduate"),
        lambda: members.update_member(
            CLI, member, org=city.orgs["bx"], transfer_on=dt.date(2025, 3, 1)
        ),
        lambda: members.record_leaving(
            CLI, member, kind=EventKind.DECEASED, on=dt.date(2025, 5, 1)
        ),
        lambda: orgs.update_org(CLI, city.orgs["bb"], founded_on=dt.date(2025, 1, 1)),
        lambda: orgs.create_org(
            CLI, parent=city.orgs["gb"], code="T-NEW", name="新党支部", kind="branch"
        ),
        # Past the application altogether: the database's triggers still count it.
        lambda: connection.cursor().execute(
            "UPDATE members_membership SET sex = 'female' WHERE sex = 'male'"
        ),
    ]
    watched = [org, city.orgs["county"], city.orgs["county2"]]
    for write in writes:
        seen = [reused(o)[0] for o in watched]
        assert all(reused(o)[1] == 1 for o in watched)
        write()
        now = [reused(o)[0] for o in watched]
        assert now == [fresh(o) for o in watched]
        assert now != seen


def test_the_dashboard_is_reused_and_follows_writes(city):
    org = city.orgs["city"]
    first = dashboard.build(org, TODAY)
    with CaptureQueriesContext(connection) as queries:
        again = dashboard.build(org, TODAY)
    assert len(queries) == 1
    assert again.now == first.now and again.years == first.years
    add_member(city.orgs["bx"], "乙", person_type="teacher", work_unit=city.schools["x"])
    now = dashboard.build(org, TODAY)
    live = dashboard._build(org, TODAY)
    assert now.now == live.now and now.years == live.years
    assert [(s.code, s.party_teachers) for s in now.schools] == [
        (s.code, s.party_teachers) for s in live.schools
    ]
    assert now.now["members"]["total"] == first.now["members"]["total"] + 1


def test_nothing_is_reused_or_kept_inside_a_transaction(city):
    org = city.orgs["city"]
    with transaction.atomic():
        assert cache.version() is None
        add_member(city.orgs["ba"], "未提交")
        inside = statistics(org, TODAY)
        transaction.set_rollback(True)
    # The rolled-back member was never stored under any version.
    assert reused(org)[0]["members"]["total"] == inside["members"]["total"] - 1


def test_an_uncommitted_write_does_not_move_the_version(city):
    before = cache.version()
    with transaction.atomic():
        add_member(city.orgs["ba"], "未提交")
        transaction.set_rollback(True)
    assert cache.version() == before


def test_a_flushed_database_starts_a_new_epoch(city):
    epoch = DataVersion.objects.get(pk=1).epoch
    DataVersion.objects.all().delete()
    assert cache.version() is None
    assert DataVersion.objects.get(pk=1).epoch != epoch
    assert cache.version() is not None


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_folding_the_change_rows_keeps_the_count(city):
    """The count of committed changes survives folding; the newest transaction id is gone
    from the version with the rows (one reuse lost, nothing wrong served)."""
    assert DataChange.objects.exists()
    epoch, count, newest = cache.version().split(":")
    cache.fold()
    assert not DataChange.objects.exists()
    assert cache.version() == f"{epoch}:{count}:None"
    add_member(city.orgs["ba"], "丙")
    after = cache.version().split(":")
    assert after[:2] == [epoch, str(int(count) + 1)] and int(after[2]) > int(newest)


def test_it_can_be_switched_off(city, settings):
    settings.DANGJIAN_STATS_CACHE = False
    assert cache.version() is None
    _, queries = reused(city.orgs["city"])
    assert reused(city.orgs["city"])[1] == queries


def test_a_data_change_rebuilds_the_dashboards_viewed_today(city, client):
    """The dashboard view notes its root; after a change commits, the worker's task (run
    inline by the test backend) computes that dashboard ahead, so the next view reuses it."""
    client.force_login(city.users["city_admin"])
    org = city.orgs["city"]

    def view() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("stats-dashboard"), {"org": org.pk}).status_code == 200
        return len(queries)

    computed = view()
    assert tasks.warm_dashboards.call() == 1
    today = timezone.localdate()
    add_member(city.orgs["ba"], "预先计算", birth=dt.date(1990, 2, 3))
    with CaptureQueriesContext(connection) as queries:
        ahead = dashboard.build(org, today)
    assert len(queries) == 1  # the version; the figures were computed by the task
    assert ahead.now == dashboard._build(org, today).now
    assert ahead.now["members"]["total"] == fresh_on(org, today)["members"]["total"]
    # The page itself (through the whole request stack) reuses them.
    reused = view()
    assert reused < computed - 15


def test_only_data_changes_ask_for_a_rebuild_and_only_when_someone_watches(city, monkeypatch):
    calls = []

    class Recorder:
        backend = tasks.warm_dashboards.backend

        def using(self, **options):
            return self

        def enqueue(self):
            calls.append(1)

    monkeypatch.setattr(tasks, "warm_dashboards", Recorder())
    add_member(city.orgs["ba"], "无人查看")  # nobody has opened a dashboard
    tasks.watch(city.orgs["city"])
    record(CLI, AuditAction.LOGIN_FAILED, None, object_repr="x")
    assert calls == []
    add_member(city.orgs["ba"], "有人查看")
    assert calls == [1]
    with transaction.atomic():  # a batch: one request when it commits
        add_member(city.orgs["ba"], "批量一")
        add_member(city.orgs["ba"], "批量二")
        assert calls == [1]
    assert calls == [1, 1]


def fresh_on(org, day):
    return _statistics(org, day, None, False, None)
