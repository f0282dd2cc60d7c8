"""The main menu, declared by the apps: each app adds its groups and entries in `ready()`,
so a new module appears in the menu without editing the base template or another app.

A group with one visible entry is shown as a plain link, a group with several as a
dropdown; a group with none is not shown. `needs` is a flag of the request's `nav` (see
context_processors: "browse", "add", "manage_users", "audit", "security", "member_self")
or a callable(user) -> bool for a rule of the app's own (e.g. the discipline role)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Group:
    key: str
    label: Any  # lazily translated text
    order: int


@dataclass(frozen=True)
class Entry:
    group: str
    label: Any
    url_name: str
    needs: str | Callable
    order: int = 100
    icon: str = ""


groups: dict[str, Group] = {}
entries: list[Entry] = []


def group(key: str, label, order: int) -> None:
    """Declare a group; declaring the same key again (an app reloaded) replaces it."""
    groups[key] = Group(key, label, order)


def add(group_key: str, label, url_name: str, *, needs: str | Callable = "browse", order=100):
    """Add an entry; the same (group, url name) twice is one entry."""
    entry = Entry(group_key, label, url_name, needs, order)
    entries[:] = [e for e in entries if (e.group, e.url_name) != (group_key, url_name)]
    entries.append(entry)


def visible(user, nav: dict) -> list[dict]:
    """The groups and entries this user may use, in order."""
    shown: dict[str, list[Entry]] = {}
    for entry in entries:
        allowed = entry.needs(user) if callable(entry.needs) else nav.get(entry.needs)
        if allowed:
            shown.setdefault(entry.group, []).append(entry)
    result = []
    for key, items in shown.items():
        declared = groups.get(key)
        if declared is None:
            raise LookupError(f"menu group {key!r} was never declared")
        items.sort(key=lambda e: (e.order, str(e.label)))
        result.append(
            {"key": key, "label": declared.label, "order": declared.order, "entries": items}
        )
    result.sort(key=lambda g: g["order"])
    return result
