"""责任与考核 in 示例市 (INTERFACES 5), counted back from the loaded demo's records by the
statistics engine: the county ranks 8th in 2010's evaluation after 12th in 2009; letters are
signed level by level each year; 整改 items are open and overdue today; honours every year."""

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from dangjian.assessment import scoring
from dangjian.assessment.models import (
    Honour,
    HonourStatus,
    IndicatorSet,
    Rectification,
    ResponsibilityLetter,
)
from dangjian.orgs.models import Organization
from dangjian.stats.engine import statistics

CAMPAIGN = (dt.date(2009, 1, 1), dt.date(2010, 12, 31))


def test_it_ranks_the_county_8th_in_2010_after_12th_in_2009(city):
    county = Organization.objects.get(code="DEMO-XIAN1")
    figures = statistics(county, CAMPAIGN[1], CAMPAIGN)["assessment"]
    assert (figures["rank"], figures["previous_rank"]) == (8, 12)
    only_2009 = (dt.date(2009, 1, 1), dt.date(2009, 12, 31))
    figures = statistics(city, only_2009[1], only_2009)["assessment"]
    assert figures["rank"] == 1  # the city bureau, 1st in 2009


def test_it_signs_letters_level_by_level_every_year(city):
    today = timezone.localdate()
    signed = (
        ResponsibilityLetter.objects.signed().values("year", "org__depth").annotate(n=Count("pk"))
    )
    levels = {(row["year"], row["org__depth"]) for row in signed}
    for year in range(2009, today.year):
        assert {(year, 2), (year, 3), (year, 4)} <= levels, year
    # This year's are still being signed: the to-do list has something to show.
    assert ResponsibilityLetter.objects.filter(year=today.year, signed_on__isnull=True).exists()
    figures = statistics(city, CAMPAIGN[1], CAMPAIGN)["assessment"]
    assert (
        figures["letters_signed"]
        == ResponsibilityLetter.objects.filter(signed_on__range=CAMPAIGN).count()
    )
    assert figures["letters_signed"] > 0


def test_it_has_two_inspections_with_late_open_and_overdue_items(city):
    today = timezone.localdate()
    items = Rectification.objects.all()
    assert items.values("inspection").distinct().count() == 2
    late = [i for i in items if i.accepted_on and i.accepted_on > i.deadline]
    assert late and any(i.closed_on_time for i in items)
    assert items.overdue_on(today).exists()
    assert items.filter(accepted_on__isnull=True).exists()
    figures = statistics(city, today, (dt.date(today.year, 1, 1), today))["assessment"]
    assert figures["inspections"] == 1
    assert (
        figures["rectifications"]["overdue"]
        == items.filter(found_on__year=today.year).overdue_on(today).count()
    )


def test_it_scores_the_county_for_2009_and_2010_with_the_rank_change(city):
    sets = IndicatorSet.objects.filter(org__code="DEMO-XIAN1").order_by("year")
    assert [s.year for s in sets] == [2009, 2010]
    ranked = scoring.ranking(sets[1])
    assert len(ranked) > 10
    scored_2009 = set(sets[0].sheets.values_list("org_id", flat=True))
    assert scored_2009
    for row in ranked:  # an org founded in 2010 is new to the ranking: no change shown
        assert (row.previous_rank is None) == (row.sheet.org_id not in scored_2009)
    assert [row.rank for row in ranked] == sorted(row.rank for row in ranked)
    assert ranked[0].total > ranked[-1].total


def test_it_honours_members_and_orgs_every_year(city):
    today = timezone.localdate()
    approved = Honour.objects.filter(status=HonourStatus.APPROVED)
    years = set(approved.values_list("year", flat=True))
    assert set(range(2009, today.year)) <= years
    figures = statistics(city, CAMPAIGN[1], CAMPAIGN)["assessment"]
    assert figures["honours"] == approved.filter(decided_on__range=CAMPAIGN).count() > 0
