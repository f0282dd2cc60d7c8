"""组织生活 in 示例市, read back through the statistics section: meetings in every branch
since 2009 with gaps (some red cells, never all), the 2011 "六个一" in every branch that
existed then, meetings planned ahead, rosters and grades within the cap."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from dangjian.life import rules
from dangjian.life.models import Meeting, ReviewGrade, Series
from dangjian.orgs.models import BRANCH_KINDS, Organization
from dangjian.stats.engine import statistics

SEED_PERIOD = (dt.date(2009, 1, 1), dt.date(2010, 12, 31))


def test_it_holds_most_but_not_all_meetings_in_the_seed_years(city):
    life = statistics(city, SEED_PERIOD[1], period=SEED_PERIOD)["life"]
    assert life["required"] > 20_000
    assert 0.75 < life["compliance"] < 0.97
    assert 0.8 < life["attendance_rate"] < 0.97
    assert all(life["by_kind"][kind] > 0 for kind in life["by_kind"])
    # The district alone is its own subtree and adds up within the city.
    district = statistics(
        Organization.objects.get(code="DEMO-QU"), SEED_PERIOD[1], period=SEED_PERIOD
    )
    assert 0 < district["life"]["held"] < life["held"]


def test_it_gives_every_branch_meetings_from_2009_to_now(city):
    branches = Organization.objects.filter(kind__in=BRANCH_KINDS)
    first = Meeting.objects.filter(held_on__year=2009).values("org").distinct().count()
    existing = branches.filter(founded_on__lte=dt.date(2009, 1, 1)).count()
    assert first >= existing
    this_year = timezone.localdate().year
    recent = Meeting.objects.filter(held_on__year=this_year).values("org").distinct().count()
    assert recent == branches.count()


def test_it_holds_the_six_ones_in_2011_in_every_branch_of_that_time(city):
    series = Series.objects.get(start_on__year=2011)
    assert series.items.count() == 6
    existing = Organization.objects.filter(
        kind__in=BRANCH_KINDS, founded_on__lte=dt.date(2011, 3, 1)
    )
    done = (
        Meeting.objects.filter(series_item__series=series)
        .values("org")
        .annotate(items=Count("series_item", distinct=True))
    )
    counts = {row["org"]: row["items"] for row in done}
    assert set(counts) == set(existing.values_list("pk", flat=True))
    assert min(counts.values()) >= 4 and max(counts.values()) == 6
    assert any(n < 6 for n in counts.values())  # completion is tracked, not assumed


def test_it_plans_meetings_ahead_with_rosters(city):
    today = timezone.localdate()
    ahead = Meeting.objects.filter(held_on__gt=today, roster_kept=True)
    assert ahead.exists()
    assert all(m.present_count == 0 and m.expected_count > 0 for m in ahead[:50])


def test_it_shows_red_and_green_cells_this_year(city):
    today = timezone.localdate()
    result = rules.compliance(city.path, dt.date(today.year, 1, 1), today, today, cells=True)
    states = {state for _b, _s, state in result.cells}
    assert {rules.HELD, rules.MISSING} <= states


def test_it_keeps_excellent_within_the_cap(city):
    per_review = ReviewGrade.objects.values("meeting").annotate(
        total=Count("pk"), excellent=Count("pk", filter=Q(grade="excellent"))
    )
    assert per_review
    assert all(row["excellent"] * 3 <= row["total"] for row in per_review)


def test_it_fills_the_years_between_mostly_green_with_gaps(city):
    # Between the seed years and the recent months: every kind recorded (the monthly and
    # quarterly ones as ledger lines), each branch with its own gaps.
    life = statistics(
        city, dt.date(2015, 12, 31), period=(dt.date(2015, 1, 1), dt.date(2015, 12, 31))
    )
    life = life["life"]
    assert 0.8 < life["compliance"] < 0.99
    assert all(life["by_kind"][kind] > 0 for kind in life["by_kind"])
    ledger = Meeting.objects.filter(held_on__year=2015, kind="committee").first()
    assert ledger.roster_kept is False and ledger.expected_count > 0
