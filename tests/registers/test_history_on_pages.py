"""The record's audit history on the detail pages of the ported registers: shown to holders
of the audit right over the record (with links to the audit entries), absent for others."""

import pytest
from django.urls import reverse

from dangjian.core.models import AuditAction, AuditEntry

PAGES = {
    "member-detail": lambda world: world.members["a1"],
    "school-detail": lambda world: world.schools["a"],
    "org-detail": lambda world: world.orgs["ba"],
    "user-detail": lambda world: world.users["secretary_a"],
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_it_shows_the_history_to_auditors_only(name, world, login):
    obj = PAGES[name](world)
    url = reverse(name, args=[obj.pk])
    created = AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=AuditAction.CREATE
    ).get()
    page = login(world, "county_admin").get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "变更记录" in html and reverse("audit-detail", args=[created.pk]) in html
    if name != "user-detail":  # user pages are for user managers, who all hold the audit right
        page = login(world, "secretary_a").get(url)
        assert page.status_code == 200 and "变更记录" not in page.content.decode()
