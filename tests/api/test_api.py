import re

import pytest
from rest_framework.test import APIClient

from dangjian.accounts import services as accounts
from dangjian.core.audit import AuditAction
from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry

FULL_ID = re.compile(r"\d{17}[\dX]")


@pytest.fixture
def api():
    return APIClient()


def as_user(api, world, persona):
    api.force_authenticate(world.users[persona])
    return api


def test_it_answers_401_to_anonymous_calls(api, world):
    response = api.get("/api/members/")
    assert response.status_code == 401


def test_it_paginates_lists_in_the_contract_shape(api, world):
    data = as_user(api, world, "city_admin").get("/api/members/").json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 10


def test_it_lists_only_what_the_caller_may_see(api, world):
    data = as_user(api, world, "secretary_a").get("/api/members/").json()
    assert {m["name"] for m in data["results"]} == {"张三", "李四", "王五"}
    assert as_user(api, world, "secretary_a").get("/api/orgs/").json()["count"] == 1
    assert as_user(api, world, "secretary_a").get("/api/schools/").json()["count"] == 1
    assert as_user(api, world, "member").get("/api/members/").json()["count"] == 1
    assert as_user(api, world, "member").get("/api/orgs/").json()["count"] == 0


def test_it_answers_404_for_a_detail_out_of_scope(api, world):
    api = as_user(api, world, "secretary_a")
    assert api.get(f"/api/members/{world.members['b1'].pk}/").status_code == 404
    assert api.get(f"/api/orgs/{world.orgs['bb'].pk}/").status_code == 404
    assert api.get(f"/api/schools/{world.schools['b'].pk}/").status_code == 404
    assert api.get(f"/api/members/{world.members['a1'].pk}/").status_code == 200


def test_it_filters_by_subtree_and_search(api, world):
    api = as_user(api, world, "city_admin")
    assert api.get("/api/members/?org=T-GB").json()["count"] == 6
    assert api.get("/api/members/?org=T-COUNTY2").json()["count"] == 2
    assert api.get("/api/members/?org=NOPE").json()["count"] == 0
    assert [m["name"] for m in api.get("/api/members/?search=zs").json()["results"]] == ["张三"]
    assert [m["name"] for m in api.get("/api/members/?search=zhangsan").json()["results"]] == [
        "张三"
    ]
    suffix = world.members["b2"].id_number[-4:]
    names = [m["name"] for m in api.get(f"/api/members/?search={suffix}").json()["results"]]
    assert "钱七" in names
    assert api.get("/api/schools/?org=T-JB").json()["count"] == 2
    assert api.get("/api/orgs/?org=T-COUNTY").json()["count"] == 5


def test_it_does_not_leak_other_subtrees_through_the_org_filter(api, world):
    api = as_user(api, world, "secretary_a")
    assert api.get("/api/members/?org=T-BB").json()["count"] == 0


def test_it_masks_id_numbers_for_every_role(api, world):
    for persona in ("city_admin", "county_admin", "secretary_a", "member"):
        body = as_user(api, world, persona).get("/api/members/").content.decode()
        assert not FULL_ID.search(body), persona
    one = as_user(api, world, "city_admin").get(f"/api/members/{world.members['a1'].pk}/").json()
    assert (
        one["id_number"]
        == world.members["a1"].id_number[:3] + "*" * 11 + world.members["a1"].id_number[-4:]
    )


def test_it_reveals_the_full_number_only_to_holders_and_audits_it(api, world):
    member = world.members["a1"]
    url = f"/api/members/{member.pk}/reveal-id/"
    response = as_user(api, world, "city_admin").post(url)
    assert response.status_code == 200
    assert response.json()["id_number"] == member.id_number
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL_ID)
    assert entry.actor_name == "city_admin" and entry.object_id == str(member.pk)
    assert as_user(api, world, "secretary_a").post(url).status_code == 403
    assert as_user(api, world, "member").post(url).status_code == 403
    assert as_user(api, world, "secretary_b").post(url).status_code == 404
    assert AuditEntry.objects.filter(action=AuditAction.REVEAL_ID).count() == 1


def test_it_authenticates_with_a_token(world):
    key = accounts.create_token(CLI, world.users["secretary_b"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    data = client.get("/api/members/").json()
    assert {m["name"] for m in data["results"]} == {"赵六", "钱七", "孙八"}


def test_it_serves_the_openapi_schema_and_docs(api, world):
    api = as_user(api, world, "secretary_a")
    schema = api.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/members/{id}/reveal-id/" in schema.content
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    # Every asset is served locally: no CDN on an isolated intranet.
    assert b"cdn" not in docs.content.lower() and b"https://" not in docs.content
