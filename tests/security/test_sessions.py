"""Idle timeout, absolute lifetime, server-side logout, and sessions ended with the account."""

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from personas import PASSWORD

from dangjian.accounts import services
from dangjian.accounts.models import LoginSession
from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry

HOME = reverse("home")
LOGIN = reverse("login")


def sign_in(username: str = "secretary_a") -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_in(client) -> bool:
    return client.get(HOME).status_code == 200


def test_it_ends_a_session_idle_for_more_than_30_minutes(world, clock):
    client = sign_in()
    key = client.session.session_key
    clock.advance(minutes=29)
    assert is_in(client)
    clock.advance(minutes=29)
    assert is_in(client), "activity restarts the idle clock"
    clock.advance(minutes=31)
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.LOGOUT, actor=world.users["secretary_a"]
    ).exists()
    follow = client.get(response.url)
    assert "未操作" in follow.content.decode()


def test_it_ends_a_busy_session_after_its_absolute_lifetime(world, clock, settings):
    assert settings.DANGJIAN_SESSION_MAX_HOURS == 8
    client = sign_in()
    for _step in range(8 * 60 // 20):  # a request every 20 minutes for 8 hours
        clock.advance(minutes=20)
        assert is_in(client)
    clock.advance(minutes=20)
    assert not is_in(client)


def test_it_ends_the_server_session_on_logout(world):
    client = sign_in()
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert LoginSession.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not LoginSession.objects.filter(session_key=key).exists()
    # The old cookie is worth nothing.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not is_in(replay)


def test_it_ends_every_session_of_a_disabled_account(world):
    phone, desk = sign_in(), sign_in()
    assert is_in(phone) and is_in(desk)
    services.set_active(world.users["county_admin"], world.users["secretary_a"], False)
    assert not is_in(phone) and not is_in(desk)
    assert not LoginSession.objects.filter(user=world.users["secretary_a"]).exists()
    entry = AuditEntry.objects.filter(action=AuditAction.LOGOUT).latest("id")
    assert entry.changes == {"sessions_ended": [None, 2]}
    assert entry.actor_name == "county_admin"


def test_it_ends_the_other_sessions_when_a_password_is_reset(world):
    phone = sign_in()
    services.set_password(CLI, world.users["secretary_a"], "Neu#Passwort2027")
    assert not is_in(phone)


def test_it_keeps_the_session_that_changes_its_own_password(world):
    phone, desk = sign_in(), sign_in()
    response = desk.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Neu#Passwort2027",
            "new_password2": "Neu#Passwort2027",
        },
    )
    assert response.status_code == 302
    assert is_in(desk)
    assert not is_in(phone)
    # The changed session (its key rotated) is still known, so it can be ended later.
    assert LoginSession.objects.filter(session_key=desk.session.session_key).exists()


def test_it_lets_a_security_officer_sign_an_account_out_everywhere(world, verified_login):
    phone = sign_in("secretary_b")
    officer = verified_login(world, "county_admin")
    target = world.users["secretary_b"]
    response = officer.post(reverse("security-end-sessions", args=[target.pk]))
    assert response.status_code == 302
    assert not is_in(phone)
