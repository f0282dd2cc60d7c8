"""Read replicas (DANGJIAN_REPLICA_URLS): statistics, reports and exports read from a
replica, so the heavy aggregates of a province do not load the primary that takes the
writes. Only code inside `replica_reads()` (or a view decorated with `reads_replica`) is
routed; everything else, every write, and every read inside a transaction on the primary
(a write's checks must see what the write sees) stays on the primary."""

import contextvars
import functools
import random
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

_reading = contextvars.ContextVar("dangjian_replica_reads", default=False)


@contextmanager
def replica_reads():
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_replica(view):
    """A view whose reads may come from a replica (a report, an export)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DANGJIAN_REPLICAS", ()))


def _in_write_transaction() -> bool:
    """Inside a transaction on the primary (a test case's own wrapping transaction, which
    Django marks, does not count: it stands for the database, not for a write)."""
    primary = connections["default"]
    return any(not getattr(block, "_from_testcase", False) for block in primary.atomic_blocks)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or not _reading.get():
            return None
        if _in_write_transaction():
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
