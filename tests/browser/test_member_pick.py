"""On a phone, a branch secretary finds a member for a transfer by typing pinyin initials
into the picker's search box (members/pick.py): the select is refilled with the matches."""

import sqlite3

from browser.test_branch_member_list import log_in

from dangjian.demo.city import BRANCH_NAME


def a_branch_member(home):
    with sqlite3.connect(home / "dangjian.sqlite3") as db:
        return db.execute(
            "select m.id, m.name, m.name_initials from members_member m"
            " join orgs_organization o on o.id = m.org_id"
            " where o.name = ? and m.status = 'active' order by m.name_pinyin desc limit 1",
            (BRANCH_NAME,),
        ).fetchone()


def test_typing_initials_offers_the_matching_members(browser, demo_server):
    base = demo_server.base
    pk, name, initials = a_branch_member(demo_server.home)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, base, "branch")
        page.goto(f"{base}/members/transfers/add/")
        search = page.locator("input[name=pick_q]")
        assert search.is_visible()
        search.fill(initials)
        option = page.locator(f'select[name=member] option[value="{pk}"]')
        option.wait_for(state="attached", timeout=10_000)
        labels = page.locator("select[name=member] option").all_inner_texts()
        assert any(label.startswith(name) for label in labels)
        page.select_option("select[name=member]", str(pk))
        assert page.locator("select[name=member]").input_value() == str(pk)
        # The page does not overflow the phone's width.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
    finally:
        context.close()
