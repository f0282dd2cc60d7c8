"""Scope: the secretary of T-BA neither sees nor records for T-BB's people (404); the
approving committee's steps need the committee's scope."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.core.scope import NotInScope
from dangjian.recruitment import services
from dangjian.recruitment.models import Outcome
from tests.recruitment.helpers import D, advance, api_talk, new_recruit, step


@pytest.fixture
def theirs(world):
    return new_recruit(world.orgs["bb"], name="乙校申请人", actor=world.users["secretary_b"])


@pytest.fixture
def ours(world):
    return new_recruit(world.orgs["ba"], name="甲校申请人", actor=world.users["secretary_a"])


def test_it_hides_another_branchs_people_from_a_secretary(world, login, theirs, ours):
    client = login(world, "secretary_a")
    board = client.get(reverse("recruit-board"))
    assert "甲校申请人" in board.content.decode() and "乙校申请人" not in board.content.decode()
    for name in (
        "recruit-detail",
        "recruit-timeline",
        "recruit-step",
        "recruit-edit",
        "recruit-documents",
        "recruit-close",
        "recruit-attachment-add",
    ):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404, name
    response = client.post(
        reverse("recruit-step", args=[theirs.pk]), {"key": "talk", "on": "2023-01-20"}
    )
    assert response.status_code == 404
    assert client.post(reverse("recruit-delete", args=[theirs.pk])).status_code == 404
    assert not theirs.steps.filter(key="talk").exists()
    assert client.get(reverse("api-recruit-detail", args=[theirs.pk])).status_code == 404
    assert api_talk(client, theirs).status_code == 404


def test_it_refuses_the_service_call_out_of_scope(world, theirs):
    with pytest.raises(NotInScope):
        services.record_step(world.users["secretary_a"], theirs, "talk", on=D(2023, 1, 20))
    with pytest.raises(NotInScope):
        services.update_recruit(world.users["secretary_a"], theirs, phone="13800000000")


def test_it_lets_the_county_see_both_branches(world, login, theirs, ours):
    client = login(world, "county_admin")
    content = client.get(reverse("recruit-board")).content.decode()
    assert "甲校申请人" in content and "乙校申请人" in content
    assert client.get(reverse("recruit-detail", args=[theirs.pk])).status_code == 200


def test_it_leaves_committee_steps_to_the_committee(world, ours):
    secretary, county = world.users["secretary_a"], world.users["county_admin"]
    pair = [world.members["a1"], world.members["a2"]]
    advance(ours, pair, pair, stop_before="pre_review", actor=secretary)
    with pytest.raises(ValidationError) as info:
        step(ours, "pre_review", D(2024, 5, 20), actor=secretary)
    assert "“上级党委预审”须由上级党委(测试县教体局党委)记录" in " ".join(info.value.messages)
    step(ours, "pre_review", D(2024, 5, 20), actor=county)
    step(ours, "application_form", D(2024, 5, 22), actor=secretary)
    step(
        ours,
        "branch_meeting",
        D(2024, 6, 3),
        actor=secretary,
        ballots=[{"member": m, "attended": True, "choice": "yes"} for m in pair],
    )
    step(ours, "committee_talk", D(2024, 6, 10), actor=county)
    with pytest.raises(ValidationError):
        step(ours, "approval", D(2024, 6, 20), actor=secretary, outcome=Outcome.APPROVED)
    step(ours, "approval", D(2024, 6, 20), actor=county, outcome=Outcome.APPROVED)
    ours.refresh_from_db()
    assert ours.member is not None


def test_it_shows_the_member_persona_nothing(world, login, ours):
    client = login(world, "member")
    assert "甲校申请人" not in client.get(reverse("recruit-board")).content.decode()
    assert client.get(reverse("recruit-detail", args=[ours.pk])).status_code == 404
    assert client.get(reverse("recruit-create")).status_code == 404
