"""Factories of the lifecycle registers (transfer, letter, letter request, flowing,
decision) for the generic register test: each row made through the lifecycle services,
owned by `org`."""

import datetime as dt
import itertools

from personas import add_member, add_org

from dangjian.core.context import CLI
from dangjian.members import lifecycle
from dangjian.orgs.models import Organization

_seq = itertools.count(7000)


def _sibling(org):
    """A new branch beside `org` (under its parent), outside the branch secretaries' scope."""
    parent = Organization.objects.get(path=org.path[: -Organization.steplen])
    n = next(_seq)
    return add_org(parent, f"R-T{n}", f"接收{n}党支部", "branch")


def transfer(world, org, i):
    person = add_member(org, f"转接{i}号")
    return lifecycle.request_transfer(CLI, person, to_org=_sibling(org), reason="工作调动")


def letter(world, org, i):
    person = add_member(org, f"介绍信{i}号")
    return lifecycle.issue_letter(
        CLI,
        person,
        number=f"JS{next(_seq)}",
        other_org_name="外省某中学党支部",
        issued_on=dt.date(2025, 3, 1) + dt.timedelta(days=i),
    )


def letter_request(world, org, i):
    person = add_member(org, f"申请{i}号")
    return lifecycle.request_letter(CLI, person, other_org_name=f"外省第{i}中学党支部")


def flowing(world, org, i):
    person = add_member(org, f"流动{i}号")
    return lifecycle.register_flowing(
        CLI,
        person,
        out_on=dt.date(2025, 1, 1) + dt.timedelta(days=i),
        destination="深圳市",
        card_no=f"LD{next(_seq)}",
    )


def decision(world, org, i):
    person = add_member(org, f"决定{i}号")
    return lifecycle.decide(
        CLI, person, kind="deceased", on=dt.date(2025, 5, 1) + dt.timedelta(days=i)
    )


FACTORIES = {
    "transfer": transfer,
    "letter": letter,
    "letter-request": letter_request,
    "flowing": flowing,
    "decision": decision,
}
