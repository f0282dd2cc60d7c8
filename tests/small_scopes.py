"""Every org of a test world as the statistics engine passes a small subtree: by its ids
(the whole tree's too), and the days to compare on, for the tests that hold a section's
fetch-and-count path to its database path (core.small_subtrees)."""

import datetime as dt

from dangjian.orgs.models import Organization
from dangjian.stats.engine import Scope

ONE = dt.timedelta(days=1)


def scopes_by_ids(day, period):
    for org in Organization.objects.all():
        ids = Organization.objects.filter(path__startswith=org.path).values_list("pk", flat=True)
        yield Scope(root=org, as_of=day, period=period, ids=tuple(ids))


def edge_days(dates) -> list[dt.date]:
    """Every date the data starts or ends something on (None left out), and the days
    either side: where a fetched path's comparisons differ from the database's if wrong."""
    return sorted({day + step for day in dates if day for step in (-ONE, dt.timedelta(0), ONE)})


def periods_around(day: dt.date) -> tuple[tuple[dt.date, dt.date], ...]:
    """Periods to compare on for `day`: its calendar year, the 120 days up to it, the 120
    days from it, and a period that starts after it."""
    return (
        (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)),
        (day - dt.timedelta(days=120), day),
        (day, day + dt.timedelta(days=120)),
        (day + ONE, day + dt.timedelta(days=400)),
    )


def small_scope_cases(days):
    """(day, period, scope) for every day of `days`, every period around it
    (`periods_around`) and every org's scope by its ids."""
    for day in days:
        for period in periods_around(day):
            for scope in scopes_by_ids(day, period):
                yield day, period, scope
