"""Writing audit rows: services call `record` inside their transaction."""

import datetime as dt
import decimal
import uuid

from django.db import models

from dangjian.core.context import current_origin
from dangjian.core.models import AuditAction, AuditEntry

__all__ = ["AuditAction", "record", "snapshot", "diff"]


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
