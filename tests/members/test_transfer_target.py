"""Where a transfer goes: picked from the orgs in the system (a searchable list of every
open 党支部-level org in the city, the sender's own branch left out, other counties
included), or typed as a receiving org outside the system (a 介绍信: issued at once by the
branch, asked for by the member from `/me/`). One of the two, with Chinese messages."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from dangjian.core.audit import AuditAction
from dangjian.core.models import AuditEntry, Notification
from dangjian.members.choices import Status
from dangjian.members.models import Letter, LetterRequest, Transfer


def _datalist(body: str) -> str:
    start = body.index("<datalist")
    return body[start : body.index("</datalist>", start)]


def test_it_offers_every_branch_in_the_city_but_the_senders_own(world, login):
    client = login(world, "secretary_a")
    body = client.get(reverse("transfer-create")).content.decode()
    offered = _datalist(body)
    assert 'value="T-BB"' in offered and "乙中学党支部" in offered
    assert 'value="T-BX"' in offered  # another county: a transfer may go anywhere
    assert 'value="T-BA"' not in offered  # the sender's own branch
    assert 'value="T-COUNTY"' not in offered  # members belong to branches
    assert 'list="id_to_org-orgs"' in body and "系统外接收单位" in body


def test_it_starts_a_transfer_to_an_org_outside_the_senders_scope(world, login):
    client = login(world, "secretary_a")
    a1 = world.members["a1"]
    response = client.post(
        reverse("transfer-create"), {"member": a1.pk, "to_org": "T-BX", "reason": "调动"}
    )
    transfer = Transfer.objects.get(member=a1)
    assert response.status_code == 302
    assert response["Location"] == reverse("transfer-detail", args=[transfer.pk])
    assert transfer.to_org == world.orgs["bx"]
    # The exact name works as well as the code.
    a2 = world.members["a2"]
    client.post(reverse("transfer-create"), {"member": a2.pk, "to_org": "乙中学党支部"})
    assert Transfer.objects.get(member=a2).to_org == world.orgs["bb"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "to_org", "请选择转入党组织; 转往系统外的, 请填写系统外接收单位"),
        ({"to_org": "T-BB", "out_org_name": "外市某党支部"}, "out_org_name", "二者只填其一"),
        ({"to_org": "T-NONE"}, "to_org", "系统中没有该党组织"),
        ({"to_org": "T-BA"}, "to_org", "不能是该党员现在所在的党支部"),
        ({"out_org_name": "外市某党支部"}, "letter_number", "转往系统外须填写介绍信编号"),
    ],
)
def test_it_asks_for_one_clear_target(world, login, data, field, message):
    client = login(world, "county_admin")
    a1 = world.members["a1"]
    response = client.post(reverse("transfer-create"), {"member": a1.pk, **data})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert not Transfer.objects.filter(member=a1).exists()
    assert not Letter.objects.filter(member=a1).exists()


def test_it_issues_a_letter_for_a_receiving_org_outside_the_system(world, login):
    client = login(world, "secretary_a")
    a1 = world.members["a1"]
    response = client.post(
        reverse("transfer-create"),
        {"member": a1.pk, "out_org_name": "外市第一中学党支部", "letter_number": "JX-2026-9"},
    )
    letter = Letter.objects.get(member=a1)
    assert response["Location"] == reverse("letter-detail", args=[letter.pk])
    assert letter.other_org_name == "外市第一中学党支部" and letter.number == "JX-2026-9"
    a1.refresh_from_db()
    assert a1.status != Status.ACTIVE
    assert not Transfer.objects.filter(member=a1).exists()


def test_it_offers_the_member_the_list_less_their_branch(world, login):
    client = login(world, "member")
    offered = _datalist(client.get(reverse("me-transfer")).content.decode())
    assert 'value="T-BB"' in offered and 'value="T-BX"' in offered
    assert 'value="T-BA"' not in offered
    response = client.post(reverse("me-transfer"), {"to_org": "T-BA"})
    assert "不能是现在所在的党支部" in " ".join(response.context["form"].errors["to_org"])


def test_it_asks_the_branch_for_a_letter_when_the_member_leaves_the_system(world, login):
    client = login(world, "member")
    a1 = world.members["a1"]
    response = client.post(
        reverse("me-transfer"), {"out_org_name": "外市第二小学党支部", "reason": "随配偶调动"}
    )
    assert response.status_code == 302
    note = Notification.objects.get(user=world.users["secretary_a"])
    assert "外市第二小学党支部" in note.text and "介绍信" in note.text
    link = urlparse(note.url)
    assert link.path == reverse("letter-issue")
    assert parse_qs(link.query)["member"] == [str(a1.pk)]
    a1.refresh_from_db()
    assert a1.status == Status.ACTIVE  # nothing changes until the letter is issued
    asked = LetterRequest.objects.get(member=a1)
    assert asked.other_org_name == "外市第二小学党支部" and asked.reason == "随配偶调动"
    assert parse_qs(link.query)["request"] == [str(asked.pk)]
    assert AuditEntry.objects.filter(object_id=str(asked.pk), action=AuditAction.CREATE).exists()
    # The secretary opens the link: the letter form comes filled in.
    form = login(world, "secretary_a").get(note.url).context["form"]
    assert form["other_org_name"].value() == "外市第二小学党支部"
    assert str(form["member"].value()) == str(a1.pk)
    assert form["note"].value() == "随配偶调动"
