"""What a page needs to answer, checked part by part: `/healthz` reports the parts that fail,
and `serve`/`demo` refuse to start without the web assets, instead of a server whose every
page answers 500."""

from datetime import timedelta

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import webassets

DATABASE_TASKS = "django_tasks_db.DatabaseBackend"
RQ_TASKS = "django_tasks_rq.RQBackend"
# A job queued this long with no job started meanwhile means no worker takes them. Longer
# than any job runs (an import of 100,000 members takes about 15 s, a dashboard a minute).
TASK_WAIT_LIMIT = timedelta(minutes=10)


def assets_missing_line(missing: list[str]) -> str:
    """The one line `serve` and `demo` stop with, naming the command that fixes it."""
    return _("缺少网页资源 %(first)s 等 %(count)d 个文件: 请先在源码目录运行 %(fix)s") % {
        "first": missing[0],
        "count": len(missing),
        "fix": webassets.FIX,
    }


def missing_sources() -> list[str]:
    """The web assets collectstatic would not find (the package was installed without them)."""
    return [path for path in webassets.ASSETS if finders.find(path) is None]


def database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach the database is the answer here
        return _("数据库无法连接 (%(error)s)") % {"error": type(exc).__name__}
    return None


def static_problem() -> str | None:
    """Whether the server can hand out every asset a page links to, as the pages will ask for
    it: through the hashed-name manifest when there is one (production), else the finders."""
    storage = staticfiles_storage
    manifest = hasattr(storage, "manifest_name")
    if manifest and not storage.hashed_files:
        return _("静态文件清单不存在: 请运行 dangjian collectstatic (dangjian serve 启动时会运行)")
    for path in webassets.PAGE_ASSETS:
        if manifest:
            try:
                name = storage.stored_name(path)
            except ValueError:
                return _("静态文件清单缺少 %(path)s: 请先在源码目录运行 %(fix)s") % {
                    "path": path,
                    "fix": webassets.FIX,
                }
            found = storage.exists(name)
        elif settings.WHITENOISE_USE_FINDERS:
            found = finders.find(path) is not None
        else:
            found = storage.exists(path)
        if not found:
            return _("静态文件 %(path)s 不存在") % {"path": path}
    return None


def task_backend() -> str:
    return settings.TASKS.get("default", {}).get("BACKEND", "")


def rq_problem() -> str | None:
    """A queue on Redis needs Redis, and at least one `dangjian worker` listening to it."""
    import django_rq
    from redis.exceptions import RedisError
    from rq import Worker

    try:
        connection = django_rq.get_connection("default")
        connection.ping()
        if Worker.count(connection=connection) == 0:
            return _("Redis 上没有后台任务进程在运行 (请运行 dangjian worker)")
    except RedisError as exc:
        return _("无法连接 Redis (%(error)s)") % {"error": type(exc).__name__}
    return None


def tasks_problem() -> str | None:
    """A queue in the database needs a worker: jobs waiting past the limit while none has
    started meanwhile say that none runs. Nothing queued says nothing either way. A queue
    on Redis needs Redis and a worker."""
    if task_backend() == RQ_TASKS:
        return rq_problem()
    if task_backend() != DATABASE_TASKS:
        return None
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - TASK_WAIT_LIMIT
    waiting = (
        DBTaskResult.objects.ready()
        .filter(enqueued_at__lte=cutoff)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lte=cutoff))
    )
    try:
        if not waiting.exists():
            return None
        if DBTaskResult.objects.filter(started_at__gte=cutoff).exists():
            return None  # a worker is busy with a long queue
    except DatabaseError as exc:
        return _("后台任务表无法读取 (%(error)s)") % {"error": type(exc).__name__}
    return _(
        "有后台任务等待超过 %(minutes)d 分钟: 后台任务进程未运行 "
        "(dangjian serve 会启动它, 或运行 dangjian worker)"
    ) % {"minutes": TASK_WAIT_LIMIT.seconds // 60}


def problems() -> dict[str, str]:
    """The failing parts (database, static, tasks) with a reason each; empty when healthy."""
    found = {}
    database = database_problem()
    if database:
        found["database"] = database
    static = static_problem()
    if static:
        found["static"] = static
    tasks = None if database else tasks_problem()
    if tasks:
        found["tasks"] = tasks
    return found
