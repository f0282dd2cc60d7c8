"""DANGJIAN_TASKS=rq: an upload is checked and imported by a real `dangjian worker` on the
local Redis, in processes of their own, the way a scaled-out installation runs (issue 20).
Nothing is mocked: the app and the worker share only the database and Redis."""

import json
import subprocess
import sys

import pytest
import redis
from servers import dangjian, run

from tests.dataio.helpers import table, write_xlsx

REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of this test's own, emptied first

ENQUEUE = """
import django, json, sys
django.setup()
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from dangjian.dataio import services, tasks
user = get_user_model().objects.create_superuser("rq-admin", password="Rq#Admin2026")
upload = SimpleUploadedFile("orgs.xlsx", open(sys.argv[1], "rb").read())
job = services.create_job(user, "orgs", upload)
result = tasks.check_upload.enqueue(job.pk)
services.set_task(job, result.id)
print(json.dumps({"job": job.pk, "backend": type(tasks.check_upload.get_backend()).__name__}))
"""
STATUS = """
import django, json, sys
django.setup()
from dangjian.dataio.models import ImportJob
from dangjian.orgs.models import Organization
job = ImportJob.objects.get(pk=int(sys.argv[1]))
print(json.dumps({"status": job.status, "orgs": Organization.objects.count()}))
"""
CONFIRM = """
import django, sys
django.setup()
from dangjian.dataio import services, tasks
from dangjian.dataio.models import ImportJob
job = ImportJob.objects.get(pk=int(sys.argv[1]))
services.confirm_job(job.user, job)
services.set_task(job, tasks.import_upload.enqueue(job.pk).id)
"""


def python(home, script, *args, env_extra):
    command, env = dangjian(home)
    env = {**env, **env_extra, "DJANGO_SETTINGS_MODULE": "dangjian.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def worker_burst(home, env_extra):
    command, env = dangjian(home, "worker", "--burst")
    done = subprocess.run(
        command, env={**env, **env_extra}, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture
def redis_db():
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()


def test_it_checks_and_imports_an_upload_through_an_rq_worker(tmp_path, redis_db):
    home = tmp_path / "home"
    env_extra = {"DANGJIAN_TASKS": "rq", "DANGJIAN_REDIS_URL": REDIS_URL}
    run(home, "migrate", "--verbosity", "0")
    headers, rows = table(
        "orgs",
        [
            {"组织代码": "RQ", "组织名称": "测试市教育局党委", "组织类别": "党委"},
            {
                "组织代码": "RQ-ZB",
                "组织名称": "测试党支部",
                "组织类别": "党支部",
                "上级组织代码": "RQ",
            },
        ],
    )
    path = write_xlsx(tmp_path / "orgs.xlsx", headers, rows)

    queued = json.loads(python(home, ENQUEUE, str(path), env_extra=env_extra))
    assert queued["backend"] == "RQBackend"
    assert redis_db.keys("rq:queue:default"), "the check was not queued on Redis"
    assert json.loads(python(home, STATUS, str(queued["job"]), env_extra=env_extra))["status"] in (
        "pending",
        "checking",
    )

    worker_burst(home, env_extra)
    state = json.loads(python(home, STATUS, str(queued["job"]), env_extra=env_extra))
    assert state == {"status": "valid", "orgs": 0}

    python(home, CONFIRM, str(queued["job"]), env_extra=env_extra)
    worker_burst(home, env_extra)
    state = json.loads(python(home, STATUS, str(queued["job"]), env_extra=env_extra))
    assert state == {"status": "done", "orgs": 2}
