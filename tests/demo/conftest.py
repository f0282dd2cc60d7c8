"""示例市 loaded once for the tests of this folder that ask for it: `dangjian demo --no-serve`
inside a transaction rolled back after the folder's last test, so no other test sees the
city. Package scope needs the folder's __init__.py (without one pytest keeps a "package"
fixture until the session ends); under pytest-xdist the folder runs on one worker
(tests/conftest.py), which builds the city once, not once per module."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from dangjian.orgs.models import Organization


@pytest.fixture(scope="package")
def demo_output(django_db_setup, django_db_blocker):
    # The demo accounts' passwords hashed fast, as every test's (tests/conftest.py): logging
    # in with them still checks the printed password.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        out = io.StringIO()
        call_command("demo", "--no-serve", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def city(demo_output, db):
    return Organization.objects.get(code="DEMO")
