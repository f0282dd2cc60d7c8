"""Fixtures over the shared personas (tests/personas.py). Helpers live in that plain module so
a test imports them once: importing conftest a second time would restart the ID sequence."""

import pytest
from personas import PERSONAS, World, build_world  # noqa: F401


@pytest.fixture(autouse=True)
def _test_defaults(settings):
    """Admins must enrol TOTP in production; tests of that rule turn it back on. Passwords
    are hashed with a fast hasher: PBKDF2's deliberate ~0.5 s per user made the world fixture
    cost seconds; the production hasher is Django's default and untouched."""
    settings.DANGJIAN_REQUIRE_2FA_FOR_ADMINS = False
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # Still verifies passwords the demo and other module fixtures hashed with the default.
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login(client):
    """login(world, 'secretary_a') -> the test client logged in as that persona."""

    def _login(world: World, persona: str):
        client.logout()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        return client

    return _login
