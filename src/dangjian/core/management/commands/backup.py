"""`dangjian backup -o FILE`: the whole database in a portable file (DESIGN 7).

The file is a zip: `manifest.json` (format, source database, applied migrations, and per
table the row count and SHA-256 of its data) and one JSON-lines file per table, each line
one row in Django's serialisation. The same file restores into SQLite or PostgreSQL
(`dangjian restore`), into an empty database migrated to the same version.

Left out: sessions (everyone signs in again after a restore), and content types and
permissions, which `migrate` creates in the target. ID numbers stay encrypted: the backup
holds ciphertext only, and the ID key is NOT in it, so keep the key (DANGJIAN_ID_KEY or
$DANGJIAN_HOME/id_key, and any id_key.old-* the backup still needs) in a separate safe place.
"""

import contextlib
import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import crypto
from dangjian.core.audit import AuditAction, record
from dangjian.core.context import CLI

FORMAT = "dangjian-backup"
VERSION = 1
CHUNK = 2000
# Rebuilt by `migrate` (content types, permissions) or meaningless after a restore (sessions).
SKIPPED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "accounts.loginsession",
    # The statistics' change counter: the restored database keeps the row its migration
    # made, with an epoch of its own, so no figure reused before the restore is served.
    "stats.dataversion",
    "stats.datachange",
}
# Only these are referenced by natural key: their ids differ between databases.
NATURAL = (ContentType, Permission)


def backup_models() -> list:
    """Every table with data of its own, many-to-many link tables included, by label."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in SKIPPED
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def data_fields(model) -> list[str]:
    return [field.name for field in model._meta.local_concrete_fields if not field.primary_key]


class RowSerializer(PythonSerializer):
    """Django's own serialisation; foreign keys as ids, except to content types and
    permissions (by natural key, since their ids differ from database to database)."""

    def handle_fk_field(self, obj, field):
        natural = self.use_natural_foreign_keys
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, NATURAL)
        try:
            super().handle_fk_field(obj, field)
        finally:
            self.use_natural_foreign_keys = natural


class Encoder(DjangoJSONEncoder):
    """Times keep their microseconds (Django's encoder cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def encode(row: dict) -> bytes:
    text = json.dumps(row, cls=Encoder, ensure_ascii=False, sort_keys=True)
    return (text + "\n").encode()


def table_lines(model):
    """The table's rows in primary-key order as JSON lines."""
    fields = data_fields(model)
    serializer = RowSerializer()
    rows = model._base_manager.order_by("pk")
    batch = []
    for obj in rows.iterator(chunk_size=CHUNK):
        batch.append(obj)
        if len(batch) >= CHUNK:
            yield from serialize(serializer, batch, fields)
            batch = []
    if batch:
        yield from serialize(serializer, batch, fields)


def serialize(serializer, objects, fields):
    yield from serializer.serialize(objects, fields=fields, use_natural_foreign_keys=True)


def table_digest(model) -> tuple[int, str]:
    """Row count and SHA-256 of the table's JSON lines: what a restore must reproduce."""
    digest, count = hashlib.sha256(), 0
    for row in table_lines(model):
        digest.update(encode(row))
        count += 1
    return count, digest.hexdigest()


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


@contextlib.contextmanager
def consistent_snapshot():
    """Read every table as of one moment without blocking writers for long."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite" and not connection.in_atomic_block:
        # A deferred read transaction: in WAL mode it sees one snapshot while writers go on
        # (Django's own atomic() would take the write lock for the whole backup).
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:
        with transaction.atomic():
            yield


def write_backup(target) -> dict:
    """Write the backup zip to `target` (a path or binary file); return its manifest."""
    tables = []
    key_ids: set[str] = set()
    with (
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        consistent_snapshot(),
    ):
        for model in backup_models():
            label = model._meta.label_lower
            name = f"data/{label}.jsonl"
            digest, count = hashlib.sha256(), 0
            has_ids = "id_cipher" in data_fields(model)
            with archive.open(name, "w", force_zip64=True) as handle:
                for row in table_lines(model):
                    line = encode(row)
                    digest.update(line)
                    handle.write(line)
                    count += 1
                    if has_ids and row["fields"].get("id_cipher"):
                        key_ids.add(crypto.key_id_of(row["fields"]["id_cipher"]))
            tables.append(
                {"model": label, "file": name, "rows": count, "sha256": digest.hexdigest()}
            )
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "source": connection.vendor,
            "migrations": applied_migrations(),
            "id_key_ids": sorted(key_ids),
            "tables": tables,
        }
        archive.writestr(
            "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
        )
    return manifest


class Command(BaseCommand):
    help = _("把整个数据库备份为一个可移植的文件(SQLite 与 PostgreSQL 通用)")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help=_("备份文件"))
        parser.add_argument("--force", action="store_true", help=_("覆盖已存在的文件"))

    def handle(self, *args, output, force, **options):
        path = Path(output)
        if path.exists() and not force:
            raise CommandError(_("文件已存在: %(p)s (覆盖请加 --force)") % {"p": path})
        partial = path.with_name(path.name + ".part")
        try:
            manifest = write_backup(partial)
            partial.chmod(0o600)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        rows = sum(table["rows"] for table in manifest["tables"])
        record(
            CLI,
            AuditAction.EXPORT,
            None,
            changes={"tables": [None, len(manifest["tables"])], "rows": [None, rows]},
            object_repr=_("数据库备份 %(f)s") % {"f": path.name},
        )
        self.stdout.write(
            _("备份完成: %(f)s, %(t)d 张表, %(r)d 行; 身份证号以密文保存, 密钥不在备份中")
            % {"f": path, "t": len(manifest["tables"]), "r": rows}
        )
