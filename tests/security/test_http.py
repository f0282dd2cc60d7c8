"""HTTP protections: CSP without inline script, the other security headers, no caching of
personal pages, CSRF everywhere, and a production configuration that passes
`check --deploy`."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

import dangjian

SOURCE = Path(dangjian.__file__).parent


def csp(response) -> dict[str, list[str]]:
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def test_it_sends_a_content_security_policy_without_inline_code(world, verified_login):
    response = verified_login(world, "secretary_a").get(reverse("member-list"))
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/accounts/login/", "/members/", "/api/members/"])
def test_it_sends_the_security_headers(world, verified_login, path):
    response = verified_login(world, "secretary_a").get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "name", ["home", "member-list", "org-tree", "api-member-list", "password_change"]
)
def test_it_forbids_caching_of_signed_in_pages(world, verified_login, name):
    response = verified_login(world, "county_admin").get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_it_refuses_a_post_without_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    from security.conftest import sign_in

    sign_in(client, world.users["county_admin"])
    member = world.members["a1"]
    assert client.post(reverse("member-reveal-id", args=[member.pk])).status_code == 403
    assert client.post(reverse("api-member-reveal-id", args=[member.pk])).status_code == 403
    assert client.post(reverse("logout")).status_code == 403
    assert client.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403


def test_it_exempts_no_view_from_csrf():
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if "csrf_exempt" in path.read_text(encoding="utf-8")
    ]
    assert not offenders


def templates():
    return sorted(SOURCE.rglob("templates/**/*.html"))


def test_it_has_no_inline_script_or_handler_in_any_template():
    problems = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text, re.IGNORECASE):
            if "src=" not in tag:
                problems.append(f"{path.relative_to(SOURCE)}: {tag}")
        for match in re.findall(r"<[^>]*\s(on[a-z]+|style)\s*=", text, re.IGNORECASE):
            problems.append(f"{path.relative_to(SOURCE)}: {match}=")
        if re.search(r"<style\b|javascript:|hx-on", text, re.IGNORECASE):
            problems.append(f"{path.relative_to(SOURCE)}: inline style/javascript:/hx-on")
    assert len(templates()) > 20
    assert not problems, "\n".join(problems)


def test_it_serves_scripts_and_styles_from_its_own_static_files(world, verified_login):
    html = verified_login(world, "secretary_a").get(reverse("home")).content.decode()
    sources = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith(settings.STATIC_URL) for src in sources)


def deploy_check(tmp_path, **extra):
    env = {
        **os.environ,
        "DANGJIAN_HOME": str(tmp_path),
        "DANGJIAN_HTTPS": "true",
        "DANGJIAN_DEBUG": "false",
        "DANGJIAN_SECRET_KEY": "k7#Qm2$vX9!pL4&wZ8*rT1^yN6@bC3%hF5(dJ0)gS-uE+aR=tY_iO~pA[sD]fG{h",
        "DANGJIAN_ALLOWED_HOSTS": "dangjian.example.org",
        **extra,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "dangjian.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deployment_check_in_production_settings(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_the_deployment_check_without_https(tmp_path):
    result = deploy_check(tmp_path, DANGJIAN_HTTPS="false")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr or "W008" in result.stderr


def test_it_stops_on_a_weaker_security_setting(tmp_path):
    for name, value in (
        ("DANGJIAN_AUDIT_RETENTION_DAYS", "179"),
        ("DANGJIAN_SESSION_IDLE_MINUTES", "45"),
        ("DANGJIAN_LOCKOUT_MINUTES", "5"),
        ("DANGJIAN_LOCKOUT_FAILURES", "10"),
        ("DANGJIAN_ID_KEY", "too-short"),
    ):
        env = {**os.environ, "DANGJIAN_HOME": str(tmp_path), name: value}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        result = subprocess.run(
            [sys.executable, "-m", "dangjian.cli", "check"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2, name
        assert "配置错误" in result.stderr and name in result.stderr, result.stderr
