"""QR sign-in on a phone (390 x 844): the branch secretary records today's meeting and opens
its sign-in screen; the member opens the code's link on the phone, logs in, confirms and is
present; the secretary's screen counts them."""

import datetime as dt

from dangjian.demo.city import DEMO_ACCOUNTS

ACCOUNT = {account.username: account for account in DEMO_ACCOUNTS}
PHONE = {"width": 390, "height": 844}


def log_in(page, base, username, then=None):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", ACCOUNT[username].password)
    page.click("button[type=submit]")
    if then:
        page.wait_for_url(then)


def test_it_signs_a_member_in_from_a_phone(browser, demo_server):
    base = demo_server.base
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    secretary = desk.new_page()
    secretary.goto(f"{base}/accounts/login/")
    log_in(secretary, base, "branch", f"{base}/")
    secretary.goto(f"{base}/life/meetings/add/")
    secretary.select_option("select[name=org]", index=1)
    secretary.select_option("select[name=kind]", "theme_day")
    secretary.fill("input[name=title]", "浏览器测试主题党日")
    secretary.fill("input[name=held_on]", dt.date.today().isoformat())
    secretary.click("form button.btn-party")
    secretary.wait_for_url("**/life/meetings/*/")
    secretary.click("text=扫码签到")
    secretary.wait_for_selector("#signin-qr svg")
    link = secretary.locator("#signin-qr .text-break").inner_text().strip()
    assert "/me/meetings/signin/?t=" in link

    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    member = phone.new_page()
    member.goto(link)
    assert "/accounts/login/" in member.url  # asked to sign in, then back to the code
    log_in(member, base, "member")
    member.wait_for_selector("text=确认签到")
    button = member.locator("button", has_text="确认签到").bounding_box()
    assert button["x"] >= 0 and button["x"] + button["width"] <= PHONE["width"]
    # Nothing wider than the phone's screen.
    assert member.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    member.click("text=确认签到")
    member.wait_for_selector("text=签到成功")

    secretary.reload()
    assert "已签到 1" in secretary.locator("#signin-qr").inner_text()
    desk.close()
    phone.close()
