"""Lookups over many values at once: `IN (...)` lists cut to what the database takes, so
a file of 100,000 rows costs a few queries, not one per row, on SQLite and PostgreSQL."""

from collections.abc import Iterable, Iterator

from django.db import connections, router


def lookup_size(model) -> int:
    """Values per `IN (...)` lookup: large on PostgreSQL (fewer round trips), within
    SQLite's parameter limit elsewhere."""
    limit = connections[router.db_for_read(model)].features.max_query_params
    return min(5_000, limit - 10) if limit else 5_000


def chunks(values: Iterable, size: int) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def in_chunks(queryset, lookup: str, values: Iterable) -> Iterator:
    """The records of `queryset` whose `lookup` is one of `values`."""
    for chunk in chunks(sorted(set(values)), lookup_size(queryset.model)):
        yield from queryset.filter(**{f"{lookup}__in": chunk})


def pks_in(queryset, pks: Iterable) -> set:
    """Which of `pks` the queryset holds (a scope check over a whole file at once)."""
    found: set = set()
    for chunk in chunks(sorted(set(pks)), lookup_size(queryset.model)):
        found.update(queryset.filter(pk__in=chunk).values_list("pk", flat=True))
    return found
