"""支部大会 votes (DESIGN 6, step 15): more than half of the voting members who should attend
must be present; the candidate passes with yes votes from more than half of them; written
opinions of absent members count as votes, not as presence; one candidate at a time."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.core.context import CLI
from dangjian.recruitment import rules as R
from dangjian.recruitment import services
from dangjian.recruitment.models import Ballot, Outcome, RuleSet, Stage
from tests.recruitment.helpers import D, advance, ballots, full_members, new_recruit, step
from tests.recruitment.test_documents import fetch

FAILED_AT_HALF = "赞成票须超过应到会有表决权人数的半数: 赞成5票, 应到会10人, 至少须6票"

MEETING = D(2024, 6, 3)


@pytest.fixture
def branch(world):
    """T-BA with ten voting members on the meeting day (王五 is a 预备党员: no vote)."""
    full_members(world.orgs["ba"], 8)
    return world.orgs["ba"]


@pytest.fixture
def voters(branch):
    found = services.eligible_voters(branch, MEETING)
    assert len(found) == 10
    return found


@pytest.fixture
def candidate(world, branch):
    pair = [world.members["a1"], world.members["a2"]]
    return advance(new_recruit(branch), pair, pair)


def meeting(candidate, rows):
    return step(candidate, "branch_meeting", MEETING, ballots=rows)


def refused_message(candidate, rows) -> str:
    with pytest.raises(ValidationError) as info:
        meeting(candidate, rows)
    return " ".join(info.value.messages)


def test_it_refuses_to_vote_with_exactly_half_present(candidate, voters):
    message = refused_message(candidate, ballots(voters, present=5, yes=5))
    assert "应到会10人, 实到会5人, 不能进行表决" in message
    assert not candidate.steps.filter(key="branch_meeting").exists()


def test_it_votes_with_one_more_than_half_present_and_fails_at_half_the_yes_votes(
    candidate, voters
):
    failed = meeting(candidate, ballots(voters, present=6, yes=5))
    assert (failed.should_attend, failed.present, failed.yes, failed.no) == (10, 6, 5, 1)
    assert failed.outcome == Outcome.FAILED
    candidate.refresh_from_db()
    assert candidate.stage == Stage.CANDIDATE
    # The next meeting (one candidate, voted again) passes with six yes votes.
    passed = meeting(candidate, ballots(voters, present=6, yes=6))
    assert passed.outcome == Outcome.PASSED
    assert Ballot.objects.filter(step=passed).count() == 10


def test_it_counts_written_opinions_as_votes_but_not_as_presence(candidate, voters):
    # 5 present + 3 written: still no quorum (presence counts only those at the meeting).
    message = refused_message(candidate, ballots(voters, present=5, yes=8, written=3))
    assert "实到会5人" in message
    # 6 present (4 yes, 2 no) and 2 written yes: 6 yes of 10 should-attend → passes.
    rows = ballots(voters, present=6, yes=4, written=2)
    for row in rows[6:8]:
        row["choice"] = "yes"
    result = meeting(candidate, rows)
    assert (result.present, result.yes, result.no) == (6, 6, 2)
    assert result.outcome == Outcome.PASSED
    written = Ballot.objects.filter(step=result, written=True)
    assert written.count() == 2 and not written.filter(attended=True).exists()


def test_it_takes_excused_members_out_of_the_base(candidate, voters):
    # 3 excused: 7 should attend; 3 present is not more than half, 4 is.
    assert "应到会7人, 实到会3人" in refused_message(
        candidate, ballots(voters, present=3, yes=3, excused=3)
    )
    failed = meeting(candidate, ballots(voters, present=4, yes=3, excused=3))
    assert (failed.should_attend, failed.yes, failed.outcome) == (7, 3, Outcome.FAILED)
    passed = meeting(candidate, ballots(voters, present=4, yes=4, excused=3))
    assert passed.outcome == Outcome.PASSED


def test_it_counts_members_left_off_the_list_as_absent(candidate, voters):
    rows = ballots(voters[:6], present=6, yes=6)
    assert meeting(candidate, rows).should_attend == 10


def test_it_refuses_a_vote_from_a_probationary_member(candidate, voters, world):
    rows = ballots(voters, present=10, yes=10)
    rows.append({"member": world.members["a3"], "attended": True, "choice": "yes"})
    assert "王五是预备党员, 没有表决权, 只能列席, 不能表决" in refused_message(candidate, rows)


def test_it_refuses_someone_not_in_the_branch_on_the_day(candidate, voters, world):
    rows = ballots(voters, present=10, yes=10)
    rows.append({"member": world.members["b1"], "attended": True})
    assert "不是本支部在会议当日的党员" in refused_message(candidate, rows)


def test_it_refuses_a_choice_from_an_absent_member_without_written_opinion(candidate, voters):
    rows = ballots(voters, present=6, yes=6)
    rows[9]["choice"] = "yes"
    assert "未到会且未提交书面意见" in refused_message(candidate, rows)


def test_it_takes_the_vote_from_a_member_under_party_probation(branch, voters):
    services.record_sanction(CLI, voters[0], kind="probation", start_on=D(2024, 1, 1))
    assert len(services.eligible_voters(branch, MEETING)) == 9
    services.record_sanction(
        CLI, voters[1], kind="probation", start_on=D(2023, 1, 1), end_on=D(2024, 1, 1)
    )
    assert len(services.eligible_voters(branch, MEETING)) == 9


@pytest.mark.parametrize(
    ("should", "present", "yes", "quorum", "majority"),
    [
        (10, 5, 5, False, False),
        (10, 6, 5, True, False),
        (10, 6, 6, True, True),
        (7, 3, 3, False, False),
        (7, 4, 4, True, True),
        (7, 4, 3, True, False),
        (1, 1, 1, True, True),
        (2, 1, 1, False, False),
    ],
)
def test_it_needs_more_than_half_for_quorum_and_majority(
    db, should, present, yes, quorum, majority
):
    rules = R.Rules(RuleSet.objects.get(code="2014"))
    tally = R.Tally(should, should, present, yes, 0, 0)
    assert (tally.quorum(rules), tally.majority(rules)) == (quorum, majority)


# --- a vote that fails is recorded, with the rule and the figures ------------------------


def test_it_records_a_failed_vote_at_exactly_half_with_the_rule_and_the_figures(candidate, voters):
    failed = meeting(candidate, ballots(voters, present=10, yes=5))
    failed.refresh_from_db()
    assert failed.outcome == Outcome.FAILED
    assert failed.outcome_reason == FAILED_AT_HALF
    assert (failed.should_attend, failed.present, failed.yes) == (10, 10, 5)
    assert Ballot.objects.filter(step=failed).count() == 10


def test_it_passes_with_one_vote_more_than_half(candidate, voters):
    passed = meeting(candidate, ballots(voters, present=6, yes=6))
    assert passed.outcome == Outcome.PASSED and passed.outcome_reason == ""


def test_it_names_the_odd_base_in_the_reason(candidate, voters):
    # 3 excused: 7 should attend, more than half is at least 4 yes votes.
    failed = meeting(candidate, ballots(voters, present=7, yes=3, excused=3))
    assert failed.outcome_reason == (
        "赞成票须超过应到会有表决权人数的半数: 赞成3票, 应到会7人, 至少须4票"
    )


def test_it_still_refuses_a_meeting_without_quorum(candidate, voters):
    # The meeting itself is invalid (DESIGN 6): nothing is recorded, not even a failure.
    message = refused_message(candidate, ballots(voters, present=5, yes=5))
    assert "有表决权的到会人数须超过应到会有表决权人数的半数" in message
    assert not candidate.steps.filter(key="branch_meeting").exists()


def test_later_steps_say_that_the_vote_failed(candidate, voters):
    meeting(candidate, ballots(voters, present=10, yes=5))
    with pytest.raises(ValidationError) as info:
        step(candidate, "committee_talk", D(2024, 6, 10))
    message = " ".join(info.value.messages)
    assert "支部大会表决未通过(第15步, 2024-06-03: " + FAILED_AT_HALF in message
    assert "须先完成" not in message
    # Voted again and passed: the talk may follow.
    meeting(candidate, ballots(voters, present=10, yes=6))
    assert step(candidate, "committee_talk", D(2024, 6, 10)).key == "committee_talk"


def test_it_shows_the_failed_vote_on_the_record_and_in_the_api(candidate, voters, world, login):
    meeting(candidate, ballots(voters, present=10, yes=5))
    client = login(world, "secretary_a")
    html = client.get(reverse("recruit-detail", args=[candidate.pk])).content.decode()
    assert "未通过" in html and FAILED_AT_HALF in html
    timeline = client.get(reverse("recruit-timeline", args=[candidate.pk])).content.decode()
    assert FAILED_AT_HALF in timeline
    body = client.get(reverse("api-recruit-detail", args=[candidate.pk])).json()
    voted = [s for s in body["steps"] if s["key"] == "branch_meeting"]
    assert voted[0]["outcome"] == "failed" and voted[0]["outcome_reason"] == FAILED_AT_HALF


# --- present without a vote (列席) --------------------------------------------------------


def test_a_probationary_member_attends_without_counting_in_quorum_or_majority(
    candidate, voters, world
):
    a3 = world.members["a3"]  # 预备党员 since 2024-03-01
    assert [(m.name, why) for m, why in services.eligible_observers(candidate.org, MEETING)] == [
        ("王五", "预备党员")
    ]
    # 5 voters present and 王五 attending is still no quorum.
    rows = ballots(voters, present=5, yes=5)
    rows.append({"member": a3, "attended": True, "should_attend": False})
    assert "应到会10人, 实到会5人" in refused_message(candidate, rows)
    # 6 present, 5 yes: fails at 5 of 10 whatever the observer thinks.
    rows = ballots(voters, present=6, yes=5)
    rows.append({"member": a3, "attended": True, "opinion": "同意"})
    failed = meeting(candidate, rows)
    assert (failed.should_attend, failed.present, failed.yes, failed.observers) == (10, 6, 5, 1)
    assert failed.outcome == Outcome.FAILED
    observer = Ballot.objects.get(step=failed, member=a3)
    assert observer.observer and observer.attended and observer.choice == ""
    assert not observer.should_attend and observer.opinion == "同意"


def test_a_member_under_party_probation_attends_without_a_vote(candidate, voters):
    barred = voters[0]
    services.record_sanction(CLI, barred, kind="probation", start_on=D(2024, 1, 1))
    voting = services.eligible_voters(candidate.org, MEETING)
    assert len(voting) == 9 and barred not in voting
    rows = ballots(voting, present=5, yes=5)
    rows.append({"member": barred, "attended": True})
    passed = meeting(candidate, rows)
    assert (passed.should_attend, passed.present, passed.yes) == (9, 5, 5)
    assert passed.observers == 1 and passed.outcome == Outcome.PASSED
    rows[-1]["choice"] = "no"
    assert "受留党察看处分, 没有表决权, 只能列席, 不能表决" in refused_message(candidate, rows)


def test_an_absent_observer_is_not_recorded(candidate, voters, world):
    rows = ballots(voters, present=6, yes=6)
    rows.append({"member": world.members["a3"], "attended": False})
    passed = meeting(candidate, rows)
    assert passed.observers == 0
    assert not Ballot.objects.filter(step=passed, observer=True).exists()


def test_the_tally_leaves_observers_out():
    rows = [
        {"should_attend": True, "attended": True, "written": False, "choice": "yes"},
        {
            "should_attend": False,
            "attended": True,
            "written": False,
            "choice": "",
            "observer": True,
        },
    ]
    assert R.tally(rows, 1) == R.Tally(1, 1, 1, 1, 0, 0)


def test_the_resolution_names_the_observers_and_the_failed_vote(candidate, voters, world, login):
    rows = ballots(voters, present=10, yes=5)
    rows.append({"member": world.members["a3"], "attended": True})
    meeting(candidate, rows)
    text = fetch(login(world, "secretary_a"), candidate, "resolution")
    assert "另有1名无表决权的党员列席会议，不参加表决。" in text
    assert "赞成5票" in text and "本次未通过" in text
