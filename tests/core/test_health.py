"""`/healthz` checks what a page needs and names the part that fails: the database, the
static manifest and the assets it names, the background-job worker when jobs queue in the
database."""

import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from dangjian import webassets
from dangjian.core import health

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def healthz(client) -> tuple[int, list[str]]:
    response = client.get("/healthz")
    return response.status_code, response.content.decode().splitlines()


def test_it_answers_ok_when_every_part_works(client, db):
    assert healthz(client) == (200, ["ok"])


def test_it_names_the_database_when_it_cannot_be_reached(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    status, lines = healthz(client)
    assert status == 503
    assert lines == ["database: 数据库无法连接 (OperationalError)"]


@pytest.fixture
def manifest_root(settings, tmp_path):
    """Production's hashed-name storage over an empty STATIC_ROOT (collectstatic never ran)."""
    settings.STORAGES = MANIFEST_STORAGE
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    return tmp_path


def write_manifest(root, paths: dict[str, str]) -> None:
    (root / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1"}))


def test_it_names_a_missing_static_manifest(client, db, manifest_root):
    status, lines = healthz(client)
    assert status == 503
    assert lines == [
        "static: 静态文件清单不存在: 请运行 dangjian collectstatic (dangjian serve 启动时会运行)"
    ]


def test_it_names_a_vendor_asset_the_manifest_lacks(client, db, manifest_root):
    # What the issue saw: collected without the vendor folder, every page a 500.
    write_manifest(manifest_root, {"dangjian/site.css": "dangjian/site.0123456789ab.css"})
    status, lines = healthz(client)
    assert status == 503
    assert lines == [
        "static: 静态文件清单缺少 vendor/bootstrap/bootstrap.min.css: "
        "请先在源码目录运行 npm ci && pip install -e . (或 make assets)"
    ]


def test_it_names_an_asset_the_manifest_names_but_the_folder_lost(client, db, manifest_root):
    paths = {path: path.replace(".min.", ".min.0123456789ab.") for path in webassets.PAGE_ASSETS}
    write_manifest(manifest_root, paths)
    for name in list(paths.values())[:-1]:
        (manifest_root / name).parent.mkdir(parents=True, exist_ok=True)
        (manifest_root / name).write_text("/* asset */")
    status, lines = healthz(client)
    assert status == 503
    assert lines == ["static: 静态文件 vendor/echarts/echarts.min.js 不存在"]

    last = manifest_root / list(paths.values())[-1]
    last.parent.mkdir(parents=True)
    last.write_text("/* asset */")
    assert healthz(client) == (200, ["ok"])


def test_it_names_a_missing_asset_when_served_from_the_app_folders(client, db, settings):
    settings.STATICFILES_DIRS = []  # the folder that holds static/vendor
    status, lines = healthz(client)
    assert status == 503
    assert lines == ["static: 静态文件 vendor/bootstrap/bootstrap.min.css 不存在"]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": health.DATABASE_TASKS}}


def queued(*, waited: timedelta, started: timedelta | None = None) -> DBTaskResult:
    now = timezone.now()
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="dangjian.stats.tasks.refresh",
        backend_name="default",
        run_after=get_date_max(),
        status="RUNNING" if started else "READY",
    )
    # enqueued_at is set on create (auto_now_add): age it afterwards.
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=now - waited - (started or timedelta()),
        started_at=now - started if started else None,
    )
    return task


def test_it_names_the_worker_when_jobs_wait_and_none_starts(client, db, database_queue):
    queued(waited=timedelta(minutes=9))
    assert healthz(client) == (200, ["ok"])  # a fresh queue says nothing yet

    queued(waited=timedelta(minutes=11))
    status, lines = healthz(client)
    assert status == 503
    assert lines == [
        "tasks: 有后台任务等待超过 10 分钟: 后台任务进程未运行 "
        "(dangjian serve 会启动它, 或运行 dangjian worker)"
    ]

    queued(waited=timedelta(0), started=timedelta(minutes=2))  # a worker busy with the queue
    assert healthz(client) == (200, ["ok"])


def test_it_leaves_the_worker_alone_when_jobs_run_in_the_request(client, db):
    queued(waited=timedelta(hours=1))  # the tests' immediate backend has no worker to check
    assert healthz(client) == (200, ["ok"])


def test_it_names_every_failing_part(client, db, manifest_root, database_queue):
    queued(waited=timedelta(hours=1))
    status, lines = healthz(client)
    assert status == 503
    assert [line.split(":")[0] for line in lines] == ["static", "tasks"]


def test_it_names_redis_or_the_missing_rq_worker(settings):
    from dangjian.core import health

    settings.TASKS = {"default": {"BACKEND": health.RQ_TASKS, "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    assert "无法连接 Redis" in health.tasks_problem()
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/13"}}
    assert health.tasks_problem() == "Redis 上没有后台任务进程在运行 (请运行 dangjian worker)"
