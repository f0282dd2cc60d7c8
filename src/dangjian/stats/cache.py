"""Computed figures reused while nothing they count has changed.

A figure is a function of the counted tables (stats.triggers) and its arguments, so it is
kept under the tables' version and the arguments; any committed write to those tables
moves the version and the old entries are never served again (they expire unread). The
version is read in the same autocommit connection as the figures; inside a transaction
block nothing is reused or kept, since that block may see its own uncommitted writes.

Why this is exact: a result stored under version V was computed after V was read; had a
writer committed meanwhile, the version would already be past V for every later reader,
so no reader can be served a result older than the data it sees."""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.utils import translation

from dangjian.stats.models import DataVersion

# PostgreSQL: changes rows folded into base once there are this many (keeps count(*) cheap).
FOLD_AT = 5000
# The newest transaction id is part of the version on PostgreSQL: transaction ids only
# grow, so a database restored by other means (its old counter back) still gets versions
# it never had before once it is written to.
_VERSION_SQL = (
    "SELECT v.epoch, v.base, (SELECT count(*) FROM stats_datachange),"
    " (SELECT max(txid) FROM stats_datachange)"
    " FROM stats_dataversion AS v WHERE v.id = 1"
)


def version() -> str | None:
    """The counted tables' version; None when results must not be reused (inside a
    transaction block, or when the cache is switched off)."""
    if not settings.DANGJIAN_STATS_CACHE or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    if row is None:
        # A flushed database: a new epoch, so no number of the old one is reused.
        DataVersion.objects.get_or_create(pk=1, defaults={"epoch": uuid.uuid4().hex})
        return None
    epoch, base, pending, newest = row
    if pending >= FOLD_AT:
        fold()
    return f"{epoch}:{base + pending}:{newest}"


def fold() -> None:
    """Move the committed change rows into base, in one transaction, so readers see the
    same sum before and after (rows of transactions still open stay, and count later)."""
    with transaction.atomic():
        DataVersion.objects.select_for_update().get(pk=1)
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH gone AS (DELETE FROM stats_datachange RETURNING 1)"
                " UPDATE stats_dataversion SET base = base + (SELECT count(*) FROM gone)"
                " WHERE id = 1"
            )


def remember(name: str, parts: tuple, compute):
    """`compute()`, or its result stored for the same name, arguments and version."""
    current = version()
    if current is None:
        return compute()
    raw = repr((name, current, translation.get_language(), parts))
    key = "stats:" + hashlib.sha256(raw.encode()).hexdigest()
    store = caches["stats"]
    found = store.get(key)
    if found is not None:
        return found
    value = compute()
    store.set(key, value)
    return value
