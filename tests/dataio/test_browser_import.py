"""The upload flow in a real browser against the demo server (`dangjian serve` with its
background-job worker): a branch secretary uploads a members file, reads the report of a
bad row, uploads the corrected file, confirms, and sees the result."""

import datetime as dt
import sqlite3

import pytest

from dangjian.core.validators import id_check_digit
from dangjian.demo.city import BRANCH_NAME
from tests.browser.conftest import browser, chromium_path, page  # noqa: F401
from tests.browser.test_branch_member_list import log_in
from tests.dataio.helpers import member_record, table, write_xlsx

pytestmark = pytest.mark.browser


def branch_code(home) -> str:
    with sqlite3.connect(home / "dangjian.sqlite3") as db:
        return db.execute(
            "select code from orgs_organization where name = ?", (BRANCH_NAME,)
        ).fetchone()[0]


def members_named(home, name) -> int:
    with sqlite3.connect(home / "dangjian.sqlite3") as db:
        return db.execute("select count(*) from members_member where name = ?", (name,)).fetchone()[
            0
        ]


def upload(tab, base, path):
    tab.goto(f"{base}/data/members/import/")
    tab.set_input_files("input[name=file]", str(path))
    tab.click("form[enctype] button[type=submit]")


def test_it_uploads_checks_confirms_and_imports(page, demo_server, tmp_path):  # noqa: F811
    base, home = demo_server.base, demo_server.home
    code = branch_code(home)
    body = "659004199208150" + "31"
    number = body + id_check_digit(body)
    good = member_record(
        姓名="浏览器导入",
        公民身份号码=number,
        所在党组织代码=code,
        工作单位代码="",
        入党日期=dt.date(2016, 6, 30),
        转正日期=dt.date(2017, 6, 30),
    )
    headers, rows = table("members", [{**good, "性别": "女"}])
    bad_file = write_xlsx(tmp_path / "有错误.xlsx", headers, rows)
    headers, rows = table("members", [good])
    good_file = write_xlsx(tmp_path / "党员名单.xlsx", headers, rows)

    log_in(page, base, "branch")
    upload(page, base, bad_file)
    # The job page polls its progress until the worker is done, then shows the report.
    page.locator(".alert", has_text="校验未通过").wait_for(timeout=90_000)
    assert "第2行" in page.content() and "性别与公民身份号码不符" in page.content()
    assert page.locator("a", has_text="下载问题报告").count() == 1
    assert members_named(home, "浏览器导入") == 0

    upload(page, base, good_file)
    page.locator(".alert", has_text="校验通过").wait_for(timeout=90_000)
    assert "将新增 1 条, 更新 0 条" in page.content()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('确认导入')")
    page.locator(".alert", has_text="导入完成: 新增 1, 更新 0").wait_for(timeout=90_000)
    assert members_named(home, "浏览器导入") == 1
