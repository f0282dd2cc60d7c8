"""Fixtures over the shared personas (tests/personas.py). Helpers live in that plain module so
a test imports them once: importing conftest a second time would restart the ID sequence."""

import pytest
from personas import PERSONAS, World, build_world  # noqa: F401


@pytest.fixture(autouse=True)
def _no_forced_2fa(settings):
    """Admins must enrol TOTP in production; tests of that rule turn it back on."""
    settings.DANGJIAN_REQUIRE_2FA_FOR_ADMINS = False


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
