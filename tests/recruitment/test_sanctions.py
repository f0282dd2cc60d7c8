"""党纪处分 on the register kit: the filters (kind, in force today, year, org), the search by
name, the form's checks reaching the page, the detail with its audit history and the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.core.context import CLI
from dangjian.core.models import AuditAction
from dangjian.recruitment import services
from dangjian.recruitment.models import Sanction


@pytest.fixture
def sanctions(world):
    today = timezone.localdate()
    record = services.record_sanction
    return {
        "lapsed": record(
            CLI,
            world.members["a1"],
            kind="probation",
            start_on=dt.date(2020, 3, 1),
            end_on=dt.date(2021, 3, 1),
        ),
        "current": record(
            CLI,
            world.members["a2"],
            kind="probation",
            start_on=today - dt.timedelta(days=30),
            end_on=today + dt.timedelta(days=300),
        ),
        "warning": record(CLI, world.members["x1"], kind="warning", start_on=dt.date(2022, 5, 1)),
    }


def _listed(client, **params):
    response = client.get(reverse("recruit-sanctions"), params)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["rows"]}


def test_the_list_filters_by_kind_force_year_and_org(world, login, sanctions):
    admin = login(world, "city_admin")
    ids = {key: obj.pk for key, obj in sanctions.items()}
    assert _listed(admin) == set(ids.values())
    assert _listed(admin, kind="probation") == {ids["lapsed"], ids["current"]}
    # A warning without an end date stays in force.
    assert _listed(admin, in_force="yes") == {ids["current"], ids["warning"]}
    assert _listed(admin, in_force="no") == {ids["lapsed"]}
    assert _listed(admin, year="2020") == {ids["lapsed"]}
    assert _listed(admin, org=world.orgs["bx"].code) == {ids["warning"]}
    # A year no date can hold is ignored, not an error.
    assert _listed(admin, year="99999") == set(ids.values())


def test_the_list_searches_by_member_name_and_scopes_by_branch(world, login, sanctions):
    admin = login(world, "city_admin")
    name = world.members["x1"].name
    assert _listed(admin, q=name) == {sanctions["warning"].pk}
    secretary = login(world, "secretary_a")
    assert _listed(secretary) == {sanctions["lapsed"].pk, sanctions["current"].pk}
    url = reverse("recruit-sanction-detail", args=[sanctions["warning"].pk])
    assert secretary.get(url).status_code == 404


def test_the_form_keeps_the_services_checks(world, login):
    secretary = login(world, "secretary_a")
    response = secretary.post(
        reverse("recruit-sanction-create"),
        {
            "member": world.members["a1"].pk,
            "kind": "probation",
            "start_on": "2024-06-01",
            "end_on": "2024-05-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_on"] == ["期满日期应晚于处分日期"]
    assert not Sanction.objects.exists()
    # A member of another county is not offered.
    response = secretary.post(
        reverse("recruit-sanction-create"),
        {"member": world.members["x1"].pk, "kind": "warning", "start_on": "2024-06-01"},
    )
    assert "member" in response.context["form"].errors


def test_the_detail_shows_the_record_and_its_history(world, login):
    admin = login(world, "city_admin")
    response = admin.post(
        reverse("recruit-sanction-create"),
        {"member": world.members["a1"].pk, "kind": "warning", "start_on": "2024-06-01"},
    )
    sanction = Sanction.objects.get()
    assert response["Location"] == reverse("recruit-sanction-detail", args=[sanction.pk])
    page = admin.get(response["Location"])
    html = page.content.decode()
    assert world.members["a1"].name in html and "警告" in html
    assert [entry.action for entry in page.context["history"].entries] == [AuditAction.CREATE]


def test_the_export_holds_the_filtered_rows(world, login, sanctions):
    import io

    import openpyxl

    admin = login(world, "city_admin")
    response = admin.get(reverse("recruit-sanctions"), {"kind": "probation", "export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert sorted(row[0] for row in rows) == sorted(
        [world.members["a1"].name, world.members["a2"].name]
    )


def test_the_api_lists_what_the_page_lists(world, sanctions):
    api = APIClient()
    api.force_authenticate(world.users["secretary_a"])
    body = api.get(reverse("api-sanction-list"), {"in_force": "yes"}).json()
    assert [item["id"] for item in body["results"]] == [sanctions["current"].pk]
    item = body["results"][0]
    assert item["kind_display"] == "留党察看" and item["in_force"] is True
    assert item["org"] == world.orgs["ba"].code
