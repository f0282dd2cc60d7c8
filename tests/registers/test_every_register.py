"""The generic test every register passes (anchor: netbox ViewTestCases): the persona x
scope matrix on the list, detail and edit pages and on the API, the Excel export of the
filtered rows, and a list whose query count does not grow with its rows."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from personas import PERSONAS
from rest_framework.test import APIClient

from dangjian.core.registers import registry
from dangjian.core.roles import Action
from tests.registers.factories import FACTORIES

REGISTERS = sorted(registry)
# Rows are made in school A's branch, school B's branch and the other county's branch.
PLACES = ("ba", "bb", "bx")
# What each persona sees of those rows in a register read with VIEW.
SEES = {
    "city_admin": {"ba", "bb", "bx"},
    "county_admin": {"ba", "bb"},
    "secretary_a": {"ba"},
    "secretary_b": {"bb"},
    "member": set(),
    "discipline": set(),
}
# Personas holding no subtree role that reads ordinary records (a `list_needs_scope` page
# is 404 to them, not an empty list).
NO_VIEW_SUBTREE = {"member", "discipline"}
# A register read with another action is for that action's holders only: user management
# and the audit log for the admins; the confidential discipline records (INTERFACES 8) for
# the county's 纪检 alone, administrators included in the refusal.
READERS = {
    Action.DISCIPLINE: {"discipline": {"ba", "bb"}},
}
ADMINS = {"city_admin", "county_admin"}


def _readers(reg) -> dict:
    return READERS.get(reg.view_action, {persona: SEES[persona] for persona in ADMINS})


def _reader(reg) -> str:
    """The persona who reads the most of a register (for the export and query tests)."""
    if reg.view_action == Action.VIEW:
        return "city_admin"
    return max(_readers(reg).items(), key=lambda item: len(item[1]))[0]


def test_it_has_a_factory_for_every_register():
    missing = set(registry) - set(FACTORIES)
    assert not missing, f"add a factory to tests/registers/factories.py for: {sorted(missing)}"
    assert not set(FACTORIES) - set(registry), "a factory names no register"


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@pytest.fixture
def made(world, settings):
    settings.PAGE_SIZE = 500

    def make(name):
        factory = FACTORIES[name]
        return {key: factory(world, world.orgs[key], i) for i, key in enumerate(PLACES)}

    return make


def _listed(response, rows):
    shown = {obj.pk for obj in response.context["rows"]}
    return {key for key, obj in rows.items() if obj.pk in shown}


def _expected(reg, persona, page=True):
    if reg.view_action != Action.VIEW:
        return _readers(reg).get(persona)  # None: the list itself is 404 (403 on the API)
    if page and reg.list_needs_scope and persona in NO_VIEW_SUBTREE:
        return None  # a page only subtree roles can use: 404, not an empty list
    return SEES[persona]


@pytest.mark.parametrize("name", REGISTERS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_the_list_and_detail_pages(name, persona, world, made, login):
    reg = registry[name]
    rows = made(name)
    client = login(world, persona)
    response = client.get(reverse(reg.list_url_name))
    if persona == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    expected = _expected(reg, persona)
    if expected is None:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert _listed(response, rows) == expected
    user = world.users[persona]
    for key, obj in rows.items():
        for view, action in (("detail", Action.VIEW), ("edit", Action.CHANGE)):
            url = _url(getattr(reg, f"{view}_url_name"), obj.pk)
            if url is None:
                continue
            status = client.get(url).status_code
            allowed = reg.queryset(user, action).filter(pk=obj.pk).exists()
            if key not in expected:
                assert status == 404, (view, key, status)
                assert not allowed
            elif allowed:
                assert status == 200, (view, key, status)


@pytest.mark.parametrize("name", REGISTERS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_the_api(name, persona, world, made):
    reg = registry[name]
    list_url = _url(f"api-{name}-list")
    if list_url is None:
        pytest.skip("this register has no API")
    rows = made(name)
    api = APIClient()
    if persona == "anonymous":
        assert api.get(list_url).status_code == 401
        return
    api.force_authenticate(world.users[persona])
    response = api.get(list_url, {"page_size": 500})
    expected = _expected(reg, persona, page=False)  # the API keeps a member's own rows
    if expected is None:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        ids = {item["id"] for item in response.json()["results"]}
        assert {key for key, obj in rows.items() if obj.pk in ids} == expected
    for key, obj in rows.items():
        status = api.get(reverse(f"api-{name}-detail", args=[obj.pk])).status_code
        assert status == (200 if expected and key in expected else 404), (key, status)


@pytest.mark.parametrize("name", REGISTERS)
def test_it_exports_the_filtered_rows(name, world, made, login):
    reg = registry[name]
    made(name)
    client = login(world, _reader(reg))
    params = {"org": "T-GB"} if reg.org_paths else {}
    listed = client.get(reverse(reg.list_url_name), params).context["page"].paginator.count
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(reg.export_href(query))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    data = [row for row in book.worksheets[0].iter_rows(min_row=2, values_only=True) if any(row)]
    assert len(data) == listed > 0


@pytest.mark.parametrize("name", REGISTERS)
def test_it_lists_more_rows_with_the_same_queries(name, world, made, login):
    reg = registry[name]
    factory = FACTORIES[name]
    reader = _reader(reg)
    places = [place for place in PLACES if place in _expected(reg, reader)]
    client = login(world, reader)
    url = reverse(reg.list_url_name)
    for i in range(3):
        factory(world, world.orgs[places[i % len(places)]], 100 + i)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    for i in range(6):
        factory(world, world.orgs[places[i % len(places)]], 200 + i)
    with CaptureQueriesContext(connection) as many:
        second = client.get(url)
    assert second.context["page"].paginator.count == first.context["page"].paginator.count + 6
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


CONFIDENTIAL = sorted(name for name, reg in registry.items() if reg.audit_reads)


@pytest.mark.parametrize("name", CONFIDENTIAL)
def test_it_audits_every_read_of_a_confidential_register(name, world, made, login):
    from dangjian.core.models import AuditAction, AuditEntry

    reg = registry[name]
    rows = made(name)
    reader = _reader(reg)
    client = login(world, reader)
    api = APIClient()
    api.force_authenticate(world.users[reader])
    obj = next(obj for key, obj in rows.items() if key in _expected(reg, reader))
    for url, client_ in (
        (reverse(reg.list_url_name), client),
        (reverse(reg.detail_url_name, args=[obj.pk]), client),
        (reverse(f"api-{name}-list"), api),
        (reverse(f"api-{name}-detail", args=[obj.pk]), api),
    ):
        reads = AuditEntry.objects.filter(action=AuditAction.READ).count()
        assert client_.get(url).status_code == 200
        assert AuditEntry.objects.filter(action=AuditAction.READ).count() == reads + 1, url
