"""Factories of the orgs app's election registers for the generic register test."""

import datetime as dt

from dangjian.core.context import CLI
from dangjian.orgs import elections
from dangjian.orgs.models import ActivityRoom, School, SchoolLeader


def election(world, org, i):
    return elections.create_election(
        CLI,
        org=org,
        formed_by="election",
        committee=False,
        seats=1,
        held_on=dt.date(2024, 1, 1) + dt.timedelta(days=i),
    )


def _school(org):
    return School.objects.filter(covering_org=org).order_by("pk").first()


def school_leader(world, org, i):
    return elections.save_leader(
        CLI,
        SchoolLeader(
            school=_school(org),
            title="vice_principal",
            holder_name=f"副校长{i}号",
            start_on=dt.date(2020, 9, 1) + dt.timedelta(days=i),
        ),
    )


def activity_room(world, org, i):
    return elections.save_room(
        CLI,
        ActivityRoom(
            school=_school(org),
            name=f"党员活动室{i}",
            checked_on=dt.date(2025, 5, 1),
            items_met=["place", "flag"],
        ),
    )


FACTORIES = {
    "election": election,
    "school-leader": school_leader,
    "activity-room": activity_room,
}
