"""示例市 loaded once for the whole tests/demo package (the load is the slowest thing the suite
does): `dangjian demo --no-serve` inside a transaction rolled back when the package is done,
so no test outside it sees the city."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from dangjian.orgs.models import Organization


@pytest.fixture(scope="package")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("demo", "--no-serve", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def city(demo_output, db):
    return Organization.objects.get(code="DEMO")
