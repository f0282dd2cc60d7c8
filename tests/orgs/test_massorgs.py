import datetime as dt

from django.urls import reverse

from dangjian.core.models import AuditAction
from dangjian.orgs.models import MassOrganization
from tests.orgs.helpers import assert_refused, audit_rows, make_mass_org


def test_it_adds_a_mass_org_and_audits_it(world, login):
    school = world.schools["a"]
    client = login(world, "secretary_a")
    url = reverse("massorg-create", args=[school.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"kind": "young_pioneers", "name": "", "founded_on": "2010-06-01", "dissolved_on": ""}
    )
    assert response.status_code == 302
    mass_org = MassOrganization.objects.get(school=school)
    assert mass_org.kind == "young_pioneers"
    assert audit_rows(mass_org, AuditAction.CREATE).count() == 1
    page = client.get(reverse("school-detail", args=[school.pk])).content.decode()
    assert "少先队大队" in page and "2010-06-01" in page


def test_it_edits_a_mass_org_and_refuses_bad_dates(world, login):
    mass_org = make_mass_org(world.schools["a"])
    client = login(world, "secretary_a")
    url = reverse("massorg-edit", args=[mass_org.pk])
    response = client.post(
        url,
        {
            "kind": "union",
            "name": "甲小学工会",
            "founded_on": "2010-01-01",
            "dissolved_on": "2009-01-01",
        },
    )
    assert_refused(response, "撤销日期不能早于成立日期")
    response = client.post(
        url, {"kind": "union", "name": "甲小学工会", "founded_on": "2010-01-01", "dissolved_on": ""}
    )
    assert response.status_code == 302
    mass_org.refresh_from_db()
    assert mass_org.name == "甲小学工会"
    assert mass_org.founded_on == dt.date(2010, 1, 1)
    assert audit_rows(mass_org, AuditAction.UPDATE).count() == 1


def test_it_deletes_a_mass_org_and_audits_it(world, login):
    mass_org = make_mass_org(world.schools["a"])
    url = reverse("massorg-delete", args=[mass_org.pk])
    assert login(world, "secretary_a").get(url).status_code == 405
    response = login(world, "secretary_a").post(url)
    assert response.status_code == 302
    assert not MassOrganization.objects.filter(pk=mass_org.pk).exists()
    assert audit_rows(mass_org, AuditAction.DELETE).count() == 1
