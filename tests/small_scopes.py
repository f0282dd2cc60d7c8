"""Every org of a test world as the statistics engine passes a small subtree: by its ids
(the whole tree's too), for the tests that hold a section's fetch-and-count path to its
database path (core.small_subtrees)."""

from dangjian.orgs.models import Organization
from dangjian.stats.engine import Scope


def scopes_by_ids(day, period):
    for org in Organization.objects.all():
        ids = Organization.objects.filter(path__startswith=org.path).values_list("pk", flat=True)
        yield Scope(root=org, as_of=day, period=period, ids=tuple(ids))
