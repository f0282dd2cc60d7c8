import datetime as dt

from django.urls import reverse

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.members import services
from dangjian.members.models import Member, MemberEvent, Membership


def test_it_records_a_leaving_event(world, login):
    b1 = world.members["b1"]
    url = reverse("member-leave", args=[b1.pk])
    client = login(world, "secretary_b")
    page = client.get(url).content.decode()
    assert "data-confirm" in page and "停止党籍" in page
    response = client.post(url, {"kind": "moved_out", "on": "2024-05-01", "note": "调往外省"})
    assert response.status_code == 302
    b1.refresh_from_db()
    assert b1.status == "moved_out" and b1.left_on == dt.date(2024, 5, 1)
    assert Membership.objects.get(member=b1).end_on == dt.date(2024, 5, 1)
    assert MemberEvent.objects.filter(member=b1, kind="moved_out", note="调往外省").exists()


def test_it_offers_cancellation_only_for_probationary_members(world, login):
    client = login(world, "secretary_a")
    full = client.get(reverse("member-leave", args=[world.members["a1"].pk]))
    kinds = [value for value, _label in full.context["form"].fields["kind"].choices]
    assert "cancelled" not in kinds and "deceased" in kinds
    probationary = client.get(reverse("member-leave", args=[world.members["a3"].pk]))
    kinds = [value for value, _label in probationary.context["form"].fields["kind"].choices]
    assert "cancelled" in kinds


def test_it_shows_leaving_errors_on_the_form(world, login):
    b1 = world.members["b1"]
    url = reverse("member-leave", args=[b1.pk])
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = login(world, "secretary_b").post(url, {"kind": "deceased", "on": tomorrow})
    assert response.status_code == 200
    assert "日期不能晚于今天" in response.content.decode()
    b1.refresh_from_db()
    assert b1.status == "active"


def test_it_answers_404_for_leaving_out_of_scope(world, login):
    url = reverse("member-leave", args=[world.members["b1"].pk])
    client = login(world, "secretary_a")
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "deceased", "on": "2024-01-01"}).status_code == 404
    assert Member.objects.get(pk=world.members["b1"].pk).status == "active"


def test_it_restores_a_suspended_member(world, login):
    b1 = world.members["b1"]
    admin = world.users["county_admin"]
    services.record_leaving(admin, b1, kind="suspended", on=dt.date(2022, 1, 1))
    detail = login(world, "secretary_b").get(reverse("member-detail", args=[b1.pk]))
    assert reverse("member-restore", args=[b1.pk]) in detail.content.decode()
    assert reverse("member-leave", args=[b1.pk]) not in detail.content.decode()
    url = reverse("member-restore", args=[b1.pk])
    response = login(world, "secretary_b").post(url, {"on": "2023-03-01", "note": "恢复"})
    assert response.status_code == 302
    b1.refresh_from_db()
    assert b1.status == "active" and b1.left_on is None
    assert MemberEvent.objects.filter(member=b1, kind="restored", on="2023-03-01").exists()
    assert Membership.objects.filter(member=b1, end_on__isnull=True).get().org == b1.org


def test_it_brings_a_moved_out_member_back_into_another_branch(world, login):
    b1 = world.members["b1"]
    admin = world.users["county_admin"]
    services.record_leaving(admin, b1, kind="moved_out", on=dt.date(2022, 1, 1))
    url = reverse("member-restore", args=[b1.pk])
    client = login(world, "county_admin")
    assert "转回" in client.get(url).content.decode()
    response = client.post(url, {"on": "2024-02-01", "org": world.orgs["jb"].pk})
    assert response.status_code == 302
    b1.refresh_from_db()
    assert b1.status == "active" and b1.org == world.orgs["jb"]
    assert MemberEvent.objects.filter(member=b1, kind="moved_in", org=world.orgs["jb"]).exists()


def test_it_shows_restore_errors_on_the_form(world, login):
    b1 = world.members["b1"]
    url = reverse("member-restore", args=[b1.pk])
    response = login(world, "secretary_b").post(url, {"on": "2024-01-01"})
    assert response.status_code == 200
    assert "无需恢复" in response.content.decode()


def test_it_deletes_a_member_only_for_admins(world, login):
    a2 = world.members["a2"]
    url = reverse("member-delete", args=[a2.pk])
    assert login(world, "secretary_a").post(url).status_code == 404
    assert login(world, "secretary_b").post(url).status_code == 404
    assert Member.objects.filter(pk=a2.pk).exists()
    response = login(world, "county_admin").post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("member-list")
    assert not Member.objects.filter(pk=a2.pk).exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_id=str(a2.pk)).exists()


def test_it_refuses_to_delete_by_get(world, login):
    a2 = world.members["a2"]
    response = login(world, "county_admin").get(reverse("member-delete", args=[a2.pk]))
    assert response.status_code == 405
    assert Member.objects.filter(pk=a2.pk).exists()
