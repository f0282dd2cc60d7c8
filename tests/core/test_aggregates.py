"""core.aggregates.CountRows: COUNT(*) with and without a filter, and the same counts where
the database has no FILTER clause (the ORM's CASE form)."""

import pytest
from django.db import connection
from django.db.models import Count, Q

from dangjian.core.aggregates import CountRows
from dangjian.orgs.models import Organization


@pytest.mark.parametrize("has_filter_clause", [True, False])
def test_it_counts_the_rows_the_filter_keeps(world, monkeypatch, has_filter_clause):
    monkeypatch.setattr(connection.features, "supports_aggregate_filter_clause", has_filter_clause)
    deep = Q(depth__gte=3)
    found = Organization.objects.aggregate(all=CountRows(), deep=CountRows(deep))
    expected = Organization.objects.aggregate(all=Count("pk"), deep=Count("pk", filter=deep))
    assert found == expected
    assert 0 < found["deep"] < found["all"]
    assert Organization.objects.none().aggregate(n=CountRows(deep)) == {"n": 0}
