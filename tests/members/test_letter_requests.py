"""A member's own request for a 介绍信 to an org outside the system is kept, not only
notified: it is a 待办 item for the branch (and nobody else) until the letter is issued, the
branch declines it with a reason the member is told, or the member withdraws it."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.core.audit import AuditAction
from dangjian.core.models import AuditEntry, Notification
from dangjian.core.registers import todo_items
from dangjian.members import lifecycle
from dangjian.members.models import LetterRequest, LetterRequestStatus

TODAY = dt.date(2026, 6, 1)


def ask(client, to="外市第二小学党支部", reason="随配偶调动"):
    return client.post(reverse("me-transfer"), {"out_org_name": to, "reason": reason})


def letter_todos(user, today=TODAY):
    return [item for item in todo_items(user, today) if item.kind == "letter-request"]


def audits(request):
    return AuditEntry.objects.filter(
        object_id=str(request.pk), object_type="members.letterrequest"
    ).order_by("id")


def test_a_request_is_a_todo_for_its_branch_only(world, login):
    assert ask(login(world, "member")).status_code == 302
    asked = LetterRequest.objects.get(member=world.members["a1"])
    assert asked.status == LetterRequestStatus.OPEN and asked.org == world.orgs["ba"]
    assert [a.action for a in audits(asked)] == [AuditAction.CREATE]
    [item] = letter_todos(world.users["secretary_a"])
    assert item.text == "待开具介绍信: 张三 转往 外市第二小学党支部"
    assert item.org_path == world.orgs["ba"].path
    link = urlparse(item.url)
    assert link.path == reverse("letter-issue")
    assert parse_qs(link.query)["request"] == [str(asked.pk)]
    assert letter_todos(world.users["county_admin"])  # the county manages the branch too
    assert not letter_todos(world.users["secretary_b"])  # another branch
    assert not letter_todos(world.users["member"])  # the member only sees their own
    # The to-do page lists it for the secretary.
    body = login(world, "secretary_a").get(reverse("todo-list")).content.decode()
    assert "待开具介绍信: 张三 转往 外市第二小学党支部" in body


def test_a_second_open_request_is_refused(world, login):
    client = login(world, "member")
    ask(client)
    response = ask(client, to="外省某党支部")
    assert response.status_code == 200
    assert "已有一项待开具的介绍信申请" in " ".join(response.context["form"].errors["out_org_name"])
    assert LetterRequest.objects.filter(member=world.members["a1"]).count() == 1
    # The /me/ card shows the open request, with the way to withdraw it, and no new request.
    body = client.get(reverse("me-home")).content.decode()
    assert "外市第二小学党支部" in body and "待开具" in body
    assert reverse("me-letter-withdraw") in body
    assert f'href="{reverse("me-transfer")}"' not in body


def test_issuing_the_letter_closes_the_request(world, login):
    ask(login(world, "member"))
    asked = LetterRequest.objects.get()
    [item] = letter_todos(world.users["secretary_a"])
    client = login(world, "secretary_a")
    page = client.get(item.url)
    assert page.context["letter_request"] == asked
    assert reverse("letter-request-decline", args=[asked.pk]) in page.content.decode()
    form = page.context["form"]
    response = client.post(
        reverse("letter-issue"),
        {
            "member": form["member"].value(),
            "number": "JX-2026-1",
            "other_org_name": form["other_org_name"].value(),
            "issued_on": "2026-05-30",
            "note": form["note"].value(),
        },
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == LetterRequestStatus.ISSUED and asked.letter.number == "JX-2026-1"
    assert asked.closed_on is not None
    assert [a.action for a in audits(asked)] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert not letter_todos(world.users["secretary_a"])
    # Issued from the plain form (no request in the link) closes it all the same.
    b1 = world.members["b1"]
    other = lifecycle.request_letter(world.users["secretary_b"], b1, other_org_name="外省")
    lifecycle.issue_letter(
        world.users["secretary_b"], b1, number="JX-2", other_org_name="外省", issued_on=TODAY
    )
    other.refresh_from_db()
    assert other.status == LetterRequestStatus.ISSUED and other.letter.number == "JX-2"


def test_the_branch_declines_with_a_reason_the_member_is_told(world, login):
    ask(login(world, "member"))
    asked = LetterRequest.objects.get()
    url = reverse("letter-request-decline", args=[asked.pk])
    client = login(world, "secretary_a")
    page = client.get(url)  # the confirmation page
    assert page.status_code == 200 and "确定不予开具介绍信" in page.content.decode()
    response = client.post(url, {"reason": " "})
    assert "必填" in " ".join(response.context["form"].errors["reason"])
    asked.refresh_from_db()
    assert asked.is_open
    response = client.post(url, {"reason": "请先结清党费"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == LetterRequestStatus.DECLINED
    assert asked.decline_reason == "请先结清党费" and asked.closed_on is not None
    assert [a.action for a in audits(asked)] == [AuditAction.CREATE, AuditAction.UPDATE]
    note = Notification.objects.filter(user=world.users["member"]).latest("id")
    assert "请先结清党费" in note.text and "外市第二小学党支部" in note.text
    assert not letter_todos(world.users["secretary_a"])
    assert client.get(url).status_code == 404  # closed: nothing left to decline
    # The member sees why, and may ask again.
    client = login(world, "member")
    body = client.get(reverse("me-home")).content.decode()
    assert "请先结清党费" in body and "不予开具" in body
    assert ask(client, to="外省某党支部").status_code == 302
    assert LetterRequest.objects.filter(status=LetterRequestStatus.OPEN).count() == 1


def test_the_member_withdraws_their_open_request(world, login):
    client = login(world, "member")
    assert client.get(reverse("me-letter-withdraw")).status_code == 404  # nothing to withdraw
    ask(client)
    asked = LetterRequest.objects.get()
    page = client.get(reverse("me-letter-withdraw"))
    assert page.status_code == 200 and "确定撤回" in page.content.decode()
    asked.refresh_from_db()
    assert asked.is_open  # the page alone changes nothing
    assert client.post(reverse("me-letter-withdraw")).status_code == 302
    asked.refresh_from_db()
    assert asked.status == LetterRequestStatus.WITHDRAWN and asked.closed_on is not None
    assert [a.action for a in audits(asked)] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert not letter_todos(world.users["secretary_a"])
    assert client.get(reverse("me-letter-withdraw")).status_code == 404
    with pytest.raises(ValidationError):
        lifecycle.withdraw_letter_request(world.users["member"], asked)
    with pytest.raises(ValidationError, match="请填写不予开具的原因"):
        lifecycle.decline_letter_request(world.users["secretary_a"], asked, reason=" ")


def test_another_branch_cannot_see_or_decline_it(world, login):
    ask(login(world, "member"))
    asked = LetterRequest.objects.get()
    url = reverse("letter-request-decline", args=[asked.pk])
    client = login(world, "secretary_b")
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "不批"}).status_code == 404
    page = client.get(f"{reverse('letter-issue')}?request={asked.pk}")
    assert page.context["letter_request"] is None
    # The member themself may see it but not decline it.
    client = login(world, "member")
    assert client.get(url).status_code == 404
    asked.refresh_from_db()
    assert asked.is_open
    assert not LetterRequest.objects.restrict(world.users["secretary_b"]).exists()
    assert LetterRequest.objects.restrict(world.users["member"]).get() == asked


def test_the_requests_register_lists_them_open_and_closed(world, login):
    """介绍信申请: the branch's history of its members' requests, with how each was closed;
    an open one offers the letter's form filled in and the way to decline it."""
    ask(login(world, "member"))
    asked = LetterRequest.objects.get()
    client = login(world, "secretary_a")
    page = client.get(reverse("letter-request-list"))
    body = page.content.decode()
    assert page.status_code == 200 and "外市第二小学党支部" in body and "待开具" in body
    detail = client.get(reverse("letter-request-detail", args=[asked.pk])).content.decode()
    assert lifecycle.letter_issue_url(asked).replace("&", "&amp;") in detail
    assert reverse("letter-request-decline", args=[asked.pk]) in detail
    client.post(reverse("letter-request-decline", args=[asked.pk]), {"reason": "请先结清党费"})
    closed = client.get(reverse("letter-request-list"), {"status": "declined"})
    assert "不予开具" in closed.content.decode() and list(closed.context["page"]) == [asked]
    assert not list(client.get(reverse("letter-request-list"), {"status": "open"}).context["page"])
    detail = client.get(reverse("letter-request-detail", args=[asked.pk])).content.decode()
    assert "请先结清党费" in detail
    assert reverse("letter-request-decline", args=[asked.pk]) not in detail  # closed
    export = client.get(reverse("letter-request-list"), {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    # Another branch sees nothing; the member has no list page (their request is on /me/),
    # and the API gives them their own.
    other = login(world, "secretary_b")
    assert not list(other.get(reverse("letter-request-list")).context["page"])
    assert other.get(reverse("letter-request-detail", args=[asked.pk])).status_code == 404
    member = login(world, "member")
    assert member.get(reverse("letter-request-list")).status_code == 404
    api = member.get("/api/letter-requests/").json()
    assert [row["other_org_name"] for row in api["results"]] == ["外市第二小学党支部"]
    assert api["results"][0]["status_display"] == "不予开具"
