"""A member transferred mid-year: each month's dues count under the org the member belonged
to in that month (the member's dated spells), in the totals, the statement, the published
figures and the statistics key `dues`; not all under the org the record is in now."""

import datetime as dt
import io

from django.urls import reverse
from docx import Document

from dangjian.core.context import CLI
from dangjian.disclosure.services import dues_summary
from dangjian.dues import services
from dangjian.dues.models import DuesMonth
from dangjian.members import services as members
from dangjian.orgs.models import Organization
from dangjian.stats.engine import statistics
from tests.dues.helpers import dues_member

YEAR = 2025


def _mover(world):
    """In 甲小学 (ba, county 1) from January, paid January to June there, transferred on
    15 July to 戊小学 (bx, county 2), paid July and August there. Base 4,000: 40 yuan a
    month, 480 for the year."""
    member = dues_member(world.orgs["ba"], joined=dt.date(2024, 3, 5), years=[YEAR], name="调动者")
    for month in range(1, 7):
        services.record_payment(
            CLI,
            member,
            month=dt.date(YEAR, month, 1),
            paid_on=dt.date(YEAR, month, 10),
            method="cash",
        )
    members.update_member(CLI, member, org=world.orgs["bx"], transfer_on=dt.date(YEAR, 7, 15))
    member.refresh_from_db()
    for month in (7, 8):
        services.record_payment(
            CLI, member, month=dt.date(YEAR, month, 1), paid_on=dt.date(YEAR, 8, 20), method="cash"
        )
    services.record_voluntary(
        CLI, member, amount="100.00", paid_on=dt.date(YEAR, 9, 2), method="transfer"
    )
    return member


def _dues(world, key, as_of=dt.date(YEAR, 12, 31)):
    root = Organization.objects.get(pk=world.orgs[key].pk)
    return statistics(root, as_of, (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)))["dues"]


def test_the_statistics_count_each_month_where_the_member_was(world):
    _mover(world)
    old, new = _dues(world, "county"), _dues(world, "county2")
    # July (the month of the transfer) stays with the branch the member left, and so does
    # the payment for it made after the transfer.
    assert old["due"] == 7 * 40 and old["paid"] == 7 * 40
    assert new["due"] == 5 * 40 and new["paid"] == 40 + 100
    # Owes September to November in the new county, nothing in the old one.
    assert old["members_in_arrears"] == 0 and new["members_in_arrears"] == 1
    city = _dues(world, "city")
    assert city["due"] == old["due"] + new["due"] and city["paid"] == old["paid"] + new["paid"]
    assert _dues(world, "bb")["due"] == 0


def test_a_transfer_on_the_first_of_a_month_gives_that_month_to_the_new_org(world):
    member = dues_member(world.orgs["ba"], joined=dt.date(2024, 3, 5), years=[YEAR])
    members.update_member(CLI, member, org=world.orgs["bx"], transfer_on=dt.date(YEAR, 4, 1))
    assert _dues(world, "county")["due"] == 3 * 40
    assert _dues(world, "county2")["due"] == 9 * 40


def test_the_totals_page_and_the_published_figures_split_the_year(world, login):
    _mover(world)
    client = login(world, "city_admin")
    response = client.get(reverse("dues-totals"), {"org": "T-CITY", "year": YEAR})
    rows = {r["org"].code: r for r in response.context["rows"]}
    assert rows["T-COUNTY"]["due"] == 280 and rows["T-COUNTY"]["paid"] == 280
    assert rows["T-COUNTY2"]["due"] == 200 and rows["T-COUNTY2"]["paid"] == 40
    assert rows["T-COUNTY2"]["voluntary"] == 100 and rows["T-COUNTY"]["voluntary"] == 0
    months = {m: (due, paid) for m, due, paid in response.context["months"]}
    assert months[7] == (40, 40)
    old = dues_summary(world.orgs["county"], dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 1), False)
    assert "应交280.00元, 实交280.00元" in old
    new = dues_summary(world.orgs["county2"], dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 1), False)
    assert "应交200.00元, 实交40.00元" in new


def test_the_statement_names_the_org_of_each_month(world, login):
    member = _mover(world)
    response = login(world, "city_admin").get(
        reverse("dues-statement", args=[member.pk]), {"year": YEAR}
    )
    table = Document(io.BytesIO(response.content)).tables[0]
    by_month = {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}
    assert by_month["2025-07"] == world.orgs["ba"].name
    assert by_month["2025-08"] == world.orgs["bx"].name
    page = login(world, "city_admin").get(reverse("dues-member", args=[member.pk]), {"year": YEAR})
    names = [m.org_name for m in page.context["months"]]
    assert names.count(world.orgs["ba"].name) == 7 and names.count(world.orgs["bx"].name) == 5


def test_a_member_without_spells_counts_where_the_record_is(world):
    member = _mover(world)
    member.spells.all().delete()
    assert _dues(world, "county")["due"] == 0
    assert _dues(world, "county2")["due"] == 480
    assert DuesMonth.objects.filter(member=member).count() == 12
