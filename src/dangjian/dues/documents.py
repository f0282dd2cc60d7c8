"""The paper of 党费 as .docx (python-docx): a receipt per payment (or per receipt number,
when several months were paid at once) and a member's yearly statement. Written from the
records; no ID number or phone appears."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"


def _font(run, name: str, size: float) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _document(title: str):
    doc = Document()
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(title), TITLE_FONT, 20)
    return doc


def _line(doc, text: str, align=None) -> None:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), BODY_FONT, 14)


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _font(cell.paragraphs[0].add_run(text), BODY_FONT, 12)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _font(cell.paragraphs[0].add_run(str(text)), BODY_FONT, 12)


def _bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def receipt(payments: list) -> bytes:
    """One receipt for the payments sharing a receipt number."""
    first = payments[0]
    member = first.member
    doc = _document(_("党费收据"))
    _line(doc, _("收据号: %(no)s") % {"no": first.receipt_no})
    _line(
        doc,
        _("党员: %(name)s    所在党组织: %(org)s") % {"name": member.name, "org": member.org.name},
    )
    rows = [
        [
            p.get_kind_display(),
            f"{p.month:%Y年%m月}",
            f"{p.amount:.2f}",
            p.get_method_display(),
            _("是") if p.to_centre else _("否"),
        ]
        for p in payments
    ]
    _table(doc, [_("类型"), _("所属月份"), _("金额(元)"), _("方式"), _("上缴中央")], rows)
    total = sum((p.amount for p in payments), Decimal(0))
    _line(doc, _("合计: %(t)s元") % {"t": f"{total:.2f}"})
    _line(doc, _("交纳日期: %(d)s") % {"d": f"{first.paid_on:%Y年%m月%d日}"})
    _line(doc, _("经办人: %(who)s") % {"who": first.recorded_by or "—"})
    _line(doc, _("中共%(org)s(盖章)") % {"org": member.org.name}, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _bytes(doc)


def statement(member, year: int, months: list, payments: list) -> bytes:
    """The member's yearly statement: month by month what was due and paid, and to which org
    (a member transferred mid-year owed the first months to the old branch)."""
    doc = _document(_("%(year)d年度党费交纳明细") % {"year": year})
    _line(
        doc,
        _("党员: %(name)s    所在党组织: %(org)s") % {"name": member.name, "org": member.org.name},
    )
    rows = [
        [
            f"{m.month:%Y-%m}",
            getattr(m, "org_name", None) or member.org.name,
            m.get_category_display(),
            f"{m.base:.2f}",
            f"{m.due:.2f}",
            f"{m.paid:.2f}",
            f"{m.owed:.2f}",
            m.get_reduction_display() or "",
        ]
        for m in months
    ]
    _table(
        doc,
        [
            _("月份"),
            _("所在党组织"),
            _("类别"),
            _("基数"),
            _("应交"),
            _("已交"),
            _("欠交"),
            _("减免"),
        ],
        rows,
    )
    due = sum((m.due for m in months), Decimal(0))
    paid = sum((m.paid for m in months), Decimal(0))
    voluntary = sum((p.amount for p in payments if p.kind == "voluntary"), Decimal(0))
    _line(
        doc,
        _("全年应交%(d)s元, 已交%(p)s元, 欠交%(o)s元; 自愿多交%(v)s元。")
        % {
            "d": f"{due:.2f}",
            "p": f"{paid:.2f}",
            "o": f"{max(due - paid, Decimal(0)):.2f}",
            "v": f"{voluntary:.2f}",
        },
    )
    _line(doc, _("中共%(org)s") % {"org": member.org.name}, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _bytes(doc)


def docx_response(content: bytes, filename: str):
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
