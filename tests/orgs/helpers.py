"""Helpers for the org network page tests (personas and world come from tests/personas.py)."""

from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry
from dangjian.orgs import services
from dangjian.orgs.models import MassOrganization, Position


def audit_rows(obj, action):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    )


def assert_refused(response, message):
    """The form came back (200) showing the rule's message instead of redirecting."""
    assert response.status_code == 200, response.status_code
    assert message in response.content.decode(), message


def make_mass_org(school, kind="union"):
    return services.save_mass_org(CLI, MassOrganization(school=school, kind=kind))


def make_position(org, **fields):
    return services.save_position(
        CLI, Position(org=org, title="secretary", holder_name="张三", **fields)
    )
