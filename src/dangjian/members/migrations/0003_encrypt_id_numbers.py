"""公民身份号码 encrypted at rest, step 2 of 3 (DESIGN 7): every clear number becomes AES-GCM
ciphertext, a keyed lookup hash and the 4-character suffix that the mask shows anyway.

Existing rows are encrypted with the installation's ID key (DANGJIAN_ID_KEY or
$DANGJIAN_HOME/id_key); migrating backwards decrypts them again with the same key."""

from django.db import migrations

BATCH = 1000


def encrypt_existing(apps, schema_editor):
    from dangjian.core import crypto

    Member = apps.get_model("members", "Member")
    rows = Member.objects.using(schema_editor.connection.alias).order_by("pk")
    batch = []
    for member in rows.iterator(chunk_size=BATCH):
        number = (member.id_number or "").strip().upper()
        member.id_cipher = crypto.encrypt_id(number)
        member.id_hash = crypto.hash_id(number)
        member.id_suffix = number[-4:]
        member.id_number = None
        batch.append(member)
        if len(batch) >= BATCH:
            Member.objects.using(schema_editor.connection.alias).bulk_update(batch, ["id_cipher", "id_hash", "id_suffix", "id_number"])
            batch = []
    if batch:
        Member.objects.using(schema_editor.connection.alias).bulk_update(batch, ["id_cipher", "id_hash", "id_suffix", "id_number"])


def decrypt_existing(apps, schema_editor):
    from dangjian.core import crypto

    Member = apps.get_model("members", "Member")
    rows = Member.objects.using(schema_editor.connection.alias).order_by("pk")
    batch = []
    for member in rows.iterator(chunk_size=BATCH):
        member.id_number = crypto.decrypt_id(member.id_cipher)
        batch.append(member)
        if len(batch) >= BATCH:
            Member.objects.using(schema_editor.connection.alias).bulk_update(batch, ["id_number"])
            batch = []
    if batch:
        Member.objects.using(schema_editor.connection.alias).bulk_update(batch, ["id_number"])


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0002_id_number_cipher_columns"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
    ]
