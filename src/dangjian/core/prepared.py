"""Querysets compiled to SQL once per process and run again with fresh values.

A school's statistics fetch a few rows from each of some thirty tables (core.small_subtrees):
the database answers each in a tenth of a millisecond, while the ORM spends three times that
building and compiling the queryset. A `Prepared` query is built once per shape of its values
(the number of org ids) with marker values, compiled, and its markers' places in the
parameters remembered; each later call runs that SQL with the call's values and converts the
rows as the ORM would (the compiler's converters). The build must use its values as they
are: a value derived from one (a year, the day before) would be compiled in as a constant,
so a derived marker found among the parameters refuses to compile, and so does a marker
that is missing from them. Nor may it branch on a value (`if day < ...`): the branch the
markers took would be the SQL of every call, and no check can see that. Values it cannot stand for (None, an empty list) run the
queryset as usual. tests/core/test_prepared.py holds it to the plain queryset.
"""

import datetime as dt
from collections.abc import Callable

from django.db import connections, router
from django.db.models.query import FlatValuesListIterable, QuerySet, ValuesListIterable

# Markers: ints far below any primary key, dates in years no record has; a value derived
# from a marker (a year, a neighbouring day, an offset id) stays in these ranges.
_INT_BASE = -(10**15)
_INT_SPAN = 10**9
_YEAR_BASE = 1111
_YEARS = 88


class NotPreparable(Exception):
    """The build does not use its values as they are (see the module's docstring)."""


def _kind(value):
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return "int"
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return "date"
    if (
        isinstance(value, list | tuple)
        and value
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return ("ints", len(value))
    return None


def _marker(k: int, kind):
    if kind == "int":
        return _INT_BASE - k * _INT_SPAN
    if kind == "date":
        return dt.date(_YEAR_BASE + k, 6, 15)
    return [_INT_BASE - k * _INT_SPAN - 1 - i for i in range(kind[1])]


def _is_marker_like(value) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return _INT_BASE - _YEARS * _INT_SPAN < value <= _INT_BASE + _INT_SPAN
    if isinstance(value, dt.date):
        return _YEAR_BASE - 1 <= value.year <= _YEAR_BASE + _YEARS
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[:4].isdigit():
        return _YEAR_BASE - 1 <= int(value[:4]) <= _YEAR_BASE + _YEARS
    return False


class Prepared:
    """`build(**values)` returns a values_list queryset; calling the Prepared with the same
    keyword values returns its rows as a list (a flat list for `flat=True`)."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self.model = None  # known once compiled: the router needs it to choose the database
        self._compiled: dict = {}

    def __call__(self, **values) -> list:
        kinds = {name: _kind(value) for name, value in values.items()}
        if None in kinds.values():
            return list(self.build(**values))
        shape = tuple(sorted(kinds.items()))
        alias = router.db_for_read(self.model) if self.model is not None else None
        compiled = self._compiled.get((alias, shape)) if alias else None
        if compiled is None:
            compiled = self._compile(values, kinds, shape)
        compiler, sql, slots, flat = compiled
        connection = connections[compiler.using]
        params = [slot(values, connection) for slot in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        rows = compiler.results_iter([rows], tuple_expected=True)
        return [row[0] for row in rows] if flat else list(rows)

    def _compile(self, values, kinds, shape):
        names = sorted(values)
        markers = {name: _marker(k, kinds[name]) for k, name in enumerate(names)}
        queryset = self.build(**markers)
        if queryset._iterable_class not in (ValuesListIterable, FlatValuesListIterable):
            raise NotPreparable("build() must return a values_list() queryset")
        alias = queryset.db
        connection = connections[alias]
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if compiler.has_extra_select:
            raise NotPreparable("extra select columns are not supported")
        found = {}
        for name, marker in markers.items():
            for i, value in enumerate(marker if isinstance(marker, list) else [marker]):
                index = i if isinstance(marker, list) else None
                found[(type(value), value)] = (name, index, False)
                if isinstance(value, dt.date):
                    adapted = connection.ops.adapt_datefield_value(value)
                    found[(type(adapted), adapted)] = (name, index, True)
        slots, used = [], set()
        for param in params:
            place = found.get((type(param), param))
            if place is None:
                if _is_marker_like(param):
                    raise NotPreparable(f"a value derived from a marker was compiled in: {param!r}")
                slots.append(lambda values, connection, param=param: param)
                continue
            name, index, adapted = place
            used.add((name, index))
            slots.append(_slot(name, index, adapted))
        expected = {
            (name, i if isinstance(m, list) else None)
            for name, m in markers.items()
            for i in range(len(m) if isinstance(m, list) else 1)
        }
        if used != expected:
            raise NotPreparable(f"values not found among the parameters: {expected - used}")
        compiled = (compiler, sql, slots, queryset._iterable_class is FlatValuesListIterable)
        self.model = queryset.model
        self._compiled[(alias, shape)] = compiled
        return compiled


def _slot(name: str, index: int | None, adapted: bool):
    def value_of(values, connection):
        value = values[name] if index is None else values[name][index]
        return connection.ops.adapt_datefield_value(value) if adapted else value

    return value_of
