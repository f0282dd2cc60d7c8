"""Audit: append-only, retained at least 180 days, purged only through the command (itself
audited), exported to .xlsx; an auditor role that reads the audit of its subtree and
nothing else; administrator duties that can be held apart."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from personas import add_user

from dangjian.accounts import services as accounts
from dangjian.core.audit import AuditAction
from dangjian.core.models import AuditEntry
from dangjian.core.roles import ROLE_ACTIONS, Action, Role


def aged(days: int) -> AuditEntry:
    """An entry written `days` ago (appending with a given time is allowed)."""
    return AuditEntry.objects.create(
        at=timezone.now() - dt.timedelta(days=days),
        actor_name="cli",
        action=AuditAction.EXPORT,
        object_repr=f"aged {days}",
    )


def test_it_refuses_to_change_or_delete_entries_through_the_app(world):
    entry = AuditEntry.objects.first()
    for attempt in (
        entry.delete,
        entry.save,
        AuditEntry.objects.all().delete,
        lambda: AuditEntry.objects.update(object_repr="x"),
    ):
        with pytest.raises(PermissionError):
            attempt()


def test_it_purges_only_entries_older_than_the_retention(world, settings):
    assert settings.DANGJIAN_AUDIT_RETENTION_DAYS == 180
    old, kept = aged(181), aged(179)
    out = io.StringIO()
    call_command("audit", "purge", "--dry-run", stdout=out)
    assert AuditEntry.objects.filter(pk=old.pk).exists()
    call_command("audit", "purge", stdout=out)
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    purge = AuditEntry.objects.filter(action=AuditAction.DELETE).latest("id")
    assert purge.object_type == "core.auditentry"
    assert purge.changes["purged"] == [1, 0]
    assert purge.changes["retention_days"] == [None, 180]


def test_it_exports_the_audit_log_to_xlsx(world, tmp_path):
    aged(10)
    aged(40)
    expected = AuditEntry.objects.count() - 1
    target = tmp_path / "audit.xlsx"
    since = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    call_command("audit", "export", "--since", since, "-o", str(target), stdout=io.StringIO())
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "操作人账号", "IP地址", "请求编号", "操作")
    assert len(rows) - 1 == expected  # the header, then every entry since the date
    assert any(row[7] == "aged 10" for row in rows)
    assert "***" in "".join(str(cell) for row in rows for cell in row)  # masked IDs only
    export = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("id")
    assert export.changes["since"] == [None, since]


def make_user(world, username, org, role):
    return add_user(username, world.orgs[org], role)


def test_it_exports_only_the_auditors_subtree(world, tmp_path):
    make_user(world, "auditor_x", "county2", Role.AUDITOR)
    target = tmp_path / "audit.xlsx"
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    call_command(
        "audit",
        "export",
        "--since",
        since,
        "-o",
        str(target),
        "--as",
        "auditor_x",
        stdout=io.StringIO(),
    )
    rows = list(load_workbook(target).active.iter_rows(values_only=True))[1:]
    county2 = world.orgs["county2"].path
    assert rows and all(str(row[8]).startswith(county2) for row in rows)


def test_it_gives_the_auditor_the_audit_and_nothing_else(world, verified_login):
    auditor = make_user(world, "auditor", "county", Role.AUDITOR)
    world.users["auditor"] = auditor
    client = verified_login(world, "auditor")
    page = client.get(reverse("audit-list"))
    assert page.status_code == 200
    entries = list(page.context["page"].object_list)
    county = world.orgs["county"].path
    assert entries and all(e.org_path.startswith(county) for e in entries)
    a1 = world.members["a1"]
    assert client.get(reverse("member-detail", args=[a1.pk])).status_code == 404
    assert client.get(reverse("org-detail", args=[world.orgs["ba"].pk])).status_code == 404
    assert client.get(reverse("member-list")).status_code == 404  # no VIEW role anywhere
    assert client.get("/api/members/").json()["count"] == 0
    assert client.get(reverse("user-list")).status_code == 404
    assert client.get(reverse("security-list")).status_code == 404
    assert client.post(reverse("member-reveal-id", args=[a1.pk])).status_code == 404


def test_it_requires_a_second_factor_of_every_administrator_duty(world):
    for role in (Role.ADMIN, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR):
        user = make_user(world, f"u_{role}", "county", role)
        assert accounts.second_factor_required(user), role
    assert not accounts.second_factor_required(world.users["secretary_a"])


def test_it_maps_every_role_to_actions():
    assert set(ROLE_ACTIONS) == set(Role.values)
    assert ROLE_ACTIONS[Role.AUDITOR] == {Action.AUDIT}
    assert ROLE_ACTIONS[Role.SECURITY_ADMIN] == {Action.MANAGE_SECURITY}
    assert ROLE_ACTIONS[Role.SYSTEM_ADMIN] == {Action.MANAGE_USERS}


def test_it_lets_a_system_administrator_grant_only_what_they_hold(world):
    system = make_user(world, "system", "county", Role.SYSTEM_ADMIN)
    target = world.users["secretary_b"]
    accounts.grant_role(system, target, world.orgs["bb"], Role.VIEWER)
    for role in (Role.AUDITOR, Role.SECURITY_ADMIN, Role.ADMIN):
        with pytest.raises(ValidationError) as caught:
            accounts.grant_role(system, target, world.orgs["bb"], role)
        assert caught.value.message_dict["role"] == ["您无权授予该角色"]
    accounts.grant_role(world.users["county_admin"], target, world.orgs["bb"], Role.AUDITOR)


def test_it_keeps_duties_apart_when_configured(world, settings):
    settings.DANGJIAN_SEPARATE_DUTIES = True
    admin, target = world.users["city_admin"], world.users["secretary_b"]
    accounts.grant_role(admin, target, world.orgs["bb"], Role.AUDITOR)
    with pytest.raises(ValidationError, match="三员分立"):
        accounts.grant_role(admin, target, world.orgs["bb"], Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError, match="三员分立"):
        accounts.grant_role(admin, world.users["secretary_a"], world.orgs["ba"], Role.ADMIN)
