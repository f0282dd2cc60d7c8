"""责任与考核 rules at their boundaries: weighted totals with caps, ties, rank change for a
new org, a 整改 item around its deadline, and scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from personas import add_org
from rest_framework.test import APIClient

from dangjian.assessment import scoring, services
from dangjian.assessment.models import Rectification
from dangjian.assessment.registers import RectificationRegister
from dangjian.core.context import CLI
from dangjian.core.scope import NotInScope
from dangjian.stats.engine import statistics

pytestmark = pytest.mark.django_db


def _set(org, year, name="年度党建考核"):
    """A set: 基础工作 (max 60: two leaves of 40, weight 1) and 加分 (max 5, weight 1)."""
    s = services.create_indicator_set(CLI, org=org, year=year, name=name)
    basic = services.add_indicator(CLI, s, name="基础工作", max_score=60)
    a = services.add_indicator(CLI, s, name="三会一课", max_score=40, parent=basic)
    b = services.add_indicator(CLI, s, name="发展党员", max_score=40, parent=basic)
    bonus = services.add_indicator(CLI, s, name="加分", max_score=5, weight=2)
    c = services.add_indicator(CLI, s, name="创新项目", max_score=4, parent=bonus)
    d = services.add_indicator(CLI, s, name="表彰", max_score=4, parent=bonus)
    return s, (a, b, c, d)


def _sheet(s, leaves, org, scores, rate=None):
    sheet = services.create_sheet(CLI, s, org=org, democratic_rate=rate)
    for leaf, value in zip(leaves, scores, strict=True):
        services.score(CLI, sheet, leaf, reviewer_score=value)
    return sheet


def test_it_caps_groups_at_their_max_and_weights_them(world):
    s, leaves = _set(world.orgs["gb"], 2024)
    # 基础工作 40+30=70 capped at 60; 加分 4+4=8 capped at 5, weight 2 -> 10.
    _sheet(s, leaves, world.orgs["ba"], [40, 30, 4, 4])
    # Under the caps: 20+15=35; 2+1=3 -> 6.
    _sheet(s, leaves, world.orgs["bb"], [20, 15, 2, 1])
    totals = {row.sheet.org.code: row.total for row in scoring.ranking(s)}
    assert totals == {"T-BA": Decimal("70.00"), "T-BB": Decimal("41.00")}


def test_it_counts_the_self_score_until_a_reviewer_scores(world):
    s, leaves = _set(world.orgs["gb"], 2024)
    sheet = services.create_sheet(CLI, s, org=world.orgs["ba"])
    services.score(CLI, sheet, leaves[0], self_score=35, evidence="会议记录12本")
    assert scoring.ranking(s)[0].total == Decimal("35.00")
    services.score(CLI, sheet, leaves[0], reviewer_score=30)
    assert scoring.ranking(s)[0].total == Decimal("30.00")


def test_it_refuses_a_score_above_the_leaf_max_and_accepts_the_max(world):
    s, leaves = _set(world.orgs["gb"], 2024)
    sheet = services.create_sheet(CLI, s, org=world.orgs["ba"])
    services.score(CLI, sheet, leaves[0], reviewer_score=40)
    with pytest.raises(ValidationError) as caught:
        services.score(CLI, sheet, leaves[0], reviewer_score=Decimal("40.01"))
    assert "满分40" in str(caught.value)


def test_it_breaks_ties_by_the_democratic_rate_then_shares_the_rank(world):
    gb = world.orgs["gb"]
    third = add_org(gb, "T-BC", "丙小学党支部", "branch")
    fourth = add_org(gb, "T-BD", "丁小学党支部", "branch")
    s, leaves = _set(gb, 2024)
    _sheet(s, leaves, world.orgs["ba"], [30, 30, 0, 0], rate=90)
    _sheet(s, leaves, world.orgs["bb"], [30, 30, 0, 0], rate=95)
    _sheet(s, leaves, third, [30, 30, 0, 0], rate=90)
    _sheet(s, leaves, fourth, [10, 10, 0, 0], rate=100)
    ranks = [(row.sheet.org.code, row.rank) for row in scoring.ranking(s)]
    assert ranks == [("T-BB", 1), ("T-BA", 2), ("T-BC", 2), ("T-BD", 4)]


def test_it_gives_no_rank_change_to_an_org_new_to_the_ranking(world):
    gb = world.orgs["gb"]
    last, leaves = _set(gb, 2023)
    _sheet(last, leaves, world.orgs["ba"], [10, 10, 0, 0])
    _sheet(last, leaves, world.orgs["bb"], [20, 20, 0, 0])
    newcomer = add_org(gb, "T-BN", "新建党支部", "branch")
    now, leaves = _set(gb, 2024)
    _sheet(now, leaves, world.orgs["ba"], [40, 20, 0, 0])
    _sheet(now, leaves, world.orgs["bb"], [10, 10, 0, 0])
    _sheet(now, leaves, newcomer, [30, 20, 0, 0])
    rows = {row.sheet.org.code: row for row in scoring.ranking(now)}
    assert (rows["T-BA"].rank, rows["T-BA"].previous_rank, rows["T-BA"].change) == (1, 2, 1)
    assert (rows["T-BB"].rank, rows["T-BB"].previous_rank, rows["T-BB"].change) == (3, 1, -2)
    assert (rows["T-BN"].rank, rows["T-BN"].previous_rank, rows["T-BN"].change) == (2, None, None)


def test_it_scores_only_orgs_directly_under_the_issuing_org(world):
    s, _leaves = _set(world.orgs["gb"], 2024)
    for org in (world.orgs["bx"], world.orgs["county"]):
        with pytest.raises(ValidationError) as caught:
            services.create_sheet(CLI, s, org=org)
        assert "直属党组织" in str(caught.value)


def _item(world, deadline):
    inspection = services.create_inspection(
        CLI,
        org=world.orgs["county"],
        topic="三会一课专项督查",
        start_on=dt.date(2024, 3, 1),
        end_on=dt.date(2024, 3, 5),
        inspectors="县委组织部督查组",
        targets=[world.orgs["ba"]],
    )
    return services.add_rectification(
        CLI,
        inspection,
        org=world.orgs["ba"],
        finding="支委会记录不全",
        owner="张书记",
        found_on=dt.date(2024, 3, 5),
        deadline=deadline,
    )


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(dt.date(2024, 4, 29), False), (dt.date(2024, 4, 30), False), (dt.date(2024, 5, 1), True)],
)
def test_it_makes_an_item_overdue_the_day_after_its_deadline(world, today, overdue):
    item = _item(world, dt.date(2024, 4, 30))
    assert item.is_overdue_on(today) is overdue
    assert Rectification.objects.overdue_on(today).filter(pk=item.pk).exists() is overdue
    for persona in ("secretary_a", "county_admin"):  # both sides
        items = RectificationRegister.instance.todo(world.users[persona], today)
        assert bool(items) is overdue, persona
    assert not RectificationRegister.instance.todo(world.users["secretary_b"], today)
    figures = statistics(world.orgs["ba"], today, (dt.date(2024, 1, 1), dt.date(2024, 12, 31)))[
        "assessment"
    ]["rectifications"]
    assert figures == {"total": 1, "closed": 0, "overdue": int(overdue)}


def test_it_closes_an_item_when_the_inspecting_side_accepts_it(world):
    item = _item(world, dt.date(2024, 4, 30))
    secretary, county = world.users["secretary_a"], world.users["county_admin"]
    services.report_rectification(
        secretary, item, evidence="补齐记录", submitted_on=dt.date(2024, 4, 20)
    )
    with pytest.raises(NotInScope):  # the rectifying side does not accept its own work
        services.review_rectification(secretary, item, accept=True, on=dt.date(2024, 4, 25))
    with pytest.raises(ValidationError):  # a return says why
        services.review_rectification(county, item, accept=False, on=dt.date(2024, 4, 25))
    services.review_rectification(county, item, accept=True, on=dt.date(2024, 4, 25))
    item.refresh_from_db()
    assert item.closed_on_time and not item.is_overdue_on(dt.date(2024, 6, 1))


def test_it_shows_nothing_outside_scope(world, client):
    _item(world, dt.date(2024, 4, 30))
    s, leaves = _set(world.orgs["county"], 2024)
    _sheet(s, leaves, world.orgs["gb"], [10, 10, 0, 0])
    client.force_login(world.users["secretary_b"])
    assert client.get(reverse("indicatorset-detail", args=[s.pk])).status_code == 404
    assert client.get(reverse("indicatorset-ranking-xlsx", args=[s.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(world.users["secretary_b"])
    assert api.get("/api/rectifications/").json()["count"] == 0
    api.force_authenticate(world.users["secretary_a"])
    assert api.get("/api/rectifications/", {"org": "T-BA"}).json()["count"] == 1
    assert api.get("/api/rectifications/", {"org": "T-BX"}).json()["count"] == 0


def test_it_refuses_an_inspection_of_an_org_outside_the_subtree(world):
    with pytest.raises(ValidationError) as caught:
        services.create_inspection(
            CLI,
            org=world.orgs["county"],
            topic="督查",
            start_on=dt.date(2024, 3, 1),
            end_on=dt.date(2024, 3, 5),
            inspectors="督查组",
            targets=[world.orgs["bx"]],
        )
    assert "戊小学党支部" in str(caught.value)


def test_it_reports_the_latest_evaluation_rank_and_the_one_before(world):
    county = world.orgs["county"]
    period = (dt.date(2009, 1, 1), dt.date(2010, 12, 31))
    assert statistics(county, period[1], period)["assessment"]["rank"] is None
    for year, rank in ((2008, 15), (2009, 12), (2010, 8)):
        services.record_evaluation(
            CLI,
            org=county,
            name="政风行风测评",
            body="示例县人民政府",
            year=year,
            held_on=dt.date(year, 12, 28),
            ranked_among="全县",
            rank=rank,
        )
    figures = statistics(county, period[1], period)["assessment"]
    assert (figures["rank"], figures["previous_rank"]) == (8, 12)
    only_2009 = (dt.date(2009, 1, 1), dt.date(2009, 12, 31))
    figures = statistics(county, only_2009[1], only_2009)["assessment"]
    assert (figures["rank"], figures["previous_rank"]) == (12, 15)


def test_it_approves_an_honour_only_after_its_publicity(world):
    honour = services.nominate_honour(
        CLI,
        kind="excellent_member",
        level="county",
        year=2024,
        member=world.members["a1"],
        awarded_by="中共测试县委",
        nominated_on=dt.date(2024, 6, 1),
    )
    with pytest.raises(ValidationError):
        services.decide_honour(CLI, honour, approve=True, on=dt.date(2024, 6, 2))
    services.publicise_honour(CLI, honour, start=dt.date(2024, 6, 3), end=dt.date(2024, 6, 9))
    with pytest.raises(ValidationError):
        services.decide_honour(CLI, honour, approve=True, on=dt.date(2024, 6, 9))
    services.decide_honour(CLI, honour, approve=True, on=dt.date(2024, 6, 10))
    year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert statistics(world.orgs["ba"], year[1], year)["assessment"]["honours"] == 1
    assert statistics(world.orgs["bb"], year[1], year)["assessment"]["honours"] == 0


def test_it_prints_a_letter_and_lists_unsigned_ones_on_the_todo(world, client):
    letter = services.create_letter(
        CLI,
        org=world.orgs["ba"],
        year=dt.date.today().year,
        indicators=[("三会一课", 30, "全年按时召开")],
    )
    client.force_login(world.users["county_admin"])
    response = client.get(reverse("dutyletter-docx", args=[letter.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    todo = client.get(reverse("todo-list")).content.decode()
    assert "党建责任书未签订" in todo
