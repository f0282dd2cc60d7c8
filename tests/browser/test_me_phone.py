"""The demo member opens `/me/` on a phone (390 x 844): every card fits the screen, nothing is
cut off or needs sideways scrolling, the ID number is masked, and the correction and transfer
forms fit too."""

import re

from dangjian.demo.city import DEMO_ACCOUNTS

ACCOUNT = {account.username: account for account in DEMO_ACCOUNTS}
WIDTH, HEIGHT = 390, 844

OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('main *'))
    .filter(el => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && (box.right > width + 1 || box.left < -1);
    })
    .map(el => el.tagName + '.' + el.className + ': ' + (el.textContent || '').trim().slice(0, 30));
}"""


def test_it_fits_the_members_own_pages_on_a_phone(browser, demo_server):
    base = demo_server.base
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    try:
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", "member")
        page.fill("input[name=password]", ACCOUNT["member"].password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        for path in ("/me/", "/me/correction/", "/me/transfer/", "/notifications/"):
            response = page.goto(f"{base}{path}")
            assert response.status == 200, path
            assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, path
            assert page.evaluate(OVERFLOWING) == [], path
        page.goto(f"{base}/me/")
        body = page.content()
        assert "本人信息" in body and "组织关系" in body
        assert not re.search(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])", body)
    finally:
        context.close()
