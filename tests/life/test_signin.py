"""QR sign-in: a good code marks the member present once; refused with a Chinese reason when
the code expired (at its validity boundary), is replayed, names a meeting the person is not
expected at, or the meeting closed; the secretary's later changes are audited as late."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.life import services
from dangjian.life.models import Attendance, AttendanceStatus
from tests.life.helpers import meeting

NOW = 1_900_000_000.0


@pytest.fixture
def clock(monkeypatch):
    """signing's clock, fixed and moved by hand."""
    state = {"now": NOW}
    monkeypatch.setattr(signing.time, "time", lambda: state["now"])
    return state


@pytest.fixture
def today_meeting(world):
    return meeting(world.orgs["ba"], "general", timezone.localdate())


def status_of(meeting_, member):
    return Attendance.objects.get(meeting=meeting_, member=member).status


def test_it_marks_the_member_present(world, today_meeting, clock):
    token = services.make_token(today_meeting)
    services.sign_in(world.users["member"], token)
    assert status_of(today_meeting, world.members["a1"]) == AttendanceStatus.PRESENT
    today_meeting.refresh_from_db()
    assert (today_meeting.present_count, today_meeting.expected_count) == (1, 3)


@pytest.mark.parametrize("age, ok", [(60, True), (61, False)])
def test_it_refuses_an_expired_code(world, today_meeting, clock, settings, age, ok):
    settings.DANGJIAN_SIGNIN_TOKEN_SECONDS = 60
    token = services.make_token(today_meeting)
    clock["now"] = NOW + age
    if ok:
        services.sign_in(world.users["member"], token)
    else:
        with pytest.raises(services.SignInRefused) as caught:
            services.sign_in(world.users["member"], token)
        assert "已过期" in caught.value.messages[0]
        assert status_of(today_meeting, world.members["a1"]) == AttendanceStatus.PENDING


def test_it_refuses_a_replayed_code(world, today_meeting, clock):
    token = services.make_token(today_meeting)
    member = world.users["member"]
    attendance = services.sign_in(member, token)
    # The secretary corrects it (the member left); the old page re-sent changes nothing.
    services.mark(world.users["secretary_a"], attendance, status="absent", reason="personal")
    with pytest.raises(services.SignInRefused) as caught:
        services.sign_in(member, token)
    assert "已使用过" in caught.value.messages[0]
    assert status_of(today_meeting, world.members["a1"]) == AttendanceStatus.ABSENT
    # A fresh code from the screen works.
    services.sign_in(member, services.make_token(today_meeting))
    assert status_of(today_meeting, world.members["a1"]) == AttendanceStatus.PRESENT


def test_it_refuses_a_person_not_expected(world, today_meeting, clock):
    from personas import add_user

    outsider = add_user("x1-user", world.orgs["bx"], "member_self", member=world.members["x1"])
    with pytest.raises(services.SignInRefused) as caught:
        services.sign_in(outsider, services.make_token(today_meeting))
    assert "不在本次会议的应到人员名单中" in caught.value.messages[0]
    assert not Attendance.objects.filter(member=world.members["x1"]).exists()


def test_it_refuses_an_account_without_a_member_record(world, today_meeting, clock):
    with pytest.raises(services.SignInRefused) as caught:
        services.sign_in(world.users["secretary_a"], services.make_token(today_meeting))
    assert "没有关联党员档案" in caught.value.messages[0]


def test_it_refuses_a_closed_meeting(world, today_meeting, clock):
    token = services.make_token(today_meeting)
    services.close_signin(world.users["secretary_a"], today_meeting)
    with pytest.raises(services.SignInRefused) as caught:
        services.sign_in(world.users["member"], token)
    assert "已结束签到" in caught.value.messages[0]


def test_it_refuses_a_meeting_whose_day_is_over(world, clock):
    yesterday = meeting(world.orgs["ba"], "general", timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(services.SignInRefused):
        services.sign_in(world.users["member"], services.make_token(yesterday))


def test_it_refuses_a_forged_code(world, today_meeting):
    token = services.make_token(today_meeting)
    with pytest.raises(services.SignInRefused) as caught:
        services.sign_in(world.users["member"], token[:-2] + "xx")
    assert "无效" in caught.value.messages[0]


def test_it_audits_a_change_after_the_meeting_closed_as_late(world, today_meeting):
    secretary = world.users["secretary_a"]
    rows = list(today_meeting.attendances.order_by("pk"))
    services.mark(secretary, rows[0], status="present")
    services.close_signin(secretary, today_meeting)
    services.mark(secretary, rows[1], status="absent", reason="sick")
    entries = AuditEntry.objects.filter(object_type="life.attendance").order_by("pk")
    assert [("late" in e.changes) for e in entries] == [False, True]


def test_it_requires_a_reason_for_an_absence(world, today_meeting):
    row = today_meeting.attendances.first()
    with pytest.raises(services.ValidationError) as caught:
        services.mark(world.users["secretary_a"], row, status="absent")
    assert "缺席须注明原因" in str(caught.value)


def test_it_keeps_another_branch_from_marking(world, today_meeting):
    row = today_meeting.attendances.first()
    with pytest.raises(Exception) as caught:
        services.mark(world.users["secretary_b"], row, status="present")
    assert caught.type.__name__ == "NotInScope"


def test_it_signs_in_through_the_phone_pages(world, today_meeting, login):
    from django.test import Client

    secretary = Client()
    secretary.force_login(world.users["secretary_a"])
    page = secretary.get(reverse("meeting-signin", args=[today_meeting.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "style=" not in body.split("<svg", 1)[1].split("</svg>")[0]
    assert 'hx-trigger="every 30s"' in body
    url = page.context["signin_url"]
    path = urlparse(url).path + "?" + urlparse(url).query
    token = parse_qs(urlparse(url).query)["t"][0]
    # Not signed in: to the login page, coming back here afterwards.
    anonymous = login(world, "anonymous")
    response = anonymous.get(path)
    assert response.status_code == 302 and "/accounts/login/?next=" in response["Location"]
    member = login(world, "member")
    shown = member.get(path)
    assert shown.status_code == 200 and "确认签到" in shown.content.decode()
    assert status_of(today_meeting, world.members["a1"]) == AttendanceStatus.PENDING
    done = member.post(reverse("me-meeting-signin"), {"t": token})
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    assert status_of(today_meeting, world.members["a1"]) == AttendanceStatus.PRESENT
    # Already present: the same code again is a replay, said so in Chinese.
    again = member.post(reverse("me-meeting-signin"), {"t": token})
    assert again.status_code == 400 and "已使用过" in again.content.decode()
    # The secretary's screen counts the new arrival.
    partial = secretary.get(reverse("meeting-signin-qr", args=[today_meeting.pk]))
    assert "已签到 1 / 应到 3" in partial.content.decode()


def test_it_shows_the_member_card_context(world, today_meeting):
    from dangjian.life.me import card_context

    context = card_context(None, world.members["a1"])
    assert [a.meeting for a in context["upcoming"]] == [today_meeting]
    assert card_context(None, world.members["x1"]) is None
