"""Correcting an approved 换届: by the approving level (the superior org) only, with a
reason, audited; the seats the approval wrote are kept as history, marked replaced."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from personas import add_user

from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry
from dangjian.core.scope import NotInScope
from dangjian.orgs import elections
from dangjian.orgs.models import ElectionCorrection, Position
from tests.orgs.test_elections import HELD, ballot, branch, new_election, rows_of  # noqa: F401

APPROVED = dt.date(2025, 3, 20)


@pytest.fixture
def approved(branch):  # noqa: F811
    election = new_election(branch, seats=5)
    ballot(election, rows_of(branch.voters[:6], [9, 9, 9, 9, 9, 1]))
    elections.approve_election(CLI, election, approved_on=APPROVED, approval_ref="教党〔2025〕8号")
    return election


def seated(org):
    return sorted(
        Position.objects.filter(org=org).current(HELD).values_list("holder_name", "title")
    )


def test_the_approving_level_corrects_the_titles_and_the_old_seats_stay(branch, approved, world):  # noqa: F811
    by_name = {c.name: c.pk for c in approved.candidates.filter(elected=True)}
    county = world.users["county_admin"]  # holds the superior 总支's subtree
    correction = elections.correct_election(
        county,
        approved,
        reason="组织委员与宣传委员分工录反",
        titles={by_name["党员2"]: "propaganda", by_name["党员3"]: "organisation"},
        approval_ref="教党〔2025〕9号",
    )
    assert seated(branch) == [
        ("党员0", "secretary"),
        ("党员1", "deputy_secretary"),
        ("党员2", "propaganda"),
        ("党员3", "organisation"),
        ("党员4", "discipline"),
    ]
    # The five seats the approval wrote are kept, marked replaced, never in force again.
    replaced = Position.objects.filter(corrected_by=correction)
    assert replaced.count() == 5
    assert ("党员2", "organisation") in set(replaced.values_list("holder_name", "title"))
    approved.refresh_from_db()
    assert approved.approval_ref == "教党〔2025〕9号"
    entry = AuditEntry.objects.filter(object_id=str(approved.pk)).latest("pk")
    assert entry.changes["correction_reason"] == [None, "组织委员与宣传委员分工录反"]
    assert entry.changes["title:党员2"] == ["organisation", "propaganda"]


def test_it_refuses_the_branch_itself_a_missing_reason_and_an_unapproved_election(
    branch,  # noqa: F811
    approved,
    world,
):
    own = add_user("el-secretary", branch, "organiser")
    with pytest.raises(NotInScope):
        elections.correct_election(own, approved, reason="改文号", approval_ref="x")
    county = world.users["county_admin"]
    with pytest.raises(ValidationError, match="请填写更正理由"):
        elections.correct_election(county, approved, reason=" ", approval_ref="x")
    with pytest.raises(ValidationError, match="没有需要更正的内容"):
        elections.correct_election(county, approved, reason="核对")
    by_name = {c.name: c.pk for c in approved.candidates.filter(elected=True)}
    with pytest.raises(ValidationError, match="书记只能有一人"):
        elections.correct_election(
            county, approved, reason="分工", titles={by_name["党员1"]: "secretary"}
        )
    pending = new_election(branch, seats=1, committee=False)
    with pytest.raises(ValidationError, match="尚未批复"):
        elections.correct_election(CLI, pending, reason="x", approval_ref="y")
    assert not ElectionCorrection.objects.exists()


def test_the_correction_page_is_for_the_approving_level(branch, approved, world, login):  # noqa: F811
    url = reverse("election-correct", args=[approved.pk])
    own = add_user("el-secretary2", branch, "organiser")
    client = login(world, "anonymous")
    client.force_login(own)
    assert client.get(url).status_code == 404
    county = login(world, "county_admin")
    detail = county.get(reverse("election-detail", args=[approved.pk])).content.decode()
    assert url in detail
    by_name = {c.name: c.pk for c in approved.candidates.filter(elected=True)}
    data = {
        "reason": "分工录反",
        "approved_on": APPROVED.isoformat(),
        "approval_ref": "教党〔2025〕8号",
    }
    for candidate in approved.candidates.filter(elected=True):
        data[f"title_{candidate.pk}"] = candidate.title
    data[f"title_{by_name['党员4']}"] = "member"
    response = county.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ("党员4", "member") in seated(branch)
    detail = county.get(reverse("election-detail", args=[approved.pk])).content.decode()
    assert "分工录反" in detail and "纪检委员 党员4" in detail
