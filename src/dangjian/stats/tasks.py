"""Dashboards computed ahead. After a change to the counted data commits, the worker
rebuilds the dashboards people opened lately, so the next view reuses them (stats.cache)
instead of computing a province's figures while someone waits. Exactness does not depend
on this: a dashboard not yet rebuilt is computed on view, as without it."""

import datetime as dt

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task, task_backends

from dangjian.core.models import AuditAction
from dangjian.orgs.models import Organization

WATCHED = "stats:watched"  # {root pk: ISO date of the last view}
WATCH_DAYS = 7
# A burst of writes (someone editing records one after another) asks for one rebuild
# after it has settled, not one per write.
DELAY = dt.timedelta(seconds=5)
DATA_ACTIONS = frozenset(
    {
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.DELETE,
        AuditAction.MOVE,
        AuditAction.IMPORT,
        AuditAction.MEMBER_EVENT,
    }
)


def watch(root) -> None:
    """Note that `root`'s dashboard was viewed today (the dashboard view calls this)."""
    store = caches["stats"]
    watched = store.get(WATCHED) or {}
    today = timezone.localdate().isoformat()
    if watched.get(root.pk) != today:
        watched[root.pk] = today
        store.set(WATCHED, watched, timeout=None)


@task()
def warm_dashboards() -> int:
    """Today's dashboard of every root viewed in the last WATCH_DAYS days, unless already
    kept for the current version. Returns how many were looked at."""
    from dangjian.stats import dashboard

    today = timezone.localdate()
    oldest = (today - dt.timedelta(days=WATCH_DAYS)).isoformat()
    watched = caches["stats"].get(WATCHED) or {}
    roots = Organization.objects.filter(
        pk__in=[pk for pk, seen in watched.items() if seen >= oldest]
    )
    count = 0
    with translation.override(settings.LANGUAGE_CODE):
        for root in roots:
            dashboard.build(root, today)
            count += 1
    return count


def request_warming(sender, instance, created, **kwargs) -> None:
    """AuditEntry post_save: a data change asks for a rebuild once it commits."""
    if not created or instance.action not in DATA_ACTIONS or not settings.DANGJIAN_STATS_CACHE:
        return
    # Once per transaction: a batch writes an audit row per record.
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _enqueue for _savepoints, callback, _robust in pending):
        transaction.on_commit(_enqueue)


def _enqueue() -> None:
    if not (caches["stats"].get(WATCHED) or {}):
        return
    backend = task_backends[warm_dashboards.backend]
    if backend.supports_defer:
        warm_dashboards.using(run_after=timezone.now() + DELAY).enqueue()
    else:
        warm_dashboards.enqueue()
