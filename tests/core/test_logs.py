"""DANGJIAN_LOG_FORMAT: gunicorn's request lines and the app's warnings as text or as one JSON
object per line, never with a full ID number (a search for one puts it in the query)."""

import datetime as dt
import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from dangjian.core.logs import GunicornLogger, JsonGunicornLogger
from tests.personas import make_id

ID = make_id(dt.date(1990, 3, 7), 5)


def _request(logger_class, capsys):
    config = Config()
    config.set("accesslog", "-")
    logger = logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/members/?q={ID}",
        "PATH_INFO": "/members/",
        "QUERY_STRING": f"q={ID}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.1.2.3",
        "HTTP_USER_AGENT": 'Mozilla/5.0 "quoted"',
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[], response_length=512)
    request = SimpleNamespace(headers=[], method="GET", path="/members/")
    logger.access(response, request, environ, dt.timedelta(milliseconds=42))
    for handler in logger.access_log.handlers:
        handler.flush()
    return capsys.readouterr().out.strip().splitlines()


def test_the_text_access_line_masks_the_id_number(capsys):
    (line,) = _request(GunicornLogger, capsys)
    assert ID not in line
    assert f"/members/?q={ID[:3]}***********{ID[-4:]} " in line


def test_the_json_access_line_is_one_object_with_the_id_masked(capsys):
    (line,) = _request(JsonGunicornLogger, capsys)
    record = json.loads(line)
    assert record["method"] == "GET" and record["path"] == "/members/"
    assert record["status"] == 200 and record["duration_ms"] == 42.0
    assert record["remote_addr"] == "10.1.2.3"
    assert record["user_agent"] == 'Mozilla/5.0 "quoted"'
    assert ID not in line
    assert record["query"] == f"q={ID[:3]}***********{ID[-4:]}"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_apps_warnings_follow_the_setting(fmt, tmp_path):
    code = (
        "import django, logging; django.setup(); "
        f"logging.getLogger('dangjian.test').warning('查无此人 %s', '{ID}')"
    )
    env = {
        **os.environ,
        "DANGJIAN_HOME": str(tmp_path),
        "DANGJIAN_LOG_FORMAT": fmt,
        "DJANGO_SETTINGS_MODULE": "dangjian.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert ID not in line and "查无此人" in line
    if fmt == "json":
        record = json.loads(line)
        assert record["level"] == "WARNING" and record["logger"] == "dangjian.test"
        assert dt.datetime.strptime(record["time"], "%Y-%m-%dT%H:%M:%S%z")
    else:
        assert line.startswith("查无此人")


def test_a_wrong_format_is_refused(tmp_path):
    env = {**os.environ, "DANGJIAN_HOME": str(tmp_path), "DANGJIAN_LOG_FORMAT": "xml"}
    done = subprocess.run(
        [sys.executable, "-m", "dangjian.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "DANGJIAN_LOG_FORMAT" in done.stderr
