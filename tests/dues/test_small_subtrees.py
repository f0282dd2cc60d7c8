"""A small subtree's `dues` key is counted from its candidates' fetched ledger months and
payments (core.small_subtrees); every figure equals the database's aggregates, for every org of
the world, on days and periods around the transfers, payments and warning windows."""

import datetime as dt

from dangjian.core.context import CLI
from dangjian.dues import services
from dangjian.dues.stats import database_figures, fetched_figures
from dangjian.members import services as members
from tests.dues.helpers import dues_member
from tests.small_scopes import scopes_by_ids

YEAR = 2025


def _world_of_dues(world):
    ba, bb, bx = world.orgs["ba"], world.orgs["bb"], world.orgs["bx"]
    # Transferred on 15 July from ba to bx, paid January to June, July and August late.
    mover = dues_member(ba, joined=dt.date(2024, 3, 5), years=[YEAR], name="调动者")
    for month in range(1, 7):
        services.record_payment(
            CLI,
            mover,
            month=dt.date(YEAR, month, 1),
            paid_on=dt.date(YEAR, month, 10),
            method="cash",
        )
    members.update_member(CLI, mover, org=bx, transfer_on=dt.date(YEAR, 7, 15))
    mover.refresh_from_db()
    for month in (7, 8):
        services.record_payment(
            CLI,
            mover,
            month=dt.date(YEAR, month, 1),
            paid_on=dt.date(YEAR, 8, 20),
            method="cash",
        )
    services.record_voluntary(
        CLI, mover, amount="100.00", paid_on=dt.date(YEAR, 9, 2), method="transfer"
    )
    # Transferred on the first of April and then its spells lost: counted where it is now.
    unspelled = dues_member(ba, joined=dt.date(2024, 3, 5), years=[YEAR], name="无任职者")
    members.update_member(CLI, unspelled, org=bx, transfer_on=dt.date(YEAR, 4, 1))
    unspelled.spells.all().delete()
    # Record in bx, spells only in ba (its bx spell lost).
    stray = dues_member(ba, joined=dt.date(2024, 3, 5), years=[YEAR], name="记录在外者")
    members.update_member(CLI, stray, org=bx, transfer_on=dt.date(YEAR, 5, 1))
    stray.spells.filter(org=bx).delete()
    # Transferred on 1 May, its bx spell ended on 1 August while the record stays in bx:
    # from August no spell covers a month, which counts where the record is.
    ended = dues_member(ba, joined=dt.date(2024, 3, 5), years=[YEAR], name="任职已止者")
    members.update_member(CLI, ended, org=bx, transfer_on=dt.date(YEAR, 5, 1))
    ended.spells.filter(org=bx).update(end_on=dt.date(YEAR, 8, 1))
    # Never paid: in arrears, over six months from July.
    dues_member(ba, joined=dt.date(2025, 1, 10), base="3000.00", name="欠费者")
    payer = dues_member(bb, joined=dt.date(2025, 1, 10), base="3000.01", name="交费者")
    for month in range(1, 7):
        services.record_payment(
            CLI,
            payer,
            month=dt.date(YEAR, month, 1),
            paid_on=dt.date(YEAR, month, 20),
            method="cash",
        )
    services.record_payment(
        CLI, payer, month=dt.date(YEAR, 9, 1), paid_on=dt.date(YEAR, 11, 3), method="cash"
    )
    services.record_voluntary(
        CLI, payer, amount="1000.00", paid_on=dt.date(YEAR, 6, 1), method="transfer"
    )


def test_small_subtrees_counted_from_fetched_rows_agree_with_the_database(world):
    _world_of_dues(world)
    days = [dt.date(YEAR, 1, 1), dt.date(YEAR, 3, 31), dt.date(YEAR, 4, 1), dt.date(YEAR, 6, 30)]
    days += [dt.date(YEAR, 7, 1), dt.date(YEAR, 7, 15), dt.date(YEAR, 8, 20), dt.date(YEAR, 9, 2)]
    days += [dt.date(YEAR, 11, 3), dt.date(YEAR, 12, 31), dt.date(YEAR + 1, 2, 1)]
    periods = [None, (dt.date(YEAR, 4, 1), dt.date(YEAR, 8, 31))]
    seen = set()
    for day in days:
        for period in periods:
            for scope in scopes_by_ids(
                day, period or (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
            ):
                fetched = fetched_figures(scope)
                assert fetched == database_figures(scope), (scope.root.code, day, period)
                seen |= {key for key, value in fetched.items() if value}
    assert seen == {"due", "paid", "members_in_arrears", "members_over_6_months"}
