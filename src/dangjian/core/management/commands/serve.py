"""`dangjian serve`: the production web server (gunicorn) on the configured database.

Static files are collected first and served by the app itself (whitenoise), so nothing
else is needed on an isolated intranet. Without the web assets (a source tree where `npm ci`
never ran) it refuses to start, with one line naming the fix, rather than serve pages that
all answer 500. gunicorn runs in-process through its application API: no second entry
point or config file to keep in step with the settings. When
background jobs are queued in the database (django-tasks-db, the embedded default), their
worker runs as a child process next to gunicorn and stops with it.
"""

import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import get_internal_wsgi_application
from django.db import connections
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication

from dangjian.core.health import (
    DATABASE_TASKS,
    RQ_TASKS,
    assets_missing_line,
    missing_sources,
    static_problem,
    task_backend,
)

DEFAULT_ADDR = "127.0.0.1:8000"
DEFAULT_WORKERS = 2
# An import of 100,000 members takes about 15 s: let the job in hand finish.
WORKER_STOP_SECONDS = 30
GRACEFUL_STOP_SECONDS = 10
PR_SET_PDEATHSIG = 1


class _Gunicorn(BaseApplication):
    def __init__(self, application, options: dict):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def _stop_gracefully_on_ctrl_c(arbiter) -> None:
    """Ctrl-C reaches the whole process group. gunicorn's own answer is a quick stop that
    kills a worker mid-request (and loses its access-log line); here the arbiter treats it
    like SIGTERM, so requests in flight finish, and workers leave the stop to the arbiter."""
    arbiter.handle_int = arbiter.handle_term


def _leave_ctrl_c_to_the_arbiter(worker) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def check_addr(addr: str) -> str:
    host, sep, port = addr.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(_("地址应为 主机:端口, 例如 127.0.0.1:8000, 实际为 %(a)s") % {"a": addr})
    return addr


def _stop_with_parent() -> None:
    """In the worker before exec (Linux): SIGTERM it when `serve` dies, even by SIGKILL."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: `serve` still stops it on a normal exit
        pass


def start_task_worker(stdout=None) -> subprocess.Popen | None:
    """The background-job worker (`dangjian worker`) as a child process, when jobs are
    queued in the database or on Redis; None when they run in the request (tests).

    It runs in a process group of its own, so Ctrl-C in the terminal does not reach it:
    `serve` stops it once, gracefully. Its first signal lets the job in hand finish, a
    second would cut it short."""
    if task_backend() not in (DATABASE_TASKS, RQ_TASKS):
        return None
    worker = subprocess.Popen(
        [sys.executable, "-m", "dangjian.cli", "worker"],
        process_group=0,
        preexec_fn=_stop_with_parent if sys.platform == "linux" else None,
    )
    if stdout is not None:
        stdout.write(_("后台任务进程已启动 (进程号 %(pid)d)") % {"pid": worker.pid} + "\n")
    return worker


def stop_task_worker(worker: subprocess.Popen | None) -> None:
    """Ask the worker to finish its current job and exit; kill it if it will not."""
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def require_web_assets() -> None:
    """Stop before anything starts when the package lacks the web assets."""
    missing = missing_sources()
    if missing:
        raise CommandError(assets_missing_line(missing))


def collect_static() -> None:
    """Collect into STATIC_ROOT (only what changed is copied again) and check that every
    asset a page links to now resolves, as the pages will ask for it."""
    require_web_assets()
    call_command("collectstatic", interactive=False, verbosity=0)
    problem = static_problem()
    if problem:
        raise CommandError(problem)


def serve(addr: str = DEFAULT_ADDR, workers: int = DEFAULT_WORKERS, stdout=None) -> None:
    """Collect static files, then serve until interrupted (Ctrl-C stops gunicorn and the
    background-job worker cleanly)."""
    stdout = stdout or sys.stdout
    check_addr(addr)
    if workers < 1:
        raise CommandError(_("工作进程数至少为1"))
    collect_static()
    application = get_internal_wsgi_application()
    # Workers are forked: a connection opened here must not be shared with them.
    connections.close_all()
    options = {}
    if settings.DANGJIAN_METRICS:
        options = _metrics_options()
    task_worker = start_task_worker(stdout)
    stdout.write(_("网页服务已启动: http://%(addr)s/ (按 Ctrl-C 停止)") % {"addr": addr} + "\n")
    stdout.flush()
    try:
        _Gunicorn(
            application,
            {
                "bind": addr,
                "workers": workers,
                "accesslog": "-",
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "dangjian",
                "logger_class": (
                    "dangjian.core.logs.JsonGunicornLogger"
                    if settings.DANGJIAN_LOG_FORMAT == "json"
                    else "dangjian.core.logs.GunicornLogger"
                ),
                "graceful_timeout": GRACEFUL_STOP_SECONDS,
                "on_starting": _stop_gracefully_on_ctrl_c,
                "post_worker_init": _leave_ctrl_c_to_the_arbiter,
                **options,
            },
        ).run()
    finally:
        stop_task_worker(task_worker)


def _metrics_options() -> dict:
    """Prometheus in gunicorn's multiprocess mode: the counts of an earlier run are
    cleared, and a worker that exits is marked dead so its gauges drop out."""
    from prometheus_client import multiprocess

    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    for stale in folder.glob("*.db"):
        stale.unlink()
    return {"child_exit": lambda server, worker: multiprocess.mark_process_dead(worker.pid)}


def add_addr_argument(parser) -> None:
    """`--addr`, the same for every command that ends by serving (serve, demo)."""
    parser.add_argument("--addr", default=DEFAULT_ADDR, help=_("监听地址, 默认 %s") % DEFAULT_ADDR)


class Command(BaseCommand):
    help = _("以生产模式启动网页服务(gunicorn)")

    def add_arguments(self, parser):
        add_addr_argument(parser)
        parser.add_argument(
            "--workers",
            type=int,
            default=DEFAULT_WORKERS,
            help=_("工作进程数, 默认 %d") % DEFAULT_WORKERS,
        )

    def handle(self, *args, addr, workers, **options):
        serve(addr, workers, stdout=self.stdout)
