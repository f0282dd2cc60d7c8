"""Strict parsing of DANGJIAN_* environment variables.

A bad value stops start-up with a message naming the variable: a silently ignored typo in
production (say DANGJIAN_HTTPS=ture) would weaken security without anyone noticing.
"""

import datetime as dt
import os
import secrets
from pathlib import Path


class ConfigError(Exception):
    pass


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw == "true":
        return True
    if raw == "false":
        return False
    raise ConfigError(f"环境变量 {name} 只能是 true 或 false, 实际为 {raw!r}")


def env_int(name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"环境变量 {name} 必须是整数, 实际为 {raw!r}") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ConfigError(f"环境变量 {name} 超出允许范围 [{minimum}, {maximum}]: {value}")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise ConfigError(f"环境变量 {name} 只能是 {' / '.join(choices)} 之一, 实际为 {raw!r}")
    return raw


def env_date(name: str, default: str) -> dt.date:
    raw = os.environ.get(name) or default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f"环境变量 {name} 必须是日期(YYYY-MM-DD), 实际为 {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    raw = os.environ.get(name, default)
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ConfigError(f"环境变量 {name} 含有空项: {raw!r}")
    return items


def home_dir() -> Path:
    home = Path(os.environ.get("DANGJIAN_HOME") or "./.dangjian").resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def secret_key(home: Path) -> str:
    """The configured key, or one generated once and kept in DANGJIAN_HOME."""
    key = os.environ.get("DANGJIAN_SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("环境变量 DANGJIAN_SECRET_KEY 至少需要 32 个字符")
        return key
    path = home / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
