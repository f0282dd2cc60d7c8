"""支部大会 votes (DESIGN 6, step 15): more than half of the voting members who should attend
must be present; the candidate passes with yes votes from more than half of them; written
opinions of absent members count as votes, not as presence; one candidate at a time."""

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.context import CLI
from dangjian.recruitment import rules as R
from dangjian.recruitment import services
from dangjian.recruitment.models import Ballot, Outcome, RuleSet, Stage
from tests.recruitment.helpers import D, advance, ballots, full_members, new_recruit, step

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
    assert "不是本支部在会议当日有表决权的正式党员" in refused_message(candidate, rows)


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
