"""core.prepared.Prepared: compiled once per shape, the same rows as the plain queryset for
any values, and a refusal for a build that would compile a value in."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import Q

from dangjian.core.prepared import NotPreparable, Prepared
from dangjian.core.routers import replica_reads
from dangjian.members.models import Membership
from dangjian.orgs.models import Organization
from tests.core.test_routers import replicas  # noqa: F401


def spells(ids, day):
    return (
        Membership.objects.order_by("pk")
        .filter(org_id__in=ids, start_on__lte=day)
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=day))
        .values_list("member_id", "org_id", "start_on", "member__name")
    )


def test_it_returns_what_the_queryset_returns_for_any_values(world, django_assert_num_queries):
    prepared = Prepared(spells)
    pks = list(Organization.objects.values_list("pk", flat=True))
    rng = random.Random(7)
    days = [dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(10_000)) for _ in range(12)]
    days += [dt.date.today(), dt.date(2024, 12, 31)]
    seen = 0
    for day in days:
        for n in (1, 2, 3, len(pks)):
            ids = rng.sample(pks, n)
            expected = list(spells(ids, day))
            with django_assert_num_queries(1):
                found = prepared(ids=ids, day=day)
            assert found == expected, (ids, day)
            seen += bool(found)
    assert seen > 5  # the comparison saw rows, dates converted as the ORM converts them
    assert isinstance(found[0][2], dt.date)
    # One compiled statement per number of ids (and database), whatever the values.
    assert len(prepared._compiled) == 4


def test_a_flat_list_and_values_it_cannot_stand_for(world):
    prepared = Prepared(
        lambda ids: (
            Organization.objects.order_by("pk").filter(pk__in=ids).values_list("name", flat=True)
        )
    )
    pks = sorted(Organization.objects.values_list("pk", flat=True))[:3]
    names = list(
        Organization.objects.filter(pk__in=pks).order_by("pk").values_list("name", flat=True)
    )
    assert prepared(ids=pks) == names
    assert prepared(ids=[]) == []  # an empty list runs the queryset (the ORM knows it is empty)
    assert prepared(ids=pks) == names


def test_a_build_that_derives_or_drops_a_value_is_refused(world):
    derived = Prepared(
        lambda day: Membership.objects.filter(start_on__lte=dt.date(day.year, 1, 1)).values_list(
            "pk", flat=True
        )
    )
    with pytest.raises(NotPreparable):
        derived(day=dt.date(2024, 5, 1))
    shifted = Prepared(
        lambda day: Membership.objects.filter(start_on__lte=day - dt.timedelta(days=1)).values_list(
            "pk", flat=True
        )
    )
    with pytest.raises(NotPreparable):
        shifted(day=dt.date(2024, 5, 1))
    dropped = Prepared(lambda ids, day: Membership.objects.filter(org_id__in=ids).values_list("pk"))
    with pytest.raises(NotPreparable):
        dropped(ids=[1], day=dt.date(2024, 5, 1))
    counted = Prepared(lambda ids: Membership.objects.filter(org_id__in=ids))
    with pytest.raises(NotPreparable):
        counted(ids=[1])


def test_it_reads_where_the_router_sends_the_read(replicas, world):  # noqa: F811
    prepared = Prepared(spells)
    pks = list(Organization.objects.values_list("pk", flat=True))
    day = dt.date.today()
    expected = list(spells(pks, day))
    assert prepared(ids=pks, day=day) == expected
    with replica_reads():
        assert prepared(ids=pks, day=day) == expected
    compiled = {key[0] for key in prepared._compiled}
    assert compiled == {"default", "replica1"}
    assert connection.vendor in ("sqlite", "postgresql")
