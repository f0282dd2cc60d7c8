"""The export writer (rust_xlsxwriter behind `write_workbook`): plain tables keep their
values, dates, the formula guard and every sheet's own columns; templates with drop-downs
still go through openpyxl."""

import datetime as dt
import decimal
import io

from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.core import excel
from dangjian.core.excel import Sheet, write_workbook


def _rows(content, index=0):
    book = load_workbook(io.BytesIO(content))
    return book, list(book.worksheets[index].iter_rows(values_only=True))


def test_it_keeps_each_sheets_own_columns_and_values(monkeypatch):
    used = []
    monkeypatch.setattr(excel, "_write_openpyxl", lambda *a: used.append("openpyxl"))
    stamp = timezone.make_aware(dt.datetime(2026, 1, 2, 3, 4, 5))
    first = Sheet("甲", ["名称", "数"], [["a", 1], ["b", 2]])
    second = Sheet(
        "乙",
        ["单位", "日期", "时间", "金额", "说明", "多余"],
        [
            [
                "=HYPERLINK(1)",
                dt.date(2010, 7, 1),
                stamp,
                decimal.Decimal("86.20"),
                gettext_lazy("合计"),
                None,
            ],
            ["@SUM", dt.date(2011, 7, 1), stamp, decimal.Decimal("1"), "-1", "x"],
        ],
    )
    content = write_workbook([first, second])
    assert not used
    book, rows = _rows(content, 1)
    assert rows[0] == ("单位", "日期", "时间", "金额", "说明", "多余")
    assert rows[1][0] == "'=HYPERLINK(1)" and rows[2][0] == "'@SUM" and rows[2][4] == "'-1"
    assert rows[1][1] == dt.datetime(2010, 7, 1) and rows[2][5] == "x"
    assert rows[1][3] == 86.2 and rows[1][4] == "合计"
    sheet = book.worksheets[1]
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["C2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["C2"].value == timezone.localtime(stamp).replace(tzinfo=None)
    assert sheet.freeze_panes == "A2"
    assert _rows(content, 0)[1] == [("名称", "数"), ("a", 1), ("b", 2)]


def test_it_writes_the_header_of_a_sheet_without_rows():
    _, rows = _rows(write_workbook([Sheet("空", ["姓名", "性别"], [])]))
    assert rows[0] == ("姓名", "性别")
    assert all(value is None for row in rows[1:] for value in row)


def test_a_template_with_drop_downs_still_goes_through_openpyxl():
    validation = DataValidation(type="list", formula1='"男,女"')
    validation.add("A2:A10")
    content = write_workbook([Sheet("模板", ["性别"], [["男"]], validations=[validation])])
    book = load_workbook(io.BytesIO(content))
    assert book.worksheets[0].data_validations.dataValidation
