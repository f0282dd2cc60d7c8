"""ID numbers encrypted at rest (AES-GCM) with a keyed hash for lookup and uniqueness: no
dump of the database contains one."""

import base64
import datetime as dt
import os
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from personas import add_member, build_world, id_numbers_in, make_id

from dangjian.core import crypto
from dangjian.core.context import CLI
from dangjian.members import services
from dangjian.members.models import Member

# Tests that commit (a dump or a backup must see the data) empty the database afterwards;
# serialized_rollback puts back what data migrations loaded (rule sets), for the tests after.


def test_it_stores_no_number_in_clear(world):
    a1 = world.members["a1"]
    row = Member.objects.filter(pk=a1.pk).values("id_cipher", "id_hash", "id_suffix").get()
    assert a1.id_number not in row["id_cipher"] and a1.id_number not in row["id_hash"]
    assert row["id_cipher"].startswith(f"v1${crypto.keyring().current.key_id}$")
    assert row["id_suffix"] == a1.id_number[-4:]
    assert Member.objects.get(pk=a1.pk).id_number == a1.id_number


def test_it_encrypts_the_same_number_differently_each_time(world):
    number = world.members["a1"].id_number
    assert crypto.encrypt_id(number) != crypto.encrypt_id(number)
    assert crypto.hash_id(number) == crypto.hash_id(number)


def test_it_refuses_a_tampered_ciphertext(world):
    token = crypto.encrypt_id(world.members["a1"].id_number)
    head, body = token.rsplit("$", 1)
    forged = head + "$" + ("A" if body[0] != "A" else "B") + body[1:]
    with pytest.raises(crypto.IdKeyError):
        crypto.decrypt_id(forged)


def test_it_finds_members_by_number_through_the_hash(world):
    a1, b2 = world.members["a1"], world.members["b2"]
    found = Member.objects.with_id_numbers([a1.id_number.lower(), " " + b2.id_number])
    assert set(found) == {a1, b2}
    assert set(Member.objects.search(a1.id_number[-4:])) >= {a1}


def test_it_keeps_numbers_unique_through_the_hash(world):
    taken = world.members["a1"].id_number
    with pytest.raises(ValidationError) as caught:
        add_member(world.orgs["ba"], "重复", id_number=taken)
    assert caught.value.message_dict["id_number"] == ["公民身份号码已存在"]


def test_it_keeps_the_ciphertext_when_an_edit_leaves_the_number(world):
    a1 = world.members["a1"]
    before = Member.objects.get(pk=a1.pk).id_cipher
    services.update_member(CLI, a1, title="一级教师")
    assert Member.objects.get(pk=a1.pk).id_cipher == before


def test_it_audits_the_mask_not_the_ciphertext(world):
    from dangjian.core.models import AuditAction, AuditEntry

    entry = AuditEntry.objects.get(
        action=AuditAction.CREATE,
        object_type="members.member",
        object_id=str(world.members["a1"].pk),
    )
    assert entry.changes["id_number"][1] == world.members["a1"].masked_id
    assert not {"id_cipher", "id_hash"} & set(entry.changes)


