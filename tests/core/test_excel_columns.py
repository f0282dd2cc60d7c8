"""The declarative column spec (core.excel.Column/Template): one spec drives the template
download, the parsing of every cell with Chinese reasons, and the export."""

import datetime as dt
import io

import pytest
from django.db import models
from openpyxl import Workbook, load_workbook

from dangjian.core.excel import (
    CellProblem,
    Column,
    FileProblem,
    SheetData,
    Template,
    choice,
    code,
    dates,
    integer,
    read_sheet,
    report_workbook,
    text,
)


class Colour(models.TextChoices):
    RED = "red", "红"
    BLUE = "blue", "蓝"


TEMPLATE = Template(
    "things",
    "物品",
    [
        Column(
            "code", "代码", required=True, parse=code(), sample="A-1", export=lambda o: o["code"]
        ),
        Column(
            "name", "名称", required=True, parse=text(5), sample="示例", export=lambda o: o["name"]
        ),
        Column("colour", "颜色", required=True, parse=choice(Colour), sample="红"),
        Column("count", "数量", parse=integer(0, 10), sample=3),
        Column("day", "日期", parse=dates(), sample=dt.date(2020, 1, 2)),
        Column("note", "备注", column_required=True, parse=text()),
    ],
    description="说明文字",
)


def sheet(headers, *rows) -> SheetData:
    return SheetData(
        headers=list(headers), header_row=1, rows=[(i + 2, list(r)) for i, r in enumerate(rows)]
    )


def test_it_parses_cells_by_column_in_any_order_and_ignores_unknown_columns():
    parsed = TEMPLATE.parse(
        sheet(
            ["多余", "名称", "代码", "颜色", "数量", "日期", "备注"],
            ["x", " 灯 ", "A_1", "蓝", 4.0, "2020/03/04", ""],
            ["y", "桌", 12345.0, "红", "7", dt.date(2021, 5, 6), "备注"],
        )
    )
    assert parsed.problems == []
    first, second = (row.values for row in parsed.rows)
    assert first == {
        "code": "A_1",
        "name": "灯",
        "colour": "blue",
        "count": 4,
        "day": dt.date(2020, 3, 4),
        "note": None,
    }
    # A code Excel stored as a number comes back as its digits; text dates in any of the
    # three spellings; real Excel dates as they are.
    assert (
        second["code"] == "12345" and second["count"] == 7 and second["day"] == dt.date(2021, 5, 6)
    )


def test_it_collects_every_problem_of_every_row_and_column():
    parsed = TEMPLATE.parse(
        sheet(
            TEMPLATE.headers,
            ["bad code!", "名字太长了啊", "绿", 11, "2020-02-30", ""],
            ["", "", "", -1.0, "20200101", ""],
            ["B-2", "好", "红", 2.5, 20200101.0, ""],
        )
    )
    assert [str(p) for p in parsed.problems] == [
        "第2行 [代码] 代码只能由1-32位字母、数字、下划线或连字符组成",
        "第2行 [名称] 不能超过5个字符(实际6个)",
        "第2行 [颜色] “绿”不是允许的值, 应为: 红、蓝",
        "第2行 [数量] 不能大于10",
        "第2行 [日期] 日期不存在: 2020-02-30",
        "第3行 [代码] 不能为空",
        "第3行 [名称] 不能为空",
        "第3行 [颜色] 不能为空",
        "第3行 [数量] 不能小于0",
        "第3行 [日期] 日期格式错误, 应为YYYY-MM-DD(如2010-07-01)或Excel日期",
        "第4行 [数量] 应为整数",
        "第4行 [日期] 日期格式错误, 应为YYYY-MM-DD(如2010-07-01)或Excel日期",
    ]
    # Bad cells are flagged per row, so domain checks skip them instead of piling on.
    assert parsed.rows[0].bad == {"code", "name", "colour", "count", "day"}
    assert parsed.rows[2].bad == {"count", "day"}


