"""Lockout after 5 failed sign-ins for at least 10 minutes (django-axes), audited."""

from django.urls import reverse
from personas import PASSWORD

from dangjian.accounts import services
from dangjian.core.models import AuditAction, AuditEntry

LOGIN = reverse("login")


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username, times):
    for _i in range(times):
        response = attempt(client, username, "wrong-Pass#1")
        assert not signed_in(client)
    return response


def test_it_locks_an_account_after_five_failures_for_ten_minutes(world, client, clock):
    fail(client, "secretary_a", 4)
    response = attempt(client, "secretary_a", PASSWORD)
    assert response.status_code == 302 and signed_in(client), "4 failures do not lock"
    client.logout()

    fail(client, "secretary_a", 5)
    response = attempt(client, "secretary_a", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert "已被锁定" in response.content.decode()

    clock.advance(minutes=9)
    response = attempt(client, "secretary_a", PASSWORD)
    assert response.status_code == 429 and not signed_in(client), "still locked at 9 minutes"

    clock.advance(minutes=2)
    response = attempt(client, "secretary_a", PASSWORD)
    assert response.status_code == 302 and signed_in(client), "open again at 11 minutes"


def test_it_audits_the_failures_and_the_lockout(world, client, clock):
    user = world.users["secretary_a"]
    fail(client, "secretary_a", 5)
    attempt(client, "secretary_a", PASSWORD)
    failures = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, actor=user)
    lock = failures.filter(changes__has_key="locked_out")
    assert lock.count() == 1
    assert lock.get().changes["locked_out"] == [None, 10]
    # Every refused attempt is in the log, the ones during the lockout too.
    assert failures.exclude(changes__has_key="locked_out").count() == 6
    assert lock.get().org_path == world.orgs["ba"].path  # the branch's auditors see it


def test_it_locks_an_unknown_name_the_same_way(world, client, clock):
    fail(client, "nobody", 5)
    response = attempt(client, "nobody", "whatever")
    assert response.status_code == 429  # nothing tells whether the account exists


def test_it_lets_a_security_officer_unlock(world, client, clock):
    fail(client, "secretary_a", 5)
    user = world.users["secretary_a"]
    assert "secretary_a" in services.lockouts(["secretary_a"])
    services.unlock(world.users["county_admin"], user)
    assert services.lockouts(["secretary_a"]) == {}
    assert attempt(client, "secretary_a", PASSWORD).status_code == 302
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(user.pk)).latest(
        "id"
    )
    assert entry.changes["locked_out"] == [True, False]
    assert entry.actor_name == "county_admin"


def test_it_shows_locked_accounts_and_unlocks_from_the_security_page(world, clock, verified_login):
    client = verified_login(world, "county_admin")
    from django.test import Client

    fail(Client(), "secretary_b", 5)
    page = client.get(reverse("security-list"), {"locked": "on"})
    assert page.status_code == 200
    assert [u.username for u in page.context["rows"]] == ["secretary_b"]
    target = world.users["secretary_b"]
    response = client.post(reverse("security-unlock", args=[target.pk]))
    assert response.status_code == 302
    assert services.lockouts(["secretary_b"]) == {}
