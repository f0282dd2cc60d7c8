"""`dangjian backup` / `dangjian restore`: a verified round trip on the database the suite
runs on (SQLite or PostgreSQL), with ID numbers still encrypted in the file."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from personas import build_world, id_numbers_in
from test_every_url import extra_objects

from dangjian.core.management.commands.backup import backup_models, table_digest
from dangjian.core.models import AuditAction, AuditEntry
from dangjian.members.models import Member

# Tests that commit (a dump or a backup must see the data) empty the database afterwards;
# serialized_rollback puts back what data migrations loaded (rule sets), for the tests after.


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def digests() -> dict[str, tuple[int, str]]:
    return {model._meta.label_lower: table_digest(model) for model in backup_models()}


def empty_database() -> None:
    """What `migrate` leaves on a new server: tables, content types, permissions, no data."""
    call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_round_trips_every_table(tmp_path):
    world = build_world()
    extra_objects(world)
    # Every member, those the modules' extra objects add included.
    numbers = {m.pk: m.id_number for m in Member.objects.all()}
    before = digests()
    assert before["members.member"][0] == len(numbers)
    assert before["core.auditentry"][0] > 0
    target = tmp_path / "dangjian.backup"
    assert "备份完成" in run("backup", "-o", str(target))

    empty_database()
    assert Member.objects.count() == 0
    assert "恢复完成并已核对" in run("restore", str(target))

    after = digests()
    # The restore added its own audit entry (and the backup's is newer than the snapshot).
    audit_before, audit_after = before.pop("core.auditentry"), after.pop("core.auditentry")
    assert after == before
    assert audit_after[0] == audit_before[0] + 1
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).latest("id").object_repr
    for pk, number in numbers.items():
        assert Member.objects.get(pk=pk).id_number == number
    # Sequences moved past the restored ids: new rows get fresh keys.
    assert AuditEntry.objects.latest("id").pk > max(
        json.loads(line)["pk"]
        for line in zipfile.ZipFile(target).read("data/core.auditentry.jsonl").splitlines()
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_keeps_id_numbers_encrypted_in_the_file(tmp_path):
    world = build_world()
    target = tmp_path / "b.zip"
    run("backup", "-o", str(target))
    assert (target.stat().st_mode & 0o777) == 0o600
    with zipfile.ZipFile(target) as archive:
        content = b"".join(archive.read(name) for name in archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    for member in world.members.values():
        assert member.id_number.encode() not in content
    assert not id_numbers_in(content)
    assert manifest["id_key_ids"]  # names the key needed, does not contain it
    assert b"id_key" not in content.replace(b'"id_key_ids"', b"")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_refuses_to_restore_over_data(tmp_path):
    build_world()
    target = tmp_path / "b.zip"
    run("backup", "-o", str(target))
    count = Member.objects.count()
    with pytest.raises(CommandError, match="不是空的"):
        run("restore", str(target))
    assert Member.objects.count() == count


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_rejects_a_damaged_backup_and_writes_nothing(tmp_path):
    build_world()
    good = tmp_path / "b.zip"
    run("backup", "-o", str(good))
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "data/members.member.jsonl":
                data = data.replace("张三".encode(), "李三".encode())
            target.writestr(name, data)
    empty_database()
    with pytest.raises(CommandError, match="校验值不符") as caught:
        run("restore", str(bad))
    assert caught.value.returncode == 2
    assert Member.objects.count() == 0


def test_it_refuses_to_overwrite_a_file(tmp_path, db):
    target = tmp_path / "b.zip"
    target.write_bytes(b"x")
    with pytest.raises(CommandError, match="已存在"):
        run("backup", "-o", str(target))
