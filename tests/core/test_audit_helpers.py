"""The audit helpers every service writes through (core.audit.created/changed/deleted)."""

from dangjian.core import audit
from dangjian.core.audit import AuditAction
from dangjian.core.models import AuditEntry
from dangjian.members import services as members
from dangjian.orgs import services as orgs


def test_a_save_that_changes_nothing_writes_no_row(world):
    admin = world.users["city_admin"]
    member = world.members["a1"]
    count = AuditEntry.objects.count()
    members.update_member(admin, member, name=member.name)
    assert AuditEntry.objects.count() == count
    members.update_member(admin, member, name="改名")
    entry = AuditEntry.objects.latest("id")
    assert entry.action == AuditAction.UPDATE
    assert entry.changes == {"name": [member.name, "改名"]}


def test_a_deleted_record_keeps_its_last_fields(world):
    admin = world.users["city_admin"]
    org = orgs.create_org(
        admin, parent=world.orgs["city"], code="T-DEL", name="待删", kind="committee"
    )
    orgs.delete_org(admin, org)
    entry = AuditEntry.objects.latest("id")
    assert entry.action == AuditAction.DELETE
    assert entry.changes["name"] == ["待删", None]
    assert entry.org_path == org.path


def test_extra_changes_are_written_even_when_the_fields_are_the_same(world):
    org = world.orgs["ba"]
    before = audit.state(org)
    entry = audit.changed(
        world.users["city_admin"],
        org,
        before,
        action=AuditAction.MOVE,
        org_path=org.path,
        extra={"parent": ["A", "B"]},
    )
    assert entry.action == AuditAction.MOVE
    assert entry.changes == {"parent": ["A", "B"]}


def test_a_person_is_audited_by_the_mask_never_the_number(world):
    member = world.members["a1"]
    members.update_member(world.users["city_admin"], member, phone="13912345678")
    entry = AuditEntry.objects.latest("id")
    assert entry.changes["phone"][1] == "13912345678"
    state = audit.state(member)
    assert state["id_number"] == member.masked_id
    assert not {"id_cipher", "id_hash", "id_suffix"} & set(state)
    created = audit.created(world.users["city_admin"], member, org_path=member.org.path)
    assert created.action == AuditAction.CREATE
    assert created.changes["id_number"] == [None, member.masked_id]
    assert member.id_number not in str(created.changes)
