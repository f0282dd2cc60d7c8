"""公民身份号码 at rest: AES-256-GCM ciphertext plus an HMAC-SHA256 lookup hash (DESIGN 7).

A database dump, a backup file or a stolen disk image must not contain a single ID number,
yet the registry still has to find a member by number (imports, uniqueness). So each number
is stored twice, neither time readable: encrypted with a random nonce (different every time,
useless for lookup) and hashed with a secret key (the same every time, useless without the
key). Both keys are derived from one master key by HKDF, so an operator keeps one secret:

- `DANGJIAN_ID_KEY` (base64 of 32 random bytes), when the key lives outside the machine
  (a secrets manager, the service unit's environment); `DANGJIAN_ID_OLD_KEYS` (comma
  separated) keeps earlier keys readable during a rotation;
- otherwise `$DANGJIAN_HOME/id_key`, generated once with mode 0600 like the secret key;
  `id_key.next` (a rotation in progress) and `id_key.old-*` (earlier keys) stay readable.

A ciphertext names its key (`v1$<key id>$<nonce+ciphertext>`), so rows written under an old
key keep decrypting until `dangjian rotate-id-key` has rewritten them; lookups always use the
current key's hash, which is why the rotation rewrites the hash of every row in the same
transaction.
"""

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dangjian.env import ConfigError

KEY_FILE = "id_key"
NEXT_KEY_FILE = "id_key.next"
OLD_KEY_PREFIX = "id_key.old-"
VERSION = "v1"
# Binds a ciphertext to its purpose: an ID-number ciphertext cannot pass for another field's.
AAD = b"dangjian:members.member.id_number"


class IdKeyError(Exception):
    """A ciphertext this installation cannot read (unknown key or tampered data)."""


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


@dataclass(frozen=True)
class IdKey:
    master: bytes
    key_id: str = field(init=False)
    aead: AESGCM = field(init=False, repr=False, compare=False)
    mac_key: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if len(self.master) != 32:
            raise ValueError("an ID key is 32 bytes")
        key_id = hashlib.sha256(b"dangjian id key id:" + self.master).hexdigest()[:8]
        object.__setattr__(self, "key_id", key_id)
        object.__setattr__(
            self, "aead", AESGCM(_derive(self.master, b"dangjian id-number encryption v1"))
        )
        object.__setattr__(self, "mac_key", _derive(self.master, b"dangjian id-number lookup v1"))


@dataclass(frozen=True)
class Keyring:
    """`current` encrypts and hashes; every key in `keys` (current included) decrypts."""

    current: IdKey
    older: tuple[IdKey, ...] = ()

    @property
    def keys(self) -> dict[str, IdKey]:
        found = {key.key_id: key for key in self.older}
        found[self.current.key_id] = self.current
        return found


def new_key_text() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def parse_key(text: str, source: str) -> IdKey:
    text = text.strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ConfigError(
            f"{source} 必须是32字节随机密钥的 base64 编码 (可用 `dangjian rotate-id-key --print-new-key` 生成)"
        )
    return IdKey(raw)


def write_key_file(path: Path, text: str) -> None:
    """Create `path` with mode 0600 from the start (never world-readable, not even briefly)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")


def _file_keys(home: Path) -> list[IdKey]:
    found = []
    for path in sorted(home.glob(OLD_KEY_PREFIX + "*")) + [home / NEXT_KEY_FILE]:
        if path.is_file():
            found.append(parse_key(path.read_text(), str(path)))
    return found


def load_keyring(home: Path) -> Keyring:
    """The configured keys; the key file is generated on first start when none is configured."""
    older: list[IdKey] = [
        parse_key(text, "环境变量 DANGJIAN_ID_OLD_KEYS")
        for text in os.environ.get("DANGJIAN_ID_OLD_KEYS", "").split(",")
        if text.strip()
    ]
    configured = os.environ.get("DANGJIAN_ID_KEY", "")
    if configured:
        current = parse_key(configured, "环境变量 DANGJIAN_ID_KEY")
    else:
        path = home / KEY_FILE
        if not path.exists():
            with contextlib.suppress(FileExistsError):  # another process was first
                write_key_file(path, new_key_text())
        current = parse_key(path.read_text(), str(path))
        older.extend(_file_keys(home))
    return Keyring(current, tuple(key for key in older if key.key_id != current.key_id))


def keyring() -> Keyring:
    from django.conf import settings

    return settings.ID_KEYRING


def encrypt_id(plain: str, ring: Keyring | None = None) -> str:
    key = (ring or keyring()).current
    nonce = secrets.token_bytes(12)
    sealed = key.aead.encrypt(nonce, plain.encode(), AAD)
    body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{VERSION}${key.key_id}${body}"


def key_id_of(token: str) -> str:
    parts = token.split("$")
    return parts[1] if len(parts) == 3 and parts[0] == VERSION else ""


def decrypt_id(token: str, ring: Keyring | None = None) -> str:
    if not token:
        return ""
    parts = token.split("$")
    if len(parts) != 3 or parts[0] != VERSION:
        raise IdKeyError("不是本系统的身份证号密文")
    key = (ring or keyring()).keys.get(parts[1])
    if key is None:
        raise IdKeyError(
            f"身份证号密文使用的密钥 {parts[1]} 不在本机配置中 (DANGJIAN_ID_KEY / id_key)"
        )
    data = base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
    try:
        return key.aead.decrypt(data[:12], data[12:], AAD).decode()
    except InvalidTag:
        raise IdKeyError("身份证号密文已损坏或被篡改") from None


def hash_id(plain: str, ring: Keyring | None = None) -> str:
    """Keyed, so the hash of a guessed number cannot be computed without the key (the ID
    number space is small enough that a plain SHA-256 would be brute-forced in minutes)."""
    key = (ring or keyring()).current
    return hmac.new(key.mac_key, plain.encode(), hashlib.sha256).hexdigest()
