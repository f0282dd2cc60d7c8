"""Excel io shared by every app: one reader (python-calamine) behind the file-safety checks,
two writers behind one `write_workbook` (rust_xlsxwriter for plain tables, openpyxl where
templates need drop-downs) that escape formula injection, and the declarative
column specs (`Column`, `Template`) that drive the template download, parsing, the Chinese
error messages and export. Domain rules live with their apps; this module knows cells."""

import datetime as dt
import decimal
import hashlib
import io
import itertools
import operator
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import rustpy_xlsxwriter as rust_xlsx
from django.apps import apps
from django.conf import settings
from django.db.models import Choices
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is read as a formula (or DDE) by Excel and WPS.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
REQUIRED_FONT = Font(bold=True, color="C00000")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
BAD_FONT = Font(color="9C0006")
TEXT_FORMAT = "@"

# Limits of an upload (DESIGN 7: size and uncompressed-size caps against zip bombs).
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
# Beyond this many bad cells the report keeps the fill and the 错误说明 column but stops
# adding hover comments, which Excel renders slowly by the ten thousand.
MAX_REPORT_COMMENTS = 5_000

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_DATE_TEXT = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_CHUNK = 1024 * 1024


def safe_value(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# -- writing ------------------------------------------------------------------------------


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence] = ()
    widths: Sequence[int] = field(default_factory=tuple)
    # Header indexes shown in red (required columns of an import template).
    required: frozenset = frozenset()
    # Column indexes whose cells are stored as text (ID numbers, phones, codes).
    text_columns: frozenset = frozenset()
    validations: Sequence[DataValidation] = ()


def write_workbook(sheets: Sequence[Sheet], target=None):
    """Write sheets to `target` (a path or binary file); return the bytes when it is None.

    Plain tables (every export) go through rust_xlsxwriter (rustpy-xlsxwriter), about ten
    times faster than openpyxl's write-only mode (bench/import_members.py prints both);
    sheets with drop-down validations or typed-text columns (the import templates) keep
    openpyxl, which has those features."""
    sheets = list(sheets)
    if all(_fast_writable(spec) for spec in sheets):
        return _write_fast(sheets, target)
    return _write_openpyxl(sheets, target)


def _fast_writable(spec: Sheet) -> bool:
    headers = [str(h) for h in spec.headers]
    return (
        not spec.validations
        and not spec.text_columns
        and all(headers)
        and len(set(headers)) == len(headers)
    )


def _fast_value(value):
    """A value as rust_xlsxwriter takes it, with the formula guard of `safe_value`."""
    kind = type(value)
    if kind is str:
        return None if not value else "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None or kind is int or kind is float or kind is dt.date or kind is bool:
        return value
    if isinstance(value, Promise):
        return safe_value(str(value))
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    return safe_value(str(value))


def _records(headers: list[str], rows: Iterable[Sequence]):
    for row in rows:
        yield dict(zip(headers, [_fast_value(v) for v in row], strict=False))


def _write_fast(sheets: Sequence[Sheet], target):
    buffer = io.BytesIO() if target is None else None
    writer = rust_xlsx.FastExcel(buffer if target is None else target, output_format="xlsx")
    # Dates show as dates; a column whose first value has a time of day shows the time too.
    writer.format(datetime_format="yyyy-mm-dd")
    header_format = rust_xlsx.Format().set_bold().set_background_color("#F2DCDB")
    for spec in sheets:
        headers = [str(h) for h in spec.headers]
        title = spec.title[:31]
        widths = list(spec.widths or [max(10, len(h) * 2 + 2) for h in headers])
        records = _records(headers, spec.rows)  # consumed later, by save()
        first = next(records, None)
        if first is None:
            first = dict.fromkeys(headers)  # the header row even without data rows
        formats = {
            header: rust_xlsx.Format().set_num_format("yyyy-mm-dd hh:mm:ss")
            for header, value in first.items()
            if isinstance(value, dt.datetime)
        }
        if headers:
            writer.freeze(row=1, sheet=title)
        writer.sheet(
            title,
            itertools.chain((first,), records),
            column_widths=widths[: len(headers)],
            header_format=header_format,
            column_formats=formats or None,
        )
    writer.save()
    return buffer.getvalue() if buffer is not None else None


