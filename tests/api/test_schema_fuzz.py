"""Schemathesis drives every operation of `/api/schema/` (drf-spectacular) through the WSGI
application as the city administrator and as a branch secretary, with their API tokens:
no answer is a 500 and every answer matches the schema (status code, content type, body).
A record id in a path is drawn from the records that exist as often as made up, so detail
answers are checked as well as 404s. Examples are few and derandomized: a run is repeatable
and takes seconds."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.core.failures import FailureGroup

from dangjian.accounts import services as accounts
from dangjian.core.context import CLI
from dangjian.members.models import Member
from dangjian.orgs.models import Organization, School
from dangjian.recruitment.models import Recruit
from tests.recruitment.helpers import new_recruit

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
RECORDS = {
    "/api/orgs/": Organization,
    "/api/schools/": School,
    "/api/members/": Member,
    "/api/recruits/": Recruit,
}


@pytest.fixture(params=["city_admin", "secretary_a"])
def token(request, world):
    new_recruit(world.orgs["ba"])
    return accounts.create_token(CLI, world.users[request.param])


@pytest.fixture
def api_schema(token):
    # Requests run in this thread inside the test's transaction: like Django's test client,
    # keep the connection open across a request's start and end (PostgreSQL would otherwise
    # close it in the middle of the transaction).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            "/api/schema/", WSGIHandler(), headers={"Authorization": f"Token {token}"}
        )
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def existing_ids(path: str) -> list[int]:
    model = next((m for prefix, m in RECORDS.items() if path.startswith(prefix)), None)
    return list(model.objects.values_list("pk", flat=True)) if model else []


def check_operation(operation, token: str) -> None:
    ids = existing_ids(operation.path)

    @given(case=operation.as_strategy(), data=st.data())
    @settings(
        max_examples=12,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case, data):
        if ids and "id" in (case.path_parameters or {}) and data.draw(st.booleans()):
            case.path_parameters["id"] = data.draw(st.sampled_from(ids))
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    call()


def test_every_answer_matches_the_schema(api_schema, token):
    """Each operation in turn (schemathesis's pytest plugin reaches into pytest internals
    that pytest 9.2 removed, so the operations are driven here); every failure is kept
    and reported together."""
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        try:
            check_operation(operation, token)
        except (Exception, FailureGroup) as exc:  # every operation's failure is reported
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
