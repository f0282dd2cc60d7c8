"""core.copying.CopyStream on PostgreSQL: rows land, a statement's error surfaces (as
Django's error, at the next statement or at the close) and rolls back, and the foreign
keys it set IMMEDIATE are deferred again afterwards."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dangjian.core.copying import CopyStream
from dangjian.members.models import MemberEvent

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'")

TABLE = MemberEvent._meta.db_table
COLUMNS = ["member_id", "kind", "on", "org_id", "note", "created_at"]
NOW = timezone.now()
MISSING = 987_654_321


def event(member_id, org_id, day=1):
    return (member_id, "joined", dt.date(2020, 1, day), org_id, "", NOW)


def test_rows_land_across_statements(world):
    a1, org = world.members["a1"], world.orgs["ba"]
    before = MemberEvent.objects.filter(member=a1).count()
    with transaction.atomic(), CopyStream(connection, checked_tables=[TABLE]) as stream:
        stream.copy(TABLE, COLUMNS, [event(a1.pk, org.pk, 1), event(a1.pk, org.pk, 2)])
        stream.copy(TABLE, COLUMNS, iter([event(a1.pk, org.pk, 3)]))
    assert MemberEvent.objects.filter(member=a1).count() == before + 3


@pytest.mark.parametrize("then", ["close", "next statement"])
def test_a_bad_reference_fails_the_stream_and_writes_nothing(world, then):
    a1, org = world.members["a1"], world.orgs["ba"]
    before = MemberEvent.objects.count()
    with (
        pytest.raises(IntegrityError, match="member_id"),
        transaction.atomic(),
        CopyStream(connection, checked_tables=[TABLE]) as stream,
    ):
        stream.copy(TABLE, COLUMNS, [event(a1.pk, org.pk), event(MISSING, org.pk)])
        if then == "next statement":
            stream.copy(TABLE, COLUMNS, [event(a1.pk, org.pk, 2)])
            pytest.fail("the second statement was sent after the first one failed")
    assert MemberEvent.objects.count() == before  # and the connection still answers


def test_an_error_of_the_caller_leaves_the_connection_usable(world):
    a1, org = world.members["a1"], world.orgs["ba"]
    before = MemberEvent.objects.count()
    with (
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
        CopyStream(connection, checked_tables=[TABLE]) as stream,
    ):
        stream.copy(TABLE, COLUMNS, [event(a1.pk, org.pk)])
        1 / 0  # noqa: B018
    assert MemberEvent.objects.count() == before


def test_the_checked_keys_are_deferred_again_after_the_stream(world):
    org = world.orgs["ba"]
    insert = (
        f'INSERT INTO {TABLE} (member_id, kind, "on", org_id, note, created_at)'
        " VALUES (%s, %s, %s, %s, %s, %s)"
    )
    with transaction.atomic():
        with CopyStream(connection, checked_tables=[TABLE]):
            pass
        with connection.cursor() as cursor:
            cursor.execute(insert, event(MISSING, org.pk))  # deferred: no error yet
            with pytest.raises(IntegrityError), transaction.atomic():
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.set_rollback(True)


def test_without_checked_tables_the_keys_wait_for_commit(world):
    org = world.orgs["ba"]
    with transaction.atomic():
        with CopyStream(connection) as stream:
            stream.copy(TABLE, COLUMNS, [event(MISSING, org.pk)])
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.set_rollback(True)
