"""The reader behind every import: file-safety checks (each bad-file kind is one Chinese
sentence, FileProblem) and python-calamine reading with spreadsheet row numbers."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from dangjian.core.excel import FileProblem, check_file, read_sheet, sha256_file


def save(path, rows, *, title="Sheet"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def problem(path) -> str:
    with pytest.raises(FileProblem) as caught:
        read_sheet(path)
    return caught.value.message


def test_it_reads_the_first_sheet_with_spreadsheet_row_numbers(tmp_path):
    path = save(
        tmp_path / "a.xlsx",
        [
            ["姓名", " 入党日期 ", "数量"],
            ["张三", dt.date(2010, 7, 1), 3],
            [None, None, None],
            ["  ", "", None],
            ["李四", "2011-07-01", 4.5],
        ],
    )
    sheet = read_sheet(path)
    assert sheet.headers == ["姓名", "入党日期", "数量"]
    assert sheet.header_row == 1
    # Empty rows are skipped; the numbers are still the sheet's own.
    assert [number for number, _cells in sheet.rows] == [2, 5]
    assert sheet.rows[0][1] == ["张三", dt.date(2010, 7, 1), 3.0]
    assert sheet.rows[1][1] == ["李四", "2011-07-01", 4.5]


def test_it_keeps_row_numbers_when_the_sheet_starts_lower(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A3"], ws["B3"] = "姓名", "性别"
    ws["A4"], ws["B4"] = "张三", "男"
    wb.save(tmp_path / "low.xlsx")
    sheet = read_sheet(tmp_path / "low.xlsx")
    assert sheet.header_row == 3 and sheet.rows == [(4, ["张三", "男"])]


def test_it_refuses_a_text_file_as_not_an_xlsx(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_text("姓名,性别\n张三,男\n", encoding="utf-8")
    assert "不是Excel工作簿" in problem(path)


def test_it_refuses_an_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert "空的" in problem(path)


def test_it_names_an_old_xls_file(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048 + "Workbook".encode("utf-16-le")
    )
    assert "旧版Excel(.xls)" in problem(path)


def test_it_names_a_password_protected_workbook(tmp_path):
    # An encrypted .xlsx is an OLE container holding EncryptionInfo and EncryptedPackage.
    path = tmp_path / "secret.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 1024
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 64
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 1024
    )
    assert "密码" in problem(path)


def test_it_refuses_a_corrupt_zip(tmp_path):
    good = save(tmp_path / "good.xlsx", [["姓名"], ["张三"]])
    data = good.read_bytes()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(data[: len(data) // 2])
    assert "已损坏" in problem(broken)


def test_it_refuses_a_zip_with_damaged_contents(tmp_path):
    good = save(tmp_path / "good.xlsx", [["姓名"], ["张三"] * 50])
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 5, start + 25):
        data[i] ^= 0xFF
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(bytes(data))
    assert "已损坏" in problem(damaged)


def test_it_refuses_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert "不是Excel工作簿" in problem(path)


def test_it_refuses_a_zip_bomb_by_the_bytes_it_inflates_to(tmp_path, settings):
    settings.DANGJIAN_IMPORT_MAX_UNCOMPRESSED = 1024 * 1024
    path = save(tmp_path / "bomb.xlsx", [["姓名"], ["张三"]])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\x00" * (3 * 1024 * 1024))
    assert path.stat().st_size < 100 * 1024
    assert "解压后超过1MB的上限" in problem(path)


def test_it_refuses_xml_with_a_doctype(tmp_path):
    path = tmp_path / "entities.xlsx"
    source = save(tmp_path / "source.xlsx", [["姓名"], ["张三"]])
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            dst.writestr(item, data)
    assert "DOCTYPE" in problem(path)


def test_it_refuses_a_file_over_the_size_cap(tmp_path, settings):
    settings.DANGJIAN_IMPORT_MAX_BYTES = 4 * 1024
    path = save(tmp_path / "big.xlsx", [["姓名"]] + [[f"张三{i}"] for i in range(2000)])
    assert problem(path).endswith("超过4KB的上限")


def test_it_refuses_more_rows_than_the_cap(tmp_path, settings):
    settings.DANGJIAN_IMPORT_MAX_ROWS = 5
    path = save(tmp_path / "rows.xlsx", [["姓名"]] + [[f"张三{i}"] for i in range(6)])
    assert "数据超过5行的上限" in problem(path)
    ok = save(tmp_path / "ok.xlsx", [["姓名"]] + [[f"张三{i}"] for i in range(5)])
    assert len(read_sheet(ok).rows) == 5


def test_it_refuses_an_empty_sheet_and_a_header_only_sheet(tmp_path):
    assert "工作表是空的" in problem(save(tmp_path / "empty.xlsx", []))
    assert "没有数据行" in problem(save(tmp_path / "header.xlsx", [["姓名", "性别"]]))


def test_it_checks_a_sound_file_and_hashes_it(tmp_path):
    path = save(tmp_path / "ok.xlsx", [["姓名"], ["张三"]])
    check_file(path)
    import hashlib

    assert sha256_file(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert io.BytesIO(path.read_bytes()).read(2) == b"PK"
