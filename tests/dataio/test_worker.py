"""`dangjian serve` (and so `dangjian demo`) runs the django-tasks-db worker next to
gunicorn when jobs are queued in the database, and stops it on exit."""

import io
import subprocess
import sys

import pytest

from dangjian.core.management.commands import serve


class FakeWorker:
    def __init__(self, command):
        self.command = command
        self.pid = 4321
        self.calls = []
        self.exited = False

    def poll(self):
        return 0 if self.exited else None

    def terminate(self):
        self.calls.append("terminate")

    def wait(self, timeout=None):
        self.calls.append(("wait", timeout))
        self.exited = True
        return 0

    def kill(self):
        self.calls.append("kill")


class StubbornWorker(FakeWorker):
    def wait(self, timeout=None):
        self.calls.append(("wait", timeout))
        if timeout is not None:
            raise subprocess.TimeoutExpired(self.command, timeout)
        return -9


@pytest.fixture
def workers(settings, monkeypatch):
    """Jobs queued in the database, and the FakeWorkers `subprocess.Popen` started."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    started = []
    monkeypatch.setattr(
        subprocess,
        "Popen",
        lambda command, **kw: started.append(FakeWorker(command)) or started[-1],
    )
    return started


def test_it_starts_no_worker_when_tasks_run_elsewhere(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    assert serve.start_task_worker() is None
    serve.stop_task_worker(None)


def test_it_starts_the_database_worker_and_stops_it_gracefully(workers):
    out = io.StringIO()
    worker = serve.start_task_worker(out)
    assert workers == [worker]
    assert worker.command == [sys.executable, "-m", "dangjian.cli", "worker"]
    assert "后台任务进程已启动 (进程号 4321)" in out.getvalue()
    serve.stop_task_worker(worker)
    assert worker.calls == ["terminate", ("wait", serve.WORKER_STOP_SECONDS)]


def test_it_kills_a_worker_that_will_not_stop():
    worker = StubbornWorker(["db_worker"])
    serve.stop_task_worker(worker)
    assert worker.calls == [
        "terminate",
        ("wait", serve.WORKER_STOP_SECONDS),
        "kill",
        ("wait", None),
    ]


def test_it_stops_the_worker_when_gunicorn_exits(workers, monkeypatch):
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)

    class Halting:
        def __init__(self, application, options):
            pass

        def run(self):
            raise SystemExit(0)  # what gunicorn's arbiter does on Ctrl-C

    monkeypatch.setattr(serve, "_Gunicorn", Halting)
    with pytest.raises(SystemExit):
        serve.serve("127.0.0.1:8123", 1, stdout=io.StringIO())
    assert workers[0].calls[0] == "terminate"
