"""Fixtures over the shared personas (tests/personas.py). Helpers live in that plain module so
a test imports them once: importing conftest a second time would restart the ID sequence."""

import os
import shutil

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from personas import PERSONAS, World, build_world  # noqa: F401


def pytest_configure(config):
    """Under pytest-xdist every worker has a test database of its own (pytest-django adds
    `_gwN` to its name) and here its own stats file cache and uploads folder: the workers
    share one DANGJIAN_HOME, and two databases' figures must never meet under one version
    key. The secret and ID keys stay shared: the controller process generates them before
    any worker starts, so no two workers race to write them."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        home = django_settings.HOME / "test-workers" / worker
        django_settings.CACHES["stats"]["LOCATION"] = str(home / "cache" / "stats")
        django_settings.MEDIA_ROOT = home / "uploads"


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile` (pyproject addopts) sends each test file whole to one worker, so a
    module-scoped fixture is built once. Here, besides, every browser test file goes to one
    worker, which starts the session's demo server (`demo_server`) once for all of them,
    and tests/demo goes whole to one worker, which loads its demo city once
    (tests/demo/conftest.py)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FileScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::", 1)[0]
            if "browser" in path:
                return "browser"
            return "tests/demo" if path.startswith("tests/demo/") else path

    return FileScheduling(config, log)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A committing test (transaction=True) ends with the database emptied; put back what
    migrations loaded (recruitment rule sets, ...) for the tests that run after it on this
    worker (pytest-django runs the tests without a database fixture last). Such a test must
    also ask for serialized_rollback: without it Django's flush re-creates the content types
    under new ids, and the saved rows would collide with them."""
    yield
    marker = item.get_closest_marker("django_db")
    # The session's last test: its teardown has already destroyed the test database.
    if nextitem is None or marker is None or not marker.kwargs.get("transaction"):
        return
    if not marker.kwargs.get("serialized_rollback"):
        raise pytest.UsageError(
            f"{item.nodeid}: a committing test needs django_db(transaction=True, "
            "serialized_rollback=True), so the rows migrations loaded come back after it"
        )
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        from django.apps import apps
        from django.core.management.color import no_style

        with item.config.stash[blocking_manager_key].unblock():
            connection.creation.deserialize_db_from_string(contents)
            # The rows come back with their ids; PostgreSQL's sequences must move past
            # them, or the next test's first insert into such a table collides.
            with connection.cursor() as cursor:
                # Managed models only: django_rq's Dashboard has no table.
                models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)


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


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The demo city on embedded SQLite in a fresh home, served as a user runs it: here, not
    in tests/browser/conftest.py, so the browser tests of every folder share one server."""
    from servers import Server, run

    home = tmp_path_factory.mktemp("demo-home")
    prebuilt = os.environ.get("DANGJIAN_TEST_DEMO_HOME")
    if prebuilt:
        # A demo home built beforehand (`dangjian demo --no-serve`), copied so the tests'
        # writes (2FA enrolment, ...) never reach it: for re-running browser tests quickly.
        shutil.copytree(prebuilt, home, dirs_exist_ok=True)
        run(home, "migrate")  # built by an older checkout: its schema catches up
    else:
        run(home, "demo", "--no-serve")
    with Server(home, "serve", "--workers", "1") as server:
        server.home = home
        yield server
