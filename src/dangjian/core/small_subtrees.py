"""When a section counts a small subtree from fetched rows.

For a subtree of a few orgs (a school's branch, a 学区) the ORM's building of a section's
conditional aggregates and subqueries costs more than the database's counting, so the
sections fetch the subtree's few rows through the indexed org columns and count them in
Python (stats.engine.member_section did so first). Each such path is held by the tests to
the database's path on every org of the test worlds, on days around their events."""

# Up to this many orgs (the engine passes a subtree of up to 2,000 by its ids, Scope.ids).
FETCH_ROWS_UP_TO = 20


def fetches_rows(scope) -> bool:
    """Is `scope` small enough to be counted from its fetched rows?"""
    ids = getattr(scope, "ids", None)  # a caller's own scope may carry only the path
    return ids is not None and len(ids) <= FETCH_ROWS_UP_TO


def subtree_pks(scope, organizations):
    """The subtree's org ids for an `org__in` filter: the list for a subtree the engine
    passes by its ids (Scope.ids; the planner then reads the org indexes and the ORM builds
    no subquery), else the subquery of the orgs under the path (`organizations`: the
    Organization model, passed in so this module imports no app)."""
    ids = getattr(scope, "ids", None)  # a caller's own scope may carry only the path
    if ids is not None:
        return list(ids)
    return organizations.objects.order_by().filter(path__startswith=scope.path).values("pk")
