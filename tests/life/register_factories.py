"""Register factories of 组织生活 (merged into tests/registers/factories.py)."""

import datetime as dt
import itertools

from personas import add_member, add_org

from dangjian.core.context import CLI
from dangjian.life import services


def meeting(world, org, i):
    """A 支委会 entered from paper (counts only), so no persona is on its roster."""
    return services.create_meeting(
        CLI,
        org=org,
        kind="committee",
        title=f"支委会{i}",
        held_on=dt.date(2024, 3, 1) + dt.timedelta(days=i),
        roster=False,
        expected_count=5,
        present_count=4,
    )


def series(world, org, i):
    return services.create_series(
        CLI,
        org=org,
        name=f"主题系列{i}",
        start_on=dt.date(2024, 1, 1),
        end_on=dt.date(2024, 12, 31),
        items=[("上一次专题党课", "lecture"), ("开展一次主题党日", "theme_day")],
    )


_seq = itertools.count(1)


def groupmember(world, org, i):
    """A member of the branch put into a new 党小组 of it."""
    group = add_org(org, f"R-LG{next(_seq)}", f"第{i}党小组", "group")
    person = add_member(org, f"小组{i}号")
    return services.assign_to_group(CLI, member=person, group=group, start_on=dt.date(2024, 1, 1))


FACTORIES = {"meeting": meeting, "series": series, "groupmember": groupmember}
