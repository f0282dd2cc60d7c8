"""Proof that the spells' copy of the counted member attributes (members.models.MIRRORED)
is exact: the copy equals the member on every spell, and the statistics read from the copy
equal the same figures read through the join to the members (`live=True`)."""

import datetime as dt

from dangjian.members.models import MIRRORED, Membership
from dangjian.orgs.models import Organization
from dangjian.stats.breakdowns import breakdown
from dangjian.stats.engine import make_scope, statistics

DAYS = (dt.date(2016, 12, 31), dt.date(2021, 12, 31), dt.date(2024, 6, 30))
# The whole tree, a county, two branches (the statistics' whole-tree, subtree and small
# subtree paths).
ORGS = ("T-CITY", "T-COUNTY", "T-BA", "T-BX")


def mirror_differences() -> list[tuple]:
    """(spell, attribute, the copy, the member's value) for every copy that differs."""
    return [
        (spell.pk, name, getattr(spell, name), getattr(spell.member, name))
        for spell in Membership.objects.select_related("member").order_by("pk")
        for name in MIRRORED
        if getattr(spell, name) != getattr(spell.member, name)
    ]


def figure_differences(days=DAYS) -> list[tuple]:
    """(org, day, what) wherever the figures from the copy differ from the live join's."""
    found = []
    for org in Organization.objects.filter(code__in=ORGS).order_by("path"):
        for day in days:
            if statistics(org, day) != statistics(org, day, live=True):
                found.append((org.code, day, "statistics"))
            if breakdown(make_scope(org, day)) != breakdown(make_scope(org, day, live=True)):
                found.append((org.code, day, "breakdown"))
    return found


def assert_exact(days=DAYS) -> None:
    assert mirror_differences() == []
    assert figure_differences(days) == []
