"""示例市's 换届 history, 学校领导班子 and 阵地, as loaded: figures from the records."""

import datetime as dt

from django.db.models import F

from dangjian.orgs.election_views import leadership_changes
from dangjian.orgs.models import (
    ActivityRoom,
    Election,
    ElectionCandidate,
    ElectionRound,
    Organization,
    OrgKind,
    Position,
    School,
)
from dangjian.orgs.stats import overdue_orgs
from dangjian.stats.engine import statistics


def test_it_holds_elections_when_terms_end_leaving_a_few_overdue(city):
    today = dt.date.today()
    life = statistics(city, today)["life"]
    overdue = [
        o for o in Organization.objects.exclude(kind=OrgKind.GROUP) if o.election_overdue(today)
    ]
    assert life["terms_overdue"] == len(overdue)
    assert 1 <= len(overdue) <= 12, [o.name for o in overdue]
    # None overdue for years: the longest delay is months.
    assert all(o.next_election_on > dt.date(today.year - 1, today.month, 1) for o in overdue)
    assert set(overdue_orgs(city.path, today)) == set(overdue)
    seed = statistics(city, dt.date(2010, 12, 31), (dt.date(2009, 1, 1), dt.date(2010, 12, 31)))
    assert seed["life"]["elections_held"] > 50
    assert Election.objects.filter(formed_by="appointment", held_on__year__lte=2010).count() >= 14


def test_it_keeps_the_positions_history_equal_to_the_elected(city):
    elected = set(
        ElectionCandidate.objects.filter(elected=True).values_list(
            "election__org_id", "election__held_on", "name", "title"
        )
    )
    seats = set(Position.objects.values_list("org_id", "start_on", "holder_name", "title"))
    assert elected == seats
    assert not Election.objects.filter(approved_on__isnull=True).exists()
    assert not Election.objects.filter(approved_on__lt=F("held_on")).exists()


def test_it_writes_ballots_that_satisfy_the_rules(city):
    rounds = list(ElectionRound.objects.select_related("election"))
    assert rounds
    for round_ in rounds:
        should = round_.election.should_attend
        assert 5 * round_.present > 4 * should
        assert round_.valid_ballots + round_.invalid_ballots <= round_.present
    for candidate in ElectionCandidate.objects.filter(round__isnull=False).select_related(
        "election"
    ):
        should = candidate.election.should_attend
        assert (2 * candidate.votes > should) == candidate.elected
    committees = Election.objects.filter(
        committee=True, formed_by__in=["election", "open_election"]
    )
    for election in committees.prefetch_related("candidates"):
        assert 5 * (len(election.candidates.all()) - election.seats) >= election.seats


def test_it_counts_the_seed_2010_leadership_figures_from_the_records(city):
    district = Organization.objects.get(code="DEMO-QU")
    schools = School.objects.filter(supervising_org__path__startswith=district.path)
    changes = leadership_changes(schools, dt.date(2009, 1, 1), dt.date(2010, 12, 31))
    assert changes == {"secretaries": 7, "open_vice": 4, "adjusted": 39}


def test_it_checks_most_activity_rooms_and_leaves_some_short(city, settings):
    codes = {code for code, _label in settings.DANGJIAN_ACTIVITY_ROOM_STANDARDS}
    rooms = list(ActivityRoom.objects.all())
    compliant = [r for r in rooms if codes <= set(r.items_met)]
    assert len(rooms) > 100
    assert 0.4 * len(rooms) < len(compliant) < 0.9 * len(rooms)
