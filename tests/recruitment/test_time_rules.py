"""Every time rule of the 2014 细则 and the local-practice settings, just before and just
after its limit, with calendar month-end cases (DESIGN 6: "以上/以内" include the number,
months and years are calendar units)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.context import CLI
from dangjian.recruitment import services
from dangjian.recruitment.models import Decision, Outcome, Stage
from tests.recruitment.helpers import (
    LEAP,
    STANDARD,
    D,
    admit,
    advance,
    conversion_meeting,
    convert,
    new_recruit,
    step,
)


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return " ".join(info.value.messages)


def extend(months):
    """What a conversion meeting decides when it extends the probation by `months`."""
    return {"decision": Decision.EXTEND, "extension_months": months}


@pytest.fixture
def ba(world):
    return world.orgs["ba"]


@pytest.fixture
def pair(world):
    """Two full members of T-BA: contacts and introducers."""
    return [world.members["a1"], world.members["a2"]]


def to_activist(recruit, contact, activist_on):
    step(recruit, "talk", recruit.applied_on)
    step(recruit, "activist", activist_on, method="league")
    step(recruit, "activist_filing", activist_on)
    step(recruit, "contacts", activist_on, members=[contact])


def test_it_refuses_an_application_before_the_18th_birthday(ba):
    born = D(2006, 6, 15)
    message = refused(new_recruit, ba, D(2024, 6, 14), birth=born)
    assert "递交入党申请书须年满18周岁，最早可于2024-06-15递交" in message
    assert new_recruit(ba, D(2024, 6, 15), birth=born).stage == Stage.APPLICANT


def test_it_comes_of_age_on_28_february_of_a_common_year_when_born_on_29_february(ba):
    # One month-end rule for age and intervals (民法典 第二百零二条): the 18th year from
    # 2004-02-29 ends on 2022-02-28, as a one-year interval from 29 February does.
    born = D(2004, 2, 29)
    message = refused(new_recruit, ba, D(2022, 2, 27), birth=born)
    assert "最早可于2022-02-28递交" in message
    assert new_recruit(ba, D(2022, 2, 28), birth=born).applied_on == D(2022, 2, 28)


def test_it_warns_when_the_talk_is_later_than_a_calendar_month(ba):
    # Applied 31 January: one month later is 28 February (month-end clamps).
    on_time = new_recruit(ba, D(2025, 1, 31), name="甲")
    assert on_time.next_due_on == D(2025, 2, 28)
    assert step(on_time, "talk", D(2025, 2, 28)).warnings == []
    late = new_recruit(ba, D(2025, 1, 31), name="乙")
    warnings = step(late, "talk", D(2025, 3, 1)).warnings
    assert len(warnings) == 1
    assert "一个月内派人同入党申请人谈话，最迟应于2025-02-28谈话" in warnings[0]


def test_it_refuses_a_candidate_before_a_full_year_as_activist(ba, pair):
    recruit = new_recruit(ba, D(2024, 1, 10))
    to_activist(recruit, pair[0], D(2024, 3, 2))
    message = refused(step, recruit, "candidate", D(2025, 3, 1))
    assert "确定为发展对象须经一年以上培养教育考察，最早可于2025-03-02确定" in message
    assert step(recruit, "candidate", D(2025, 3, 2)).rule_set.code == "2014"
    recruit.refresh_from_db()
    assert recruit.stage == Stage.CANDIDATE and recruit.candidate_on == D(2025, 3, 2)


def test_it_counts_a_year_from_29_february_to_28_february(ba, pair):
    recruit = new_recruit(ba, D(2024, 1, 10))
    to_activist(recruit, pair[0], D(2024, 2, 29))
    assert "最早可于2025-02-28确定" in refused(step, recruit, "candidate", D(2025, 2, 27))
    step(recruit, "candidate", D(2025, 2, 28))


def test_it_reminds_of_the_half_year_review_of_an_activist(ba, pair):
    recruit = new_recruit(ba, D(2024, 1, 10))
    to_activist(recruit, pair[0], D(2024, 8, 31))
    recruit.refresh_from_db()
    assert (recruit.next_due_kind, recruit.next_due_on) == ("review", D(2025, 2, 28))
    step(recruit, "review", D(2025, 2, 20))
    recruit.refresh_from_db()
    assert recruit.next_due_on == D(2025, 8, 20)


def test_it_requires_the_publicity_to_last_the_working_days(ba, pair):
    recruit = advance(new_recruit(ba), pair, pair, stop_before="publicity")
    message = refused(step, recruit, "publicity", D(2024, 5, 13), end_on=D(2024, 5, 16))
    assert "公示期不少于5个工作日(本地做法)，自2024-05-13起最早可于2024-05-17结束" in message
    publicity = step(recruit, "publicity", D(2024, 5, 13))
    assert publicity.end_on == D(2024, 5, 17)


def test_it_counts_publicity_working_days_across_the_national_day(ba, pair):
    recruit = advance(new_recruit(ba), pair, pair, stop_before="publicity")
    publicity = step(recruit, "publicity", D(2024, 9, 27))
    # 9-27, 9-29 (Sunday make-up), 9-30, then the holiday to 10-7, then 10-8 and 10-9.
    assert publicity.end_on == D(2024, 10, 9)


def test_it_allows_the_pre_review_only_after_the_publicity(ba, pair):
    recruit = advance(new_recruit(ba), pair, pair, stop_before="pre_review")
    message = refused(step, recruit, "pre_review", D(2024, 5, 17))
    assert "公示期满后方可报上级党委预审，最早可于2024-05-18预审" in message
    step(recruit, "pre_review", D(2024, 5, 18))


def test_it_warns_when_the_branch_meeting_is_more_than_a_month_after_the_pre_review(
    ba, pair, world
):
    all_yes = [{"member": m, "attended": True, "choice": "yes"} for m in pair]
    on_time = advance(new_recruit(ba, name="甲"), pair, pair)
    meeting = step(on_time, "branch_meeting", D(2024, 6, 20), ballots=all_yes)
    assert meeting.warnings == []
    late = advance(new_recruit(ba, name="乙"), pair, pair)
    meeting = step(late, "branch_meeting", D(2024, 6, 21), ballots=all_yes)
    assert any(
        "预审后一个月内召开（本地做法），最迟应于2024-06-20召开" in w for w in meeting.warnings
    )


def test_it_warns_when_the_political_review_is_older_than_the_local_validity(ba, pair):
    services.save_settings(CLI, ba, political_review_valid_months=2)
    ballots = [{"member": m, "attended": True, "choice": "yes"} for m in pair]
    # Political review 2024-04-01 + 2 months = 2024-06-01.
    fresh = advance(new_recruit(ba, name="甲"), pair, pair)
    assert step(fresh, "branch_meeting", D(2024, 6, 1), ballots=ballots).warnings == []
    stale = advance(new_recruit(ba, name="乙"), pair, pair)
    warnings = step(stale, "branch_meeting", D(2024, 6, 2), ballots=ballots).warnings
    assert any("政治审查结论一般一年内有效" in w and "2024-06-01" in w for w in warnings)


def test_it_refuses_a_branch_meeting_before_the_training_hours(ba, pair):
    schedule = [
        (k, d, {"by": "业余党校", "hours": Decimal(23)} if k == "training" else data)
        for k, d, data in STANDARD
    ]
    recruit = advance(new_recruit(ba), pair, pair, schedule=schedule)
    ballots = [{"member": m, "attended": True, "choice": "yes"} for m in pair]
    message = refused(step, recruit, "branch_meeting", D(2024, 6, 3), ballots=ballots)
    assert "不少于3天或不少于24学时，目前累计23学时、0天" in message
    step(recruit, "training", D(2024, 6, 1), hours=Decimal(1))
    assert step(recruit, "branch_meeting", D(2024, 6, 3), ballots=ballots).outcome == "passed"


def test_it_accepts_three_days_of_training_instead_of_hours(ba, pair):
    recruit = advance(new_recruit(ba, D(2022, 10, 10)), pair, pair, schedule=LEAP)
    ballots = [{"member": m, "attended": True, "choice": "yes"} for m in pair]
    assert step(recruit, "branch_meeting", D(2024, 2, 29), ballots=ballots).outcome == "passed"


def meeting_on_31_may(ba, pair, name):
    recruit = advance(new_recruit(ba, name=name), pair, pair)
    ballots = [{"member": m, "attended": True, "choice": "yes"} for m in pair]
    step(recruit, "branch_meeting", D(2024, 5, 31), ballots=ballots)
    step(recruit, "committee_talk", D(2024, 6, 5))
    return recruit


def test_it_approves_within_three_months_of_the_branch_meeting(ba, pair):
    recruit = meeting_on_31_may(ba, pair, "甲")
    approval = step(recruit, "approval", D(2024, 8, 31), outcome=Outcome.APPROVED)
    assert approval.warnings == []
    recruit.refresh_from_db()
    assert recruit.stage == Stage.PROBATIONARY and recruit.admitted_on == D(2024, 5, 31)


def test_it_needs_a_reason_after_three_months_and_refuses_after_six(ba, pair):
    recruit = meeting_on_31_may(ba, pair, "乙")
    message = refused(step, recruit, "approval", D(2024, 9, 1), outcome=Outcome.APPROVED)
    assert "最迟应于2024-08-31审批；特殊情况须说明理由，最迟可于2024-11-30审批" in message
    # Six months from 31 May is 30 November (month-end clamps).
    message = refused(
        step,
        recruit,
        "approval",
        D(2024, 12, 1),
        outcome=Outcome.APPROVED,
        special_reason="党委换届",
    )
    assert "最迟应于2024-11-30审批；已超过特殊情况期限，须重新履行程序" in message
    approval = step(
        recruit, "approval", D(2024, 11, 30), outcome=Outcome.APPROVED, special_reason="党委换届"
    )
    assert "党委换届" in approval.warnings[0]


def test_it_reminds_the_committee_of_the_approval_deadline(ba, pair):
    recruit = meeting_on_31_may(ba, pair, "丙")
    recruit.refresh_from_db()
    assert (recruit.next_due_kind, recruit.next_due_on) == ("approval", D(2024, 8, 31))


def test_it_discusses_conversion_only_when_the_probation_has_ended(ba, pair):
    recruit = advance(new_recruit(ba, D(2022, 10, 10)), pair, pair, schedule=LEAP)
    admit(recruit, pair, meeting=D(2024, 2, 29), approval=D(2024, 3, 10))
    # One year from 29 February 2024 is 28 February 2025.
    assert recruit.probation_end_on == D(2025, 2, 28)
    assert (recruit.next_due_kind, recruit.next_due_on) == ("conversion_meeting", D(2025, 2, 28))
    message = refused(conversion_meeting, recruit, pair, D(2025, 2, 27))
    assert "预备期满，党支部方可讨论其能否转为正式党员，最早可于2025-02-28讨论" in message
    convert(recruit, pair, D(2025, 2, 28), D(2025, 3, 5))
    assert recruit.converted_on == D(2025, 2, 28)
    assert recruit.member.converted_on == D(2025, 2, 28)


def test_it_approves_conversion_within_three_months(ba, pair):
    recruit = admit(advance(new_recruit(ba), pair, pair), pair)
    conversion_meeting(recruit, pair, D(2025, 6, 3))
    message = refused(step, recruit, "conversion_approval", D(2025, 9, 4), outcome=Outcome.APPROVED)
    assert "最迟应于2025-09-03审批" in message
    step(recruit, "conversion_approval", D(2025, 9, 3), outcome=Outcome.APPROVED)


def test_it_extends_the_probation_by_six_to_twelve_months_once(ba, pair):
    recruit = admit(advance(new_recruit(ba), pair, pair), pair)  # admitted 2024-06-03
    for months in (5, 13):
        message = refused(conversion_meeting, recruit, pair, D(2025, 6, 3), **extend(months))
        assert "延长预备期不能少于6个月，不能超过12个月" in message
    convert(recruit, pair, D(2025, 6, 3), D(2025, 6, 20), **extend(6))
    assert recruit.stage == Stage.PROBATIONARY
    assert recruit.probation_end_on == D(2025, 12, 3)
    assert "最早可于2025-12-03讨论" in refused(conversion_meeting, recruit, pair, D(2025, 12, 2))
    message = refused(conversion_meeting, recruit, pair, D(2025, 12, 3), **extend(6))
    assert "预备期只能延长一次" in message
    convert(recruit, pair, D(2025, 12, 3), D(2025, 12, 20))
    assert recruit.stage == Stage.FULL
    assert recruit.member.converted_on == D(2025, 12, 3)


def test_it_accepts_a_twelve_month_extension(ba, pair):
    recruit = admit(advance(new_recruit(ba), pair, pair), pair)
    convert(recruit, pair, D(2025, 6, 3), D(2025, 6, 20), **extend(12))
    assert recruit.probation_end_on == D(2026, 6, 3)
