"""Refused reads of the 纪检 records are audited (INTERFACES 8: every read leaves a trace):
someone without the discipline role who tries a petition, a case or a 诫勉 record, on a
page, an export, a search or the API, still gets 404 (403 on the API list), and the audit
log has a READ row marked `refused` with who tried and which record."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry
from dangjian.integrity import services


@pytest.fixture
def records(world):
    org = world.orgs["ba"]
    return {
        "petition": services.create_petition(
            CLI, org=org, received_on=dt.date(2024, 3, 1), channel="visit", subject="事项甲"
        ),
        "case": services.create_case(
            CLI, org=org, subject_name="钱被查", matter="线索甲", received_on=dt.date(2024, 3, 1)
        ),
        "admonition": services.create_talk(
            CLI,
            org=org,
            kind="admonish",
            held_on=dt.date(2024, 3, 1),
            person_name="孙被谈",
            by_whom="纪检组长",
            matter="事由甲",
        ),
    }


def _refusals(user, since):
    return list(
        AuditEntry.objects.filter(pk__gt=since, actor=user, action=AuditAction.READ)
        .filter(changes__refused=[None, True])
        .order_by("pk")
    )


@pytest.mark.parametrize("name", ("petition", "case", "admonition"))
@pytest.mark.parametrize("persona", ("city_admin", "secretary_a", "member"))
def test_it_audits_a_refused_read_and_still_refuses_it(name, persona, world, records, login):
    obj = records[name]
    user = world.users[persona]
    client = login(world, persona)
    api = APIClient()
    api.force_authenticate(user)
    listing = reverse(f"{name}-list")
    pages = (
        (client, listing, 404, ""),
        (client, listing + "?q=甲", 404, ""),
        (client, listing + "?export=xlsx", 404, ""),
        (client, reverse(f"{name}-detail", args=[obj.pk]), 404, str(obj.pk)),
        (client, reverse(f"{name}-edit", args=[obj.pk]), 404, str(obj.pk)),
        (api, reverse(f"api-{name}-list"), 403, ""),
        (api, reverse(f"api-{name}-detail", args=[obj.pk]), 404, str(obj.pk)),
    )
    for caller, url, status, object_id in pages:
        since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = caller.get(url)
        assert response.status_code == status, url
        rows = _refusals(user, since)
        assert len(rows) == 1, url
        assert rows[0].object_id == object_id
        assert "拒绝查阅" in rows[0].object_repr
        if object_id:
            assert rows[0].object_type == obj._meta.label_lower
            assert rows[0].org_path == world.orgs["ba"].path
            # The trace names the record, never its matter or the people in it.
            assert "甲" not in rows[0].object_repr


def test_it_audits_the_discipline_role_outside_its_subtree(world, records, login):
    """The county's 纪检 trying the other county's record: refused and traced."""
    other = services.create_case(
        CLI,
        org=world.orgs["bx"],
        subject_name="外县人",
        matter="外县线索",
        received_on=dt.date(2024, 3, 1),
    )
    user = world.users["discipline"]
    client = login(world, "discipline")
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert client.get(reverse("case-detail", args=[other.pk])).status_code == 404
    rows = _refusals(user, since)
    assert [row.object_id for row in rows] == [str(other.pk)]
    assert rows[0].org_path == world.orgs["bx"].path


def test_it_records_no_refusal_for_an_ordinary_register(world, login):
    """Only the confidential registers trace a refusal: a missing risk point is a plain 404."""
    user = world.users["secretary_a"]
    client = login(world, "secretary_a")
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert client.get(reverse("risk-detail", args=[999999])).status_code == 404
    assert _refusals(user, since) == []
