"""An anonymous visitor opens the 党务公开 portal in a real browser on a phone-sized screen:
the 发展对象公示 shows during its working-day period and not after it; what was never
published, or was withdrawn, shows nowhere; no ID number or phone appears."""

import datetime as dt
import re

import pytest

from dangjian.core.context import CLI
from dangjian.disclosure import services, views
from tests.recruitment.helpers import advance, full_members, new_recruit

D = dt.date


@pytest.fixture
def portal_world(transactional_db, world, monkeypatch):
    ba = world.orgs["ba"]
    pair = full_members(ba, 2)
    recruit = new_recruit(ba, name="孙公示", phone="13987654321")
    advance(recruit, pair, pair, stop_before="pre_review")  # 公示 2024-05-13 .. 2024-05-17
    monkeypatch.setattr(services, "_today", lambda: D(2024, 5, 14))
    services.publish(
        CLI,
        org=ba,
        kind="notice",
        title="五月支部党员大会通知",
        published_on=D(2024, 5, 14),
        expires_on=D(2024, 5, 31),
    )
    services.publish(
        CLI,
        org=ba,
        kind="notice",
        title="尚未公开的通知",
        published_on=D(2024, 6, 1),
        expires_on=D(2024, 6, 30),
    )
    withdrawn = services.publish(
        CLI,
        org=ba,
        kind="activity",
        title="已撤回的活动",
        published_on=D(2024, 5, 1),
        expires_on=D(2024, 5, 31),
    )
    services.withdraw(CLI, withdrawn)
    return recruit


def _open(page, url):
    response = page.goto(url)
    assert response.status == 200
    return page.content()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_shows_an_anonymous_visitor_only_what_is_published(
    browser, live_server, portal_world, monkeypatch
):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    org_url = f"{live_server.url}/public/T-BA/"
    try:
        monkeypatch.setattr(views, "_today", lambda: D(2024, 5, 17))  # the last day
        html = _open(page, org_url)
        assert "/accounts/login/" not in page.url
        assert "孙公示" in html and "五月支部党员大会通知" in html
        assert "尚未公开的通知" not in html and "已撤回的活动" not in html
        assert "13987654321" not in html and portal_world.id_number not in html
        assert not re.search(r"\d{17}[\dXx]", html)
        # Readable on a phone: nothing wider than the screen.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        page.click("text=五月支部党员大会通知")
        assert "五月支部党员大会通知" in page.locator("h1").inner_text()

        # The next day, a visitor (not this one's cache: the portal may be kept 5 minutes).
        monkeypatch.setattr(views, "_today", lambda: D(2024, 5, 18))  # the period is over
        context.close()
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        page = context.new_page()
        html = _open(page, org_url)
        assert "孙公示" not in html and "五月支部党员大会通知" in html
        index = _open(page, f"{live_server.url}/public/")
        assert "尚未公开的通知" not in index and "已撤回的活动" not in index
    finally:
        context.close()
