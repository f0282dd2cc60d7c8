"""The rules of 创先争优与示范 at their boundaries: the yearly 示范点 caps, the star caps,
the share of school orgs at the standard (and a title lost), the tracker on a date, scope,
publication, the statistics section and the /me/ card."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from personas import add_member, add_org, add_school
from rest_framework.test import APIClient

from dangjian.core.context import CLI
from dangjian.core.scope import NotInScope
from dangjian.excellence import services
from dangjian.excellence.models import CheckStatus, Exemplar
from dangjian.excellence.stats import demonstration_share, excellence_section
from dangjian.excellence.views import me_card, tracker_rows
from dangjian.members.models import Member
from dangjian.stats.engine import statistics

DAY = dt.date(2024, 3, 1)


def _titled_point(org, *, score=90, evaluated_on=DAY):
    point = services.apply_point(CLI, org, applied_on=evaluated_on - dt.timedelta(days=30))
    return services.evaluate_point(CLI, point, evaluated_on=evaluated_on, score=Decimal(score))


def _branches(world, n, prefix="C"):
    return [
        add_org(world.orgs["gb"], f"{prefix}{i}", f"测试{i}小学党支部", "branch") for i in range(n)
    ]


# -- 示范点 caps ------------------------------------------------------------------------------


def test_it_selects_up_to_twenty_bureau_points_a_year_and_warns_below_fifteen(world):
    county = world.orgs["county"]
    points = [_titled_point(org) for org in _branches(world, 21)]
    for n, point in enumerate(points[:20], start=1):
        services.select_bureau(CLI, point, on=dt.date(2024, 6, 1))
        warned = any("少于计划的15个" in w for w in services.selection_warnings(county, 2024))
        assert warned == (n < 15), n
    with pytest.raises(ValidationError) as refused:
        services.select_bureau(CLI, points[20], on=dt.date(2024, 6, 1))
    assert "上限" in str(refused.value)
    # The cap is per year: the next year starts again.
    services.select_bureau(CLI, points[20], on=dt.date(2025, 1, 10))
    assert services.bureau_count(county, 2024) == 20


def test_it_recommends_at_most_three_to_the_city_a_year(world):
    points = [_titled_point(org) for org in _branches(world, 4)]
    for point in points:
        services.select_bureau(CLI, point, on=dt.date(2024, 6, 1))
    for point in points[:3]:
        services.recommend_city(CLI, point, on=dt.date(2024, 7, 1))
    with pytest.raises(ValidationError):
        services.recommend_city(CLI, points[3], on=dt.date(2024, 7, 1))


def test_it_selects_only_points_that_met_the_standard(world, settings):
    settings.DANGJIAN_DEMO_POINT_STANDARD = 85
    low, exact = _branches(world, 2)
    below = _titled_point(low, score=Decimal("84.9"))
    at = _titled_point(exact, score=85)  # "以上" includes the number
    assert not below.meets_standard and at.meets_standard
    with pytest.raises(ValidationError):
        services.select_bureau(CLI, below, on=dt.date(2024, 6, 1))
    services.select_bureau(CLI, at, on=dt.date(2024, 6, 1))


# -- the share and the tracker ------------------------------------------------------------


def test_a_point_that_loses_its_title_leaves_the_share(world):
    # School orgs under the county: ba, bb (gb's branches) and jb (the joint branch).
    point = _titled_point(world.orgs["ba"])
    services.select_bureau(CLI, point, on=dt.date(2024, 6, 1))
    county = world.orgs["county"].path
    assert demonstration_share(county, dt.date(2024, 12, 31)) == (1, 3)
    services.review_point(
        CLI, point, reviewed_on=dt.date(2025, 1, 15), kept=False, note="年度复核未达标"
    )
    assert demonstration_share(county, dt.date(2025, 1, 14)) == (1, 3)
    assert demonstration_share(county, dt.date(2025, 1, 15)) == (0, 3)
    figures = statistics(world.orgs["county"], dt.date(2025, 1, 15), sections=[excellence_section])
    assert figures["excellence"]["demonstration_share"] == 0.0
    before = statistics(world.orgs["county"], dt.date(2024, 12, 31), sections=[excellence_section])
    assert before["excellence"]["demonstration_share"] == round(1 / 3, 4)


def test_it_refuses_to_revoke_without_a_reason_and_reviews_once_a_year(world):
    point = _titled_point(world.orgs["ba"])
    services.select_bureau(CLI, point, on=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError):
        services.review_point(CLI, point, reviewed_on=dt.date(2024, 12, 1), kept=False)
    services.review_point(CLI, point, reviewed_on=dt.date(2024, 12, 1), kept=True)
    with pytest.raises(ValidationError):
        services.review_point(CLI, point, reviewed_on=dt.date(2024, 12, 20), kept=True)


def test_the_tracker_gives_each_county_its_share_on_each_date(world):
    _titled_point(world.orgs["ba"], evaluated_on=dt.date(2024, 5, 1))
    _titled_point(world.orgs["bx"], evaluated_on=dt.date(2025, 5, 1))
    rows = tracker_rows(world.orgs["city"], [dt.date(2024, 12, 31), dt.date(2025, 12, 31)])
    by_name = {row["org"].code: row["shares"] for row in rows}
    assert by_name["T-COUNTY"] == [(1, 3, 33.3), (1, 3, 33.3)]
    assert by_name["T-COUNTY2"] == [(0, 1, 0.0), (1, 1, 100.0)]
    assert by_name["T-CITY"] == [(1, 4, 25.0), (2, 4, 50.0)]


def test_the_tracker_page_draws_for_the_county_admin(world, login):
    _titled_point(world.orgs["ba"])
    response = login(world, "county_admin").get(reverse("demopoint-tracker"))
    assert response.status_code == 200
    assert "甲小学党支部" not in response.content.decode()  # per county, not per branch
    assert response.context["root"] == world.orgs["county"]


# -- star caps -----------------------------------------------------------------------------


def _branch_of_ten(world):
    org = world.orgs["ba"]  # three members already
    for i in range(7):
        add_member(org, f"补充{i}号")
    return org


def test_it_caps_five_stars_at_a_fifth_of_the_branch(world, settings):
    settings.DANGJIAN_STAR_CAP_5_PERCENT = 20
    org = _branch_of_ten(world)
    people = list(Member.objects.filter(org=org).order_by("pk"))
    day = dt.date(2024, 12, 20)
    for person in people[:2]:  # 20% of 10 = 2: at the cap
        services.rate_member(CLI, person, year=2024, stars=5, rated_on=day)
    with pytest.raises(ValidationError) as refused:
        services.rate_member(CLI, people[2], year=2024, stars=5, rated_on=day)
    assert "5星" in str(refused.value)
    # Four stars have their own cap (30%: 3 of 10).
    for person in people[2:5]:
        services.rate_member(CLI, person, year=2024, stars=4, rated_on=day)
    with pytest.raises(ValidationError):
        services.rate_member(CLI, people[5], year=2024, stars=4, rated_on=day)
    services.rate_member(CLI, people[5], year=2024, stars=3, rated_on=day)
    # Editing a rating up to a full star level is refused too.
    three = services.rate_member(CLI, people[6], year=2024, stars=3, rated_on=day)
    with pytest.raises(ValidationError):
        services.update_rating(CLI, three, stars=5)
    with pytest.raises(ValidationError):
        services.rate_member(CLI, people[6], year=2024, stars=2, rated_on=day)  # once a year


def test_the_year_criteria_replace_the_settings_caps(world):
    services.set_star_criteria(
        CLI, year=2024, items="政治素质", meanings={"5": "五星"}, caps={"5": 10}
    )
    org = _branch_of_ten(world)
    people = list(Member.objects.filter(org=org).order_by("pk"))
    day = dt.date(2024, 12, 20)
    services.rate_member(CLI, people[0], year=2024, stars=5, rated_on=day)
    with pytest.raises(ValidationError):
        services.rate_member(CLI, people[1], year=2024, stars=5, rated_on=day)
    for person in people[1:6]:  # no cap on four stars this year
        services.rate_member(CLI, person, year=2024, stars=4, rated_on=day)


# -- "五个好" -------------------------------------------------------------------------------


def _answers(n, met=True, evidence="台账"):
    return {str(i): {"met": met, "evidence": evidence} for i in range(n)}


def test_the_superior_accepts_a_check_and_the_branch_cannot(world):
    secretary = world.users["secretary_a"]
    check = services.submit_check(
        secretary, world.orgs["ba"], self_checked_on=DAY, answers=_answers(10)
    )
    with pytest.raises(NotInScope):
        services.review_check(secretary, check, passed=True, reviewed_on=DAY)
    with pytest.raises(ValidationError):
        services.review_check(world.users["county_admin"], check, passed=False, reviewed_on=DAY)
    done = services.review_check(world.users["county_admin"], check, passed=True, reviewed_on=DAY)
    assert done.status == CheckStatus.PASSED


def test_a_check_needs_evidence_and_every_item_met_to_pass(world):
    with pytest.raises(ValidationError):
        services.submit_check(
            CLI, world.orgs["ba"], self_checked_on=DAY, answers=_answers(10, evidence="")
        )
    partly = _answers(10)
    partly["3"] = {"met": False, "evidence": ""}
    check = services.submit_check(CLI, world.orgs["ba"], self_checked_on=DAY, answers=partly)
    with pytest.raises(ValidationError):
        services.review_check(CLI, check, passed=True, reviewed_on=DAY)
    services.review_check(CLI, check, passed=False, reviewed_on=DAY, note="第4项未达标")
    again = services.submit_check(
        CLI, world.orgs["ba"], self_checked_on=DAY + dt.timedelta(days=20), answers=_answers(10)
    )
    services.review_check(CLI, again, passed=True, reviewed_on=DAY + dt.timedelta(days=30))
    figures = statistics(
        world.orgs["county"],
        dt.date(2024, 12, 31),
        period=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        sections=[excellence_section],
    )["excellence"]
    assert figures["five_good"] == {"checked": 1, "passed": 1}


# -- scope, publication, API ---------------------------------------------------------------


def test_the_api_lists_only_what_the_caller_may_see(world):
    a1, b1 = world.members["a1"], world.members["b1"]
    own = services.rate_member(CLI, a1, year=2024, stars=3, rated_on=dt.date(2024, 12, 20))
    other = services.rate_member(CLI, b1, year=2024, stars=3, rated_on=dt.date(2024, 12, 20))
    api = APIClient()
    api.force_authenticate(world.users["member"])
    listed = api.get("/api/star-ratings/").json()
    assert [row["id"] for row in listed["results"]] == [own.pk]
    assert api.get(f"/api/star-ratings/{other.pk}/").status_code == 404
    api.force_authenticate(world.users["secretary_b"])
    assert [r["id"] for r in api.get("/api/star-ratings/").json()["results"]] == [other.pk]
    api.force_authenticate(world.users["city_admin"])
    assert api.get("/api/star-ratings/?org=T-BA").json()["count"] == 1
    for path in ("demonstration-points", "commitments", "exemplars"):
        assert api.get(f"/api/{path}/").status_code == 200


def test_nothing_unpublished_reaches_the_portal(world):
    made = services.create_exemplar(
        CLI, world.orgs["ba"], name="甲", title="师德标兵", level="county", recognised_on=DAY
    )
    assert not Exemplar.objects.published(dt.date(2030, 1, 1)).exists()
    services.publish_exemplar(CLI, made, on=DAY + dt.timedelta(days=10))
    assert not Exemplar.objects.published(DAY + dt.timedelta(days=9)).exists()
    assert list(Exemplar.objects.published(DAY + dt.timedelta(days=10))) == [made]
    services.publish_exemplar(CLI, made, on=None)
    assert not Exemplar.objects.published(dt.date(2030, 1, 1)).exists()


def test_a_commitment_is_public_only_when_member_and_branch_agree(world):
    member = world.members["a1"]
    commitment = services.make_commitment(
        CLI, member, year=2024, text="上好示范课", made_on=DAY, member_agreed=True
    )
    assert commitment.published_on is None
    commitment = services.update_commitment(CLI, commitment, branch_agreed=True, member_agreed=True)
    assert commitment.published_on is not None
    commitment = services.update_commitment(CLI, commitment, member_agreed=False)
    assert commitment.published_on is None


def test_a_commitment_is_reviewed_mid_year_and_at_year_end(world):
    commitment = services.make_commitment(
        CLI, world.members["a1"], year=2024, text="上好示范课", made_on=DAY
    )
    services.review_commitment(
        CLI, commitment, stage="mid", reviewed_on=dt.date(2024, 7, 1), note="进展顺利"
    )
    with pytest.raises(ValidationError):
        services.review_commitment(CLI, commitment, stage="final", reviewed_on=dt.date(2024, 12, 1))
    services.review_commitment(
        CLI, commitment, stage="final", reviewed_on=dt.date(2024, 12, 1), fulfilment="fulfilled"
    )
    figures = statistics(
        world.orgs["ba"],
        dt.date(2024, 12, 31),
        period=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        sections=[excellence_section],
    )["excellence"]
    assert figures["commitments"] == {"made": 1, "fulfilled": 1}


# -- /me/ ----------------------------------------------------------------------------------


def test_the_me_card_shows_the_members_own_rating_and_commitments(world, rf):
    a1, a2 = world.members["a1"], world.members["a2"]
    request = rf.get("/me/")
    assert me_card(request, a1) is None
    services.rate_member(CLI, a1, year=2024, stars=3, rated_on=dt.date(2024, 12, 20))
    services.rate_member(CLI, a2, year=2024, stars=2, rated_on=dt.date(2024, 12, 20))
    services.make_commitment(
        CLI, a2, year=dt.date.today().year, text="别人的承诺", made_on=dt.date.today()
    )
    context = me_card(request, a1)
    assert context["latest"].stars == 3 and context["latest"].member == a1
    assert context["commitments"] == []
    assert me_card(request, a2)["commitments"][0].text == "别人的承诺"


def test_posts_and_exemplars_are_counted_in_their_period(world):
    services.create_post(
        CLI,
        world.orgs["ba"],
        kind="window",
        name="招生咨询示范窗口",
        holder_name="张三",
        start_on=dt.date(2023, 1, 1),
        end_on=dt.date(2023, 12, 31),
    )
    services.create_exemplar(
        CLI, world.orgs["bb"], name="乙", title="优秀共产党员", level="city", recognised_on=DAY
    )
    figures = statistics(
        world.orgs["county"],
        dt.date(2024, 12, 31),
        period=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        sections=[excellence_section],
    )["excellence"]
    assert figures["posts"] == 0 and figures["exemplars"] == 1


def test_a_school_org_counts_in_the_share_only_while_it_exists(world):
    county = world.orgs["county"]
    new = add_org(county, "T-NEW", "新学校党支部", "branch", founded_on=dt.date(2025, 9, 1))
    add_school("S-NEW", "新小学", county, new)
    assert demonstration_share(county.path, dt.date(2025, 8, 31)) == (0, 3)
    assert demonstration_share(county.path, dt.date(2025, 9, 1)) == (0, 4)


def test_the_branch_page_and_the_member_record_show_the_modules_panels(world, login):
    services.create_post(
        CLI,
        world.orgs["ba"],
        kind="vanguard",
        name="教学质量先锋岗",
        holder_name="张三",
        start_on=dt.date(2023, 1, 1),
    )
    services.rate_member(CLI, world.members["a1"], year=2024, stars=3, rated_on=DAY)
    client = login(world, "secretary_a")
    page = client.get(reverse("org-detail", args=[world.orgs["ba"].pk])).content.decode()
    assert "教学质量先锋岗" in page
    record = client.get(reverse("member-detail", args=[world.members["a1"].pk])).content.decode()
    assert "评星定格与公开承诺" in record and "★★★" in record
    # Another branch's secretary sees neither (their pages are 404 anyway; the panel reads
    # through restrict too).
    other = login(world, "secretary_b").get(reverse("org-detail", args=[world.orgs["bb"].pk]))
    assert "教学质量先锋岗" not in other.content.decode()


def test_the_step_pages_run_the_services(world, login):
    point = services.apply_point(CLI, world.orgs["ba"], applied_on=DAY)
    county = login(world, "county_admin")
    url = reverse("demopoint-step", args=[point.pk])
    response = county.post(url, {"step": "evaluate", "evaluated_on": "2024-04-01", "score": "91"})
    assert response.status_code == 302
    refused = county.post(url, {"step": "bureau", "on": "2024-03-01"})  # before the evaluation
    assert refused.status_code == 200 and "评选日期不能早于评估日期" in refused.content.decode()
    county.post(url, {"step": "bureau", "on": "2024-06-01"})
    point.refresh_from_db()
    assert point.level == "bureau" and point.meets_standard
    # The branch's own secretary takes no step: the page is not theirs.
    assert login(world, "secretary_a").get(url + "?step=evaluate").status_code == 404
    check = services.submit_check(CLI, world.orgs["ba"], self_checked_on=DAY, answers=_answers(10))
    review = reverse("fivegood-review", args=[check.pk])
    county = login(world, "county_admin")
    assert county.post(review, {"passed": "0", "reviewed_on": "2024-03-05"}).status_code == 200
    county.post(review, {"passed": "1", "reviewed_on": "2024-03-05"})
    check.refresh_from_db()
    assert check.status == CheckStatus.PASSED
