"""Writing audit rows: services call these inside their transaction.

`created`, `changed` and `deleted` are the one way a service audits a write to a record:
they take the record's picture (`state`), compare it with the one taken before, and write
the row. `record` is for events that are not a change of fields (a sign-in, a reveal)."""

import datetime as dt
import decimal
import uuid

from django.db import models

from dangjian.core.context import current_origin
from dangjian.core.models import AuditAction, AuditEntry

__all__ = [
    "AuditAction",
    "changed",
    "created",
    "deleted",
    "diff",
    "record",
    "snapshot",
    "state",
]


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, exclude: tuple[str, ...] = ()) -> dict:
    """Concrete field values (FKs as ids) in JSON form."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        data[field.name] = _jsonable(getattr(obj, field.attname))
    return data


def diff(before: dict, after: dict) -> dict:
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    actor,
    action: int,
    obj: models.Model | None = None,
    *,
    changes: dict | None = None,
    org_path: str = "",
    object_repr: str | None = None,
) -> AuditEntry:
    origin = current_origin()
    real_user = actor if getattr(actor, "pk", None) is not None else None
    return AuditEntry.objects.create(
        actor=real_user,
        actor_name=getattr(actor, "username", "") or "anonymous",
        ip=origin.ip,
        request_id=origin.request_id,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(
            object_repr if object_repr is not None else (str(obj) if obj is not None else "")
        )[:200],
        org_path=org_path,
        changes=changes or {},
    )


def batch(actor, action: int, *, org_path: str, object_repr: str, **facts) -> AuditEntry:
    """One row for a whole file (an import, an export): its figures (counts, SHA-256, the
    filter) and never the rows themselves, which may hold ID numbers."""
    changes = {key: [None, value] for key, value in facts.items()}
    return record(actor, action, None, changes=changes, org_path=org_path, object_repr=object_repr)


def state(obj: models.Model, exclude: tuple[str, ...] = ()) -> dict:
    """The audit's picture of a record: the model's own `audit_snapshot()` where it defines
    one (to keep secrets out of the log), else its field values less `exclude`."""
    shaped = getattr(obj, "audit_snapshot", None)
    return shaped() if shaped is not None else snapshot(obj, exclude)


def created(
    actor,
    obj: models.Model,
    *,
    org_path: str,
    exclude: tuple[str, ...] = (),
    extra: dict | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    """A new record: every field it was created with."""
    return changed(
        actor, obj, None, org_path=org_path, exclude=exclude, extra=extra, object_repr=object_repr
    )


def changed(
    actor,
    obj: models.Model,
    before: dict | None,
    *,
    org_path: str,
    action: int | None = None,
    exclude: tuple[str, ...] = (),
    extra: dict | None = None,
    object_repr: str | None = None,
) -> AuditEntry | None:
    """A record saved after `before = state(obj)` was taken (None: the record is new, a
    CREATE, always written). Writes the fields that differ plus `extra`; nothing when
    neither has any, so a save that changed nothing leaves no row."""
    if action is None:
        action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    changes = diff(before or {}, state(obj, exclude)) | (extra or {})
    if not changes and before is not None:
        return None
    return record(actor, action, obj, changes=changes, org_path=org_path, object_repr=object_repr)


def deleted(
    actor,
    obj: models.Model,
    *,
    org_path: str,
    exclude: tuple[str, ...] = (),
    object_repr: str | None = None,
) -> AuditEntry:
    """A record about to be deleted (call before `delete()`, while it still has its key)."""
    return record(
        actor,
        AuditAction.DELETE,
        obj,
        changes=diff(state(obj, exclude), {}),
        org_path=org_path,
        object_repr=object_repr,
    )
