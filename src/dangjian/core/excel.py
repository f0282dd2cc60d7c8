"""Excel io shared by every app: one writer (openpyxl write-only) that escapes formula
injection. Readers and the declarative column specs build on this module."""

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is read as a formula (or DDE) by Excel and WPS.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def safe_value(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence] = ()
    widths: Sequence[int] = field(default_factory=tuple)


def write_workbook(sheets: Sequence[Sheet], target=None):
    """Write sheets to `target` (a path or binary file); return the bytes when it is None."""
    wb = Workbook(write_only=True)
    for spec in sheets:
        ws = wb.create_sheet(title=spec.title[:31])
        for i, width in enumerate(
            spec.widths or [max(10, len(str(h)) * 2 + 2) for h in spec.headers]
        ):
            ws.column_dimensions[_column_letter(i)].width = width
        header = []
        for text in spec.headers:
            cell = WriteOnlyCell(ws, value=text)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            header.append(cell)
        ws.append(header)
        for row in spec.rows:
            ws.append([_cell(ws, value) for value in row])
    if target is None:
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()
    wb.save(target)
    return None


def _cell(ws, value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return safe_value(value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def xlsx_response(content: bytes, filename: str):
    """An HttpResponse offering `content` as a download named `filename` (UTF-8 safe)."""
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
