"""Read replicas (issue 20): inside `replica_reads()` reads go to a replica, writes and
everything inside a transaction on the primary stay on the primary. The test settings
give a second alias, `replica1`, mirroring the test database."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.routers import replica_reads
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica1"])


@pytest.fixture
def replicas(settings):
    settings.DANGJIAN_REPLICAS = ["replica1"]


def test_it_routes_reads_inside_replica_reads_to_the_replica(replicas):
    assert Organization.objects.all().db == "default"
    with replica_reads():
        assert Organization.objects.all().db == "replica1"
        with CaptureQueriesContext(connections["replica1"]) as on_replica:
            list(Organization.objects.all())
        assert len(on_replica) == 1


def test_it_keeps_writes_and_reads_inside_a_write_on_the_primary(replicas):
    with replica_reads():
        with transaction.atomic():
            assert Organization.objects.all().db == "default"
        org = Organization.add_root(code="R1", name="测试党委", kind="committee")
        assert org._state.db == "default"
        assert Organization.objects.filter(pk=org.pk).exists()  # committed: the mirror sees it


def test_it_reads_from_the_primary_when_no_replica_is_configured(settings):
    settings.DANGJIAN_REPLICAS = []
    with replica_reads():
        assert Organization.objects.all().db == "default"


def test_the_dashboard_reads_from_the_replica(replicas, world, login):
    client = login(world, "city_admin")
    with CaptureQueriesContext(connections["replica1"]) as on_replica:
        response = client.get(reverse("stats-dashboard"))
    assert response.status_code == 200
    assert any("orgs_organization" in query["sql"] for query in on_replica.captured_queries)
