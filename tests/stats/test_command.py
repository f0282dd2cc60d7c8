"""`dangjian stats`: JSON on stdout, scope with --as, Chinese errors with exit status 1."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dangjian.core.context import CLI
from dangjian.orgs import services as orgs
from dangjian.stats.engine import statistics
from dangjian.stats.management.commands.stats import Command


def run(*args) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def keep_connection(monkeypatch):
    """run_from_argv closes every connection when it ends, which on PostgreSQL would close the
    test's transaction too; the command itself is what is under test."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def run_argv(capsys, *args) -> tuple[int, str, str]:
    """Through run_from_argv, as the `dangjian` console script runs it."""
    code = 0
    try:
        Command().run_from_argv(["dangjian", "stats", *args])
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_it_prints_the_statistics_object_as_json(world):
    result = json.loads(run("--org", "T-COUNTY", "--date", "2025-06-30", "--json"))
    assert result == statistics(world.orgs["county"], dt.date(2025, 6, 30))
    assert result["org"] == {"code": "T-COUNTY", "name": "测试县教体局党委"}
    assert result["as_of"] == "2025-06-30"
    assert result["members"]["正式党员"] == 7
    assert result["schools"] == {"total": 5, "covered": 4, "coverage": 0.8}


def test_it_writes_chinese_unescaped_and_indented(world):
    text = run("--org", "T-BA", "--date", "2025-06-30", "--json")
    assert '"name": "甲小学党支部"' in text
    assert '\n  "orgs": {' in text


def test_it_defaults_to_the_single_root_and_today(world):
    result = json.loads(run("--json"))
    assert result["org"]["code"] == "T-CITY"
    today = timezone.localdate()
    assert result["as_of"] == today.isoformat()
    assert result["period"] == {"from": f"{today.year}-01-01", "to": f"{today.year}-12-31"}
    assert result["members"]["total"] == 10


def test_it_takes_a_period(world):
    result = json.loads(
        run(
            "--org",
            "T-CITY",
            "--date",
            "2011-12-31",
            "--from",
            "2010-01-01",
            "--to",
            "2011-12-31",
            "--json",
        )
    )
    assert result["period"] == {"from": "2010-01-01", "to": "2011-12-31"}
    assert (result["changes"]["joined"], result["changes"]["converted"]) == (9, 9)


def test_it_asks_for_an_org_when_there_are_several_roots(world):
    orgs.create_org(CLI, parent=None, code="T-OTHER", name="另一市教育局党委", kind="committee")
    with pytest.raises(CommandError, match="--org") as exc:
        run("--json")
    assert exc.value.returncode == 1
    assert json.loads(run("--org", "T-OTHER", "--json"))["orgs"]["党委"] == 1


def test_it_defaults_to_the_top_of_the_users_scope(world):
    assert json.loads(run("--as", "secretary_a", "--json"))["org"]["code"] == "T-BA"
    assert json.loads(run("--as", "county_admin", "--json"))["org"]["code"] == "T-COUNTY"
    result = json.loads(run("--as", "county_admin", "--org", "T-GB", "--json"))
    assert result["org"]["code"] == "T-GB"


def test_it_refuses_an_org_outside_the_users_scope_with_exit_1(world, capsys, keep_connection):
    code, out, err = run_argv(capsys, "--as", "secretary_a", "--org", "T-BB", "--json")
    assert code == 1
    assert out == ""
    assert "组织代码“T-BB”不存在或不在您的权限范围内" in err
    # The same words for a code that does not exist: nothing leaks.
    code, out, err = run_argv(capsys, "--as", "secretary_a", "--org", "NOPE", "--json")
    assert (code, out) == (1, "")
    assert "组织代码“NOPE”不存在或不在您的权限范围内" in err


def test_it_refuses_a_user_without_a_view_scope(world, capsys, keep_connection):
    code, out, err = run_argv(capsys, "--as", "member", "--json")
    assert (code, out) == (1, "")
    assert "没有可查看的党组织" in err
    code, out, err = run_argv(capsys, "--as", "member", "--org", "T-BA", "--json")
    assert (code, out) == (1, "")
    code, out, err = run_argv(capsys, "--as", "nobody", "--json")
    assert (code, out) == (1, "")
    assert "用户“nobody”不存在或已停用" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (("--date", "2025-13-01"), "--date 日期格式错误"),
        (("--date", "2025/06/30"), "--date 日期格式错误"),
        (("--date", "20250630"), "--date 日期格式错误"),
        (("--from", "2025-01-01"), "--from 和 --to 须同时给出"),
        (("--from", "2025-01-01", "--to", "2025-02-30"), "--to 日期格式错误"),
        (("--from", "2025-02-01", "--to", "2025-01-01"), "开始日期不能晚于结束日期"),
        (("--org", "NOPE"), "组织代码“NOPE”不存在"),
    ],
)
def test_it_rejects_bad_arguments_in_chinese(world, capsys, args, message, keep_connection):
    code, out, err = run_argv(capsys, *args, "--json")
    assert (code, out) == (1, "")
    assert message in err


def test_it_prints_a_readable_table_without_json(world):
    text = run("--org", "T-COUNTY", "--date", "2025-06-30")
    lines = text.splitlines()
    assert lines[0].startswith("统计范围") and lines[0].endswith("测试县教体局党委 (T-COUNTY)")
    assert any(line.startswith("党员总数") and line.endswith(" 8") for line in lines)
    assert any(line.startswith("党组织覆盖率") and line.endswith("80.00%") for line in lines)
    assert any(line.startswith("党组织·党支部") and line.endswith(" 2") for line in lines)
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
