"""Fixtures of the security tests: the second factor enforced as in production, a client
whose session passed it, and a frozen clock that django-axes and the session checks share."""

import datetime as dt

import pytest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def second_factor_enforced(settings):
    """Production default (the rest of the suite switches it off for force_login)."""
    settings.DANGJIAN_REQUIRE_2FA_FOR_ADMINS = True
    settings.DANGJIAN_REQUIRE_2FA_FOR_ALL = False


def totp_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=user.username, confirmed=True)


def totp_code(key_hex: str, at: float | None = None) -> str:
    totp = TOTP(bytes.fromhex(key_hex))
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


def sign_in(client, user):
    """force_login plus a passed second factor, as after the real two-step sign-in."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
    return client


@pytest.fixture
def verified_login(client):
    """verified_login(world, persona) -> the test client signed in with both factors."""

    def _login(world, persona: str):
        client.logout()
        if persona != "anonymous":
            sign_in(client, world.users[persona])
        return client

    return _login


class Clock:
    """A frozen `now` for Django and django-axes (which imported `now` into its modules)."""

    def __init__(self, monkeypatch, start: dt.datetime):
        self.now = start
        for target in ("django.utils.timezone.now", "axes.handlers.proxy.now", "axes.attempts.now"):
            monkeypatch.setattr(target, self._now)

    def _now(self):
        return self.now

    def advance(self, **delta) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, timezone.now().replace(microsecond=0))
