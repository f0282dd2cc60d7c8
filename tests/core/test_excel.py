import datetime as dt
import io

from openpyxl import load_workbook

from dangjian.core.excel import Sheet, safe_value, write_workbook


def test_it_escapes_formula_injection_in_every_prefix():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_value(text) == "'" + text
    assert safe_value("张三") == "张三"
    assert safe_value(5) == 5


def test_it_writes_sheets_with_headers_dates_and_escaped_text():
    content = write_workbook(
        [
            Sheet(
                "党员",
                ["姓名", "入党日期"],
                [['=HYPERLINK("x")', dt.date(2010, 7, 1)], ["李四", None]],
            ),
            Sheet("说明", ["项目"], [["甲"]]),
        ]
    )
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["党员", "说明"]
    rows = list(wb["党员"].iter_rows(values_only=True))
    assert rows[0] == ("姓名", "入党日期")
    assert rows[1][0] == '\'=HYPERLINK("x")'
    assert rows[1][1] == dt.datetime(2010, 7, 1)
    assert rows[2] == ("李四", None)
