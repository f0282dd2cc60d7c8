"""The real entry point, as a user runs it: `dangjian demo` on the embedded SQLite database
in a fresh $DANGJIAN_HOME, a second run, serving the pages, and `dangjian serve`."""

import os
import re
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from servers import ACCOUNTS, Server, account_users, get, run

from dangjian.core.management.commands.serve import check_addr
from dangjian.demo.management.commands.demo import remove_sqlite_files


def test_it_builds_serves_and_reruns_the_demo_on_embedded_sqlite(tmp_path):
    first = run(tmp_path, "demo", "--no-serve")
    assert account_users(first) == ACCOUNTS
    database = tmp_path / "dangjian.sqlite3"
    assert database.exists()
    with sqlite3.connect(database) as db:
        counts = [
            db.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("orgs_organization", "orgs_school", "members_member")
        ]
    assert counts[1] == 458 and counts[2] > 5000

    second = run(tmp_path, "demo", "--no-serve")
    assert "跳过加载" in second
    assert account_users(second) == ACCOUNTS
    with sqlite3.connect(database) as db:
        again = [
            db.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("orgs_organization", "orgs_school", "members_member")
        ]
    assert again == counts

    with Server(tmp_path, "demo") as server:
        assert get(f"{server.base}/healthz") == (200, b"ok")
        status, page = get(f"{server.base}/accounts/login/")
        assert status == 200 and b'name="password"' in page
        status, css = get(f"{server.base}/static/vendor/bootstrap/bootstrap.min.css")
        assert status == 200 and len(css) > 10_000
    assert account_users(server.output) == ACCOUNTS
    assert '"GET /accounts/login/ HTTP/1.1" 200' in server.output  # access log on stdout
    assert "Traceback" not in server.output  # Ctrl-C stops every process quietly

    assert not alive(job_worker(server.output))  # stopped with the server

    with Server(tmp_path, "serve", "--workers", "1") as server:
        assert get(f"{server.base}/healthz") == (200, b"ok")
    assert server.process.returncode == 0
    assert not alive(job_worker(server.output))

    # Killed outright, the server takes its job worker with it (no orphan keeps running).
    with Server(tmp_path, "serve", "--workers", "1") as server:
        worker = job_worker(server.read_until("后台任务进程已启动"))
        assert alive(worker)
        os.kill(server.process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.2)
        orphan = alive(worker)
        if orphan:  # it holds the output pipe: end it so the test fails instead of hanging
            os.kill(worker, signal.SIGKILL)
        os.killpg(server.process.pid, signal.SIGKILL)  # gunicorn's own workers
        assert not orphan


def job_worker(output: str) -> int:
    return int(re.search(r"后台任务进程已启动 \(进程号 (\d+)\)", output).group(1))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too: only its parent has not collected it yet.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_it_removes_an_sqlite_database_with_its_wal_files(tmp_path):
    name = tmp_path / "db.sqlite3"
    db = sqlite3.connect(name)
    db.execute("pragma journal_mode=wal")
    db.execute("create table t (x int)")
    db.execute("insert into t values (1)")
    db.commit()
    assert Path(f"{name}-wal").exists()
    removed = remove_sqlite_files(str(name))
    db.close()
    assert name in removed and Path(f"{name}-wal") in removed
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("addr", ["8000", "localhost", "127.0.0.1:", "127.0.0.1:99999"])
def test_it_refuses_a_bad_address(addr):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="主机:端口"):
        check_addr(addr)
