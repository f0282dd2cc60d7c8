"""党费 rules at their edges: the 2008 bands ("以下" includes the number), retirees,
students, dues from the month of admission, back-pay of at most 6 months, voluntary
payments to the Centre, reductions only once approved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.context import CLI
from dangjian.dues import rules as R
from dangjian.dues import services
from dangjian.dues.models import DuesMonth, DuesRate
from dangjian.members.models import Member
from tests.dues.helpers import dues_member

MONTH = dt.date(2025, 3, 1)


@pytest.fixture
def table(db):
    return R.RateTable()


@pytest.mark.parametrize(
    ("base", "due"),
    [
        ("0.01", "0.00"),
        ("3000.00", "15.00"),  # 0.5%: 3000 is still in the first band
        ("3000.01", "30.00"),  # 1%
        ("5000.00", "50.00"),  # 1%: 5000 is in the second band
        ("5000.01", "75.00"),  # 1.5%
        ("10000.00", "150.00"),  # 1.5%: 10000 is in the third band
        ("10000.01", "200.00"),  # 2%
        ("20000.00", "400.00"),
    ],
)
def test_it_charges_salaried_members_by_band(table, base, due):
    assert table.due(MONTH, "salaried", Decimal(base)) == Decimal(due)


@pytest.mark.parametrize(
    ("base", "due"),
    [("3000.00", "15.00"), ("5000.00", "25.00"), ("5000.01", "50.00"), ("8000.00", "80.00")],
)
def test_it_charges_retirees_half_a_percent_up_to_5000(table, base, due):
    assert table.due(MONTH, "retired", Decimal(base)) == Decimal(due)


@pytest.mark.parametrize("category", ["student", "unemployed"])
def test_it_charges_students_and_the_unemployed_twenty_fen(table, category):
    assert table.due(MONTH, category, Decimal(0)) == Decimal("0.20")
    assert table.due(MONTH, category, Decimal("9000")) == Decimal("0.20")


def test_it_applies_the_rate_table_in_force_in_the_month(db):
    DuesRate.objects.create(
        valid_from=dt.date(2030, 1, 1), category="student", flat=Decimal("0.50"), source="test"
    )
    table = R.RateTable()
    assert table.due(dt.date(2029, 12, 1), "student", Decimal(0)) == Decimal("0.20")
    assert table.due(dt.date(2030, 1, 1), "student", Decimal(0)) == Decimal("0.50")
    assert table.due(dt.date(2008, 3, 1), "student", Decimal(0)) is None  # before any table


def test_it_owes_dues_from_the_month_of_admission(world):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 3, 31), base="3000.00")
    months = list(DuesMonth.objects.filter(member=member).order_by("month"))
    assert months[0].month == dt.date(2025, 3, 1)
    assert len(months) == 10  # March to December
    assert {m.due for m in months} == {Decimal("15.00")}


def test_it_refuses_a_payment_for_a_month_before_admission(world):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 3, 31))
    with pytest.raises(ValidationError) as error:
        services.record_payment(
            CLI, member, month=dt.date(2025, 2, 1), paid_on=dt.date(2025, 4, 1), method="cash"
        )
    assert "入党当月" in str(error.value)


def test_it_accepts_back_pay_of_six_months_and_refuses_the_seventh(world):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 1))
    paid_on = dt.date(2025, 8, 15)
    payment = services.record_payment(
        CLI, member, month=dt.date(2025, 2, 1), paid_on=paid_on, method="transfer"
    )
    assert payment.amount == Decimal("40.00")
    with pytest.raises(ValidationError) as error:
        services.record_payment(
            CLI, member, month=dt.date(2025, 1, 1), paid_on=paid_on, method="transfer"
        )
    assert "最多补交6个月" in str(error.value)


def test_it_pays_several_months_under_one_receipt(world):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 1))
    payments = services.pay_months(
        CLI,
        member,
        first_month=dt.date(2025, 3, 1),
        count=3,
        paid_on=dt.date(2025, 5, 10),
        method="cash",
    )
    assert len(payments) == 3 and len({p.receipt_no for p in payments}) == 1
    paid = DuesMonth.objects.filter(member=member, paid__gt=0).values_list("month", flat=True)
    assert sorted(paid) == [dt.date(2025, 3, 1), dt.date(2025, 4, 1), dt.date(2025, 5, 1)]


def test_it_takes_partial_payments_but_not_more_than_is_owed(world):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 1))
    args = {"month": dt.date(2025, 1, 1), "paid_on": dt.date(2025, 1, 20), "method": "cash"}
    services.record_payment(CLI, member, amount="15.00", **args)
    row = DuesMonth.objects.get(member=member, month=dt.date(2025, 1, 1))
    assert (row.due, row.paid, row.owed) == (Decimal("40.00"), Decimal("15.00"), Decimal("25"))
    with pytest.raises(ValidationError):
        services.record_payment(CLI, member, amount="25.01", **args)
    services.record_payment(CLI, member, **args)  # the rest
    row.refresh_from_db()
    assert row.owed == 0
    with pytest.raises(ValidationError):
        services.record_payment(CLI, member, **args)


def test_it_sends_a_voluntary_payment_of_1000_yuan_or_more_to_the_centre(world):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 1))
    args = {"paid_on": dt.date(2025, 7, 1), "method": "transfer"}
    below = services.record_voluntary(CLI, member, amount="999.99", **args)
    at = services.record_voluntary(CLI, member, amount="1000.00", **args)
    assert (below.to_centre, at.to_centre) == (False, True)
    # Not part of what the month owes.
    assert DuesMonth.objects.get(member=member, month=dt.date(2025, 7, 1)).paid == 0


def test_it_changes_what_is_due_only_when_a_reduction_is_approved(world):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 1))
    reduction = services.propose_reduction(
        CLI,
        member,
        kind="reduce",
        first_month=dt.date(2025, 4, 1),
        last_month=dt.date(2025, 6, 1),
        monthly_amount="5.00",
        reason="家庭困难",
    )
    april = DuesMonth.objects.get(member=member, month=dt.date(2025, 4, 1))
    assert april.due == Decimal("40.00")
    services.decide_reduction(CLI, reduction, approve=True)
    april.refresh_from_db()
    july = DuesMonth.objects.get(member=member, month=dt.date(2025, 7, 1))
    assert (april.due, april.reduction, july.due) == (Decimal("5.00"), "reduce", Decimal("40.00"))


def test_it_lets_only_the_superior_committee_approve(world):
    from personas import add_user

    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 1))
    reduction = services.propose_reduction(
        CLI,
        member,
        kind="exempt",
        first_month=dt.date(2025, 4, 1),
        last_month=dt.date(2025, 4, 1),
        reason="重病",
    )
    assert not services.may_decide(world.users["secretary_a"], reduction)
    general_branch = add_user("gb_admin", world.orgs["gb"], "organiser")
    assert services.may_decide(general_branch, reduction)
    assert services.may_decide(world.users["county_admin"], reduction)
    assert not services.may_decide(world.users["secretary_b"], reduction)


def test_it_refuses_a_base_for_a_salaried_member_without_an_amount(world):
    member = Member.objects.get(pk=world.members["a1"].pk)
    with pytest.raises(ValidationError) as error:
        services.set_base(CLI, member, year=2025, category="salaried", base="0")
    assert "base" in error.value.message_dict
    services.set_base(CLI, member, year=2025, category="student", base="0")
    assert DuesMonth.objects.filter(member=member, due=Decimal("0.20")).count() == 12


def test_it_keeps_the_branch_out_of_another_branchs_members(world):
    from dangjian.core.scope import NotInScope

    member = Member.objects.get(pk=world.members["b1"].pk)
    with pytest.raises(NotInScope):
        services.set_base(
            world.users["secretary_a"], member, year=2025, category="salaried", base="3000"
        )
