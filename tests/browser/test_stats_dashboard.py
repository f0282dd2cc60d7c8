"""The city administrator opens the statistics dashboard of the live demo in a real browser:
every chart is drawn (ECharts puts a sized <canvas> in each container), nothing is logged
to the console as an error, and clicking a county drills down to its own figures."""

import base64
import re

from django_otp.oath import totp

from dangjian.demo.city import DEMO_ACCOUNTS

ACCOUNT = {account.username: account for account in DEMO_ACCOUNTS}
CHARTS = (
    "age",
    "education",
    "person_type",
    "sex",
    "ethnicity",
    "history",
    "orgs",
    "mass_orgs",
    "coverage",
    "teachers_top",
    "teachers_bottom",
)


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", ACCOUNT[username].password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if "/2fa/setup" in page.url:
        # Administrators enrol an authenticator on first sign-in: read the secret shown
        # for manual entry and answer with its current code, as the app would.
        secret = page.locator("code.user-select-all").inner_text().replace(" ", "")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        page.fill("input[name=token]", f"{totp(key):06d}")
        page.locator("form:has(input[name=token]) button[type=submit]").first.click()
        page.wait_for_load_state()
    assert "/accounts/login" not in page.url


def own_errors(errors: list) -> list:
    """Console errors of these pages. htmx (loaded by every page's base template) adds its
    indicator <style> unless told not to, which the CSP refuses: not the dashboard's."""
    return [(text, url) for text, url in errors if "/vendor/htmx/" not in url]


def chart_sizes(page) -> dict:
    return page.evaluate(
        """() => Object.fromEntries(
            Array.from(document.querySelectorAll('.stats-chart')).map(el => {
                const canvas = el.querySelector('canvas');
                return [el.dataset.chart, canvas ? [canvas.clientWidth, canvas.clientHeight] : null];
            }))"""
    )


def chart_contents(page) -> dict:
    """What each drawn chart holds, read from its ECharts instance: the pies' label texts
    (as the formatter renders them) and the bars' values."""
    return page.evaluate(
        """() => Object.fromEntries(
            Array.from(document.querySelectorAll('.stats-chart')).map(el => {
                const chart = window.echarts.getInstanceByDom(el);
                if (!chart) return [el.dataset.chart, null];
                const option = chart.getOption();
                const series = option.series[0];
                if (series.type === 'pie') {
                    const labels = series.data.map((item, i) => {
                        const params = chart.getModel().getSeriesByIndex(0)
                            .getDataParams(i);
                        return chart.getModel().getSeriesByIndex(0)
                            .getFormattedLabel(i, 'normal') || params.name;
                    });
                    return [el.dataset.chart, {pie: labels, show: series.label.show,
                                               overflow: series.label.overflow}];
                }
                return [el.dataset.chart, {bars: series.data.map(v =>
                    typeof v === 'object' && v !== null ? v.value : v),
                    right: option.grid[0].right}];
            }))"""
    )


def assert_charts_readable(page):
    contents = chart_contents(page)
    for key in ("sex", "ethnicity"):
        pie = contents[key]
        assert pie and pie["show"] and pie["overflow"] != "truncate", (key, pie)
        assert pie["pie"] and all(text and "…" not in text for text in pie["pie"]), (key, pie)
    for key in ("teachers_top", "teachers_bottom"):
        bars = contents[key]
        assert bars and bars["bars"], (key, bars)
        assert bars["right"] >= 48, (key, bars)  # room for the value label
    assert any(value > 0 for value in contents["teachers_top"]["bars"])


def test_it_draws_every_chart_of_the_city_and_drills_down(page, demo_server):
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
    sign_in(page, base, "admin")
    errors.clear()  # only the dashboard's own pages are judged

    page.set_viewport_size({"width": 1366, "height": 900})
    response = page.goto(f"{base}/stats/?date=2010-12-31")
    assert response.status == 200
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.stats-chart'))"
        ".every(el => el.querySelector('canvas'))"
    )
    sizes = chart_sizes(page)
    assert set(sizes) == set(CHARTS)
    for key, size in sizes.items():
        assert size is not None and size[0] > 100 and size[1] > 100, (key, size)
    assert_charts_readable(page)  # at 1366 wide
    assert page.locator("#card-members .display-6").inner_text().strip().isdigit()
    # The seed's figures on its reporting date (INTERFACES 5).
    assert "34.8%" in page.locator("#card-teachers").inner_text()
    assert page.locator("a.nav-link", has_text="统计分析").count() == 1
    assert own_errors(errors) == []

    # Drill down: the first county in the table leads to its own dashboard.
    link = page.locator("#children a.drill").nth(1)
    county = link.inner_text().strip()
    link.click()
    page.wait_for_load_state()
    assert re.search(r"[?&]org=\d+", page.url)
    assert page.locator("h1").inner_text().startswith(county)
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.stats-chart'))"
        ".every(el => el.querySelector('canvas'))"
    )
    assert all(size and size[0] > 100 for size in chart_sizes(page).values())

    # On a phone the charts shrink to the screen and are still drawn.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/stats/?date=2010-12-31")
    page.wait_for_function("() => document.querySelector('#chart-age canvas')")
    width = page.evaluate("() => document.querySelector('#chart-age canvas').clientWidth")
    assert 200 < width <= 390
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.stats-chart'))"
        ".every(el => el.querySelector('canvas'))"
    )
    assert_charts_readable(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert own_errors(errors) == []
