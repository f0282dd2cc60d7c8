from django.urls import reverse

from dangjian.core.context import CLI
from dangjian.core.models import AuditAction
from dangjian.orgs import services
from dangjian.orgs.models import Organization
from tests.orgs.helpers import assert_refused, audit_rows

ORG_FORM = {
    "code": "T-NEW",
    "name": "新党小组",
    "kind": "group",
    "founded_on": "2020-01-01",
    **dict.fromkeys(("dissolved_on", "term_start", "term_years"), ""),
}


def test_it_creates_a_child_org_and_audits_it(world, login):
    client = login(world, "secretary_a")
    parent = world.orgs["ba"]
    assert client.get(reverse("org-create", args=[parent.pk])).status_code == 200
    response = client.post(reverse("org-create", args=[parent.pk]), ORG_FORM)
    org = Organization.objects.get(code="T-NEW")
    assert response.status_code == 302
    assert response["Location"] == reverse("org-detail", args=[org.pk])
    assert Organization.objects.get_parent(org) == parent
    entry = audit_rows(org, AuditAction.CREATE).get()
    assert entry.actor == world.users["secretary_a"]


def test_it_refuses_a_group_under_a_general_branch(world, login):
    client = login(world, "county_admin")
    response = client.post(reverse("org-create", args=[world.orgs["gb"].pk]), ORG_FORM)
    assert_refused(response, "党小组只能隶属于党支部、联合党支部、临时党支部, 不能隶属于党总支")
    assert not Organization.objects.filter(code="T-NEW").exists()


def test_it_refuses_a_duplicate_code(world, login):
    client = login(world, "secretary_a")
    response = client.post(
        reverse("org-create", args=[world.orgs["ba"].pk]), dict(ORG_FORM, code="T-BB")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert Organization.objects.filter(code="T-BB").count() == 1


def test_it_hides_create_under_an_org_outside_the_scope(world, login):
    client = login(world, "secretary_a")
    url = reverse("org-create", args=[world.orgs["bb"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, ORG_FORM).status_code == 404
    assert not Organization.objects.filter(code="T-NEW").exists()
    response = login(world, "anonymous").get(url)
    assert response.status_code == 302


def test_it_edits_an_org_and_audits_it(world, login):
    client = login(world, "secretary_a")
    ba = world.orgs["ba"]
    url = reverse("org-edit", args=[ba.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        dict(
            ORG_FORM, code="T-BA", name="甲小学第一党支部", kind="branch", term_start="2024-06-01"
        ),
    )
    assert response.status_code == 302
    ba.refresh_from_db()
    assert ba.name == "甲小学第一党支部"
    entry = audit_rows(ba, AuditAction.UPDATE).get()
    assert entry.changes["name"] == ["甲小学党支部", "甲小学第一党支部"]


def test_it_shows_the_rule_message_on_a_bad_edit(world, login):
    client = login(world, "secretary_a")
    ba = world.orgs["ba"]
    response = client.post(
        reverse("org-edit", args=[ba.pk]),
        dict(ORG_FORM, code="T-BA", name="甲小学党支部", kind="branch", term_years="9"),
    )
    assert_refused(response, "任期年限应为1-5的整数")
    ba.refresh_from_db()
    assert ba.term_years is None
    assert not audit_rows(ba, AuditAction.UPDATE).exists()


def test_it_moves_an_org_and_audits_it(world, login):
    client = login(world, "county_admin")
    bb = world.orgs["bb"]
    url = reverse("org-move", args=[bb.pk])
    choices = client.get(url).context["form"].fields["parent"].queryset
    assert {o.code for o in choices} == {"T-COUNTY"}  # not the current parent, not T-COUNTY2
    assert "当前上级组织：第一学区党总支" in client.get(url).content.decode()
    response = client.post(url, {"parent": world.orgs["county"].pk})
    assert response.status_code == 302
    bb.refresh_from_db()
    assert Organization.objects.get_parent(bb) == world.orgs["county"]
    entry = audit_rows(bb, AuditAction.MOVE).get()
    assert entry.changes == {"parent": ["T-GB", "T-COUNTY"]}


def test_it_refuses_a_parent_outside_the_add_scope(world, login):
    client = login(world, "county_admin")
    bb = world.orgs["bb"]
    response = client.post(reverse("org-move", args=[bb.pk]), {"parent": world.orgs["city"].pk})
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    bb.refresh_from_db()
    assert Organization.objects.get_parent(bb) == world.orgs["gb"]


def test_it_explains_why_an_org_cannot_be_moved(world, login):
    client = login(world, "city_admin")
    city = world.orgs["city"]
    url = reverse("org-move", args=[city.pk])
    for response in (client.get(url), client.post(url, {"parent": world.orgs["county"].pk})):
        assert_refused(response, "根组织不能移动")
    assert not audit_rows(city, AuditAction.MOVE).exists()

    response = login(world, "secretary_a").get(reverse("org-move", args=[world.orgs["ba"].pk]))
    assert_refused(response, "您的权限范围内没有可以作为该组织上级的党组织")


def test_it_shows_the_service_message_when_a_move_is_refused(world, login, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(actor, org, new_parent):
        raise ValidationError({"parent": ["不能把组织移动到它自己的下级组织之下"]})

    monkeypatch.setattr(services, "move_org", refuse)
    client = login(world, "county_admin")
    bb = world.orgs["bb"]
    response = client.post(reverse("org-move", args=[bb.pk]), {"parent": world.orgs["county"].pk})
    assert_refused(response, "不能把组织移动到它自己的下级组织之下")


def test_it_deletes_an_empty_org_and_audits_it(world, login):
    org = services.create_org(
        CLI, parent=world.orgs["county"], code="T-TMP", name="临时党支部", kind="temporary_branch"
    )
    client = login(world, "county_admin")
    response = client.post(reverse("org-delete", args=[org.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("org-detail", args=[world.orgs["county"].pk])
    assert not Organization.objects.filter(pk=org.pk).exists()
    assert audit_rows(org, AuditAction.DELETE).count() == 1


def test_it_shows_why_an_org_cannot_be_deleted(world, login):
    client = login(world, "county_admin")
    bb = world.orgs["bb"]
    response = client.post(reverse("org-delete", args=[bb.pk]), follow=True)
    assert_refused(response, "不能删除: 该组织有党员、有关联学校")
    assert Organization.objects.filter(pk=bb.pk).exists()


def test_it_deletes_only_by_post_and_only_with_delete_rights(world, login):
    ba = world.orgs["ba"]
    url = reverse("org-delete", args=[ba.pk])
    assert login(world, "county_admin").get(url).status_code == 405
    assert login(world, "secretary_a").post(url).status_code == 404
    assert (
        login(world, "county_admin")
        .post(reverse("org-delete", args=[world.orgs["county2"].pk]))
        .status_code
        == 404
    )
    assert Organization.objects.filter(pk=ba.pk).exists()
