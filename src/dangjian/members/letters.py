"""The printable 党员组织关系介绍信 (.docx) in the official layout: the 存根 kept by the
issuing org, the letter itself, and the 回执 the receiving org sends back, separated by the
cut lines (骑缝) where the seal goes."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from dangjian.core.dates import age_on
from dangjian.members.models import Letter

FONT = "仿宋"
TITLE_FONT = "宋体"


def _run(paragraph, text: str, *, size=14, bold=False, font=FONT):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.font.name = font
    run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    return run


def _para(doc, text="", *, align=None, size=14, bold=False, indent=False, font=FONT):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.space_after = Pt(4)
    if text:
        _run(paragraph, text, size=size, bold=bold, font=font)
    return paragraph


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _cut(doc) -> None:
    _para(doc, "- - - - - - - - - - - - - - " + _("（骑缝盖章）") + " - - - - - - - - - - - - - -",
          align=WD_ALIGN_PARAGRAPH.CENTER, size=10)  # fmt: skip


def letter_docx(letter: Letter, *, id_number: str | None = None) -> bytes:
    """The letter as a Word file. `id_number`: the full number where the printer may see
    it (revealed and audited by the caller); the mask otherwise."""
    member = letter.member
    category = (
        _("正式党员")
        if member.converted_on and member.converted_on <= letter.issued_on
        else _("预备党员")
    )
    days = (letter.valid_until - letter.issued_on).days
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Pt(72)

    # 存根
    _para(
        doc,
        _("党员组织关系介绍信（存根）"),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size=16,
        bold=True,
        font=TITLE_FONT,
    )
    _para(doc, _("第 %(no)s 号") % {"no": letter.number}, align=WD_ALIGN_PARAGRAPH.RIGHT, size=12)
    _para(
        doc,
        _("%(name)s同志系中共%(cat)s，组织关系由%(from)s转到%(to)s。")
        % {
            "name": member.name,
            "cat": category,
            "from": letter.org.name,
            "to": letter.other_org_name,
        },
        indent=True,
    )
    _para(doc, _date(letter.issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cut(doc)

    # 介绍信
    _para(
        doc,
        _("中国共产党党员组织关系介绍信"),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size=18,
        bold=True,
        font=TITLE_FONT,
    )
    _para(doc, _("第 %(no)s 号") % {"no": letter.number}, align=WD_ALIGN_PARAGRAPH.RIGHT, size=12)
    _para(doc, f"{letter.other_org_name}：")
    _para(
        doc,
        _(
            "%(name)s同志（%(sex)s，%(age)d岁，%(eth)s），身份证号码%(id)s，系中共%(cat)s，"
            "其党员组织关系由%(from)s转到%(to)s，请接洽。"
        )
        % {
            "name": member.name,
            "sex": member.get_sex_display(),
            "age": age_on(member.birth_date, letter.issued_on),
            "eth": member.ethnicity,
            "id": id_number or member.masked_id,
            "cat": category,
            "from": letter.org.name,
            "to": letter.other_org_name,
        },
        indent=True,
    )
    _para(doc, _("党费已交到______年____月。"), indent=True)
    _para(doc, _("（有效期%(d)d天）") % {"d": days}, indent=True)
    _para(doc, _("（盖章）"), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, _date(letter.issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, _("党员联系电话：%(p)s") % {"p": member.phone or "________"}, size=12)
    _para(doc, _("原党组织：%(o)s") % {"o": letter.org.name}, size=12)
    _cut(doc)

    # 回执
    _para(
        doc,
        _("中国共产党党员组织关系介绍信回执"),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size=16,
        bold=True,
        font=TITLE_FONT,
    )
    _para(doc, _("第 %(no)s 号") % {"no": letter.number}, align=WD_ALIGN_PARAGRAPH.RIGHT, size=12)
    _para(doc, f"{letter.org.name}：")
    _para(
        doc,
        _("%(name)s同志的党员组织关系已转达我处，特此回执。") % {"name": member.name},
        indent=True,
    )
    _para(doc, _("（盖章）"), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, _("______年____月____日"), align=WD_ALIGN_PARAGRAPH.RIGHT)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
