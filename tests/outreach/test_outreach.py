"""结对帮扶: the ledger's totals by subtree and period at the date boundaries, the pairing
and ledger rules, scope on the pages and the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.core.context import CLI
from dangjian.core.scope import NotInScope
from dangjian.outreach import services
from dangjian.outreach.models import Assistance
from dangjian.outreach.stats import outreach_section
from dangjian.stats.engine import make_scope, statistics

D = dt.date
PERIOD = (D(2024, 1, 1), D(2024, 12, 31))
STARTED = D(2023, 6, 1)
END = D(2024, 12, 31)


def pair(org, kind="village", started=STARTED, ended=None, **extra):
    data = {"partner_name": "东关村"} if kind not in ("bundled", "urban_rural") else {}
    data.update(extra)
    return services.create_pairing(
        CLI, org=org, kind=kind, started_on=started, ended_on=ended, responsible="张书记", **data
    )


def give(pairing, kind, on, amount=None, quantity=None):
    return services.record_assistance(
        CLI,
        pairing=pairing,
        kind=kind,
        on=on,
        amount=None if amount is None else Decimal(amount),
        quantity=quantity,
        description="帮扶",
    )


def section(org, period=PERIOD, as_of=END):
    return outreach_section(make_scope(org, as_of, period), {})["outreach"]


def test_it_sums_the_ledger_within_the_period_both_ends_included(world):
    p = pair(world.orgs["ba"])
    give(p, "money", D(2023, 12, 31), "1000")  # the day before: out
    give(p, "money", D(2024, 1, 1), "100.50")  # first day: in
    give(p, "money", D(2024, 12, 31), "200")  # last day: in
    give(p, "goods", D(2024, 6, 1), "3500")
    give(p, "books", D(2024, 4, 23), quantity=500)
    give(p, "tuition", D(2024, 9, 1), "4800", quantity=12)
    give(p, "grant", D(2024, 11, 15), "3000", quantity=3)
    give(p, "training", D(2024, 11, 12), quantity=40)
    give(p, "training", D(2024, 12, 3), quantity=30)
    give(p, "visit", D(2024, 5, 1))
    assert section(world.orgs["ba"]) == {
        "pairings": 1,
        "school_pairs": 0,
        "money": 300.5,
        "goods_value": 3500.0,
        "books": 500,
        "tuition_waived": {"students": 12, "yuan": 4800.0},
        "grants": {"students": 3, "yuan": 3000.0},
        "trainings_held": 2,
    }


def test_it_counts_a_subtree_and_never_a_sibling_or_another_county(world):
    give(pair(world.orgs["ba"]), "money", D(2024, 3, 1), "100")
    give(pair(world.orgs["bb"]), "money", D(2024, 3, 1), "20")
    give(pair(world.orgs["bx"]), "money", D(2024, 3, 1), "3")
    assert section(world.orgs["ba"])["money"] == 100.0
    assert section(world.orgs["gb"])["money"] == 120.0
    assert section(world.orgs["county"])["money"] == 120.0
    assert section(world.orgs["county2"])["money"] == 3.0
    assert section(world.orgs["city"])["money"] == 123.0
    assert section(world.orgs["city"])["pairings"] == 3


def test_it_counts_pairings_in_force_on_any_day_of_the_period(world):
    ba = world.orgs["ba"]
    pair(ba, ended=D(2023, 12, 31))  # ended the day before: out
    pair(ba, ended=D(2024, 1, 1))  # ended on the first day: in
    pair(ba, started=D(2024, 12, 31))  # started on the last day: in
    school = world.schools
    pair(ba, kind="bundled", school=school["a"], partner_school=school["c"])
    figures = section(ba)
    assert figures["pairings"] == 3
    assert figures["school_pairs"] == 1
    assert section(ba, period=(D(2025, 1, 1), D(2025, 12, 31)))["pairings"] == 2


def test_it_puts_the_key_in_the_statistics_object(world):
    give(pair(world.orgs["ba"]), "money", D(2024, 3, 1), "86200")
    stats = statistics(world.orgs["city"], D(2024, 12, 31), PERIOD)
    assert stats["outreach"]["money"] == 86200.0


def test_it_asks_a_school_pair_for_both_schools(world):
    with pytest.raises(ValidationError) as caught:
        services.create_pairing(
            CLI,
            org=world.orgs["ba"],
            kind="bundled",
            school=world.schools["a"],
            started_on=D(2024, 1, 1),
            responsible="张书记",
        )
    assert "partner_school" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        pair(
            world.orgs["ba"],
            kind="bundled",
            school=world.schools["a"],
            partner_school=world.schools["a"],
        )
    assert "结对学校不能是帮扶学校本身" in str(caught.value)


def test_it_refuses_a_ledger_entry_without_its_amount_or_outside_the_pairing(world):
    p = pair(world.orgs["ba"], started=D(2024, 1, 1), ended=D(2024, 6, 30))
    with pytest.raises(ValidationError) as caught:
        give(p, "money", D(2024, 2, 1))
    assert "amount" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        give(p, "tuition", D(2024, 2, 1), "400")
    assert "quantity" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        give(p, "money", D(2023, 12, 31), "10")
    assert "不能早于结对日期" in str(caught.value)
    with pytest.raises(ValidationError):
        give(p, "money", D(2024, 7, 1), "10")
    assert give(p, "money", D(2024, 6, 30), "10").amount == Decimal("10")


def test_it_keeps_a_secretary_to_their_own_branch(world):
    secretary = world.users["secretary_a"]
    mine = services.create_pairing(
        secretary,
        org=world.orgs["ba"],
        kind="family",
        partner_name="困难党员家庭",
        started_on=D(2024, 1, 1),
        responsible="张书记",
    )
    give(mine, "money", D(2024, 2, 1), "50")
    theirs = pair(world.orgs["bb"])
    with pytest.raises(NotInScope):
        services.create_pairing(
            secretary,
            org=world.orgs["bb"],
            kind="family",
            partner_name="x",
            started_on=D(2024, 1, 1),
            responsible="x",
        )
    with pytest.raises(NotInScope):
        services.record_assistance(
            secretary, pairing=theirs, kind="visit", on=D(2024, 2, 1), description="走访"
        )
    entry = services.record_assistance(
        secretary, pairing=mine, kind="visit", on=D(2024, 2, 2), description="走访"
    )
    assert Assistance.objects.restrict(secretary).filter(pk=entry.pk).exists()


def test_it_refuses_to_delete_a_pairing_with_a_ledger(world):
    p = pair(world.orgs["ba"])
    entry = give(p, "visit", D(2024, 1, 5))
    with pytest.raises(ValidationError):
        services.delete_pairing(CLI, p)
    services.delete_assistance(CLI, entry)
    services.delete_pairing(CLI, p)


def test_it_lists_the_api_by_subtree_with_amounts_as_numbers(world, login):
    give(pair(world.orgs["ba"]), "money", D(2024, 3, 1), "100.50")
    give(pair(world.orgs["bx"]), "money", D(2024, 3, 1), "7")
    client = login(world, "county_admin")
    answer = client.get(reverse("api-assistance-list")).json()
    assert [row["amount"] for row in answer["results"]] == [100.5]
    assert client.get(reverse("api-pairing-list") + "?org=T-BB").json()["count"] == 0
    city = login(world, "city_admin")
    assert city.get(reverse("api-pairing-list") + "?org=T-COUNTY2").json()["count"] == 1


def test_it_shows_the_totals_of_the_filtered_ledger(world, login):
    p = pair(world.orgs["ba"])
    give(p, "money", D(2024, 3, 1), "100")
    give(p, "money", D(2025, 3, 1), "7")
    client = login(world, "secretary_a")
    page = client.get(reverse("assistance-list") + "?start=2024-01-01&end=2024-12-31")
    assert dict(page.context["totals"])["资金(元)"] == 100.0
    assert page.context["charts"]["totals"]["series"][0]["data"] == [100.0]
