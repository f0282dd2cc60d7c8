"""Factories of the 创先争优与示范 registers for the generic register test: the i-th row
owned by `org`, made through the services as a user of the register would."""

import datetime as dt
import itertools

from personas import add_member, add_org

from dangjian.core.context import CLI
from dangjian.excellence import services

_seq = itertools.count(1)


def _unit(org):
    """A new org under `org` (one open check or point per org is the rule)."""
    n = next(_seq)
    return add_org(org, f"X-G{n}", f"第{n}党小组", "group")


def fivegood(world, org, i):
    return services.submit_check(
        CLI, _unit(org), self_checked_on=dt.date(2024, 3, 1) + dt.timedelta(days=i), answers={}
    )


def demopoint(world, org, i):
    return services.apply_point(
        CLI, _unit(org), applied_on=dt.date(2024, 3, 1) + dt.timedelta(days=i)
    )


def starrating(world, org, i):
    person = add_member(org, f"评星{next(_seq)}号")
    return services.rate_member(
        CLI, person, year=2024, stars=3, rated_on=dt.date(2024, 12, 20) + dt.timedelta(days=i)
    )


def commitment(world, org, i):
    person = add_member(org, f"承诺{next(_seq)}号")
    return services.make_commitment(
        CLI, person, year=2024, text=f"承诺{i}: 每学期开设示范课", made_on=dt.date(2024, 2, 1)
    )


def vanguardpost(world, org, i):
    return services.create_post(
        CLI,
        org,
        kind="vanguard",
        name=f"党员先锋岗{i}",
        holder_name=f"负责人{i}",
        start_on=dt.date(2024, 1, 1),
    )


def exemplar(world, org, i):
    return services.create_exemplar(
        CLI,
        org,
        name=f"典型{i}",
        title="优秀共产党员",
        level="county",
        recognised_on=dt.date(2024, 7, 1),
    )


def campaign(world, org, i):
    return services.create_campaign(
        CLI, org, name="四比三优两满意", start_on=dt.date(2024, 3, 1) + dt.timedelta(days=i)
    )


FACTORIES = {
    "fivegood": fivegood,
    "demopoint": demopoint,
    "starrating": starrating,
    "commitment": commitment,
    "vanguardpost": vanguardpost,
    "exemplar": exemplar,
    "campaign": campaign,
}
