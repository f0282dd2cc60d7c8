import datetime as dt

from django.urls import reverse

from dangjian.core.context import CLI
from dangjian.core.models import AuditAction
from dangjian.orgs import services
from dangjian.orgs.models import Position
from tests.orgs.helpers import assert_refused, audit_rows, make_position

POSITION_FORM = {
    "title": "secretary",
    "holder_name": "张三",
    "formed_by": "election",
    "start_on": "2024-06-01",
    "end_on": "",
}


def test_it_adds_a_position_and_audits_it(world, login):
    ba = world.orgs["ba"]
    url = reverse("position-create", args=[ba.pk])
    client = login(world, "secretary_a")
    assert client.get(url).status_code == 200
    response = client.post(url, POSITION_FORM)
    assert response.status_code == 302
    position = Position.objects.get(org=ba)
    assert position.holder_name == "张三"
    assert audit_rows(position, AuditAction.CREATE).count() == 1


def test_it_ends_a_term_by_setting_the_end_date(world, login):
    position = make_position(world.orgs["ba"], start_on=dt.date(2021, 6, 1))
    client = login(world, "secretary_a")
    url = reverse("position-edit", args=[position.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, dict(POSITION_FORM, start_on="2021-06-01", end_on="2024-06-01"))
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.end_on == dt.date(2024, 6, 1)
    entry = audit_rows(position, AuditAction.UPDATE).get()
    assert entry.changes["end_on"] == [None, "2024-06-01"]
    assert not Position.objects.current().filter(pk=position.pk).exists()


def test_it_refuses_an_end_before_the_start(world, login):
    position = make_position(world.orgs["ba"], start_on=dt.date(2021, 6, 1))
    client = login(world, "secretary_a")
    response = client.post(
        reverse("position-edit", args=[position.pk]),
        dict(POSITION_FORM, start_on="2021-06-01", end_on="2020-01-01"),
    )
    assert_refused(response, "离任日期不能早于任职日期")
    position.refresh_from_db()
    assert position.end_on is None


def test_it_refuses_a_committee_for_a_party_group(world, login):
    group = services.create_org(
        CLI, parent=world.orgs["ba"], code="T-G1", name="第一党小组", kind="group"
    )
    client = login(world, "secretary_a")
    response = client.post(reverse("position-create", args=[group.pk]), POSITION_FORM)
    assert_refused(response, "党小组不设班子, 只设组长")
    assert not Position.objects.filter(org=group).exists()


def test_it_deletes_a_position_only_with_delete_rights(world, login):
    position = make_position(world.orgs["ba"])
    url = reverse("position-delete", args=[position.pk])
    assert login(world, "secretary_a").post(url).status_code == 404
    assert login(world, "county_admin").get(url).status_code == 405
    response = login(world, "county_admin").post(url)
    assert response.status_code == 302
    assert not Position.objects.filter(pk=position.pk).exists()
    assert audit_rows(position, AuditAction.DELETE).count() == 1
