"""Register factories of 结对帮扶 (merged into tests/registers/factories.py)."""

import datetime as dt
from decimal import Decimal

from dangjian.core.context import CLI
from dangjian.outreach import services


def pairing(world, org, i):
    return services.create_pairing(
        CLI,
        org=org,
        kind="village",
        partner_name=f"结对村{i}",
        started_on=dt.date(2024, 1, 1) + dt.timedelta(days=i),
        responsible=f"责任人{i}",
        plan="送教下乡",
    )


def assistance(world, org, i):
    return services.record_assistance(
        CLI,
        pairing=pairing(world, org, i),
        kind="money",
        on=dt.date(2024, 3, 1) + dt.timedelta(days=i),
        amount=Decimal("100.00") * (i + 1),
        description=f"慰问金{i}",
    )


FACTORIES = {"pairing": pairing, "assistance": assistance}
