from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from personas import add_user
from rest_framework.authtoken.models import Token

from dangjian.core.models import AuditAction, AuditEntry


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_it_prints_a_token_that_authenticates_against_the_api(world, client):
    key = run("create", "secretary_a")
    assert len(key) == 40
    assert Token.objects.get(user=world.users["secretary_a"]).key == key
    response = client.get("/api/members/", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200
    assert {m["name"] for m in response.json()["results"]} == {"张三", "李四", "王五"}
    entry = AuditEntry.objects.get(action=AuditAction.TOKEN_CREATE)
    assert (entry.actor_name, entry.object_id) == ("cli", str(world.users["secretary_a"].pk))


def test_it_replaces_the_previous_token(world, client):
    old = run("create", "secretary_a")
    new = run("create", "secretary_a")
    assert old != new
    assert client.get("/api/members/", headers={"Authorization": f"Token {old}"}).status_code == 401


def test_it_fails_for_an_unknown_user(world):
    with pytest.raises(CommandError) as exc:
        run("create", "nobody")
    assert exc.value.returncode == 1
    assert "不存在" in str(exc.value) and "\n" not in str(exc.value)
    assert not Token.objects.exists()


def test_it_requires_a_subcommand(world):
    with pytest.raises(CommandError):
        run("secretary_a")


def test_it_runs_as_a_user_allowed_to_manage_the_target(world):
    key = run("create", "secretary_a", "--as", "county_admin")
    assert Token.objects.get(key=key).user == world.users["secretary_a"]
    entry = AuditEntry.objects.get(action=AuditAction.TOKEN_CREATE)
    assert entry.actor_name == "county_admin"


def test_it_lets_a_user_create_their_own_token(world):
    key = run("create", "secretary_a", "--as", "secretary_a")
    assert Token.objects.get(key=key).user == world.users["secretary_a"]


@pytest.mark.parametrize(
    ("actor", "target"),
    [
        ("secretary_a", "secretary_b"),  # no user management at all
        ("county_admin", "outsider"),  # target only in the other county
        ("county_admin", "city_admin"),  # target holds rights beyond the county
        ("nobody", "secretary_a"),  # unknown actor
    ],
)
def test_it_refuses_actors_who_may_not_manage_the_target(world, actor, target):
    add_user("outsider", world.orgs["county2"], "organiser", full_name="外县")
    with pytest.raises(CommandError):
        run("create", target, "--as", actor)
    assert not Token.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.TOKEN_CREATE).exists()