def _write_openpyxl(sheets: Sequence[Sheet], target=None):
    """The writer of what needs openpyxl's features: drop-down validations, per-cell text
    formats, styled cells (import templates, error reports)."""
    wb = Workbook(write_only=True)
    for spec in sheets:
        ws = wb.create_sheet(title=spec.title[:31])
        for i, width in enumerate(
            spec.widths or [max(10, len(str(h)) * 2 + 2) for h in spec.headers]
        ):
            ws.column_dimensions[column_letter(i)].width = width
        for validation in spec.validations:
            ws.data_validations.append(validation)
        header = []
        for i, text in enumerate(spec.headers):
            cell = WriteOnlyCell(ws, value=text)
            cell.font = REQUIRED_FONT if i in spec.required else HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            header.append(cell)
        ws.append(header)
        if spec.headers:
            ws.freeze_panes = "A2"
        text_columns = spec.text_columns
        if text_columns:
            for row in spec.rows:
                ws.append([_cell(ws, value, i in text_columns) for i, value in enumerate(row)])
        else:
            # Plain values: openpyxl formats dates itself; only text needs the formula guard,
            # and "" is no cell at all (a reader sees "" either way). Inline, not a call
            # per value: 1.5 million values on a 100,000-row export.
            prefixes = FORMULA_PREFIXES
            for row in spec.rows:
                ws.append(
                    [
                        (None if not v else "'" + v if v.startswith(prefixes) else v)
                        if type(v) is str
                        else v
                        for v in row
                    ]
                )
    return _save(wb, target)


def _save(wb: Workbook, target):
    """Save to `target` (a path or binary file); the bytes when it is None."""
    if target is None:
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()
    wb.save(target)
    return None


def _cell(ws, value, as_text: bool = False):
    if isinstance(value, Cell):
        return value
    if as_text and isinstance(value, str) and value:
        cell = WriteOnlyCell(ws, value=safe_value(value))
        cell.number_format = TEXT_FORMAT
        return cell
    return safe_value(value)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_column_letter = column_letter


