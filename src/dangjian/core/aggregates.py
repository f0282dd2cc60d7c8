"""Aggregates the ORM lacks."""

from django.db.models import Aggregate, IntegerField, Value
from django.db.models.expressions import Star


class CountRows(Aggregate):
    """COUNT(*) FILTER (WHERE ...): the rows matching `filter`, no column read. Django's
    Count refuses a filter on `*`; COUNT(id) reads and tests the id of every row for
    each such count, 8% of the statistics' pass over a million spells with thirty of them
    (docs/performance.md)."""

    function = "COUNT"
    name = "CountRows"
    output_field = IntegerField()
    empty_result_set_value = 0

    def __init__(self, filter=None):
        super().__init__(Star(), filter=filter)

    def as_sql(self, compiler, connection, **extra_context):
        if self.filter is not None and not connection.features.supports_aggregate_filter_clause:
            # Without FILTER the ORM writes COUNT(CASE WHEN ... THEN <expression> END).
            counted = self.copy()
            counted.set_source_expressions([Value(1), self.filter])
            return super(CountRows, counted).as_sql(compiler, connection, **extra_context)
        return super().as_sql(compiler, connection, **extra_context)
