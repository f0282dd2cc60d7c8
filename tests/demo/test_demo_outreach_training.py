"""示例市's 结对帮扶 and 培训与学习 (INTERFACES 5), counted back by the statistics engine from
the loaded records: the seed's 帮扶 figures over 2009-2010 and training ratios that are
neither empty nor perfect."""

import datetime as dt

from dangjian.orgs.models import Organization
from dangjian.outreach.models import Pairing, PairingKind
from dangjian.stats.engine import statistics

SEED_DAY = dt.date(2010, 12, 31)
CAMPAIGN = (dt.date(2009, 1, 1), SEED_DAY)


def test_it_counts_the_city_s_assistance_of_2009_2010(city):
    outreach = statistics(city, SEED_DAY, CAMPAIGN)["outreach"]
    assert outreach["money"] == 86200.0
    assert outreach["books"] >= 500
    assert outreach["tuition_waived"] == {"students": 12, "yuan": 4800.0}
    assert outreach["grants"] == {"students": 3, "yuan": 3000.0}
    assert outreach["goods_value"] == 3500.0 and outreach["trainings_held"] == 2


def test_it_counts_the_county_s_thirty_bundled_pairs_of_sixty_schools(city):
    county = Organization.objects.get(code="DEMO-XIAN1")
    assert statistics(county, SEED_DAY, CAMPAIGN)["outreach"]["school_pairs"] == 30
    pairs = Pairing.objects.filter(
        kind=PairingKind.BUNDLED, org__path__startswith=county.path
    ).active_between(*CAMPAIGN)
    schools = set(pairs.values_list("school_id", flat=True))
    schools |= set(pairs.values_list("partner_school_id", flat=True))
    assert len(schools) == 60


def test_it_gives_training_ratios_that_are_neither_empty_nor_perfect(city):
    then = statistics(city, SEED_DAY, CAMPAIGN)["training"]
    assert 0.4 < then["members_meeting_hours"] < 0.9
    assert then["hours_total"] > 0
    today = dt.date.today()
    now = statistics(city, today, (dt.date(today.year, 1, 1), today))["training"]
    for key in ("members_meeting_hours", "cadres_meeting_hours", "rotation_coverage"):
        assert 0.3 < now[key] < 1.0, key


def test_it_keeps_the_leadership_of_2009_2010_so_the_cadre_figures_are_real(city):
    """Every seat links to its holder's record; on 2009-01-01 the orgs founded before then
    have their 班子 of that term, and the committees of 2009-2010 count besides the
    secretaries, so the cadre ratios of the seed's period count the cadres of that time."""
    from dangjian.orgs.models import OrgKind, Position
    from dangjian.training import rules

    assert not Position.objects.filter(member__isnull=True).exists()
    start = CAMPAIGN[0]
    older = Organization.objects.exclude(kind=OrgKind.GROUP).filter(founded_on__lt=start)
    seated = set(Position.objects.current(start).values_list("org_id", flat=True))
    assert len(seated & set(older.values_list("pk", flat=True))) >= 0.9 * older.count()
    then = Position.objects.current(SEED_DAY)
    assert then.exclude(title="secretary").count() > then.filter(title="secretary").count() / 2
    people = rules.subtree_people(city.path, SEED_DAY, CAMPAIGN)
    cadres = {p.member_id for p in people if p.cadre}
    assert cadres == set(
        then.filter(member_id__in={p.member_id for p in people}).values_list("member_id", flat=True)
    )
    figures = statistics(city, SEED_DAY, CAMPAIGN)["training"]
    for key in ("cadres_meeting_hours", "rotation_coverage"):
        assert 0.3 < figures[key] < 1.0, key
