"""Arrears: the warning on the 6th unpaid month on the branch's 待办 list (never a status
change), and the statistics key `dues` (INTERFACES 6) at the same edges."""

import datetime as dt
from decimal import Decimal

from dangjian.core.context import CLI
from dangjian.dues import services
from dangjian.dues.registers import DuesLedgerRegister
from dangjian.members.choices import Status
from dangjian.orgs.models import Organization
from dangjian.stats.engine import statistics
from tests.dues.helpers import dues_member


def _todo(user, day):
    return DuesLedgerRegister.instance.todo(user, day)


def test_it_warns_the_branch_on_the_sixth_unpaid_month(world):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 10), name="欠费者")
    secretary = world.users["secretary_a"]
    # 30 June: January to May are over and unpaid (5 months); June is not over yet.
    assert _todo(secretary, dt.date(2025, 6, 30)) == []
    items = _todo(secretary, dt.date(2025, 7, 1))
    assert len(items) == 1 and "欠费者" in items[0].text and "6个月" in items[0].text
    assert items[0].kind == "dues_arrears"
    # Another branch does not see it; the county does.
    assert _todo(world.users["secretary_b"], dt.date(2025, 7, 1)) == []
    assert len(_todo(world.users["county_admin"], dt.date(2025, 7, 1))) == 1
    member.refresh_from_db()
    assert member.status == Status.ACTIVE  # a reminder, never a status change


def test_it_stops_warning_once_a_month_in_the_window_is_paid(world):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 10))
    services.record_payment(
        CLI, member, month=dt.date(2025, 3, 1), paid_on=dt.date(2025, 7, 1), method="cash"
    )
    assert _todo(world.users["secretary_a"], dt.date(2025, 7, 1)) == []


def _dues(org_key, world, as_of, start=None, end=None):
    root = Organization.objects.get(pk=world.orgs[org_key].pk)
    period = (start or dt.date(as_of.year, 1, 1), end or dt.date(as_of.year, 12, 31))
    return statistics(root, as_of, period)["dues"]


def test_it_computes_the_dues_key_from_the_ledger_and_payments(world):
    unpaid = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 10), base="3000.00")
    payer = dues_member(world.orgs["bb"], joined=dt.date(2025, 1, 10), base="3000.01")
    for month in range(1, 7):
        services.record_payment(
            CLI,
            payer,
            month=dt.date(2025, month, 1),
            paid_on=dt.date(2025, month, 20),
            method="cash",
        )
    services.record_voluntary(
        CLI, payer, amount="1000.00", paid_on=dt.date(2025, 6, 1), method="transfer"
    )
    as_of = dt.date(2025, 7, 1)
    section = _dues("county", world, as_of)
    # Due January to July: 7 x 15.00 + 7 x 30.00; paid 6 x 30.00 + 1000.
    # The payer owes nothing before July; the other member owes six months.
    assert section == {
        "due": 315.0,
        "paid": 1180.0,
        "members_in_arrears": 1,
        "members_over_6_months": 1,
    }
    assert _dues("bb", world, as_of)["members_in_arrears"] == 0
    # As of 30 June only five months are over: in arrears, not yet over six months.
    assert _dues("ba", world, dt.date(2025, 6, 30))["members_over_6_months"] == 0
    assert _dues("ba", world, dt.date(2025, 6, 30))["members_in_arrears"] == 1
    assert unpaid.dues_months.count() == 12


def test_it_counts_arrears_by_the_payments_made_by_the_day(world):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 10))
    services.record_payment(
        CLI, member, month=dt.date(2025, 1, 1), paid_on=dt.date(2025, 3, 5), method="cash"
    )
    assert _dues("ba", world, dt.date(2025, 2, 1))["members_in_arrears"] == 1
    assert _dues("ba", world, dt.date(2025, 3, 5))["members_in_arrears"] == 1  # February owed
    section = _dues("ba", world, dt.date(2025, 3, 5))
    assert section["paid"] == 40.0 and isinstance(section["due"], float)
    assert Decimal(str(section["due"])) == Decimal("120.00")  # January to March
