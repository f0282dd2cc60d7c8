"""Helpers for the org network page tests (personas and world come from tests/personas.py)."""

from dangjian.core.models import AuditEntry


def audit_rows(obj, action):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    )
