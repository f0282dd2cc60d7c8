"""The statistics dashboard: the user's scope, drill-down (404 outside it), the as-of date
with the year-earlier comparison, the charts' data as JSON for ECharts and as .xlsx."""

import datetime as dt
import io
import json
import re

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry
from dangjian.members import services as members
from dangjian.orgs.models import School

URL = reverse("stats-dashboard")
XLSX = reverse("stats-dashboard-xlsx")
CHARTS = {
    "age",
    "education",
    "person_type",
    "sex",
    "ethnicity",
    "orgs",
    "coverage",
    "mass_orgs",
    "teachers_top",
    "teachers_bottom",
    "history",
}


def chart_data(response) -> dict:
    match = re.search(
        r'<script id="stats-charts" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def test_it_shows_the_users_own_subtree(world, login):
    response = login(world, "county_admin").get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.context["org"] == world.orgs["county"]
    html = response.content.decode()
    charts = chart_data(response)
    assert set(charts) == CHARTS
    for key in CHARTS:
        assert f'id="chart-{key}" data-chart="{key}"' in html
    # No inline script: the data is JSON, the code a static file.
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert scripts == [' id="stats-charts" type="application/json"']
    assert "/static/dangjian/stats.js" in html
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert "另一县" not in html
    assert "戊小学" not in html


def test_it_draws_the_distributions_of_the_day_and_a_year_earlier(world, login):
    response = login(world, "county_admin").get(URL, {"date": "2024-06-30"})
    data = response.context["data"]
    assert (data.as_of, data.previous) == (dt.date(2024, 6, 30), dt.date(2023, 6, 30))
    charts = chart_data(response)
    age = charts["age"]
    assert age["categories"][0] == "30岁及以下"
    assert [s["name"] for s in age["series"]] == ["2024-06-30", "2023-06-30"]
    # 王五 (born 1998) joined on 2024-03-01: one more member under 30 than a year earlier.
    assert age["series"][0]["data"][0] == 1
    assert age["series"][1]["data"][0] == 0
    assert charts["sex"]["categories"] == ["男", "女"]
    assert charts["sex"]["series"][0]["data"] == [5, 3]
    assert charts["ethnicity"]["series"][0]["data"] == [7, 1]
    assert charts["education"]["series"][0]["data"][:3] == [0, 7, 1]
    assert charts["person_type"]["series"][0]["data"][:2] == [7, 1]
    assert charts["orgs"]["series"][0]["data"] == [1, 0, 1, 2, 1, 0, 0]
    assert charts["mass_orgs"]["percent"] is True
    history = charts["history"]
    assert history["categories"][0] == "2000" and history["categories"][-1] == "2024"
    assert history["series"][0]["data"][-1] == 8
    assert history["series"][1]["data"][-1] == 1
    cards = {card["id"]: card for card in response.context["cards"]}
    assert (cards["card-members"]["value"], cards["card-members"]["delta"]) == (8, 1)
    assert cards["card-coverage"]["value"] == "80.0%"
    comparison = {row["label"]: row for row in response.context["comparison"]}
    assert comparison["党员总数"] == {
        "key": "members",
        "label": "党员总数",
        "now": 8,
        "before": 7,
        "delta": 1,
        "percent": False,
    }
    assert comparison["35岁及以下党员"]["delta"] == 1


def test_it_shows_coverage_by_child_with_drill_down_links(world, login):
    client = login(world, "county_admin")
    response = client.get(URL, {"date": "2011-01-01"})
    coverage = chart_data(response)["coverage"]
    assert coverage["categories"] == ["本级", "第一学区党总支", "丙丁联合党支部"]
    assert coverage["series"] == [
        {"name": "已建党组织学校", "data": [0, 1, 2]},
        {"name": "未建党组织学校", "data": [2, 0, 0]},
    ]
    gb = world.orgs["gb"]
    assert coverage["links"] == [
        None,
        f"?org={gb.pk}&date=2011-01-01",
        f"?org={world.orgs['jb'].pk}&date=2011-01-01",
    ]
    html = response.content.decode()
    assert f'href="?org={gb.pk}&amp;date=2011-01-01">第一学区党总支</a>' in html
    uncovered = [school.name for school in response.context["data"].uncovered]
    assert uncovered == ["乙中学", "庚小学"]
    drilled = client.get(URL, {"org": gb.pk, "date": "2011-01-01"})
    assert drilled.status_code == 200
    assert drilled.context["org"] == gb
    assert [o.name for o in drilled.context["trail"]] == ["测试县教体局党委", "第一学区党总支"]
    # 乙中学党支部 did not exist yet, but its members' spells did: it shows while it
    # holds figures, without its school (which belonged to the county then).
    coverage = chart_data(drilled)["coverage"]
    assert coverage["categories"] == ["甲小学党支部", "乙中学党支部"]
    assert coverage["series"][0]["data"] == [1, 0]


def test_it_answers_404_outside_the_scope(world, login):
    client = login(world, "county_admin")
    for org in ("county2", "bx", "city"):
        assert client.get(URL, {"org": world.orgs[org].pk}).status_code == 404, org
        assert client.get(XLSX, {"org": world.orgs[org].pk}).status_code == 404, org
    assert client.get(URL, {"org": "abc"}).status_code == 404
    assert client.get(URL, {"org": "999999"}).status_code == 404
    secretary = login(world, "secretary_a")
    assert secretary.get(URL).context["org"] == world.orgs["ba"]
    assert secretary.get(URL, {"org": world.orgs["gb"].pk}).status_code == 404
    assert login(world, "member").get(URL).status_code == 404
    anonymous = login(world, "anonymous").get(URL)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url


def test_it_keeps_the_defaults_and_says_so_for_a_bad_date(world, login):
    response = login(world, "county_admin").get(URL, {"date": "2024-02-30"})
    assert response.status_code == 200
    assert 'id="stats-param-errors"' in response.content.decode()
    assert response.context["data"].as_of == timezone.localdate()


def test_it_ranks_schools_by_their_share_of_party_member_teachers(world, login):
    members.record_leaving(CLI, world.members["b3"], kind="moved_out", on=dt.date(2024, 1, 1))
    charts = chart_data(login(world, "city_admin").get(URL, {"date": "2025-06-30"}))
    top, bottom = charts["teachers_top"], charts["teachers_bottom"]
    assert top["categories"] == ["戊小学", "丁小学", "甲小学", "丙小学", "乙中学", "庚小学"]
    assert top["series"][0]["data"] == [20.0, 16.67, 15.0, 12.5, 3.33, 0.0]
    assert bottom["categories"] == ["庚小学", "乙中学", "丙小学", "甲小学", "丁小学", "戊小学"]


def test_it_downloads_one_charts_data(world, login):
    client = login(world, "county_admin")
    response = client.get(XLSX, {"chart": "age", "date": "2024-06-30"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["党员年龄结构"]
    rows = list(book["党员年龄结构"].iter_rows(values_only=True))
    assert rows[0] == ("项目", "2024-06-30", "2023-06-30")
    assert rows[1] == ("30岁及以下", 1, 0)
    assert rows[3] == ("36-40岁", 7, 7)
    coverage = client.get(XLSX, {"chart": "coverage", "date": "2025-06-30"})
    rows = list(load_workbook(io.BytesIO(coverage.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("项目", "已建党组织学校", "未建党组织学校", "学校总数")
    assert rows[1][:5] == ("本级", 0, 1, 1, 0.0)
    uncovered = client.get(XLSX, {"chart": "uncovered"})
    rows = list(load_workbook(io.BytesIO(uncovered.content)).active.iter_rows(values_only=True))
    assert rows[1:] == [("S-E", "庚小学", "测试县", "测试县教体局党委")]
    assert client.get(XLSX, {"chart": "nonsense"}).status_code == 404
    assert client.get(XLSX, {"date": "2024-13-01"}).status_code == 400
    entry = AuditEntry.objects.filter(action=30).latest("id")
    assert entry.actor == world.users["county_admin"]


def test_it_downloads_every_chart_in_one_workbook(world, login):
    response = login(world, "county_admin").get(XLSX)
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames[0] == "同比"
    assert "党员年龄结构" in book.sheetnames
    assert "历年党员人数" in book.sheetnames
    assert "各校党员教师比例" in book.sheetnames
    assert "未建党组织的学校" in book.sheetnames
    assert len(book.sheetnames) == len(CHARTS) + 3
    schools = list(book["各校党员教师比例"].iter_rows(values_only=True))
    assert ("S-A", "甲小学", 20, 3, 15.0, "是") in schools


def test_it_links_the_dashboard_in_the_navigation_for_users_with_a_scope(world, login):
    link = f'href="{URL}">统计分析</a>'
    assert link in login(world, "secretary_a").get(reverse("home")).content.decode()
    assert link not in login(world, "member").get(reverse("home")).content.decode()


def test_it_marks_a_school_with_more_party_member_teachers_than_teachers(world, login):
    """甲小学's record says 2 专任教师 while 3 of its party members are 专任教师: the ratio is
    shown as counted (150%) and the school named with a mark to check its figures."""
    School.objects.filter(code="S-A").update(teacher_count=2)
    charts = chart_data(login(world, "city_admin").get(URL, {"date": "2025-06-30"}))
    top = charts["teachers_top"]
    assert top["categories"][0] == "甲小学(⚠党员专任教师多于专任教师, 请核对)"
    assert top["series"][0]["data"][0] == 150.0
    assert all("⚠" not in name for name in top["categories"][1:])