def xlsx_response(content: bytes, filename: str):
    """An HttpResponse offering `content` as a download named `filename` (UTF-8 safe)."""
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sha256_file(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- reading and file safety --------------------------------------------------------------


class FileProblem(Exception):
    """The file itself is unusable (exit 2): one Chinese sentence, nothing written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def size_text(size: int) -> str:
    """50MB, 1.5MB, 4KB: sizes in the messages about caps."""
    if size >= 1024 * 1024:
        megabytes = size / 1024 / 1024
        return f"{megabytes:.0f}MB" if megabytes.is_integer() else f"{megabytes:.1f}MB"
    return f"{max(1, round(size / 1024))}KB"


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_file(path) -> None:
    """Refuse what is not a sound .xlsx before any parser sees it: too large, not a zip
    (an old .xls, or an encrypted workbook, which is an OLE container), a corrupt zip, a
    zip that inflates beyond the cap (a zip bomb; actual bytes are counted, not the
    declared sizes), or XML with DOCTYPE/ENTITY declarations (entity expansion)."""
    path = Path(path)
    size = path.stat().st_size
    max_bytes = _limit("DANGJIAN_IMPORT_MAX_BYTES", MAX_FILE_BYTES)
    if size > max_bytes:
        raise FileProblem(
            _("文件大小为%(size)s, 超过%(max)s的上限")
            % {"size": size_text(size), "max": size_text(max_bytes)}
        )
    if size == 0:
        raise FileProblem(_("文件是空的"))
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in path.read_bytes():
            raise FileProblem(_("文件设置了打开密码, 请在Excel中取消密码后再导入"))
        raise FileProblem(_("文件是旧版Excel(.xls)格式, 请在Excel中另存为.xlsx后再导入"))
    if not head.startswith(_ZIP_MAGIC):
        raise FileProblem(_("文件不是Excel工作簿(.xlsx), 请使用下载的模板填写"))
    cap = _limit("DANGJIAN_IMPORT_MAX_UNCOMPRESSED", MAX_UNCOMPRESSED_BYTES)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise FileProblem(_("文件不是Excel工作簿(.xlsx), 请使用下载的模板填写"))
            total = 0
            for info in archive.infolist():
                if info.is_dir():
                    continue
                xml = info.filename.endswith((".xml", ".rels", ".vml"))
                with archive.open(info) as member:
                    first = True
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > cap:
                            raise FileProblem(
                                _("文件解压后超过%(max)s的上限, 可能是异常的压缩文件")
                                % {"max": size_text(cap)}
                            )
                        if xml and first and _DOCTYPE.search(chunk[:4096]):
                            raise FileProblem(_("文件包含不允许的XML声明(DOCTYPE), 已拒绝"))
                        first = False
    except FileProblem:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError):
        raise FileProblem(_("文件已损坏, 无法读取; 请在Excel中重新保存后再导入")) from None
    except NotImplementedError:
        # An unsupported compression method: not something Excel or WPS writes.
        raise FileProblem(_("文件已损坏, 无法读取; 请在Excel中重新保存后再导入")) from None


@dataclass
class SheetData:
    """The first worksheet: header texts, and (spreadsheet row number, cells) per non-empty
    row. Cells are calamine's values: str, float, bool, date, datetime; "" when empty."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, list]]
    first_column: int = 0


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _row_blank(cells) -> bool:
    """Whether every cell is empty; stops at the first filled one (usually the first)."""
    for value in cells:
        if value:
            if type(value) is str and value.isspace():
                continue
            return False
        if value is not None and value != "":
            return False  # 0, 0.0 and False are values
    return True


def read_sheet(path) -> SheetData:
    """Read the first worksheet with python-calamine after `check_file`."""
    import python_calamine

    check_file(path)
    max_rows = _limit("DANGJIAN_IMPORT_MAX_ROWS", MAX_ROWS)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise FileProblem(_("文件设置了打开密码, 请在Excel中取消密码后再导入")) from None
    except Exception:
        raise FileProblem(_("文件已损坏, 无法读取; 请在Excel中重新保存后再导入")) from None
    try:
        if not workbook.sheet_names:
            raise FileProblem(_("工作簿中没有工作表"))
        sheet = workbook.get_sheet_by_index(0)
        if sheet.start is None:
            raise FileProblem(_("第一个工作表是空的"))
        # Header plus data rows: a bound on the rows before any is converted.
        if sheet.height - 1 > max_rows:
            raise FileProblem(
                _("数据超过%(max)d行的上限(共%(n)d行)") % {"max": max_rows, "n": sheet.height - 1}
            )
        values = sheet.to_python(skip_empty_area=True)
    except FileProblem:
        raise
    except Exception:
        raise FileProblem(_("文件已损坏, 无法读取; 请在Excel中重新保存后再导入")) from None
    finally:
        workbook.close()
    first_row, first_column = sheet.start
    rows: list[tuple[int, list]] = []
    headers: list[str] | None = None
    header_row = 0
    for index, cells in enumerate(values):
        if _row_blank(cells):
            continue
        number = first_row + index + 1
        if headers is None:
            headers = [_header_text(value) for value in cells]
            header_row = number
            continue
        rows.append((number, cells))
    values.clear()
    if headers is None:
        raise FileProblem(_("第一个工作表是空的"))
    if not rows:
        raise FileProblem(_("第一个工作表只有表头, 没有数据行"))
    if len(rows) > max_rows:
        raise FileProblem(
            _("数据超过%(max)d行的上限(共%(n)d行)") % {"max": max_rows, "n": len(rows)}
        )
    return SheetData(headers=headers, header_row=header_row, rows=rows, first_column=first_column)


def _header_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Headers are matched by exact text; surrounding spaces and line breaks are noise.
    return re.sub(r"\s+", "", str(value)) if value is not None else ""


# -- column specs ---------------------------------------------------------------------------


# Parser kinds the row loop handles inline for the common cell (a string, a real date);
# anything else goes through the parser itself, which also words the error.
FAST_TEXT, FAST_CODE, FAST_CHOICE, FAST_DATE = 1, 2, 3, 4
_MISSING = object()


class CellError(Exception):
    """Raised by a column's parser: the Chinese reason the cell is not acceptable."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class CellProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("第%(row)d行 [%(column)s] %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_list(self) -> list:
        return [self.row, self.column, self.message]


def text(max_length: int | None = None) -> Callable:
    """Plain text; a number Excel stored for digits (a phone, a code) comes back as digits."""

    def parse(value):
        if isinstance(value, bool):
            raise CellError(_("应填写文本"))
        if isinstance(value, float):
            value = str(int(value)) if value.is_integer() else repr(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()[:10]
        value = str(value).strip()
        if max_length is not None and len(value) > max_length:
            raise CellError(
                _("不能超过%(n)d个字符(实际%(m)d个)") % {"n": max_length, "m": len(value)}
            )
        return value

    parse.fast = (FAST_TEXT, max_length)
    return parse


def code(max_length: int = 32) -> Callable:
    """An identifier: 1-32 letters, digits, `_` or `-`."""
    base = text()
    pattern = re.compile("[A-Za-z0-9_-]{1," + str(max_length) + "}")

    def parse(value):
        value = base(value)
        if not pattern.fullmatch(value):
            raise CellError(
                _("代码只能由1-%(n)d位字母、数字、下划线或连字符组成") % {"n": max_length}
            )
        return value

    parse.fast = (FAST_CODE, pattern)
    return parse


def integer(minimum: int | None = None, maximum: int | None = None) -> Callable:
    def parse(value):
        number = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
            number = int(value.strip())
        if number is None:
            raise CellError(_("应为整数"))
        if minimum is not None and number < minimum:
            raise CellError(_("不能小于%(n)d") % {"n": minimum})
        if maximum is not None and number > maximum:
            raise CellError(_("不能大于%(n)d") % {"n": maximum})
        return number

    return parse


def date_value(value) -> dt.date:
    """A real Excel date, or text YYYY-MM-DD, YYYY/MM/DD or YYYY.MM.DD."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = _DATE_TEXT.match(value.strip())
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise CellError(_("日期不存在: %(v)s") % {"v": value.strip()}) from None
    raise CellError(_("日期格式错误, 应为YYYY-MM-DD(如2010-07-01)或Excel日期"))


date_value.fast = (FAST_DATE, None)


def dates() -> Callable:
    return date_value


class choice:
    """One of the allowed labels (label -> stored value). `options` is a Django Choices
    class, a mapping of label to value, or a sequence of labels stored as they are; the
    labels are resolved on first use, so translations load after the app registry."""

    def __init__(self, options):
        self._options = options
        self._mapping: dict | None = None
        self._labels: dict | None = None

    @property
    def fast(self):
        return (FAST_CHOICE, self.mapping)

    @property
    def mapping(self) -> dict:
        if self._mapping is None:
            options = self._options
            if isinstance(options, type) and issubclass(options, Choices):
                mapping = {str(label): value for value, label in options.choices}
            elif isinstance(options, Mapping):
                mapping = {str(label): value for label, value in options.items()}
            else:
                mapping = {str(label): str(label) for label in options}
            self._mapping = mapping
        return self._mapping

    @property
    def label_map(self) -> dict:
        """Stored value -> label (the first label of a value), what an export writes."""
        if self._labels is None:
            labels: dict = {}
            for label, stored in self.mapping.items():
                labels.setdefault(stored, label)
            self._labels = labels
        return self._labels

    def labels(self) -> list[str]:
        return [label for label in self.mapping if label]

    def label_of(self, value) -> str:
        return self.label_map.get(value, "")

    def __call__(self, value):
        label = text()(value)
        mapping = self.mapping
        if label not in mapping:
            raise CellError(
                _("“%(v)s”不是允许的值, 应为: %(list)s")
                % {"v": label, "list": "、".join(self.labels())}
            )
        return mapping[label]


def raw(value):
    """The cell as read: the domain rule decides (an ID number must stay text)."""
    return value


def _getter(source: str) -> Callable:
    """`"name"` or `"org.code"`: the attribute, "" where a link on the way is empty."""
    first, *rest = source.split(".")
    if not rest:
        return operator.attrgetter(first)
    tail = operator.attrgetter(".".join(rest))

    def get(obj):
        linked = getattr(obj, first)
        return "" if linked is None else tail(linked)

    return get


@dataclass(frozen=True)
class Column:
    """One column of a template, read by the download, the import and the export alike.
    `parse` gets a non-empty cell and returns the value or raises CellError; `choices`
    are the allowed values listed in 填写说明 (and as a drop-down); `export` turns a
    record into the cell written on export: a function of the record, or the name of the
    attribute it reads ("name", "org.code" through a link). Read by name, a choice column
    writes the label its parser reads back, so an export re-imports unchanged."""

    key: str
    header: str
    required: bool = False
    parse: Callable = field(default=text())
    choices: Sequence[str] = ()
    note: str = ""
    sample: object = ""
    export: Callable | str | None = None
    width: int = 0
    # Whether the column itself must be present (exit 2 when missing); defaults to
    # `required`. A conditionally required column (转正日期) is present but may be empty.
    column_required: bool | None = None
    as_text: bool = False

    def __post_init__(self):
        if isinstance(self.export, str):
            object.__setattr__(self, "_source", self.export)
            object.__setattr__(self, "export", self.exporter())

    def exporter(self) -> Callable:
        """The export as one function. Labels of a choice read by name are looked up when
        it is built (translations load after import time), not once per cell."""
        source = self.__dict__.get("_source")
        if source is None:
            return self.export or _empty
        get = _getter(source)
        if not isinstance(self.parse, choice):
            return get
        if not apps.ready:
            parser = self.parse
            return lambda obj: parser.label_map.get(get(obj), "")
        labels = self.parse.label_map
        return lambda obj: labels.get(get(obj), "")

    @property
    def must_be_present(self) -> bool:
        return self.required if self.column_required is None else self.column_required

    def allowed(self) -> list[str]:
        """The allowed values listed in 填写说明 (and offered as a drop-down)."""
        if self.choices:
            return [str(value) for value in self.choices]
        labels = getattr(self.parse, "labels", None)
        return labels() if labels else []


class ParsedRow:
    """A data row after the column parsers: `values` by column key (None when empty),
    `bad` the keys whose cell failed, so domain checks do not pile onto a broken cell."""

    __slots__ = ("number", "values", "bad")

    def __init__(self, number: int, values: dict, bad: set):
        self.number = number
        self.values = values
        self.bad = bad

    def get(self, key, default=None):
        return self.values.get(key, default)


@dataclass
class ParseResult:
    rows: list[ParsedRow]
    problems: list[CellProblem]
    sheet: SheetData
    # Row numbers left out because they are the template's own example row, unchanged.
    sample_rows: list[int] = field(default_factory=list)


class Template:
    """The column spec of one import file: it drives the download (sample row and the
    填写说明 sheet), the parsing of an upload and the export of records."""

    def __init__(self, name: str, title: str, columns: Sequence[Column], description: str = ""):
        self.name = name
        self._title = title
        self.columns = list(columns)
        self._description = description
        self.by_key = {column.key: column for column in self.columns}

    # Texts are resolved on first use: templates are declared at import time, before
    # translations may load.
    @cached_property
    def title(self) -> str:
        return str(self._title)

    @cached_property
    def description(self) -> str:
        return str(self._description)

    @cached_property
    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    @cached_property
    def _headers_by_key(self) -> dict[str, str]:
        return dict(zip(self.by_key, self.headers, strict=True))

    def header(self, key: str) -> str:
        return self._headers_by_key[key]

    def problem(self, row: int, key: str, message: str) -> CellProblem:
        return CellProblem(row, self._headers_by_key[key], str(message))

    def locate(self, headers: Sequence[str]) -> dict[str, int]:
        """Column key -> index in the sheet; a missing required column is a FileProblem."""
        positions: dict[str, int] = {}
        wanted = {header: key for key, header in self._headers_by_key.items()}
        for index, header in enumerate(headers):
            key = wanted.get(header)
            if key is not None and key not in positions:
                positions[key] = index
        missing = [
            self.header(c.key) for c in self.columns if c.must_be_present and c.key not in positions
        ]
        if missing:
            raise FileProblem(
                _("缺少必填列: %(cols)s (表头须在第1行, 列名与模板一致)")
                % {"cols": "、".join(missing)}
            )
        return positions

    def parse(self, sheet: SheetData) -> ParseResult:
        """Every cell of every row through its column's parser; problems are collected for
        all rows and columns, never only the first."""
        positions = self.locate(sheet.headers)
        columns = []
        for key, index in positions.items():
            parse = self.by_key[key].parse
            kind, data = getattr(parse, "fast", (0, None))
            required = self.by_key[key].required
            columns.append((key, self.header(key), parse, required, index, kind, data))
        absent = [column.key for column in self.columns if column.key not in positions]
        required_message = _("不能为空")
        rows: list[ParsedRow] = []
        problems: list[CellProblem] = []
        sample_rows: list[int] = []
        is_sample = self._sample_matcher(positions)
        date_type = dt.date
        for number, cells in sheet.rows:
            width = len(cells)
            if is_sample(cells):
                sample_rows.append(number)
                continue
            values = dict.fromkeys(absent)
            bad: set = set()
            for key, header, parse, required, index, kind, data in columns:
                value = cells[index] if index < width else ""
                if type(value) is str:
                    value = value.strip()
                    if value:
                        if kind == FAST_TEXT:
                            if data is None or len(value) <= data:
                                values[key] = value
                                continue
                        elif kind == FAST_CHOICE:
                            found = data.get(value, _MISSING)
                            if found is not _MISSING:
                                values[key] = found
                                continue
                        elif kind == FAST_CODE and data.fullmatch(value):
                            values[key] = value
                            continue
                elif kind == FAST_DATE and type(value) is date_type:
                    values[key] = value
                    continue
                if value == "" or value is None:
                    values[key] = None
                    if required:
                        bad.add(key)
                        problems.append(CellProblem(number, header, required_message))
                    continue
                try:
                    values[key] = parse(value)
                except CellError as exc:
                    values[key] = None
                    bad.add(key)
                    problems.append(CellProblem(number, header, exc.message))
            rows.append(ParsedRow(number, values, bad))
        return ParseResult(rows=rows, problems=problems, sheet=sheet, sample_rows=sample_rows)

    def _sample_matcher(self, positions: dict[str, int]) -> Callable[[Sequence], bool]:
        """Whether a row is the downloaded template's example row left in place (张三,
        XX-ZB01...): every column the file has and the example fills holds the example's
        value. Such a row is skipped with a notice instead of failing the whole file."""
        expected = [
            (index, _cell_text(self.by_key[key].sample))
            for key, index in positions.items()
            if _cell_text(self.by_key[key].sample)
        ]
        if not expected:
            return lambda cells: False

        def matches(cells) -> bool:
            width = len(cells)
            return all(
                index < width and _cell_text(cells[index]) == text for index, text in expected
            )

        return matches

    # -- writing -----------------------------------------------------------------------

    def _widths(self) -> list[int]:
        return [column.width or max(12, len(column.header) * 2 + 4) for column in self.columns]

    def _text_columns(self) -> frozenset:
        return frozenset(i for i, column in enumerate(self.columns) if column.as_text)

    def describe(self) -> list[tuple[str, str, str, object]]:
        """(header, 必填/选填, what to fill, sample) per column: the 填写说明 sheet and the
        import page show the same text."""
        lines = []
        for column in self.columns:
            note = str(column.note)
            allowed = column.allowed()
            if allowed:
                listed = "、".join(allowed)
                note = (note + "; " if note else "") + (
                    _("可选值: %(v)s") % {"v": listed}
                    if len(listed) <= 60
                    else _("可选值见填写说明表“%(h)s”列") % {"h": self.header(column.key)}
                )
            if column.required:
                requirement = _("必填")
            elif column.must_be_present:
                requirement = _("按条件填写")
            else:
                requirement = _("选填")
            lines.append((self.header(column.key), requirement, note, _plain(column.sample)))
        return lines

    def notes_sheet(self) -> tuple[Sheet, list[DataValidation]]:
        """The 填写说明 sheet: one line per column (required, what to fill), and the
        allowed values of each choice column listed downwards to the right, which the
        template's drop-downs point at."""
        title = _("填写说明")
        choice_columns = [column for column in self.columns if column.allowed()]
        first_list = 5  # columns A-D describe; lists start at F (index 5)
        headers = [_("列名"), _("是否必填"), _("填写要求"), _("示例"), ""]
        headers += [self.header(column.key) for column in choice_columns]
        longest = max((len(column.allowed()) for column in choice_columns), default=0)
        lines = max(len(self.columns) + (2 if self.description else 0), longest)
        rows: list[list] = [[""] * len(headers) for _line in range(lines)]
        for i, line in enumerate(self.describe()):
            rows[i][:4] = list(line)
        if self.description:
            rows[len(self.columns) + 1][0] = self.description
        validations = []
        for offset, column in enumerate(choice_columns):
            sheet_column = first_list + offset
            allowed = column.allowed()
            for line, value in enumerate(allowed):
                rows[line][sheet_column] = value
            letter = column_letter(sheet_column)
            validation = DataValidation(
                type="list",
                formula1=f"'{title}'!${letter}$2:${letter}${len(allowed) + 1}",
                allow_blank=True,
                showErrorMessage=False,
            )
            target = column_letter(self.columns.index(column))
            validation.add(f"{target}2:{target}{MAX_ROWS + 1}")
            validations.append(validation)
        widths = [14, 10, 60, 22, 4] + [14] * len(choice_columns)
        sheet = Sheet(title, headers, rows, widths=widths)
        return sheet, validations

    def template_workbook(self) -> bytes:
        """The blank template: headers (required ones in red), one sample row, 填写说明."""
        notes, validations = self.notes_sheet()
        main = Sheet(
            self.title,
            self.headers,
            [[_plain(column.sample) for column in self.columns]],
            widths=self._widths(),
            required=frozenset(i for i, c in enumerate(self.columns) if c.required),
            text_columns=self._text_columns(),
            validations=validations,
        )
        return write_workbook([main, notes])

    def exporter(self, **overrides: Callable) -> Callable[[object], list]:
        """The row function of an export in this layout: each column's `export`, or the
        function given for its key (what only the caller knows: whether an ID number may
        be shown in full, codes looked up once for the whole export)."""
        unknown = set(overrides) - set(self.by_key)
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        getters = [overrides.get(column.key) or column.exporter() for column in self.columns]
        return lambda obj: [get(obj) for get in getters]

    def export_row(self, obj) -> list:
        return self.exporter()(obj)

    def export_workbook(self, objects: Iterable, target=None, row=None):
        """Records in the template's layout, so an export can be edited and imported.
        Cells hold plain values (text stays text); unlike the template, no per-cell text
        format, which would cost a styled cell each on a 100,000-row export."""
        make_row = row or self.exporter()
        main = Sheet(
            self.title,
            self.headers,
            (make_row(obj) for obj in objects),
            widths=self._widths(),
            required=frozenset(i for i, c in enumerate(self.columns) if c.required),
        )
        return write_workbook([main], target)


def _empty(obj) -> str:
    return ""


def _cell_text(value) -> str:
    """A cell or an example value as comparable text (dates as YYYY-MM-DD, 3.0 as 3)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _plain(value):
    if value is None:
        return ""
    return str(value) if isinstance(value, Promise) else value


# -- importers ------------------------------------------------------------------------------


@dataclass
class Plan:
    """What a checked file would do: counts for the report, `data` for the writer.

    `rest`: checks an importer leaves for the writing, where they run while the database
    takes the rows before (their problems are appended to the same list, and the writer
    then raises RowsRefused, which rolls every write back). When nothing is written (a
    dry run, or problems found before), the import calls `rest()` instead, so that every
    problem is still told."""

    to_create: int
    to_update: int
    data: object = None
    rest: Callable[[], None] | None = None


class RowsRefused(Exception):
    """Raised by a writer whose checks-while-writing (Plan.rest) found problems: they are
    in the problems list already; the transaction is rolled back."""


@dataclass(frozen=True)
class Importer:
    """An app's import of one template: `check(actor, rows, problems, progress)` appends
    every problem and returns a Plan; `apply(actor, plan.data, source=, sha256=)` writes it
    (through the app's services, audited once) and returns (created, updated, changed):
    `updated` counts the rows matched to existing records, `changed` those of them whose
    record differed, so a round trip reads "更新 N, of which 0 changed"."""

    template: Template
    check: Callable
    apply: Callable
    label: object = ""

    @classmethod
    def about(cls, record, template: Template, check: Callable, apply: Callable, label=""):
        """The import into one record (an activity's attendees, an indicator set's scores):
        `check(record, actor, ...)` and `apply(record, actor, ...)` get it first."""
        return cls(template, partial(check, record), partial(apply, record), label)


# Importers an app declares for the data exchange's pages and commands (dataio), where the
# layering keeps dataio from importing that app: kind -> Importer, added in AppConfig.ready;
# with it, the subtree export of `dangjian export KIND --org CODE`:
# exporter(actor, root_org, *, full_id, filter_text) -> (content, count).
_REGISTERED_IMPORTERS: dict[str, Importer] = {}
_REGISTERED_EXPORTERS: dict[str, Callable] = {}


def register_importer(kind: str, importer: Importer, exporter: Callable | None = None) -> None:
    _REGISTERED_IMPORTERS[kind] = importer
    if exporter is not None:
        _REGISTERED_EXPORTERS[kind] = exporter


def registered_importer(kind: str) -> Importer | None:
    return _REGISTERED_IMPORTERS.get(kind)


def registered_exporter(kind: str) -> Callable | None:
    return _REGISTERED_EXPORTERS.get(kind)


def report_workbook(sheet: SheetData, problems: Sequence[CellProblem], target=None):
    """The upload as read, with every bad cell filled red (and commented), the row's
    reasons in a last 错误说明 column, and a second sheet listing every problem. The extra
    column is ignored on import, so the corrected report can be uploaded as it is."""
    by_row: dict[int, dict[str, list[str]]] = {}
    for problem in problems:
        by_row.setdefault(problem.row, {}).setdefault(problem.column, []).append(problem.message)
    header_index = {header: i for i, header in enumerate(sheet.headers) if header}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("导入数据"))
    ws_list = wb.create_sheet(title=_("问题清单"))
    width = len(sheet.headers)
    for i, header in enumerate(sheet.headers):
        ws.column_dimensions[column_letter(i)].width = max(12, len(header) * 2 + 4)
    ws.column_dimensions[column_letter(width)].width = 60
    header_cells = []
    for header in [*sheet.headers, _("错误说明")]:
        cell = WriteOnlyCell(ws, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header_cells.append(cell)
    ws.append(header_cells)
    ws.freeze_panes = "A2"
    comments = 0
    for number, cells in sheet.rows:
        row_problems = by_row.get(number)
        cells = list(cells) + [""] * (width - len(cells))
        if not row_problems:
            ws.append([_report_value(value) for value in cells[:width]])
            continue
        out = []
        marked = {header_index[c]: m for c, m in row_problems.items() if c in header_index}
        for i, value in enumerate(cells[:width]):
            if i in marked:
                cell = WriteOnlyCell(ws, value=_report_value(value))
                cell.fill, cell.font = BAD_FILL, BAD_FONT
                if comments < MAX_REPORT_COMMENTS:
                    cell.comment = Comment("\n".join(marked[i]), "dangjian")
                    comments += 1
                out.append(cell)
            else:
                out.append(_report_value(value))
        reasons = "; ".join(
            f"[{column}] {message}"
            for column, messages in row_problems.items()
            for message in messages
        )
        cell = WriteOnlyCell(ws, value=safe_value(reasons))
        cell.font = BAD_FONT
        out.append(cell)
        ws.append(out)
    ws_list.column_dimensions["A"].width = 8
    ws_list.column_dimensions["B"].width = 16
    ws_list.column_dimensions["C"].width = 80
    list_header = []
    for header in (_("行号"), _("列名"), _("问题")):
        cell = WriteOnlyCell(ws_list, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        list_header.append(cell)
    ws_list.append(list_header)
    for problem in sorted(problems, key=lambda p: p.row):
        ws_list.append([problem.row, safe_value(problem.column), safe_value(problem.message)])
    return _save(wb, target)


def _report_value(value):
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return value
    return safe_value(value)
