"""Factories of the 廉政建设 registers for the generic register test: each row through the
app's services, as its page would write it (the confidential ones as the 纪检 role would;
the CLI actor stands in for that role here)."""

import datetime as dt
import itertools

from dangjian.core.context import CLI
from dangjian.integrity import services

_seq = itertools.count(1)
DAY = dt.date(2024, 3, 1)


def risk(world, org, i):
    return services.create_risk(
        CLI,
        org=org,
        domain="procurement",
        post=f"采购岗{i}",
        people=f"管理员{i}",
        description="设备采购中的询价环节",
        level="medium",
        found_on=DAY,
        confirmed_on=DAY + dt.timedelta(days=10),
    )


def measure(world, org, i):
    return services.create_measure(
        CLI,
        risk=risk(world, org, i),
        content=f"三人以上询价并留存记录{i}",
        owner="总务主任",
        set_on=DAY + dt.timedelta(days=20),
        review_on=DAY + dt.timedelta(days=200),
    )


def education(world, org, i):
    return services.create_education(
        CLI,
        org=org,
        kind="warning",
        held_on=DAY + dt.timedelta(days=i),
        title=f"警示教育大会{i}",
        speaker="县纪委",
    )


def petition(world, org, i):
    return services.create_petition(
        CLI,
        org=org,
        received_on=DAY + dt.timedelta(days=i),
        channel="letter",
        subject=f"反映乱收费问题{i}",
        petitioner=f"信访人{next(_seq)}",
    )


def case(world, org, i):
    return services.create_case(
        CLI,
        org=org,
        subject_name=f"被反映人{next(_seq)}",
        matter="违规收受礼金",
        received_on=DAY + dt.timedelta(days=i),
    )


def talk(world, org, i):
    return services.create_talk(
        CLI,
        org=org,
        kind="admonish",
        held_on=DAY + dt.timedelta(days=i),
        person_name=f"干部{next(_seq)}",
        by_whom="纪检组长",
        matter="履职不力",
    )


FACTORIES = {
    "risk": risk,
    "risk-measure": measure,
    "integrity-education": education,
    "petition": petition,
    "case": case,
    "admonition": talk,
}
