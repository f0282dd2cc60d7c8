"""`dangjian rotate-id-key`: re-encrypt every stored ID number under a new key.

Stop the application first: running processes keep the key they started with.

- Key in $DANGJIAN_HOME (the default): the command writes a new key to `id_key.next`,
  re-encrypts and re-hashes every row in one transaction, then makes the new key `id_key`
  and keeps the old one as `id_key.old-<time>`, still readable (backups made before the
  rotation need it). Interrupted, it can simply be run again.
- Key in DANGJIAN_ID_KEY: generate a key with `--print-new-key`, put it in DANGJIAN_ID_KEY
  and the previous key in DANGJIAN_ID_OLD_KEYS, then run the command; it rewrites every row
  not yet under the new key.

Every model with `id_cipher` and `id_hash` columns (members, development candidates) is
rewritten; its `id_suffix`, if any, does not change.
"""

import os

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import crypto
from dangjian.core.audit import AuditAction, record
from dangjian.core.context import CLI

CHUNK = 1000


def encrypted_models() -> list:
    return [
        model
        for model in apps.get_models()
        if {"id_cipher", "id_hash"} <= {field.name for field in model._meta.concrete_fields}
    ]


def rewrite(ring: crypto.Keyring) -> int:
    """Re-encrypt (and re-hash) every row not yet under `ring.current`; return how many."""
    done = 0
    current = ring.current.key_id
    for model in encrypted_models():
        rows = model._base_manager.only("pk", "id_cipher", "id_hash").order_by("pk")
        batch = []
        for obj in rows.iterator(chunk_size=CHUNK):
            if not obj.id_cipher or crypto.key_id_of(obj.id_cipher) == current:
                continue
            plain = crypto.decrypt_id(obj.id_cipher, ring)
            obj.id_cipher = crypto.encrypt_id(plain, ring)
            obj.id_hash = crypto.hash_id(plain, ring)
            batch.append(obj)
            if len(batch) >= CHUNK:
                model._base_manager.bulk_update(batch, ["id_cipher", "id_hash"])
                done += len(batch)
                batch = []
        if batch:
            model._base_manager.bulk_update(batch, ["id_cipher", "id_hash"])
            done += len(batch)
    return done


class Command(BaseCommand):
    help = _("更换身份证号加密密钥: 用新密钥重新加密全部身份证号(请先停止应用)")

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-new-key",
            action="store_true",
            help=_("只生成并打印一个新密钥(用于环境变量 DANGJIAN_ID_KEY), 不改动数据"),
        )

    def handle(self, *args, print_new_key, **options):
        if print_new_key:
            self.stdout.write(crypto.new_key_text())
            return
        if os.environ.get("DANGJIAN_ID_KEY"):
            self.rotate_configured()
        else:
            self.rotate_files()

    def rotate_configured(self) -> None:
        ring = settings.ID_KEYRING
        with transaction.atomic():
            count = rewrite(ring)
            self.audit(count, ring.current.key_id)
        self.stdout.write(
            _(
                "已用当前密钥 %(k)s 重新加密 %(n)d 条身份证号; 确认无误且不再需要旧备份后, 可从 DANGJIAN_ID_OLD_KEYS 中删除旧密钥"
            )
            % {"k": ring.current.key_id, "n": count}
        )

    def rotate_files(self) -> None:
        home = settings.HOME
        old = settings.ID_KEYRING
        next_path = home / crypto.NEXT_KEY_FILE
        if not next_path.exists():
            crypto.write_key_file(next_path, crypto.new_key_text())
        new_key = crypto.parse_key(next_path.read_text(), str(next_path))
        ring = crypto.Keyring(new_key, (old.current, *old.older))
        with transaction.atomic():
            count = rewrite(ring)
            self.audit(count, new_key.key_id)
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        kept = home / f"{crypto.OLD_KEY_PREFIX}{stamp}"
        (home / crypto.KEY_FILE).replace(kept)
        next_path.replace(home / crypto.KEY_FILE)
        self.stdout.write(
            _(
                "已用新密钥 %(k)s 重新加密 %(n)d 条身份证号。旧密钥保存在 %(old)s, 恢复轮换前的备份时需要它; 请重新启动应用。"
            )
            % {"k": new_key.key_id, "n": count, "old": kept}
        )

    @staticmethod
    def audit(count: int, key_id: str) -> None:
        record(
            CLI,
            AuditAction.UPDATE,
            None,
            changes={"reencrypted": [None, count], "id_key": [None, key_id]},
            object_repr=_("更换身份证号加密密钥"),
        )
