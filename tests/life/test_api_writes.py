"""`/api/meetings/` writes: POST to the list and PUT/PATCH to a detail go through the
pages' services: scope (403 without the action, 404 outside the subtree), the rules'
Chinese messages (400), the computed roster and the audit row."""

from rest_framework.test import APIClient

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.life.models import Meeting
from tests.life.helpers import D, meeting


def api_for(world, key):
    api = APIClient()
    api.force_authenticate(world.users[key])
    return api


def test_it_creates_a_meeting_with_its_roster_and_audit_row(world):
    api = api_for(world, "secretary_a")
    response = api.post(
        "/api/meetings/",
        {
            "org": "T-BA",
            "kind": "lecture",
            "title": "春季党课",
            "held_on": "2025-03-10",
            "speaker": "张书记",
            "topic": "学习党章",
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert (body["org"], body["kind"], body["expected_count"]) == ("T-BA", "lecture", 3)
    created = Meeting.objects.get(pk=body["id"])
    assert set(created.attendances.values_list("member__name", flat=True)) == {
        "张三",
        "李四",
        "王五",
    }
    assert AuditEntry.objects.filter(object_id=str(created.pk), action=AuditAction.CREATE).exists()


def test_it_refuses_with_the_rules_chinese_message(world):
    api = api_for(world, "secretary_a")
    response = api.post(
        "/api/meetings/",
        {"org": "T-BA", "kind": "lecture", "title": "党课", "held_on": "2025-03-10"},
        format="json",
    )
    assert response.status_code == 400
    assert "党课须填写主讲人和题目" in response.content.decode()
    paper = api.post(
        "/api/meetings/",
        {
            "org": "T-BA",
            "kind": "committee",
            "title": "支委会",
            "held_on": "2025-03-10",
            "roster": False,
            "expected_count": 3,
            "present_count": 4,
        },
        format="json",
    )
    assert paper.status_code == 400 and "实到人数不能多于应到人数" in paper.content.decode()
    assert not Meeting.objects.exists()


def test_it_keeps_writes_to_the_callers_scope(world):
    # Another branch's org: refused as not in scope, nothing written.
    api = api_for(world, "secretary_a")
    response = api.post(
        "/api/meetings/",
        {"org": "T-BB", "kind": "general", "title": "大会", "held_on": "2025-03-10"},
        format="json",
    )
    assert response.status_code == 400 and "不在您的管理范围内" in response.content.decode()
    # A member may read their meetings but not write any.
    member = api_for(world, "member")
    assert (
        member.post(
            "/api/meetings/",
            {"org": "T-BA", "kind": "general", "title": "大会", "held_on": "2025-03-10"},
            format="json",
        ).status_code
        == 403
    )
    mine = meeting(world.orgs["ba"], "general", D(2025, 3, 1))
    assert (
        member.patch(f"/api/meetings/{mine.pk}/", {"place": "x"}, format="json").status_code == 403
    )
    other = meeting(world.orgs["bb"], "general", D(2025, 3, 1))
    assert api.patch(f"/api/meetings/{other.pk}/", {"place": "x"}, format="json").status_code == 404
    assert Meeting.objects.get(pk=other.pk).place == ""


def test_it_updates_through_the_service_with_its_audit_row(world):
    api = api_for(world, "secretary_a")
    held = meeting(world.orgs["ba"], "general", D(2025, 3, 1))
    response = api.patch(
        f"/api/meetings/{held.pk}/", {"place": "党员活动室", "minutes": "记录"}, format="json"
    )
    assert response.status_code == 200, response.content.decode()
    held.refresh_from_db()
    assert (held.place, held.minutes) == ("党员活动室", "记录")
    assert AuditEntry.objects.filter(object_id=str(held.pk), action=AuditAction.UPDATE).exists()
    # The same rules as the page: a lecture needs its speaker and topic.
    bad = api.patch(f"/api/meetings/{held.pk}/", {"kind": "lecture"}, format="json")
    assert bad.status_code == 400 and "党课须填写主讲人和题目" in bad.content.decode()
    # The org cannot move.
    moved = api.patch(f"/api/meetings/{held.pk}/", {"org": "T-BB"}, format="json")
    assert moved.status_code == 400
    # PUT needs the whole record.
    assert api.put(f"/api/meetings/{held.pk}/", {"place": "x"}, format="json").status_code == 400
    full = api.put(
        f"/api/meetings/{held.pk}/",
        {"kind": "general", "title": "第一季度党员大会", "held_on": "2025-03-02"},
        format="json",
    )
    assert full.status_code == 200 and full.json()["held_on"] == "2025-03-02"
