"""Read replicas (issue 20): inside `replica_reads()` reads go to a replica, writes and
everything inside a transaction on the primary stay on the primary.

The test settings declare a second alias, `replica1`. A second connection cannot see the
test's open transaction (and SQLite's shared in-memory test database locks it out), so
here the alias is served by the test database's own connection: the queries still run
through `connections["replica1"]`, which is what the routing decides."""

import pytest
from django.db import connections, transaction
from django.urls import reverse

from dangjian.core import routers
from dangjian.core.routers import replica_reads
from dangjian.orgs.models import Organization


@pytest.fixture
def replicas(settings, db, monkeypatch):
    settings.DANGJIAN_REPLICAS = ["replica1"]
    original = connections["replica1"]
    connections["replica1"] = connections["default"]
    decisions = []
    route = routers.ReplicaRouter.db_for_read

    def recording(self, model, **hints):
        chosen = route(self, model, **hints)
        decisions.append(chosen or "default")
        return chosen

    monkeypatch.setattr(routers.ReplicaRouter, "db_for_read", recording)
    yield decisions
    connections["replica1"] = original


def test_it_routes_reads_inside_replica_reads_to_the_replica(replicas):
    assert Organization.objects.all().db == "default"
    with replica_reads():
        assert Organization.objects.all().db == "replica1"
        list(Organization.objects.all())
    assert replicas[-1] == "replica1"


def test_it_keeps_writes_and_reads_inside_a_write_on_the_primary(replicas):
    with replica_reads():
        org = Organization.objects.add_root({"code": "R1", "name": "测试党委", "kind": "committee"})
        assert org._state.db == "default"
        with transaction.atomic():
            assert Organization.objects.all().db == "default"


def test_it_reads_from_the_primary_when_no_replica_is_configured(settings):
    settings.DANGJIAN_REPLICAS = []
    with replica_reads():
        assert Organization.objects.all().db == "default"


def test_the_dashboard_reads_from_the_replica_and_other_pages_do_not(replicas, world, login):
    client = login(world, "city_admin")
    replicas.clear()
    assert client.get(reverse("stats-dashboard")).status_code == 200
    assert replicas.count("replica1") > 5
    replicas.clear()
    assert client.get(reverse("member-list")).status_code == 200
    assert "replica1" not in replicas
