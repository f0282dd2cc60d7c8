"""`dangjian restore FILE`: load a `dangjian backup` file into an empty migrated database.

Everything is checked before and after, in one transaction: the file's tables against the
manifest's checksums, the target's migrations against the backup's, the target empty; then
every table is loaded, each table read back and its row count and checksum compared with the
manifest. Any difference rolls the whole restore back. Exit 0 restored, 1 refused or failed
verification, 2 unusable file.
"""

import contextlib
import hashlib
import json
import zipfile

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from dangjian.core import crypto
from dangjian.core.audit import AuditAction, record
from dangjian.core.context import CLI
from dangjian.core.management.commands.backup import (
    FORMAT,
    VERSION,
    applied_migrations,
    backup_models,
    table_digest,
)

CHUNK = 2000


class RestoreError(CommandError):
    pass


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise CommandError(_("不是 dangjian 备份文件(缺少 manifest.json)"), returncode=2) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise CommandError(_("不支持的备份格式或版本"), returncode=2)
    return manifest


def check_files(archive: zipfile.ZipFile, manifest: dict) -> None:
    for table in manifest["tables"]:
        digest, count = hashlib.sha256(), 0
        try:
            with archive.open(table["file"]) as handle:
                for line in handle:
                    digest.update(line)
                    count += 1
        except KeyError:
            raise CommandError(
                _("备份文件不完整: 缺少 %(f)s") % {"f": table["file"]}, returncode=2
            ) from None
        if count != table["rows"] or digest.hexdigest() != table["sha256"]:
            raise CommandError(
                _("备份文件已损坏: %(t)s 的校验值不符") % {"t": table["model"]}, returncode=2
            )


def check_target(manifest: dict) -> list:
    if applied_migrations() != manifest["migrations"]:
        raise RestoreError(
            _(
                "目标数据库的迁移版本与备份不同: 请用与备份时相同版本的程序, 在空数据库上执行 migrate 后再恢复"
            )
        )
    models = {model._meta.label_lower: model for model in backup_models()}
    missing = [t["model"] for t in manifest["tables"] if t["model"] not in models]
    if missing:
        raise RestoreError(_("备份中的表在本程序中不存在: %(t)s") % {"t": ", ".join(missing)})
    busy = [label for label, model in models.items() if model._base_manager.exists()]
    if busy:
        raise RestoreError(
            _("目标数据库不是空的(%(t)s 等表已有数据); 只能恢复到刚执行过 migrate 的空数据库")
            % {"t": ", ".join(busy[:3])}
        )
    return [models[t["model"]] for t in manifest["tables"]]


def check_keys(manifest: dict) -> list[str]:
    known = set(crypto.keyring().keys)
    return [key_id for key_id in manifest.get("id_key_ids", []) if key_id not in known]


@contextlib.contextmanager
def stored_timestamps(model):
    """bulk_create would stamp auto_now/auto_now_add fields with the restore's time; the
    backup's own values go in instead (as loaddata's raw saves do)."""
    stamped = [
        (field, field.auto_now, field.auto_now_add)
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    for field, _now, _add in stamped:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, now, add in stamped:
            field.auto_now, field.auto_now_add = now, add


def load_table(archive: zipfile.ZipFile, model, name: str) -> None:
    batch: list[dict] = []

    def flush():
        objects = [
            item.object
            for item in serializers.deserialize("python", batch, ignorenonexistent=False)
        ]
        model._base_manager.bulk_create(objects, batch_size=CHUNK)
        batch.clear()

    with archive.open(name) as handle, stored_timestamps(model):
        for line in handle:
            batch.append(json.loads(line))
            if len(batch) >= CHUNK:
                flush()
        if batch:
            flush()


def restore(path) -> dict:
    """Restore the backup at `path`; return its manifest. Raises CommandError."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        raise CommandError(_("无法读取备份文件: %(p)s") % {"p": path}, returncode=2) from None
    with archive:
        manifest = read_manifest(archive)
        check_files(archive, manifest)
        with transaction.atomic():
            ordered = check_target(manifest)
            for model, table in zip(ordered, manifest["tables"], strict=True):
                load_table(archive, model, table["file"])
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), ordered):
                    cursor.execute(sql)
            try:
                connection.check_constraints()
            except IntegrityError as exc:
                raise RestoreError(_("恢复后的数据不一致: %(e)s") % {"e": exc}) from None
            for model, table in zip(ordered, manifest["tables"], strict=True):
                if table_digest(model) != (table["rows"], table["sha256"]):
                    raise RestoreError(
                        _("校验失败: %(t)s 恢复后的内容与备份不符, 已全部撤销")
                        % {"t": table["model"]}
                    )
    return manifest


class Command(BaseCommand):
    help = _("从 dangjian backup 生成的文件恢复到空数据库(恢复后逐表核对行数和校验值)")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("备份文件"))
        parser.add_argument(
            "--ignore-id-key",
            action="store_true",
            help=_("本机没有备份所用的身份证号密钥时仍然恢复(恢复后无法解密身份证号)"),
        )

    def handle(self, *args, file, ignore_id_key, **options):
        if not zipfile.is_zipfile(file):
            raise CommandError(_("不是 zip 格式的备份文件: %(p)s") % {"p": file}, returncode=2)
        with zipfile.ZipFile(file) as archive:
            manifest = read_manifest(archive)
        unknown = check_keys(manifest)
        if unknown and not ignore_id_key:
            raise CommandError(
                _(
                    "备份中的身份证号由密钥 %(k)s 加密, 本机未配置该密钥 (DANGJIAN_ID_KEY / "
                    "DANGJIAN_ID_OLD_KEYS 或 id_key 文件); 请先配置密钥再恢复"
                )
                % {"k": ", ".join(unknown)}
            )
        try:
            manifest = restore(file)
        except DatabaseError as exc:
            raise CommandError(_("恢复失败, 已全部撤销: %(e)s") % {"e": exc}) from None
        rows = sum(table["rows"] for table in manifest["tables"])
        record(
            CLI,
            AuditAction.IMPORT,
            None,
            changes={
                "rows": [None, rows],
                "backup_created_at": [None, manifest["created_at"]],
            },
            object_repr=_("从备份恢复数据库"),
        )
        self.stdout.write(
            _("恢复完成并已核对: %(t)d 张表, %(r)d 行 (备份时间 %(at)s)")
            % {"t": len(manifest["tables"]), "r": rows, "at": manifest["created_at"]}
        )
