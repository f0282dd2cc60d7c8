"""Fixtures over the shared personas (tests/personas.py). Helpers live in that plain module so
a test imports them once: importing conftest a second time would restart the ID sequence."""

import pytest
from django.core.cache import caches
from personas import PERSONAS, World, build_world  # noqa: F401


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A committing test (transaction=True) ends with the database emptied; put back what
    migrations loaded (recruitment rule sets, ...) for the tests that run after it without
    a database fixture of their own (pytest-django runs those last)."""
    yield
    marker = item.get_closest_marker("django_db")
    # The session's last test: its teardown has already destroyed the test database.
    if nextitem is None or marker is None or not marker.kwargs.get("transaction"):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with item.config.stash[blocking_manager_key].unblock():
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _test_defaults(settings):
    """Admins must enrol TOTP in production; tests of that rule turn it back on. Passwords
    are hashed with a fast hasher: PBKDF2's deliberate ~0.5 s per user made the world fixture
    cost seconds; the production hasher is Django's default and untouched. Reused figures
    (stats.cache) are dropped: a committing test's database is emptied and refilled with
    the same version row, like a database file copied back (operations.md: delete the
    cache folder then)."""
    caches["stats"].clear()
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
