"""Building import files for the tests: real .xlsx written with openpyxl, so cells can be
text, numbers or Excel dates exactly as a user's spreadsheet holds them."""

import datetime as dt
import io
from pathlib import Path

from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from dangjian.members.excel import MEMBER_TEMPLATE
from dangjian.orgs.excel import ORG_TEMPLATE, SCHOOL_TEMPLATE

TEMPLATES = {"orgs": ORG_TEMPLATE, "schools": SCHOOL_TEMPLATE, "members": MEMBER_TEMPLATE}


def write_xlsx(path: Path, headers, rows, *, title="Sheet") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def xlsx_bytes(headers, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rows_of(path_or_bytes) -> list[tuple]:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = load_workbook(source)
    return list(wb.worksheets[0].iter_rows(values_only=True))


def table(kind: str, records: list[dict]):
    """(headers, rows) of a template from dicts keyed by header; missing cells empty."""
    headers = TEMPLATES[kind].headers
    return headers, [[record.get(h, "") for h in headers] for record in records]


def member_record(**overrides) -> dict:
    from personas import make_id

    record = {
        "姓名": "新党员",
        "性别": "男",
        "民族": "汉族",
        "公民身份号码": make_id(dt.date(1990, 3, 4), 901),
        "学历": "大学本科",
        "所在党组织代码": "T-BA",
        "工作单位代码": "S-A",
        "人员类型": "专任教师",
        "党员类别": "正式党员",
        "入党日期": dt.date(2015, 7, 1),
        "转正日期": dt.date(2016, 7, 1),
        "联系电话": "13800138000",
        "专业技术职务": "一级教师",
        "骨干类别": "骨干教师",
    }
    record.update(overrides)
    return record


def run_command(*args) -> tuple[int, str, str]:
    """call_command with the exit code the shell would see (SystemExit carries 1 and 2)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def import_file(tmp_path, kind, records, *args, name="data.xlsx"):
    headers, rows = table(kind, records)
    path = write_xlsx(tmp_path / name, headers, rows)
    return run_command("import", kind, str(path), *args)


def import_problems(tmp_path, kind, records, *args) -> list[str]:
    """The problem lines of an import that must be refused, without the closing count."""
    code, out, err = import_file(tmp_path, kind, records, *args)
    assert code == 1, (out, err)
    return err.strip().splitlines()[:-1]
