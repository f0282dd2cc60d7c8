"""换届选举 by the 2020 基层组织选举工作条例: who votes and stands, the quorum (> 4/5 of those
who should attend), election (> 1/2 of them), 差额 (>= 20%) for committee seats, the 另行选举
of seats left, and the approval that replaces the 班子 and starts the new term."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from personas import add_member, add_org

from dangjian.core.context import CLI
from dangjian.orgs import elections, rules
from dangjian.orgs.models import Election, Position
from dangjian.orgs.services import save_position
from dangjian.recruitment import services as recruitment

HELD = dt.date(2025, 3, 10)


@pytest.fixture
def branch(world):
    """A branch of 10 members who may vote, one 预备党员 and one under 留党察看."""
    org = add_org(
        world.orgs["gb"], "T-EL", "选举测试党支部", "branch", term_start=dt.date(2022, 3, 1)
    )
    org.voters = [
        add_member(org, f"党员{i}", joined=dt.date(2015, 1, 1), converted=dt.date(2016, 1, 1))
        for i in range(10)
    ]
    org.probationary = add_member(org, "预备甲", joined=dt.date(2024, 9, 1), converted=None)
    org.sanctioned = add_member(
        org, "察看乙", joined=dt.date(2010, 1, 1), converted=dt.date(2011, 1, 1)
    )
    recruitment.record_sanction(
        CLI,
        org.sanctioned,
        kind="probation",
        start_on=dt.date(2024, 6, 1),
        end_on=dt.date(2026, 6, 1),
    )
    return org


def new_election(org, seats=5, committee=True, formed_by="election"):
    return elections.create_election(
        CLI,
        org=org,
        formed_by=formed_by,
        committee=committee,
        seats=seats,
        requested_on=dt.date(2025, 2, 1),
        permitted_on=dt.date(2025, 2, 20),
        held_on=HELD,
    )


def ballot(election, rows, present=10, valid=10, invalid=0):
    return elections.record_round(
        CLI,
        election,
        present=present,
        valid_ballots=valid,
        invalid_ballots=invalid,
        candidates=[{"member": m, "title": t, "votes": v} for m, t, v in rows],
    )


def rows_of(people, votes, titles=None):
    titles = titles or ["secretary", "deputy_secretary", "organisation", "propaganda", "discipline"]
    titles = titles + ["member"] * len(people)
    return [(m, titles[i], votes[i]) for i, m in enumerate(people)]


def messages(exc: pytest.ExceptionInfo) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


def test_it_counts_only_full_members_not_under_probation_as_those_who_should_attend(branch):
    election = new_election(branch)
    ballot(election, rows_of(branch.voters[:6], [9, 9, 9, 9, 9, 2]))
    election.refresh_from_db()
    assert election.should_attend == 10
    assert (election.quorum_needed, election.majority_needed) == (9, 6)


def test_it_refuses_the_vote_at_four_fifths_present_and_accepts_just_above(branch):
    election = new_election(branch)
    rows = rows_of(branch.voters[:6], [8, 8, 8, 8, 8, 1])
    with pytest.raises(ValidationError) as exc:
        ballot(election, rows, present=8, valid=8)
    assert "到会人数须超过应到会人数的五分之四" in messages(exc)
    assert "至少须到9人" in messages(exc)
    assert not election.rounds.exists()
    round_ = ballot(election, rows, present=9, valid=9)
    assert round_.number == 1


def test_it_elects_with_more_than_half_of_those_who_should_attend_not_of_those_present(branch):
    election = new_election(branch)
    # 10 should attend: 6 votes elect, 5 (exactly half) do not, though 5 of 9 present is more.
    ballot(election, rows_of(branch.voters[:6], [9, 9, 6, 6, 5, 1]), present=9, valid=9)
    elected = {c.name: c.elected for c in election.candidates.all()}
    assert elected == {
        "党员0": True,
        "党员1": True,
        "党员2": True,
        "党员3": True,
        "党员4": False,
        "党员5": False,
    }
    assert rules.majority_met(6, 10) and not rules.majority_met(5, 10)
    assert rules.quorum_met(9, 10) and not rules.quorum_met(8, 10)


def test_it_needs_twenty_percent_more_committee_candidates_than_seats(branch):
    assert rules.margin_problem(5, 6) is None  # exactly 20%
    assert rules.margin_problem(10, 12) is None
    assert "候选人至少12人" in rules.margin_problem(10, 11)  # 10%: just below
    election = new_election(branch, seats=5)
    with pytest.raises(ValidationError) as exc:
        ballot(election, rows_of(branch.voters[:5], [9] * 5))
    assert "委员候选人应多于应选人数的20%" in messages(exc)
    ballot(election, rows_of(branch.voters[:6], [9, 9, 9, 9, 9, 1]))
    assert election.candidates.filter(elected=True).count() == 5


def test_it_allows_an_equal_slate_for_a_secretary_without_a_committee(branch):
    election = new_election(branch, seats=1, committee=False)
    ballot(election, [(branch.voters[0], "secretary", 10)])
    assert election.candidates.get().elected


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("probationary", "预备党员没有表决权、选举权和被选举权"),
        ("sanctioned", "受留党察看处分期间"),
    ],
)
def test_it_refuses_a_probationary_member_and_one_under_probation_as_candidates(
    branch, who, reason
):
    election = new_election(branch, seats=1, committee=False)
    with pytest.raises(ValidationError) as exc:
        ballot(election, [(getattr(branch, who), "secretary", 10)])
    assert reason in messages(exc)


def test_it_counts_a_member_under_probation_again_once_it_has_ended(branch):
    roll_then = elections.electorate(branch, HELD)
    roll_after = elections.electorate(branch, dt.date(2026, 6, 1))
    assert branch.sanctioned.pk in roll_then.refused and roll_then.should_attend == 10
    assert branch.sanctioned.pk in roll_after.eligible and roll_after.should_attend == 11
    # The 预备党员 converted by then? No: still probationary without a 转正 date.
    assert branch.probationary.pk in roll_after.refused


def test_it_refuses_a_member_of_another_org_and_votes_above_the_valid_ballots(branch, world):
    election = new_election(branch, seats=1, committee=False)
    with pytest.raises(ValidationError) as exc:
        ballot(election, [(world.members["b1"], "secretary", 10)])
    assert "选举之日不是本组织党员" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        ballot(election, [(branch.voters[0], "secretary", 10)], valid=9)
    assert "得票数不能多于有效票数" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        ballot(election, [(branch.voters[0], "secretary", 9)], present=9, valid=9, invalid=1)
    assert "有效票与无效票之和不能多于实到人数" in messages(exc)


def test_it_votes_again_for_the_seats_left(branch):
    election = new_election(branch, seats=3)
    people = branch.voters
    ballot(election, rows_of(people[:4], [9, 8, 5, 4]))
    assert elections.seats_left(election) == 1
    with pytest.raises(ValidationError) as exc:
        ballot(election, [(people[0], "member", 9), (people[2], "member", 9)])
    assert "党员0已经当选" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        ballot(election, [(people[2], "propaganda", 9)])  # one candidate for one seat: no 差额
    assert "候选人至少2人" in messages(exc)
    second = ballot(election, [(people[2], "propaganda", 7), (people[3], "member", 3)])
    assert (second.number, second.seats) == (2, 1)
    assert sorted(election.candidates.filter(elected=True).values_list("name", flat=True)) == [
        "党员0",
        "党员1",
        "党员2",
    ]
    with pytest.raises(ValidationError, match="应选名额已满"):
        ballot(election, [(people[4], "member", 9), (people[5], "member", 1)])


def test_it_leaves_candidates_tied_for_the_last_seat_to_another_vote():
    elected, tied = rules.tally(2, {"a": 9, "b": 7, "c": 7, "d": 2}, 10)
    assert (elected, sorted(tied)) == (["a"], ["b", "c"])
    assert rules.tally(3, {"a": 9, "b": 7, "c": 7}, 10) == (["a", "b", "c"], [])


def test_it_replaces_the_committee_on_approval_and_keeps_the_old_one_as_history(branch):
    old = save_position(
        CLI,
        Position(org=branch, title="secretary", holder_name="老书记", start_on=dt.date(2022, 3, 1)),
    )
    election = new_election(branch, seats=5)
    ballot(election, rows_of(branch.voters[:6], [9, 9, 9, 9, 9, 1]))
    assert Position.objects.current(HELD).get(org=branch).holder_name == "老书记"
    elections.approve_election(
        CLI, election, approved_on=dt.date(2025, 3, 20), approval_ref="教党〔2025〕8号"
    )
    old.refresh_from_db()
    branch.refresh_from_db()
    assert old.end_on == HELD
    current = Position.objects.filter(org=branch).current(HELD)
    assert sorted(current.values_list("holder_name", "title")) == [
        ("党员0", "secretary"),
        ("党员1", "deputy_secretary"),
        ("党员2", "organisation"),
        ("党员3", "propaganda"),
        ("党员4", "discipline"),
    ]
    assert set(current.values_list("formed_by", flat=True)) == {"election"}
    assert branch.term_start == HELD and branch.next_election_on == dt.date(2028, 3, 10)
    assert (
        Position.objects.filter(org=branch).current(dt.date(2025, 3, 9)).get().holder_name
        == "老书记"
    )
    with pytest.raises(ValidationError, match="上级已批复"):
        ballot(election, rows_of(branch.voters[6:8], [9, 1]))


def test_it_refuses_approval_without_a_secretary_or_before_the_vote(branch):
    election = new_election(branch, seats=1, committee=False)
    with pytest.raises(ValidationError, match="还没有当选"):
        elections.approve_election(CLI, election, approved_on=HELD)
    ballot(election, [(branch.voters[0], "deputy_secretary", 10)])
    with pytest.raises(ValidationError) as exc:
        elections.approve_election(CLI, election, approved_on=HELD - dt.timedelta(days=1))
    assert "当选人中须确定一名书记" in messages(exc) and "批复日期不能早于选举日期" in messages(exc)


def test_it_forms_a_committee_by_appointment_without_ballots(branch):
    election = new_election(branch, seats=1, committee=False, formed_by="appointment")
    with pytest.raises(ValidationError, match="考察任命不投票"):
        ballot(election, [(branch.voters[0], "secretary", 10)])
    elections.record_appointees(
        CLI, election, [{"member": None, "name": "上级派任", "title": "secretary"}]
    )
    elections.approve_election(CLI, election, approved_on=HELD)
    position = Position.objects.filter(org=branch).current(HELD).get()
    assert (position.holder_name, position.formed_by) == ("上级派任", "appointment")


def test_it_checks_the_record_dates_and_seats(branch):
    with pytest.raises(ValidationError) as exc:
        elections.create_election(
            CLI,
            org=branch,
            formed_by="election",
            committee=True,
            seats=2,
            requested_on=dt.date(2025, 3, 1),
            permitted_on=dt.date(2025, 2, 1),
            held_on=dt.date(2999, 1, 1),
        )
    text = messages(exc)
    assert "委员会应选委员至少3人" in text
    assert "选举日期不能晚于今天" in text
    assert "上级同意日期不能早于请示日期" in text


def test_it_enters_the_ballots_through_the_multi_row_form(branch, world, login):
    election = new_election(branch, seats=1, committee=False)
    client = login(world, "county_admin")
    url = reverse("election-ballots", args=[election.pk])
    page = client.get(url)
    assert page.status_code == 200 and "第1轮选举结果" in page.content.decode()
    rows = page.context["formset"].total_form_count()
    data = {
        "b-present": "8",
        "b-valid_ballots": "8",
        "b-invalid_ballots": "0",
        "c-TOTAL_FORMS": str(rows),
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "1000",
        "c-0-member": str(branch.probationary.pk),
        "c-0-title": "secretary",
        "c-0-votes": "8",
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "到会人数须超过应到会人数的五分之四" in body
    assert "预备党员没有表决权、选举权和被选举权" in body
    data.update(
        {"b-present": "10", "b-valid_ballots": "10", "c-0-member": str(branch.voters[0].pk)}
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert election.candidates.get().elected
    approve = client.post(
        reverse("election-approve", args=[election.pk]),
        {"approved_on": HELD.isoformat(), "approval_ref": "批复1号"},
    )
    assert approve.status_code == 302
    detail = client.get(reverse("election-detail", args=[election.pk])).content.decode()
    assert "已批复" in detail and "党员0" in detail


def test_it_refuses_an_empty_ballot_sheet_in_chinese(branch, world, login):
    election = new_election(branch, seats=1, committee=False)
    client = login(world, "county_admin")
    url = reverse("election-ballots", args=[election.pk])
    rows = client.get(url).context["formset"].total_form_count()
    response = client.post(
        url,
        {
            "b-present": "10",
            "b-valid_ballots": "10",
            "b-invalid_ballots": "0",
            "c-TOTAL_FORMS": str(rows),
            "c-INITIAL_FORMS": "0",
            "c-MIN_NUM_FORMS": "0",
            "c-MAX_NUM_FORMS": "1000",
        },
    )
    assert "请至少填写一名候选人" in response.content.decode()
    assert not Election.objects.get(pk=election.pk).rounds.exists()


def test_it_keeps_a_candidate_s_name_when_the_member_record_is_deleted(branch):
    from dangjian.members import services as members

    election = new_election(branch, seats=1, committee=False)
    ballot(election, [(branch.voters[0], "secretary", 10)])
    members.delete_member(CLI, branch.voters[0])
    candidate = election.candidates.get()
    assert (candidate.member, candidate.name, candidate.elected) == (None, "党员0", True)
