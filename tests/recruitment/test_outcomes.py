"""Outcomes: admission creates the member as 预备党员 (入党日期 = the 支部大会), 转正 sets
转正日期, an extension moves the 预备期, a cancellation ends the membership; all audited."""

import pytest
from django.core.exceptions import ValidationError
from mirror import assert_exact

from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry
from dangjian.members.choices import EventKind, Status
from dangjian.members.models import MemberEvent
from dangjian.recruitment import services
from dangjian.recruitment.models import CloseReason, Decision, Outcome, Recruit, Stage
from tests.recruitment.helpers import D, admit, advance, convert, new_recruit, step


@pytest.fixture
def pair(world):
    return [world.members["a1"], world.members["a2"]]


@pytest.fixture
def admitted(world, pair):
    return admit(advance(new_recruit(world.orgs["ba"]), pair, pair), pair)


def test_it_creates_the_member_as_probationary_dated_by_the_branch_meeting(admitted, world):
    member = admitted.member
    assert admitted.stage == Stage.PROBATIONARY
    assert (admitted.admitted_on, admitted.approved_on) == (D(2024, 6, 3), D(2024, 6, 20))
    assert member.joined_on == D(2024, 6, 3) and member.converted_on is None
    assert member.org == world.orgs["ba"] and member.name == admitted.name
    assert member.id_number == admitted.id_number
    assert MemberEvent.objects.filter(member=member, kind=EventKind.JOINED).exists()
    assert AuditEntry.objects.filter(
        object_type="members.member", object_id=str(member.pk), action=AuditAction.CREATE
    ).exists()


def test_it_does_not_admit_on_a_rejected_approval(world, pair):
    recruit = advance(new_recruit(world.orgs["ba"]), pair, pair)
    step(
        recruit,
        "branch_meeting",
        D(2024, 6, 3),
        ballots=[{"member": m, "attended": True, "choice": "yes"} for m in pair],
    )
    step(recruit, "committee_talk", D(2024, 6, 10))
    step(recruit, "approval", D(2024, 6, 20), outcome=Outcome.REJECTED)
    recruit.refresh_from_db()
    assert recruit.stage == Stage.CANDIDATE and recruit.member is None


def test_it_sets_the_conversion_date_to_the_end_of_the_probation(admitted, pair):
    convert(admitted, pair, D(2025, 6, 10), D(2025, 7, 1))
    assert admitted.stage == Stage.FULL
    assert admitted.converted_on == D(2025, 6, 3)
    admitted.member.refresh_from_db()
    assert admitted.member.converted_on == D(2025, 6, 3)
    assert MemberEvent.objects.filter(member=admitted.member, kind=EventKind.CONVERTED).exists()


def test_it_cancels_the_qualification(admitted, pair):
    convert(admitted, pair, D(2025, 6, 3), D(2025, 6, 20), decision=Decision.CANCEL)
    assert admitted.stage == Stage.CLOSED
    assert admitted.close_reason == CloseReason.CANCELLED
    member = admitted.member
    member.refresh_from_db()
    assert member.status == Status.CANCELLED and member.left_on == D(2025, 6, 20)


def test_it_audits_every_step(admitted):
    steps = admitted.steps.count()
    audited = AuditEntry.objects.filter(object_type="recruitment.step", action=AuditAction.CREATE)
    assert audited.count() == steps - 1  # the application is audited with the person
    assert AuditEntry.objects.filter(
        object_type="recruitment.recruit", object_id=str(admitted.pk), action=AuditAction.CREATE
    ).exists()
    assert all(entry.org_path == admitted.org.path for entry in audited)
    # The ID number is masked in the audit trail.
    created = AuditEntry.objects.get(object_type="recruitment.recruit", action=AuditAction.CREATE)
    assert created.changes["id_number"][1] == admitted.masked_id


def test_it_closes_a_pipeline_before_admission_only(world, admitted):
    recruit = new_recruit(world.orgs["ba"], name="钱放弃")
    services.close_recruit(CLI, recruit, on=D(2023, 2, 1), reason=CloseReason.WITHDREW)
    recruit.refresh_from_db()
    assert (recruit.stage, recruit.closed_on) == (Stage.CLOSED, D(2023, 2, 1))
    with pytest.raises(ValidationError):
        services.close_recruit(CLI, admitted, on=D(2025, 1, 1), reason=CloseReason.WITHDREW)


def test_it_refuses_a_second_pipeline_for_the_same_person(world):
    recruit = new_recruit(world.orgs["ba"])
    with pytest.raises(ValidationError) as info:
        new_recruit(world.orgs["ba"], D(2023, 2, 1), id_number=recruit.id_number)
    assert "不能重复登记" in " ".join(info.value.messages)


def test_it_keeps_no_id_number_in_clear(world):
    recruit = new_recruit(world.orgs["ba"])
    row = Recruit.objects.filter(pk=recruit.pk).values().get()
    assert recruit.id_number not in str(row)
    assert Recruit.objects.with_id_number(recruit.id_number).get() == recruit


def test_it_deletes_only_the_latest_step_and_not_an_approval(admitted, world):
    approval = admitted.steps.get(key="approval")
    with pytest.raises(ValidationError):
        services.delete_step(CLI, approval)
    oath = step(admitted, "oath", D(2024, 7, 1))
    services.delete_step(CLI, oath)
    assert not admitted.steps.filter(key="oath").exists()


def test_it_drops_the_deadlines_of_a_probationary_member_who_moved_out(admitted, world):
    from dangjian.members import services as member_services
    from dangjian.recruitment.todo import todo_items

    assert admitted.next_due_kind == "conversion_meeting"
    assert todo_items(world.users["county_admin"], D(2026, 11, 20))
    member_services.record_leaving(CLI, admitted.member, kind="moved_out", on=D(2025, 1, 10))
    assert todo_items(world.users["county_admin"], D(2026, 11, 20)) == []
    with pytest.raises(ValidationError):
        services.close_recruit(CLI, admitted, on=D(2025, 1, 10), reason=CloseReason.WITHDREW)
    services.close_recruit(CLI, admitted, on=D(2025, 1, 10), reason=CloseReason.LEFT)
    admitted.refresh_from_db()
    assert (admitted.stage, admitted.next_due_on) == (Stage.CLOSED, None)


@pytest.mark.parametrize("decision", [Decision.CONVERT, Decision.CANCEL])
def test_admission_and_conversion_keep_the_spells_copy_of_the_member(admitted, pair, decision):
    """The pipeline writes members through the member services; the statistics' copy of
    the member attributes on the spells stays exact (tests/mirror.py)."""
    assert_exact()
    convert(admitted, pair, D(2025, 6, 10), D(2025, 7, 1), decision=decision)
    assert_exact()
