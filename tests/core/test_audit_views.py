import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.orgs import services as orgs


def entries(response) -> list[AuditEntry]:
    return list(response.context["page"].object_list)


def test_it_shows_entries_to_the_city_admin(world, login):
    response = login(world, "city_admin").get(reverse("audit-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "戊小学党支部" in html and "甲小学党支部" in html
    assert entries(response)


@pytest.mark.parametrize("persona", ["secretary_a", "member"])
def test_it_answers_404_to_users_without_audit_rights(world, login, persona):
    client = login(world, persona)
    entry = AuditEntry.objects.filter(org_path__startswith=world.orgs["ba"].path).first()
    assert client.get(reverse("audit-list")).status_code == 404
    assert client.get(reverse("audit-detail", args=[entry.pk])).status_code == 404


def test_it_sends_anonymous_visitors_to_login(world, client):
    response = client.get(reverse("audit-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_limits_a_county_admin_to_the_county(world, login):
    client = login(world, "county_admin")
    shown = {e.object_repr for e in entries(client.get(reverse("audit-list"), {"q": "支部"}))}
    assert "甲小学党支部" in shown
    assert "戊小学党支部" not in shown
    outside = AuditEntry.objects.get(object_repr="戊小学党支部", action=AuditAction.CREATE)
    assert client.get(reverse("audit-detail", args=[outside.pk])).status_code == 404


def test_it_shows_logins_to_superusers_only(world, login, client):
    login(world, "secretary_a")  # force_login writes a LOGIN entry without an org
    city = login(world, "city_admin")
    assert not entries(city.get(reverse("audit-list"), {"action": AuditAction.LOGIN}))
    root = get_user_model().objects.create_superuser("root", password="Root#Pass2026")
    client.force_login(root)
    shown = entries(client.get(reverse("audit-list"), {"action": AuditAction.LOGIN}))
    assert {"secretary_a", "city_admin", "root"} <= {e.actor_name for e in shown}


def test_it_filters_by_action(world, login):
    client = login(world, "city_admin")
    shown = entries(client.get(reverse("audit-list"), {"action": AuditAction.ROLE_GRANT}))
    assert shown
    assert {e.action for e in shown} == {AuditAction.ROLE_GRANT}
    everything = client.get(reverse("audit-list")).context["page"].paginator.count
    assert len(shown) < everything


def test_it_filters_by_actor_type_text_and_date(world, login):
    orgs.update_org(world.users["county_admin"], world.orgs["bb"], name="乙中学第一党支部")
    client = login(world, "city_admin")
    by_actor = entries(client.get(reverse("audit-list"), {"actor": "county"}))
    assert [e.object_repr for e in by_actor] == ["乙中学第一党支部"]
    by_type = entries(client.get(reverse("audit-list"), {"object_type": "orgs.school"}))
    assert by_type and {e.object_type for e in by_type} == {"orgs.school"}
    by_text = entries(client.get(reverse("audit-list"), {"q": "乙中学"}))
    assert by_text and all("乙中学" in e.object_repr for e in by_text)
    today = timezone.localdate()
    assert entries(client.get(reverse("audit-list"), {"date_from": today, "date_to": today}))
    tomorrow = today + dt.timedelta(days=1)
    assert not entries(client.get(reverse("audit-list"), {"date_from": tomorrow}))
    reversed_range = client.get(
        reverse("audit-list"), {"date_from": today, "date_to": today - dt.timedelta(days=1)}
    )
    assert reversed_range.context["form"].errors["date_to"]
    assert not entries(reversed_range)


def test_it_shows_changes_as_old_and_new_values(world, login):
    orgs.update_org(world.users["county_admin"], world.orgs["bb"], name="乙中学第一党支部")
    client = login(world, "city_admin")
    response = client.get(reverse("audit-list"), {"action": AuditAction.UPDATE})
    html = response.content.decode()
    assert "组织名称" in html
    assert "乙中学党支部" in html and "乙中学第一党支部" in html
    assert 'data-bs-toggle="collapse"' in html
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_type="orgs.organization")
    detail = client.get(reverse("audit-detail", args=[entry.pk]))
    assert detail.status_code == 200
    assert ("组织名称", "乙中学党支部", "乙中学第一党支部") in detail.context["rows"]


def test_it_shows_choice_values_in_chinese(world, login):
    client = login(world, "city_admin")
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_repr="测试市教育局党委")
    rows = client.get(reverse("audit-detail", args=[entry.pk])).context["rows"]
    assert ("组织类别", "—", "党委") in rows
    assert ("成立日期", "—", "1990-01-01") in rows
    created = dict((label, new) for label, _, new in rows)["创建时间"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", created)


def test_it_offers_no_way_to_change_an_entry(world, login):
    client = login(world, "city_admin")
    entry = AuditEntry.objects.filter(org_path__startswith=world.orgs["city"].path).first()
    assert client.post(reverse("audit-detail", args=[entry.pk])).status_code == 405
    assert client.post(reverse("audit-list")).status_code == 405
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="x")
    assert AuditEntry.objects.filter(pk=entry.pk, object_repr=entry.object_repr).exists()


def test_it_names_steps_users_empty_lists_and_account_events(world):
    """Issue 21.6: no raw keys, usernames or `[]` on the detail page."""
    from dangjian.core.audit_views import audited_types, change_rows

    user = world.users["secretary_a"]
    step = AuditEntry(
        object_type="recruitment.step",
        changes={
            "key": [None, "talk"],
            "recorded_by": [None, user.username],
            "warnings": [None, []],
        },
    )
    shown = {label: new for label, _old, new in change_rows(step)}
    assert shown["步骤"] != "talk" and not shown["步骤"].isascii()
    assert shown["记录人"] == (user.get_full_name() or user.first_name or user.username)
    assert shown["提示"] == "—"
    account = AuditEntry(
        object_type=get_user_model()._meta.label_lower, changes={"second_factor": [None, "totp"]}
    )
    assert change_rows(account) == [("两步验证", "—", "身份验证器")]
    assert "stats.datachange" not in audited_types()
    assert "stats.dataversion" not in audited_types()


def test_it_names_a_foreign_key_for_a_reader_who_may_see_the_record(world):
    """Issue 21.6: an org or school changed on a record shows by name, not by its id; a
    reader outside that record's scope (or an export, which has no reader) keeps the id."""
    from dangjian.core.audit_views import change_rows

    ba, bb = world.orgs["ba"], world.orgs["bb"]
    entry = AuditEntry(object_type="members.member", changes={"org": [ba.pk, bb.pk]})
    rows = change_rows(entry, world.users["county_admin"])
    assert rows == [("所在党组织", f"甲小学党支部 (#{ba.pk})", f"乙中学党支部 (#{bb.pk})")]
    rows = change_rows(entry, world.users["secretary_a"])
    assert rows == [("所在党组织", f"甲小学党支部 (#{ba.pk})", str(bb.pk))]
    assert change_rows(entry) == [("所在党组织", str(ba.pk), str(bb.pk))]
