"""The kit's own behaviour beyond the generic matrix: a confidential register (INTERFACES 8:
403 on the API list and 404 on a detail for anyone without its action, an audit row per
read), an org filter that offers only orgs in scope, and the export's audit row."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Position
from tests.registers.kit_urls import SECRET

pytestmark = pytest.mark.urls("tests.registers.kit_urls")


@pytest.fixture
def positions(world):
    made = {}
    for key in ("ba", "bx"):
        made[key] = org_services.save_position(
            CLI,
            Position(
                org=world.orgs[key],
                title="secretary",
                holder_name=f"书记{key}",
                start_on=dt.date(2024, 1, 1),
            ),
        )
    return made


def reads():
    return AuditEntry.objects.filter(action=AuditAction.READ)


def test_it_hides_a_confidential_register_from_those_without_its_action(world, login, positions):
    client = login(world, "secretary_a")
    assert client.get(reverse(SECRET.list_url_name)).status_code == 404
    pk = positions["ba"].pk
    assert client.get(reverse(SECRET.detail_url_name, args=[pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(world.users["secretary_a"])
    assert api.get(reverse("api-kit-secret-list")).status_code == 403
    assert api.get(reverse("api-kit-secret-detail", args=[pk])).status_code == 404
    # Each refusal leaves a trace (INTERFACES 8), marked as refused, and nothing else.
    refused = list(reads().order_by("pk"))
    assert len(refused) == 4 and all(r.changes == {"refused": [None, True]} for r in refused)
    assert [r.object_id for r in refused] == ["", str(pk), "", str(pk)]


def test_it_audits_every_read_of_a_confidential_register(world, login, positions):
    client = login(world, "county_admin")
    response = client.get(reverse(SECRET.list_url_name))
    assert [p.holder_name for p in response.context["rows"]] == ["书记ba"]
    listing = reads().get()
    assert listing.changes["count"] == [None, 1] and listing.actor_name == "county_admin"
    assert client.get(reverse(SECRET.detail_url_name, args=[positions["ba"].pk])).status_code == 200
    assert client.get(reverse(SECRET.detail_url_name, args=[positions["bx"].pk])).status_code == 404
    detail = reads().exclude(pk=listing.pk).exclude(changes__has_key="refused").get()
    assert detail.object_id == str(positions["ba"].pk)
    outside = reads().filter(changes__has_key="refused").get()  # the other county's: refused
    assert outside.object_id == str(positions["bx"].pk)
    assert detail.org_path == world.orgs["ba"].path
    api = APIClient()
    api.force_authenticate(world.users["county_admin"])
    assert api.get(reverse("api-kit-secret-list")).json()["count"] == 1
    assert api.get(reverse("api-kit-secret-detail", args=[positions["ba"].pk])).status_code == 200
    assert reads().count() == 5


def test_it_shows_the_record_history_linking_to_the_audit_entries(world, login, positions):
    url = reverse(SECRET.detail_url_name, args=[positions["ba"].pk])
    page = login(world, "county_admin").get(url)
    assert page.context["history"] is not None
    assert [e.action for e in page.context["history"].entries][-1] == AuditAction.CREATE
    assert reverse("audit-detail", args=[page.context["history"].entries[-1].pk]) in (
        page.content.decode()
    )


def test_it_offers_only_orgs_in_scope_in_the_org_filter(world, login, positions):
    response = login(world, "county_admin").get(reverse(SECRET.list_url_name))
    codes = {code for code, _label in response.context["org_options"]}
    assert "T-BA" in codes and "T-BX" not in codes and "T-COUNTY" in codes
    filtered = login(world, "county_admin").get(reverse(SECRET.list_url_name), {"org": "T-BX"})
    assert list(filtered.context["rows"]) == []


def test_it_exports_the_filtered_rows_and_audits_the_export(world, login, positions):
    client = login(world, "city_admin")
    response = client.get(reverse(SECRET.list_url_name), {"q": "书记bx", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).get()
    assert entry.changes["count"] == [None, 1]
    assert entry.changes["filter"] == [None, "q=%E4%B9%A6%E8%AE%B0bx"]
    assert entry.org_path == world.orgs["bx"].path


def test_it_guards_exported_text_against_formulas(world, login, positions):
    import io

    import openpyxl

    positions["ba"].holder_name = "=HYPERLINK(1)"
    positions["ba"].save()
    response = login(world, "city_admin").get(reverse(SECRET.list_url_name), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert "'=HYPERLINK(1)" in [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.urls("dangjian.urls")
def test_it_applies_a_filters_default_when_its_value_is_invalid(world, login):
    from dangjian.members import services as member_services

    member_services.record_leaving(
        world.users["city_admin"], world.members["b1"], kind="deceased", on=dt.date(2020, 1, 1)
    )
    client = login(world, "city_admin")
    names = {
        m.name for m in client.get(reverse("member-list"), {"status": "nonsense"}).context["rows"]
    }
    assert "赵六" not in names and len(names) == 9


@pytest.mark.urls("dangjian.urls")
def test_it_answers_odd_api_queries_without_an_error(world):
    api = APIClient()
    api.force_authenticate(world.users["county_admin"])
    for params in (
        {"search": "甲\x00"},
        {"org": "x" * 300},
        {"status": "\x00"},
        {"age": "nonsense", "category": "", "q": "   "},
    ):
        response = api.get(reverse("api-member-list"), params)
        assert response.status_code == 200, params
