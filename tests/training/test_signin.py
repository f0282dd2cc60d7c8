"""QR sign-in of a training session through the meetings' mechanism (core.signin): opened
by the organiser on the session's day, a member of the session's subtree scanning it gets
the session's hours (counted like list attendance), once; refused with a Chinese reason
and nothing written before it opens, after it closes or the day is over, for a member
outside the subtree, and for an expired, forged or meeting's code."""

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry
from dangjian.training import rules, services
from dangjian.training.models import Attendance, Source

NOW = 1_900_000_000.0


@pytest.fixture
def clock(monkeypatch):
    """signing's clock, fixed and moved by hand."""
    state = {"now": NOW}
    monkeypatch.setattr(signing.time, "time", lambda: state["now"])
    return state


def new_session(org, on=None, hours="4"):
    course = services.save_course(
        CLI, org=org, title="理论学习", kind="study", level="county", hours=Decimal(hours)
    )
    return services.save_training(
        CLI, course=course, org=org, on=on or timezone.localdate(), hours=Decimal(hours)
    )


@pytest.fixture
def today_session(world):
    return new_session(world.orgs["ba"])


@pytest.fixture
def opened(world, today_session):
    return services.open_signin(world.users["secretary_a"], today_session)


def rows(training):
    return list(Attendance.objects.filter(training=training).values_list("member__name", "source"))


def refused(user, token) -> str:
    with pytest.raises(services.SignInRefused) as caught:
        services.sign_in(user, token)
    return caught.value.messages[0]


def test_it_records_the_member_s_hours_once_counted_like_list_attendance(world, opened, clock):
    token = services.make_token(opened)
    entry, created = services.sign_in(world.users["member"], token)
    assert created and (entry.member, entry.hours, entry.source) == (
        world.members["a1"],
        Decimal(4),
        Source.QR,
    )
    assert entry.signed_at is not None
    # The same code re-sent, and a fresh one: nothing more written, the first row answered.
    assert services.sign_in(world.users["member"], token) == (entry, False)
    assert services.sign_in(world.users["member"], services.make_token(opened)) == (entry, False)
    assert rows(opened) == [("张三", "qr")]
    assert AuditEntry.objects.filter(object_type="training.attendance").count() == 1
    # Hours from QR add to list attendance in the year's total.
    other = new_session(world.orgs["ba"], hours="6")
    services.record_attendance(CLI, other, [world.members["a1"]])
    assert rules.year_hours(world.members["a1"], timezone.localdate().year) == Decimal(10)


def test_it_refuses_before_the_organiser_opens_it(world, today_session, clock):
    message = refused(world.users["member"], services.make_token(today_session))
    assert "尚未开启扫码签到" in message and rows(today_session) == []


def test_it_refuses_once_closed_and_cannot_be_reopened(world, opened, clock):
    token = services.make_token(opened)
    services.close_signin(world.users["secretary_a"], opened)
    assert "已结束签到" in refused(world.users["member"], token)
    with pytest.raises(services.ValidationError, match="不能再次开启"):
        services.open_signin(world.users["secretary_a"], opened)
    assert rows(opened) == []


def test_it_closes_when_the_session_s_day_is_over(world, opened, clock, monkeypatch):
    token = services.make_token(opened)
    monkeypatch.setattr(services, "_today", lambda: opened.on + dt.timedelta(days=1))
    assert "已结束签到" in refused(world.users["member"], token)
    assert rows(opened) == []


def test_it_opens_only_on_the_session_s_day(world):
    past = new_session(world.orgs["ba"], on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(services.ValidationError, match="只能在培训当天"):
        services.open_signin(world.users["secretary_a"], past)
    with pytest.raises(Exception) as caught:
        services.open_signin(world.users["secretary_b"], new_session(world.orgs["ba"]))
    assert caught.type.__name__ == "NotInScope"


@pytest.mark.parametrize("age, ok", [(60, True), (61, False)])
def test_it_refuses_a_code_past_its_validity(world, opened, clock, settings, age, ok):
    settings.DANGJIAN_SIGNIN_TOKEN_SECONDS = 60
    token = services.make_token(opened)
    clock["now"] = NOW + age
    if ok:
        services.sign_in(world.users["member"], token)
        assert rows(opened) == [("张三", "qr")]
    else:
        assert "已过期" in refused(world.users["member"], token)
        assert rows(opened) == []


def test_it_refuses_a_forged_code_and_a_meeting_s_code(world, opened, clock):
    from dangjian.life import services as life

    token = services.make_token(opened)
    assert "无效" in refused(world.users["member"], token[:-2] + "xx")
    forged = signing.dumps({"s": opened.pk, "n": "0" * 16}, salt="another.salt")
    assert "无效" in refused(world.users["member"], forged)
    # A meeting's code (same mechanism, its own salt) is not read as this session's.
    assert "无效" in refused(world.users["member"], life.TOKENS.make(opened.pk))
    assert rows(opened) == []


def test_it_refuses_a_member_outside_the_session_s_subtree(world, opened, clock):
    from personas import add_user

    outsider = add_user("b1-user", world.orgs["bb"], "member_self", member=world.members["b1"])
    message = refused(outsider, services.make_token(opened))
    assert "不是甲小学党支部及下级党组织的党员" in message
    assert "没有关联党员档案" in refused(world.users["secretary_a"], services.make_token(opened))
    assert rows(opened) == []


def test_a_county_session_expects_the_members_below_it(world, clock):
    county = new_session(world.orgs["county"])
    services.open_signin(CLI, county)
    services.sign_in(world.users["member"], services.make_token(county))
    assert rows(county) == [("张三", "qr")]


def test_it_signs_in_through_the_organiser_s_screen_and_the_phone(world, today_session, login):
    from django.test import Client

    secretary = Client()  # its own client: `login` reuses one
    secretary.force_login(world.users["secretary_a"])
    screen = reverse("training-signin", args=[today_session.pk])
    page = secretary.get(screen)
    assert page.status_code == 200 and "开启扫码签到" in page.content.decode()
    assert "<svg" not in page.content.decode()
    assert secretary.post(reverse("training-signin-open", args=[today_session.pk])).url == screen
    page = secretary.get(screen)
    body = page.content.decode()
    assert "<svg" in body and "style=" not in body.split("<svg", 1)[1].split("</svg>")[0]
    assert "hx-trigger=" in body and "cdn" not in body.split("<svg", 1)[1].lower()
    url = urlparse(page.context["signin_url"])
    token = parse_qs(url.query)["t"][0]
    member = login(world, "member")
    shown = member.get(url.path + "?" + url.query)
    assert shown.status_code == 200 and "确认签到" in shown.content.decode()
    assert rows(today_session) == []  # a GET (a link preview) signs no one in
    done = member.post(reverse("training-me-signin"), {"t": token})
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    again = member.post(reverse("training-me-signin"), {"t": token})
    assert again.status_code == 200 and "无需重复签到" in again.content.decode()
    assert rows(today_session) == [("张三", "qr")]
    partial = secretary.get(reverse("training-signin-qr", args=[today_session.pk]))
    assert "已扫码签到 1 人" in partial.content.decode()
    closing = secretary.post(reverse("training-signin-close", args=[today_session.pk]))
    assert closing.status_code == 302
    late = member.post(reverse("training-me-signin"), {"t": token})
    assert late.status_code == 400 and "已结束签到" in late.content.decode()
    # The member cannot open or close it, nor see the screen.
    assert member.get(screen).status_code == 404
    assert member.post(reverse("training-signin-open", args=[today_session.pk])).status_code == 404