def database_dump() -> bytes:
    """Every byte the database would hand over: the SQLite file or a pg_dump."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        target = os.path.join(os.environ.get("DANGJIAN_HOME", "/tmp"), "dump-check.sqlite3")
        if os.path.exists(target):
            os.remove(target)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [target])
        try:
            with open(target, "rb") as handle:
                return handle.read()
        finally:
            os.remove(target)
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump 未安装")
    env = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    command = ["pg_dump", "--no-owner", "--data-only", "-d", settings_dict["NAME"]]
    for option, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings_dict.get(key):
            command += [option, str(settings_dict[key])]
    return subprocess.run(command, env=env, capture_output=True, check=True, timeout=120).stdout


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_leaves_no_id_number_in_a_dump_of_the_database():
    world = build_world()
    dump = database_dump()
    assert world.members["a1"].name.encode() in dump, "the dump holds the member records"
    for member in world.members.values():
        assert member.id_number.encode() not in dump
        assert member.id_number[:14].encode() not in dump  # nor the birth-date part
    assert not id_numbers_in(dump)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_encrypts_existing_rows_in_the_migration_and_decrypts_them_backwards():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    build_world()
    numbers = dict(Member.objects.values_list("pk", "id_cipher"))
    plain = {pk: crypto.decrypt_id(cipher) for pk, cipher in numbers.items()}
    try:
        executor.migrate([("members", "0001_initial")])
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, id_number FROM members_member")
            assert dict(cursor.fetchall()) == plain, "backwards: numbers decrypted"
        executor = MigrationExecutor(connection)
        executor.migrate([("members", "0004_drop_clear_id_number")])
        columns = {
            c.name
            for c in connection.introspection.get_table_description(
                connection.cursor(), "members_member"
            )
        }
        assert "id_number" not in columns
        for member in Member.objects.all():
            assert member.id_number == plain[member.pk]
            assert member.id_hash == crypto.hash_id(plain[member.pk])
            assert member.id_cipher != numbers[member.pk]  # freshly encrypted
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)


def key_text(key: crypto.IdKey) -> str:
    return base64.urlsafe_b64encode(key.master).decode()


@pytest.fixture
def file_keys(tmp_path, settings):
    """An installation whose key lives in a home folder of its own, the test run's key kept
    there as an earlier one (the world was written under it)."""
    crypto.write_key_file(tmp_path / crypto.KEY_FILE, crypto.new_key_text())
    crypto.write_key_file(
        tmp_path / (crypto.OLD_KEY_PREFIX + "0"), key_text(settings.ID_KEYRING.current)
    )
    settings.HOME = tmp_path
    settings.ID_KEYRING = crypto.load_keyring(tmp_path)
    return tmp_path


def test_it_rotates_a_key_file_and_keeps_the_old_key_readable(world, file_keys, settings):
    old = settings.ID_KEYRING
    # One row under the current file key, the others still under the earlier key.
    member = Member(id_number=make_id(dt.date(1990, 3, 4), 901))
    number = member.id_number
    Member.objects.filter(pk=world.members["a1"].pk).update(
        id_cipher=member.id_cipher, id_hash=member.id_hash
    )
    b1 = world.members["b1"]
    call_command("rotate-id-key", stdout=open(os.devnull, "w"))  # noqa: SIM115
    olds = sorted(file_keys.glob(crypto.OLD_KEY_PREFIX + "*"))
    assert len(olds) == 2 and all((p.stat().st_mode & 0o777) == 0o600 for p in olds)
    assert not (file_keys / crypto.NEXT_KEY_FILE).exists()
    settings.ID_KEYRING = crypto.load_keyring(file_keys)
    new = settings.ID_KEYRING.current.key_id
    assert new != old.current.key_id
    assert old.current.key_id in settings.ID_KEYRING.keys
    for cipher in Member.objects.values_list("id_cipher", flat=True):
        assert crypto.key_id_of(cipher) == new
    assert Member.objects.with_id_numbers([number]).get().pk == world.members["a1"].pk
    assert Member.objects.with_id_numbers([b1.id_number]).get() == b1


def test_it_rotates_an_environment_key(world, monkeypatch, settings, tmp_path):
    before = {m.pk: m.id_number for m in Member.objects.all()}
    old_text = crypto.new_key_text()
    first = crypto.Keyring(crypto.parse_key(old_text, "test"))
    for pk, number in before.items():  # everything under the first configured key
        Member.objects.filter(pk=pk).update(
            id_cipher=crypto.encrypt_id(number, first), id_hash=crypto.hash_id(number, first)
        )
    monkeypatch.setenv("DANGJIAN_ID_KEY", crypto.new_key_text())
    monkeypatch.setenv("DANGJIAN_ID_OLD_KEYS", old_text)
    settings.ID_KEYRING = crypto.load_keyring(tmp_path)
    call_command("rotate-id-key", stdout=open(os.devnull, "w"))  # noqa: SIM115
    monkeypatch.delenv("DANGJIAN_ID_OLD_KEYS")
    settings.ID_KEYRING = crypto.load_keyring(tmp_path)
    assert {m.pk: m.id_number for m in Member.objects.all()} == before
    a1 = world.members["a1"]
    assert Member.objects.with_id_numbers([before[a1.pk]]).get() == a1
