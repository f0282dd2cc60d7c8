"""`/api/positions/`: the 班子 seats the caller may see, with the holder's member link
(`member`) read and written; a holder outside the writer's scope, or not of the seat's org
or below, refused with a Chinese message and nothing written; the org's change scope for
writes; the audit row."""

import datetime as dt

from rest_framework.test import APIClient

from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry
from dangjian.orgs import services
from dangjian.orgs.models import Position


def api_for(world, key):
    api = APIClient()
    api.force_authenticate(world.users[key])
    return api


def seat(org, member=None, name="", title="secretary", start=dt.date(2024, 1, 1), end=None):
    return services.save_position(
        CLI,
        Position(
            org=org,
            title=title,
            member=member,
            holder_name=name or member.name,
            start_on=start,
            end_on=end,
        ),
    )


def test_it_lists_the_seats_in_scope_with_their_member_link(world):
    a1 = world.members["a1"]
    mine = seat(world.orgs["ba"], a1)
    seat(world.orgs["ba"], name="外聘委员", title="member", end=dt.date(2024, 6, 1))
    seat(world.orgs["bb"], world.members["b1"])
    api = api_for(world, "secretary_a")
    body = api.get("/api/positions/").json()
    assert body["count"] == 2
    rows = {row["holder_name"]: row for row in body["results"]}
    assert rows["张三"]["member"] == a1.pk and rows["张三"]["org"] == "T-BA"
    assert rows["张三"]["title_display"] == "书记" and rows["外聘委员"]["member"] is None
    current = api.get("/api/positions/", {"on": "2025-01-01"}).json()
    assert [row["id"] for row in current["results"]] == [mine.pk]
    for bad in ("2025-13-01", "明天"):
        refused = api.get("/api/positions/", {"on": bad})
        assert refused.status_code == 400
        assert refused.json() == {"on": ["日期格式应为YYYY-MM-DD, 如2024-12-31"]}
    county = api_for(world, "county_admin")
    assert county.get("/api/positions/", {"org": "T-BB"}).json()["count"] == 1
    assert api.get("/api/positions/", {"org": "T-BB"}).json()["count"] == 0
    assert api.get(f"/api/positions/{mine.pk}/").json()["member"] == a1.pk
    other = Position.objects.get(org=world.orgs["bb"])
    assert api.get(f"/api/positions/{other.pk}/").status_code == 404


def test_it_creates_a_seat_linked_to_a_member_and_audits_it(world):
    a2 = world.members["a2"]
    api = api_for(world, "secretary_a")
    response = api.post(
        "/api/positions/",
        {"org": "T-BA", "title": "organisation", "member": a2.pk, "start_on": "2024-06-01"},
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert (body["member"], body["holder_name"], body["org"]) == (a2.pk, "李四", "T-BA")
    created = Position.objects.get(pk=body["id"])
    assert created.member == a2
    assert AuditEntry.objects.filter(
        object_type="orgs.position", object_id=str(created.pk), action=AuditAction.CREATE
    ).exists()


def test_it_refuses_a_member_outside_the_writer_s_scope(world):
    api = api_for(world, "secretary_a")
    outside = world.members["b1"]  # another branch: not visible to ba's secretary
    response = api.post(
        "/api/positions/",
        {"org": "T-BA", "title": "secretary", "member": outside.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "所选党员不存在或不在您的管理范围内" in response.json()["member"][0]
    missing = api.post(
        "/api/positions/", {"org": "T-BA", "title": "secretary", "member": 99999}, format="json"
    )
    assert missing.status_code == 400 and "不在您的管理范围内" in missing.json()["member"][0]
    assert not Position.objects.filter(org=world.orgs["ba"]).exists()


def test_it_refuses_a_visible_member_of_another_org_than_the_seat_s(world):
    """The county sees bb's 赵六 but a seat of ba holds only ba's members."""
    api = api_for(world, "county_admin")
    response = api.post(
        "/api/positions/",
        {"org": "T-BA", "title": "secretary", "member": world.members["b1"].pk},
        format="json",
    )
    assert response.status_code == 400
    assert "不是甲小学党支部(含下级)的党员" in response.json()["member"][0]
    assert not Position.objects.filter(org=world.orgs["ba"]).exists()


def test_it_links_unlinks_and_keeps_the_org_on_change(world):
    ba, a1, a2 = world.orgs["ba"], world.members["a1"], world.members["a2"]
    position = seat(ba, name="李四")
    api = api_for(world, "secretary_a")
    url = f"/api/positions/{position.pk}/"
    linked = api.patch(url, {"member": a2.pk}, format="json")
    assert linked.status_code == 200 and linked.json()["member"] == a2.pk
    renamed = api.patch(url, {"member": a1.pk}, format="json")
    assert renamed.json()["holder_name"] == "张三"  # the name follows the chosen member
    clash = api.patch(url, {"member": a2.pk, "holder_name": "王五"}, format="json")
    assert clash.status_code == 400 and "姓名与所选党员不一致" in clash.json()["holder_name"][0]
    outside = api.patch(url, {"member": world.members["b1"].pk}, format="json")
    assert outside.status_code == 400
    position.refresh_from_db()
    assert position.member == a1
    moved = api.patch(url, {"org": "T-BB"}, format="json")
    assert moved.status_code == 400 and "不能修改" in moved.json()["org"][0]
    unlinked = api.put(url, {"title": "secretary", "holder_name": "外聘书记"}, format="json")
    assert unlinked.status_code == 200 and unlinked.json()["member"] is None
    empty = api.put(url, {"title": "secretary"}, format="json")
    assert empty.status_code == 400 and "请选择党员或填写姓名" in empty.json()["holder_name"][0]


def test_it_keeps_others_from_writing(world):
    position = seat(world.orgs["ba"], world.members["a1"])
    other = api_for(world, "secretary_b")
    assert other.patch(f"/api/positions/{position.pk}/", {"holder_name": "x"}).status_code == 404
    refused = other.post(
        "/api/positions/", {"org": "T-BA", "title": "secretary", "holder_name": "x"}, format="json"
    )
    assert refused.status_code == 400 and "不在您的管理范围内" in refused.json()["org"][0]
    member = api_for(world, "member")
    assert member.patch(f"/api/positions/{position.pk}/", {"holder_name": "x"}).status_code in (
        403,
        404,
    )
    position.refresh_from_db()
    assert position.holder_name == "张三"
