"""Password rules: at least 8 characters of 3 of the 4 classes; expiry after 90 days and
after someone else set the password, with a forced change."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from personas import PASSWORD

from dangjian.accounts import services
from dangjian.core.context import CLI

HOME = reverse("home")
CHANGE = reverse("password_change")
NEW = "Neu#Passwort2027"


@pytest.mark.parametrize("password", ["abcdefgh1", "ABCDEFGH1", "abcdEFGHij", "Ab1!", "12345678"])
def test_it_refuses_weak_passwords(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["qwopEZRT7", "kwrx#vbn3", "KWRX#VBN3", PASSWORD])
def test_it_accepts_three_classes_of_eight_characters(password):
    validate_password(password)


def sign_in(username="secretary_a", password=PASSWORD) -> Client:
    client = Client()
    assert (
        client.post(reverse("login"), {"username": username, "password": password}).status_code
        == 302
    )
    return client


def change(client, old=PASSWORD, new=NEW):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_it_forces_a_change_after_90_days(world, clock, settings):
    assert settings.DANGJIAN_PASSWORD_MAX_AGE_DAYS == 90
    clock.advance(days=89)
    assert sign_in().get(HOME).status_code == 200
    clock.advance(days=2)
    client = sign_in()
    response = client.get(reverse("member-list"))
    assert response.status_code == 302 and response.url.startswith(CHANGE)
    assert client.get("/api/members/").status_code == 403
    page = client.get(CHANGE)
    assert "已超过有效期" in page.content.decode()
    assert change(client).status_code == 302
    assert client.get(reverse("member-list")).status_code == 200


def test_it_forces_a_change_after_an_administrator_reset(world):
    target = world.users["secretary_a"]
    services.set_password(world.users["county_admin"], target, NEW)
    client = sign_in(password=NEW)
    assert client.get(HOME).url.startswith(CHANGE)
    assert change(client, old=NEW, new="Eigen#Wahl2027").status_code == 302
    assert client.get(HOME).status_code == 200


def test_it_does_not_force_a_change_on_the_operators_own_setup(world):
    services.set_password(CLI, world.users["secretary_a"], NEW)
    assert sign_in(password=NEW).get(HOME).status_code == 200
