"""A branch secretary logs in with a real browser and sees only their branch's members."""

import os
import re
import sqlite3

from dangjian.demo.city import BRANCH_NAME, DEMO_ACCOUNTS

ACCOUNT = {account.username: account for account in DEMO_ACCOUNTS}


def branch_facts(home):
    with sqlite3.connect(home / "dangjian.sqlite3") as db:
        org_id = db.execute(
            "select id from orgs_organization where name = ?", (BRANCH_NAME,)
        ).fetchone()[0]
        active = db.execute(
            "select count(*) from members_member where org_id = ? and status = 'active'", (org_id,)
        ).fetchone()[0]
        outsider = db.execute(
            "select id from members_member where org_id != ? limit 1", (org_id,)
        ).fetchone()[0]
    return active, outsider


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", ACCOUNT[username].password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_it_shows_a_branch_secretary_only_their_branch(page, demo_server):
    base = demo_server.base
    active, outsider = branch_facts(demo_server.home)
    assert active >= 3

    log_in(page, base, "branch")
    page.goto(f"{base}/members/")
    # Styled by the locally served Bootstrap: the navbar is laid out, not a bare list.
    assert page.locator("nav.navbar").evaluate("e => getComputedStyle(e).display") == "flex"
    total = int(re.search(r"共\s*(\d+)\s*条", page.content()).group(1))
    assert total == active

    orgs_seen = set()
    while True:
        rows = page.locator("table tbody tr")
        for i in range(rows.count()):
            orgs_seen.add(rows.nth(i).locator("td").nth(6).inner_text().strip())
        nxt = page.locator("a.page-link", has_text="下一页")
        if nxt.count() == 0:
            break
        nxt.first.click()
        page.wait_for_load_state()
    assert orgs_seen == {BRANCH_NAME}
    assert not re.search(r"\d{17}[\dX]", page.content())

    response = page.goto(f"{base}/members/{outsider}/")
    assert response.status == 404

    if os.environ.get("DANGJIAN_SCREENSHOTS"):
        page.goto(f"{base}/members/")
        page.screenshot(path=os.path.join(os.environ["DANGJIAN_SCREENSHOTS"], "branch-members.png"))