def test_it_names_every_missing_required_column_at_once():
    with pytest.raises(FileProblem) as caught:
        TEMPLATE.parse(sheet(["名称", "数量"], ["灯", 1]))
    assert "缺少必填列: 代码、颜色、备注" in caught.value.message
    # Optional columns may be missing.
    parsed = TEMPLATE.parse(sheet(["代码", "名称", "颜色", "备注"], ["A", "灯", "红", ""]))
    assert parsed.problems == [] and parsed.rows[0].values["count"] is None


def test_it_accepts_each_date_spelling_and_refuses_the_rest():
    parse = dates()
    assert parse("2010-07-01") == parse("2010/7/1") == parse("2010.07.01") == dt.date(2010, 7, 1)
    assert parse(dt.datetime(2010, 7, 1, 8, 30)) == dt.date(2010, 7, 1)
    for bad in ("01/07/2010", "2010年7月1日", 40360.0, True):
        with pytest.raises(Exception) as caught:
            parse(bad)
        assert "日期格式错误" in str(caught.value.message)


def test_it_writes_the_template_with_a_sample_row_notes_and_drop_downs():
    wb = load_workbook(io.BytesIO(TEMPLATE.template_workbook()))
    assert wb.sheetnames == ["物品", "填写说明"]
    main = list(wb["物品"].iter_rows(values_only=True))
    assert main[0] == tuple(TEMPLATE.headers)
    assert main[1][:5] == ("A-1", "示例", "红", 3, dt.datetime(2020, 1, 2))
    notes = list(wb["填写说明"].iter_rows(values_only=True))
    by_header = {row[0]: row for row in notes[1:] if row[0]}
    assert by_header["代码"][1] == "必填" and by_header["数量"][1] == "选填"
    assert by_header["备注"][1] == "按条件填写"
    assert "可选值: 红、蓝" in by_header["颜色"][2]
    # The allowed values are listed in their own column, which the drop-down points at.
    assert notes[0][5] == "颜色" and [r[5] for r in notes[1:3]] == ["红", "蓝"]
    validation = wb["物品"].data_validations.dataValidation[0]
    assert validation.formula1 == "'填写说明'!$F$2:$F$3"
    assert str(validation.sqref).startswith("C2:C")


def test_it_exports_objects_in_the_template_layout_escaping_formulas():
    content = TEMPLATE.export_workbook([{"code": "A", "name": "=cmd|' /C calc'!A0"}])
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == tuple(TEMPLATE.headers)
    assert rows[1][:2] == ("A", "'=cmd|' /C calc'!A0")


def test_it_writes_a_report_marking_each_bad_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    for row in (TEMPLATE.headers, ["A", "灯", "绿", 1, "", ""], ["B", "桌", "红", 2, "", ""]):
        ws.append(row)
    wb.save(tmp_path / "in.xlsx")
    data = read_sheet(tmp_path / "in.xlsx")
    problems = [CellProblem(2, "颜色", "“绿”不是允许的值"), CellProblem(2, "名称", "+重名")]
    report = load_workbook(io.BytesIO(report_workbook(data, problems)))
    assert report.sheetnames == ["导入数据", "问题清单"]
    sheet_ = report["导入数据"]
    assert [c.value for c in sheet_[1]][-1] == "错误说明"
    assert sheet_["C2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet_["C2"].comment.text == "“绿”不是允许的值"
    assert sheet_["B2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet_["C3"].fill.fgColor.rgb in ("00000000", None) or not sheet_["C3"].fill.fill_type
    assert "[颜色] “绿”不是允许的值" in sheet_.cell(row=2, column=len(TEMPLATE.headers) + 1).value
    listing = list(report["问题清单"].iter_rows(values_only=True))
    assert listing[0] == ("行号", "列名", "问题")
    # Text that would run as a formula is escaped in the report too.
    assert (2, "名称", "'+重名") in listing
