"""A county administrator works through the to-do list of the live demo in a real browser, at
1366 and at 390 wide (issue 21.5): the home card groups the items by kind, "查看全部待办"
opens every item, a kind's link filters to it, and its pages hold the rest."""

import re

import pytest

from tests.browser.test_stats_dashboard import own_errors, sign_in


def _count(text: str) -> int:
    return int(re.search(r"(\d+)\s*项", text).group(1))


def _fits(page, width: int) -> None:
    """No sideways scrolling; else the elements that stick out, to find the culprit."""
    wide = page.evaluate(
        """(width) => Array.from(document.querySelectorAll('body *'))
            .filter(el => el.getBoundingClientRect().right > width + 1)
            .slice(0, 5)
            .map(el => el.tagName + '#' + el.id + '.' + el.className + ' '
                       + Math.round(el.getBoundingClientRect().right))""",
        width,
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, wide


@pytest.mark.parametrize("width", [1366, 390])
def test_a_county_admin_opens_groups_and_pages_of_the_to_do_list(page, demo_server, width):
    base = demo_server.base
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append((message.text, message.location.get("url", "")))
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append((str(error), "")))
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, base, "county")

    assert page.goto(f"{base}/").status == 200
    groups = page.locator("#todo #todo-groups tr.todo-group")
    assert groups.count() >= 2, "the demo county should have several kinds of to-do items"
    counts = {
        row.get_attribute("data-kind"): _count(row.locator("td").nth(1).inner_text())
        for row in groups.all()
    }
    _fits(page, width)

    page.click("#todo-all")
    page.wait_for_load_state()
    assert page.url.startswith(f"{base}/todo/")
    total = _count(page.locator("h1 + span").inner_text())
    assert total == sum(counts.values())
    assert page.locator("#todo-items .todo-item").count() == min(total, 50)
    _fits(page, width)

    # The largest kind: its link filters the list, and its pages hold all of its items.
    kind = max(counts, key=counts.get)
    page.locator(f"#todo-groups tr.todo-group[data-kind='{kind}'] a").click()
    page.wait_for_load_state()
    assert f"kind={kind}" in page.url
    assert page.locator(f"#todo-groups tr.table-active[data-kind='{kind}']").count() == 1
    assert page.locator("#todo-kind").input_value() == kind
    seen = page.locator("#todo-items .todo-item").count()
    while page.locator("a.page-link", has_text="下一页").count():
        page.locator("a.page-link", has_text="下一页").first.click()
        page.wait_for_load_state()
        assert f"kind={kind}" in page.url
        seen += page.locator("#todo-items .todo-item").count()
    assert seen == counts[kind]
    _fits(page, width)

    # The export link carries the filter.
    assert f"kind={kind}" in page.locator("#todo-export").get_attribute("href")
    assert own_errors(errors) == []
