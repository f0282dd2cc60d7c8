"""The 支部大会 form's live count in a real browser: rows of those present without a vote
(列席) count apart, never in 应到会, 实到会 or the votes. The page is rendered by Django
and its script inlined (no server needed); the browser starts after the database work."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from dangjian.recruitment import views
from tests.browser.conftest import browser, chromium_path, page  # noqa: F401 - fixtures
from tests.recruitment.helpers import advance, new_recruit

pytestmark = pytest.mark.browser

SCRIPT = Path(views.__file__).resolve().parents[1] / "static" / "dangjian" / "recruitment.js"


def test_the_live_count_leaves_observers_out(world, login, request):
    pair = [world.members["a1"], world.members["a2"]]
    recruit = advance(new_recruit(world.orgs["ba"]), pair, pair)
    client = login(world, "secretary_a")
    html = client.get(
        reverse("recruit-step", args=[recruit.pk]), {"key": "branch_meeting", "on": "2024-06-03"}
    ).content.decode()
    script = f"<script>{SCRIPT.read_text(encoding='utf-8')}</script>"
    html = re.sub(r'<script src="[^"]*recruitment\.js"[^>]*></script>', lambda _m: script, html)
    # The browser starts only now: its event loop would give the ORM another connection.
    tab = request.getfixturevalue("page")
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.set_content(html)
    tally = tab.locator("#tally")
    tab.click("[data-all-attended]")
    assert "应到会 2 人, 实到会 2 人" in tally.inner_text()
    assert "列席" not in tally.inner_text()
    tab.check("tr.observer-row input[name$='-attended']")
    text = tally.inner_text()
    assert "应到会 2 人, 实到会 2 人" in text and "列席 1 人(无表决权)" in text
    assert tab.locator("tr.observer-row select").count() == 0  # no vote to cast
    assert errors == []
