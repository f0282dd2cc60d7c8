"""Schemathesis drives every operation of `/api/schema/` (drf-spectacular) through the WSGI
application as the city administrator and as a branch secretary, with their API tokens:
no answer is a 500 and every answer matches the schema (status code, content type, body).
Examples are few and derandomized, so a run is repeatable and stays short."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.failures import FailureGroup

from dangjian.accounts import services as accounts
from dangjian.core.context import CLI

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture(params=["city_admin", "secretary_a"])
def token(request, world):
    return accounts.create_token(CLI, world.users[request.param])


@pytest.fixture
def api_schema(token):
    # Requests run in this thread inside the test's transaction; Django's test client
    # likewise keeps the connection open across a request's end.
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            "/api/schema/", WSGIHandler(), headers={"Authorization": f"Token {token}"}
        )
    finally:
        request_finished.connect(close_old_connections)


def test_every_answer_matches_the_schema(api_schema, token):
    """Each operation in turn (schemathesis's pytest plugin reaches into pytest internals
    that pytest 9.2 removed, so the operations are driven here); every failure is kept
    and reported together."""
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

        try:
            call()
        except (Exception, FailureGroup) as exc:  # every operation's failure is reported
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
