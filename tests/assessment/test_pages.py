"""The 责任与考核 pages a user works through: a letter entered with its indicators, a 整改
item reported by the branch and accepted by the county, the ranking page and its Excel, the
honours' counts per year and level."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from dangjian.assessment import services
from dangjian.assessment.models import RectificationStatus, ResponsibilityLetter
from dangjian.core.context import CLI

pytestmark = pytest.mark.django_db


def test_it_enters_a_letter_with_its_indicators(world, login):
    client = login(world, "county_admin")
    response = client.post(
        reverse("dutyletter-create"),
        {
            "org": world.orgs["ba"].pk,
            "year": 2024,
            "signed_on": "2024-02-20",
            "superior_signatory": "王书记",
            "org_signatory": "张书记",
            "indicators_text": "三会一课|30|按时召开\n发展党员|20|完成计划",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    letter = ResponsibilityLetter.objects.get()
    assert [(i.name, int(i.weight)) for i in letter.indicators.all()] == [
        ("三会一课", 30),
        ("发展党员", 20),
    ]
    assert letter.superior == world.orgs["gb"]
    page = client.get(reverse("dutyletter-detail", args=[letter.pk])).content.decode()
    assert "三会一课" in page and "30" in page
    again = client.post(
        reverse("dutyletter-create"), {"org": world.orgs["ba"].pk, "year": 2024}
    ).content.decode()
    assert "已经存在" in again


def test_it_reports_and_accepts_an_item_through_the_pages(world, login):
    inspection = services.create_inspection(
        CLI,
        org=world.orgs["county"],
        topic="党费收缴专项督查",
        start_on=dt.date(2024, 3, 1),
        end_on=dt.date(2024, 3, 5),
        inspectors="督查组",
        targets=[world.orgs["ba"]],
    )
    item = services.add_rectification(
        CLI,
        inspection,
        org=world.orgs["ba"],
        finding="党费台账不完整",
        owner="张书记",
        found_on=dt.date(2024, 3, 5),
        deadline=dt.date(2024, 4, 5),
    )
    client = login(world, "secretary_a")
    assert client.get(reverse("rectification-review", args=[item.pk])).status_code == 404
    response = client.post(
        reverse("rectification-report", args=[item.pk]),
        {"evidence": "已补齐台账", "submitted_on": "2024-04-01"},
    )
    assert response.status_code == 302
    client = login(world, "county_admin")
    detail = client.get(reverse("rectification-detail", args=[item.pk])).content.decode()
    assert reverse("rectification-review", args=[item.pk]) in detail
    client.post(
        reverse("rectification-review", args=[item.pk]),
        {"accept": "1", "on": "2024-04-03", "note": ""},
    )
    item.refresh_from_db()
    assert item.status == RectificationStatus.ACCEPTED and item.closed_on_time
    page = client.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()
    assert "100.0%" in page
    report = client.get(reverse("inspection-docx", args=[inspection.pk]))
    assert report.status_code == 200 and report.content[:2] == b"PK"


def test_it_shows_and_exports_the_ranking(world, login):
    gb = world.orgs["gb"]
    s = services.create_indicator_set(CLI, org=gb, year=2024, name="年度考核")
    leaf = services.add_indicator(CLI, s, name="三会一课", max_score=50)
    for org, value in ((world.orgs["ba"], 45), (world.orgs["bb"], 40)):
        sheet = services.create_sheet(CLI, s, org=org, democratic_rate=90)
        services.score(CLI, sheet, leaf, self_score=value, reviewer_score=value)
    client = login(world, "county_admin")
    page = client.get(reverse("indicatorset-detail", args=[s.pk])).content.decode()
    assert page.index("甲小学党支部") < page.index("乙中学党支部")
    assert "新" in page  # no 2023 ranking: both orgs are new to it
    response = client.get(reverse("indicatorset-ranking-xlsx", args=[s.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (1, "甲小学党支部", 45.0),
        (2, "乙中学党支部", 40.0),
    ]


def test_it_counts_approved_honours_per_year_and_level(world, login):
    for org in (world.orgs["ba"], world.orgs["bb"]):
        honour = services.nominate_honour(
            CLI,
            kind="advanced_org",
            level="city",
            year=2023,
            org=org,
            awarded_by="市委",
            nominated_on=dt.date(2023, 6, 1),
        )
        services.publicise_honour(CLI, honour, start=dt.date(2023, 6, 2), end=dt.date(2023, 6, 8))
        services.decide_honour(CLI, honour, approve=True, on=dt.date(2023, 7, 1))
    client = login(world, "secretary_a")
    response = client.get(reverse("honour-list"))
    assert response.context["honour_counts"] == [(2023, [0, 0, 1, 0, 0])]


def test_it_shows_an_orgs_rank_over_the_years(world, login):
    for year, rank in ((2022, 12), (2023, 8), (2024, 8)):
        latest = services.record_evaluation(
            CLI,
            org=world.orgs["county"],
            name="政风行风测评",
            body="县政府",
            year=year,
            held_on=dt.date(year, 12, 28),
            ranked_among="全县",
            rank=rank,
        )
    client = login(world, "county_admin")
    response = client.get(reverse("evaluation-detail", args=[latest.pk]))
    assert response.context["rank_history"] == [(2022, 12, None), (2023, 8, 4), (2024, 8, 0)]
    assert "↑4" in response.content.decode()
