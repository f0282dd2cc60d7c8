"""TOTP second factor: required for administrator roles, optional for others, recovery
codes, replay refused, audited."""

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from personas import PASSWORD
from security.conftest import totp_code

from dangjian.accounts import services
from dangjian.core.models import AuditAction, AuditEntry

HOME = reverse("home")
LOGIN = reverse("login")
SETUP = reverse("otp-setup")
VERIFY = reverse("otp-verify")


def password_step(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def otp_time(monkeypatch):
    """The clock of the TOTP checks (a list holding seconds since the epoch)."""
    now = [1_900_000_000.0]
    monkeypatch.setattr("django_otp.oath.time", lambda: now[0])
    monkeypatch.setattr(
        "django_otp.plugins.otp_totp.models.time", SimpleNamespace(time=lambda: now[0])
    )
    return now


def enrol(client) -> tuple[str, list[str]]:
    """Scan the QR code (read the secret from the session) and confirm with a code."""
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<img" not in html  # drawn inline, no outside service
    key = client.session["dj_otp_setup_key"]
    response = client.post(SETUP, {"token": totp_code(key)})
    assert response.status_code == 200, response.content.decode()[:500]
    return key, response.context["codes"]


def test_it_sends_an_administrator_to_enrol_before_anything_else(world):
    client = password_step("county_admin")
    response = client.get(reverse("member-list"))
    assert response.status_code == 302 and response.url.startswith(SETUP)
    api = client.get("/api/members/")
    assert api.status_code == 403
    assert "两步验证" in api.content.decode()  # Chinese, not \uXXXX escapes
    docs = client.get(reverse("api-docs"))  # a browser page: sent to enrol like the others
    assert docs.status_code == 302 and docs.url.startswith(SETUP)
    key, codes = enrol(client)
    assert len(codes) == 10
    assert client.get(reverse("member-list")).status_code == 200
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert entry.changes["second_factor"] == [False, True]


def test_it_does_not_require_a_second_factor_of_a_branch_secretary(world):
    client = password_step("secretary_a")
    assert client.get(reverse("member-list")).status_code == 200


def test_it_asks_for_the_code_at_each_sign_in_and_refuses_a_replayed_one(world, otp_time):
    now = otp_time
    client = password_step("county_admin")
    key, _codes = enrol(client)
    client.post(reverse("logout"))

    now[0] += 30  # the next time step
    client = password_step("county_admin")
    response = client.get(reverse("member-list"))
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    code = totp_code(key, now[0])
    assert client.post(VERIFY, {"token": code}).status_code == 302
    assert client.get(reverse("member-list")).status_code == 200
    client.post(reverse("logout"))

    # Someone who saw that code tries it within the same 30 seconds.
    now[0] += 5
    thief = password_step("county_admin")
    response = thief.post(VERIFY, {"token": code})
    assert response.status_code == 200
    assert "验证码不正确或已使用过" in response.content.decode()
    assert thief.get(reverse("member-list")).status_code == 302
    failed = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).latest("id")
    assert failed.changes == {"second_factor": [None, "totp"]}


def test_it_accepts_each_recovery_code_once(world):
    client = password_step("county_admin")
    _key, codes = enrol(client)
    client.post(reverse("logout"))
    client = password_step("county_admin")
    response = client.post(VERIFY, {"token": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("member-list")).status_code == 200
    assert services.recovery_codes_left(world.users["county_admin"]) == 9
    client.post(reverse("logout"))
    client = password_step("county_admin")
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 200
    assert client.get(reverse("member-list")).status_code == 302


def test_it_lets_others_opt_in_and_out(world, otp_time):
    client = password_step("secretary_a")
    key, _codes = enrol(client)
    client.post(reverse("logout"))
    otp_time[0] += 30
    client = password_step("secretary_a")
    assert client.get(HOME).url.startswith(VERIFY), "an enrolled factor is always asked for"
    assert client.post(VERIFY, {"token": totp_code(key, otp_time[0])}).status_code == 302
    response = client.post(reverse("otp-disable"))
    assert response.status_code == 302
    assert not services.has_second_factor(world.users["secretary_a"])


def test_it_refuses_to_switch_a_required_factor_off(world, verified_login):
    client = verified_login(world, "county_admin")
    client.post(reverse("otp-disable"))
    assert services.has_second_factor(world.users["county_admin"])


def test_it_lets_a_security_officer_reset_a_lost_authenticator(world, verified_login):
    target = world.users["secretary_a"]
    client = password_step("secretary_a")
    enrol(client)
    officer = verified_login(world, "county_admin")
    response = officer.post(reverse("security-reset-otp", args=[target.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert client.get(HOME).status_code == 302  # signed out everywhere
    entry = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_id=str(target.pk), changes__has_key="second_factor"
    ).latest("id")
    assert entry.changes["second_factor"] == [True, False] and entry.actor_name == "county_admin"


@pytest.mark.parametrize("persona", ["secretary_a", "member"])
def test_it_hides_the_security_pages_from_non_officers(world, verified_login, persona):
    client = verified_login(world, persona)
    assert client.get(reverse("security-list")).status_code == 404
    target = world.users["secretary_b"]
    assert client.post(reverse("security-reset-otp", args=[target.pk])).status_code == 404


def test_it_shows_the_secret_for_typing_in(world):
    client = password_step("secretary_a")
    html = client.get(SETUP).content.decode()
    assert re.search(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", html)


def test_the_api_docs_page_allows_only_its_own_inline_style(world, login):
    """Issue 21.6: Swagger's inline <style> is allowed by its hash on that page alone."""
    import base64
    import hashlib

    client = login(world, "secretary_a")
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    block = html.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
    policy = response["Content-Security-Policy"]
    style_src = next(p for p in policy.split(";") if p.strip().startswith("style-src"))
    assert f"'sha256-{digest}'" in style_src and "unsafe-inline" not in policy
    other = client.get(reverse("home"))["Content-Security-Policy"]
    assert "sha256-" not in other
