"""Printable .docx of a 党建责任书 and of a 专项督查's report (python-docx)."""

import datetime as dt
import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dangjian.assessment.models import plain

BODY_FONT, TITLE_FONT = "仿宋", "方正小标宋简体"


def cn_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "    年  月  日"


class _Doc:
    def __init__(self):
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    @staticmethod
    def _font(run, name=BODY_FONT, size=16.0, bold=False):
        run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)

    def title(self, text):
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._font(paragraph.add_run(text), TITLE_FONT, 22)

    def line(self, text="", *, indent=True, right=False, bold=False):
        paragraph = self.doc.add_paragraph()
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(32)
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self._font(paragraph.add_run(text), bold=bold)

    def table(self, headers, rows):
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            self._font(cell.paragraphs[0].add_run(str(text)), size=12, bold=True)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                self._font(cell.paragraphs[0].add_run(str(text)), size=12)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def letter_docx(letter) -> bytes:
    doc = _Doc()
    doc.title(f"{letter.org.name}{letter.title}")
    doc.line(
        _(
            "为落实党建工作责任制, %(superior)s与%(org)s签订%(year)s年度党建工作责任书, 明确以下责任指标:"
        )
        % {"superior": letter.superior.name, "org": letter.org.name, "year": letter.year}
    )
    indicators = list(letter.indicators.all())
    doc.table(
        [_("序号"), _("责任指标"), _("权重(分)"), _("目标要求")],
        [(i, item.name, plain(item.weight), item.target) for i, item in enumerate(indicators, 1)],
    )
    if letter.note:
        doc.line(letter.note)
    doc.line()
    doc.line(
        _("上级党组织(盖章): %(org)s    签字: %(who)s")
        % {"org": letter.superior.name, "who": letter.superior_signatory or "________"},
        indent=False,
    )
    doc.line(
        _("责任党组织(盖章): %(org)s    签字: %(who)s")
        % {"org": letter.org.name, "who": letter.org_signatory or "________"},
        indent=False,
    )
    doc.line(cn_date(letter.signed_on), right=True)
    return doc.bytes()


def inspection_docx(inspection, items, today: dt.date) -> bytes:
    doc = _Doc()
    doc.title(_("关于%(topic)s的督查报告") % {"topic": inspection.topic})
    targets = "、".join(org.name for org in inspection.targets.all())
    doc.line(
        _("%(start)s至%(end)s, %(org)s组织督查组(%(who)s)对%(targets)s开展了专项督查。")
        % {
            "start": cn_date(inspection.start_on),
            "end": cn_date(inspection.end_on),
            "org": inspection.org.name,
            "who": inspection.inspectors,
            "targets": targets,
        }
    )
    if inspection.summary:
        doc.line(inspection.summary)
    closed = sum(1 for item in items if item.accepted_on and item.accepted_on <= today)
    overdue = sum(1 for item in items if item.is_overdue_on(today))
    doc.line(
        _("共发现问题%(n)d个, 已整改验收%(closed)d个, 逾期未完成%(overdue)d个。")
        % {"n": len(items), "closed": closed, "overdue": overdue}
    )
    doc.table(
        [_("整改党组织"), _("发现问题"), _("责任人"), _("整改期限"), _("状态")],
        [
            (item.org.name, item.finding, item.owner, item.deadline, item.get_status_display())
            for item in items
        ],
    )
    doc.line()
    doc.line(inspection.org.name, right=True)
    doc.line(cn_date(today), right=True)
    return doc.bytes()
