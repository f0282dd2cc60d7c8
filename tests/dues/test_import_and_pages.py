"""The 党费基数 import (as strict as the member import), the pages that are not the kit's
(receipt, statement, totals, approval) and the member's own card."""

import datetime as dt
import io

import openpyxl
from django.urls import reverse

from dangjian.core.context import CLI
from dangjian.dues import services
from dangjian.dues.models import DuesBase, DuesReduction
from dangjian.dues.views import me_card
from tests.dues.helpers import dues_member


def _workbook(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "公民身份号码", "年度", "交纳类别", "月交纳基数", "说明"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "基数.xlsx"
    return out


def test_it_imports_bases_only_when_every_row_is_right(world, login):
    a1, a2, b1 = world.members["a1"], world.members["a2"], world.members["b1"]
    client = login(world, "secretary_a")
    url = reverse("dues-base-import")
    bad = _workbook(
        [
            [a1.name, a1.id_number, 2025, "在职党员", 3000],
            ["错名", a2.id_number, 2025, "在职党员", 3000],  # name does not match
            [b1.name, b1.id_number, 2025, "在职党员", 3000],  # outside the branch
            [a1.name, float(a1.id_number[:17]), 2025, "在职党员", 3000],  # a number
            [a2.name, a2.id_number, 2025, "在职党员", ""],  # salaried without a base
            [a1.name, a1.id_number, 2025, "退休", 3000],  # unknown category
        ]
    )
    response = client.post(url, {"upload": bad})
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("姓名与该公民身份号码登记的姓名不一致", "不在您的管理范围内", "须填写月交纳基数"):
        assert text in page
    for row in (3, 4, 5, 6, 7):  # every row's problem, not the first only
        assert f"第{row}行" in page
    assert "第2行 [" not in page
    assert not DuesBase.objects.exists()
    good = _workbook(
        [
            [a1.name, a1.id_number, 2025, "在职党员", "5000.00"],
            [a2.name, a2.id_number, 2025, "学生党员", ""],
        ]
    )
    response = client.post(url, {"upload": good})
    assert response.status_code == 302
    assert DuesBase.objects.count() == 2
    assert a1.dues_months.filter(month=dt.date(2025, 1, 1)).get().due == 50
    template = client.get(url, {"template": "1"})
    assert template.status_code == 200 and template["Content-Type"].startswith("application/")


def test_one_bad_row_among_good_ones_writes_nothing_and_is_named(world, login):
    a1, a2 = world.members["a1"], world.members["a2"]
    client = login(world, "secretary_a")
    bad = _workbook(
        [
            [a1.name, a1.id_number, 2025, "在职党员", "5000.00"],
            [a2.name, a2.id_number, 2025, "在职党员", "-1"],  # negative base
        ]
    )
    response = client.post(reverse("dues-base-import"), {"upload": bad})
    assert response.status_code == 200
    problems = [str(p) for p in response.context["problems"]]
    assert len(problems) == 1 and "第3行" in problems[0] and "不能为负数" in problems[0]
    assert "第3行" in response.content.decode()
    assert not DuesBase.objects.exists()
    assert not a1.dues_months.exists()


def test_it_writes_a_receipt_and_a_statement(world, login):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 1), name="收据人")
    payment = services.record_payment(
        CLI, member, month=dt.date(2025, 1, 1), paid_on=dt.date(2025, 1, 10), method="cash"
    )
    client = login(world, "secretary_a")
    for url in (
        reverse("dues-receipt", args=[payment.pk]),
        reverse("dues-statement", args=[member.pk]) + "?year=2025",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].endswith("wordprocessingml.document")
    assert (
        login(world, "secretary_b").get(reverse("dues-receipt", args=[payment.pk])).status_code
        == 404
    )


def test_it_totals_a_subtree_per_child_and_exports_them(world, login):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 1))
    services.record_payment(
        CLI, member, month=dt.date(2025, 1, 1), paid_on=dt.date(2025, 1, 10), method="cash"
    )
    client = login(world, "county_admin")
    response = client.get(reverse("dues-totals"), {"org": "T-GB", "year": 2025})
    rows = {r["org"].code: r for r in response.context["rows"]}
    assert rows["T-BA"]["due"] == 480 and rows["T-BA"]["paid"] == 40
    assert rows["T-BB"]["due"] == 0
    assert response.context["total"]["handed_up"] == 40
    export = client.get(reverse("dues-totals"), {"org": "T-GB", "year": 2025, "export": "xlsx"})
    assert export.status_code == 200
    assert client.get(reverse("dues-totals"), {"org": "T-COUNTY2"}).status_code == 404


def test_it_lets_the_superior_committee_approve_on_the_page(world, login):
    member = dues_member(world.orgs["ba"], joined=dt.date(2025, 1, 1))
    reduction = services.propose_reduction(
        CLI,
        member,
        kind="exempt",
        first_month=dt.date(2025, 2, 1),
        last_month=dt.date(2025, 3, 1),
        reason="重病",
    )
    url = reverse("dues-reduction-decide", args=[reduction.pk])
    assert login(world, "secretary_a").post(url, {"approve": "1"}).status_code == 404
    assert login(world, "county_admin").post(url, {"approve": "1"}).status_code == 302
    reduction.refresh_from_db()
    assert reduction.status == "approved"
    assert member.dues_months.get(month=dt.date(2025, 2, 1)).due == 0
    assert DuesReduction.objects.filter(status="approved").count() == 1


def test_it_shows_a_member_their_own_dues(world, login, rf):
    member = world.members["a1"]
    assert me_card(rf.get("/me/"), member) is None  # nothing to show yet
    services.set_base(CLI, member, year=dt.date.today().year, category="student", base=0)
    card = me_card(rf.get("/me/"), member)
    assert card["due"] > 0 and card["paid"] == 0
    client = login(world, "member")
    assert client.get(reverse("dues-member", args=[member.pk])).status_code == 200
    other = world.members["a2"]
    assert client.get(reverse("dues-member", args=[other.pk])).status_code == 404
