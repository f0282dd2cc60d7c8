"""创先争优与示范 in the loaded demo: INTERFACES 5's figures come out of the records through
the statistics engine (key `excellence`), and the history continues to today."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from dangjian.demo import excellence as demo_excellence
from dangjian.excellence import services
from dangjian.excellence.models import Commitment, DemonstrationPoint, Fulfilment, StarRating
from dangjian.excellence.stats import excellence_section
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.stats.engine import statistics

SEED_DAY = dt.date(2010, 12, 31)
CAMPAIGN = (dt.date(2009, 1, 1), SEED_DAY)


def _excellence(code, as_of=SEED_DAY, period=CAMPAIGN):
    org = Organization.objects.get(code=code)
    return statistics(org, as_of, period=period, sections=[excellence_section])["excellence"]


def test_it_has_ten_bureau_points_and_fifty_exemplars_in_the_county(city):
    figures = _excellence("DEMO-XIAN1")
    assert figures["demonstration_points"]["bureau"] == 10
    assert figures["exemplars"] >= 50


def test_it_passed_every_branch_directly_under_the_district(city):
    district = Organization.objects.get(code="DEMO-QU")
    branches = Organization.objects.filter(
        path__startswith=district.path, depth=district.depth + 1, kind="branch"
    )
    assert branches.exists()
    for branch in branches:
        assert _excellence(branch.code)["five_good"]["passed"] == 1, branch.name
    assert _excellence("DEMO-QU")["five_good"]["passed"] >= branches.count()


def test_it_reaches_the_plan_target_by_the_end_of_its_third_year(city):
    start = settings.DANGJIAN_DEMO_POINT_PLAN_START
    end = dt.date(start + settings.DANGJIAN_DEMO_POINT_PLAN_YEARS - 1, 12, 31)
    target = settings.DANGJIAN_DEMO_POINT_TARGET_PERCENT / 100
    before = _excellence("DEMO", as_of=dt.date(start - 1, 12, 31))["demonstration_share"]
    after = _excellence("DEMO", as_of=end, period=(dt.date(start, 1, 1), end))
    assert before < 0.3 < target <= after["demonstration_share"]
    # 15-20 局级 a year per county in the plan's years, never more.
    counties = Organization.objects.filter(depth=2, kind="committee")
    for county in counties:
        for year in range(start, end.year + 1):
            n = services.bureau_count(county, year)
            assert n <= settings.DANGJIAN_DEMO_POINT_BUREAU_MAX
            assert services.city_count(county, year) <= settings.DANGJIAN_DEMO_POINT_CITY_MAX
    assert after["demonstration_points"]["city"] >= 2 * counties.count() * 3


def test_it_continues_the_history_to_today(city):
    today = timezone.localdate()
    last = today.year - 1
    figures = _excellence("DEMO", as_of=today, period=(dt.date(last, 1, 1), dt.date(last, 12, 31)))
    assert sum(figures["stars"].values()) > 1000
    assert 0 < figures["commitments"]["fulfilled"] < figures["commitments"]["made"]
    assert figures["posts"] > 0
    # Every year of the district has its ratings; this year's commitments are still open.
    district = Organization.objects.get(code="DEMO-QU")
    years = set(
        StarRating.objects.filter(org__path__startswith=district.path).values_list(
            "year", flat=True
        )
    )
    assert set(range(2009, last + 1)) <= years
    assert Commitment.objects.filter(year=today.year).exists()
    assert DemonstrationPoint.objects.filter(revoked_on__isnull=False).exists()
    if today.month < 12:
        open_now = Commitment.objects.filter(year=today.year, fulfilment=Fulfilment.PENDING)
        assert open_now.exists()


def test_the_counties_have_several_years_of_ratings(city):
    """Not only last year's: the counties' last COUNTY_RATED_YEARS years are rated."""
    last = timezone.localdate().year - 1
    for code in ("DEMO-XIAN1", "DEMO-XIAN2"):
        county = Organization.objects.get(code=code)
        years = set(
            StarRating.objects.filter(org__path__startswith=county.path).values_list(
                "year", flat=True
            )
        )
        assert set(range(last - demo_excellence.COUNTY_RATED_YEARS + 1, last + 1)) <= years
        assert len(years) >= 5, code


def test_it_keeps_every_branch_within_the_star_caps(city):
    last = timezone.localdate().year - 1
    for year in (2010, *range(last - demo_excellence.COUNTY_RATED_YEARS + 1, last + 1)):
        criteria = services.criteria_for(year)
        rows = StarRating.objects.filter(year=year, stars__in=(4, 5)).values_list("org_id", "stars")
        counts = {}
        for org_id, stars in rows:
            counts[(org_id, stars)] = counts.get((org_id, stars), 0) + 1
        for (org_id, stars), n in counts.items():
            headcount = services.branch_headcount(org_id, dt.date(year, 12, 31))
            assert n <= services.star_cap(criteria, stars, headcount)


def test_it_shows_the_demo_member_their_rating_and_commitments(city, rf):
    member = Member.objects.get(user__username="member")
    context = services_me_card(rf, member)
    assert context is not None and context["latest"] is not None


def services_me_card(rf, member):
    from dangjian.excellence.views import me_card

    return me_card(rf.get("/me/"), member)
