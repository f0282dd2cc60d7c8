"""The annual work summary (年度党建工作总结) drafted as .docx: the seed speech's first half
written by the machine. The user downloads the draft and edits the words; every figure in
it comes from the statistics engine for the subtree and period, so the numbers in the
report are the numbers of the records.

Layout follows the usual official style (GB/T 9704 in spirit): A4, title in 方正小标宋
style, first-level headings 一、二、… in 黑体, body in 仿宋_GB2312 三号 with a two-character
first-line indent, fixed 28-point line spacing, page numbers "— 1 —". Fonts missing on the
reader's machine fall back through the font table's alternative names (仿宋_GB2312 → 仿宋,
方正小标宋简体 → 宋体)."""

import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from dangjian.core.dates import add_years
from dangjian.stats.engine import MASS_ORG_COVERAGE_LABELS, statistics
from dangjian.stats.tables import members_on

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
# Alternative names Word and WPS use when a font is not installed.
FONT_FALLBACKS = {TITLE_FONT: "宋体", HEADING_FONT: "SimHei", BODY_FONT: "仿宋"}
NUMERALS = "一二三四五六七八九十"


def cn_date(day: dt.date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def period_label(start: dt.date, end: dt.date) -> str:
    """2010年, 2009—2010年, or 2010年1月1日至6月30日."""
    whole_years = (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31)
    if whole_years and start.year == end.year:
        return _("%(y)d年") % {"y": start.year}
    if whole_years:
        return _("%(a)d—%(b)d年") % {"a": start.year, "b": end.year}
    return _("%(a)s至%(b)s") % {"a": cn_date(start), "b": cn_date(end)}


def percent(value: float) -> str:
    text = f"{value * 100:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def listing(parts: list[tuple[str, int]], count_first: bool = False) -> str:
    """Text like 党支部78个、联合党支部15个 (or 78个党支部、15个联合党支部) from
    (label, n) pairs, leaving out the zeros."""
    form = _("%(n)d个%(label)s") if count_first else _("%(label)s%(n)d个")
    return _("、").join(form % {"label": label, "n": n} for label, n in parts if n)


@dataclass
class Figures:
    """Everything the text says, computed once."""

    org: object
    start: dt.date
    end: dt.date
    now: dict  # the statistics object on the last day of the period
    before: dict  # ... on the day before the period starts
    opening: int
    closing: int


def figures(root, start: dt.date, end: dt.date) -> Figures:
    day_before = start - dt.timedelta(days=1)
    return Figures(
        org=root,
        start=start,
        end=end,
        now=statistics(root, end, (start, end)),
        before=statistics(root, day_before, (add_years(start, -1), day_before)),
        opening=members_on(root, day_before),
        closing=members_on(root, end),
    )


def sections(f: Figures) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) in order; the numbering 一、二、… is added when written."""
    n, b = f.now, f.before
    name = f.org.name
    period = period_label(f.start, f.end)
    as_of = cn_date(f.end)
    orgs = n["orgs"]
    members = n["members"]
    total = members["total"]
    result = []

    org_parts = [(kind, count) for kind, count in orgs.items() if count]
    basics = [
        _(
            "截至%(day)s，%(org)s共有各级党组织%(n)d个，其中%(parts)s；共有党员%(m)d名，"
            "其中正式党员%(full)d名、预备党员%(prob)d名。"
        )
        % {
            "day": as_of,
            "org": name,
            "n": sum(orgs.values()),
            "parts": listing(org_parts) or _("无下属组织"),
            "m": total,
            "full": members["正式党员"],
            "prob": members["预备党员"],
        }
    ]
    if total:
        basics.append(
            _(
                "党员队伍中，女党员%(f)d名，占%(fp)s；少数民族党员%(e)d名，占%(ep)s；"
                "35岁及以下党员%(y)d名，占%(yp)s；大专及以上学历党员%(c)d名，占%(cp)s。"
                "与期初相比，党员总数%(change)s。"
            )
            % {
                "f": members["female"],
                "fp": percent(members["female"] / total),
                "e": members["ethnic_minority"],
                "ep": percent(members["ethnic_minority"] / total),
                "y": members["age_35_and_under"],
                "yp": percent(members["age_35_and_under"] / total),
                "c": members["college_or_above"],
                "cp": percent(members["college_or_above"] / total),
                "change": change_words(total, b["members"]["total"], _("名")),
            }
        )
    result.append((_("基本情况"), basics))

    founded = n["orgs_founded"]
    schools, old_schools = n["schools"], b["schools"]
    building = []
    if sum(founded.values()):
        building.append(
            _("%(period)s，新建党组织%(n)d个（%(parts)s），党的组织体系进一步健全。")
            % {
                "period": period,
                "n": sum(founded.values()),
                "parts": listing([(kind, k) for kind, k in founded.items() if k]),
            }
        )
    else:
        building.append(_("%(period)s，未新建党组织。") % {"period": period})
    if schools["total"]:
        sentence = _(
            "截至%(day)s，为%(total)d所学校建立健全了%(parts)s，%(covered)d所学校建立了党组织，"
            "党组织覆盖率达到%(rate)s（期初为%(before)s）"
        ) % {
            "day": as_of,
            "total": schools["total"],
            "parts": listing(
                [(kind, orgs[kind]) for kind in ("党总支", "党支部", "联合党支部", "临时党支部")],
                count_first=True,
            )
            or _("党组织"),
            "covered": schools["covered"],
            "rate": percent(schools["coverage"]),
            "before": percent(old_schools["coverage"]),
        }
        if schools["covered"] == schools["total"]:
            if old_schools["covered"] < old_schools["total"] or not old_schools["total"]:
                sentence += _("，首次实现了党组织对学校的全覆盖。")
            else:
                sentence += _("，继续保持了党组织对学校的全覆盖。")
        else:
            sentence += _("，尚有%(n)d所学校未建立党组织。") % {
                "n": schools["total"] - schools["covered"]
            }
        building.append(sentence)
    result.append((_("以加强党的组织建设为抓手，党组织覆盖面不断扩大"), building))

    teachers, old_teachers = n["teachers"], b["teachers"]
    changes = n["changes"]
    team = [
        _(
            "坚持“严格规范、保证质量、改善结构、慎重发展”的方针，注重把学科带头人、骨干教师、"
            "青年教师作为主要培养对象，%(period)s共发展党员%(joined)d名，"
            "%(converted)d名预备党员按期转为正式党员。"
        )
        % {"period": period, "joined": changes["joined"], "converted": changes["converted"]}
    ]
    if teachers["total"]:
        team.append(
            _(
                "全系统专任教师%(t)d名，其中党员%(p)d名，中小学党员教师的比例达到%(r)s"
                "（期初为%(before)s）。"
            )
            % {
                "t": teachers["total"],
                "p": teachers["party_members"],
                "r": percent(teachers["ratio"]),
                "before": percent(old_teachers["ratio"]),
            }
        )
    result.append((_("以党员队伍建设为重点，党员队伍结构不断优化"), team))

    mass, coverage = n["mass_orgs"], n["mass_org_coverage"]
    kinds = listing([(kind, k) for kind, k in mass.items() if not kind.startswith("schools_")])
    mass_text = [
        _("注重做好以党建带工建、带团建、带妇建，截至%(day)s，学校中建立%(kinds)s。")
        % {"day": as_of, "kinds": kinds}
        if kinds
        else _("截至%(day)s，尚未登记学校群团组织。") % {"day": as_of}
    ]
    rates = [
        _("%(org)s覆盖率%(rate)s（应建%(n)d所，已建%(c)d所）")
        % {
            "org": MASS_ORG_COVERAGE_LABELS[key],
            "rate": percent(item["coverage"]),
            "n": item["schools"],
            "c": item["covered"],
        }
        for key, item in coverage.items()
        if item["schools"]
    ]
    if rates:
        mass_text.append(_("其中，") + _("；").join(rates) + _("。"))
    result.append((_("以“一建三带”为载体，群团组织建设同步推进"), mass_text))

    increase = changes["joined"] + changes["moved_in"] + changes["restored"]
    decrease = changes["moved_out"] + changes["left"]
    result.append(
        (
            _("党员队伍变动情况"),
            [
                _(
                    "%(period)s，期初党员%(opening)d名，期末党员%(closing)d名。党员增加%(inc)d名，"
                    "其中发展党员%(joined)d名、转入%(moved_in)d名、恢复党籍%(restored)d名；"
                    "减少%(dec)d名，其中转出%(moved_out)d名、出党、停止党籍、死亡等%(left)d名。"
                )
                % {
                    "period": period,
                    "opening": f.opening,
                    "closing": f.closing,
                    "inc": increase,
                    "dec": decrease,
                    **changes,
                }
            ],
        )
    )

    plans = []
    uncovered = schools["total"] - schools["covered"]
    if uncovered:
        plans.append(
            _(
                "尚有%(n)d所学校未建立党组织，要按照“有学校的地方就有党组织”的要求，采取单独组建、联合组建等方式，尽快实现全覆盖。"
            )
            % {"n": uncovered}
        )
    else:
        plans.append(_("巩固党组织对学校全覆盖的成果，推动学校党组织规范化建设。"))
    gaps = [
        _("%(org)s尚有%(n)d所应建学校未建立")
        % {"org": MASS_ORG_COVERAGE_LABELS[key], "n": item["schools"] - item["covered"]}
        for key, item in coverage.items()
        if item["covered"] < item["schools"]
    ]
    if gaps:
        plans.append(_("；").join(gaps) + _("，要以党建带群建，补齐群团组织。"))
    if members["预备党员"]:
        plans.append(
            _("现有预备党员%(n)d名，要加强教育考察，按期做好转正工作。")
            % {"n": members["预备党员"]}
        )
    plans.append(
        _("继续把发展党员工作重点放在青年教师和骨干教师中，进一步提高党员教师比例（目前为%(r)s）。")
        % {"r": percent(teachers["ratio"])}
    )
    result.append((_("存在的问题和下一步打算"), plans))
    return result


def change_words(now: int, before: int, unit: str) -> str:
    if now > before:
        return _("增加%(n)d%(u)s") % {"n": now - before, "u": unit}
    if now < before:
        return _("减少%(n)d%(u)s") % {"n": before - now, "u": unit}
    return _("持平")


def summary_rows(f: Figures) -> list[tuple[str, str, str]]:
    """The appendix table: key figures at the start and the end of the period."""
    n, b = f.now, f.before
    rows = [
        (_("党组织总数(个)"), sum(b["orgs"].values()), sum(n["orgs"].values())),
        (_("党员总数(名)"), f.opening, f.closing),
        (_("正式党员(名)"), b["members"]["正式党员"], n["members"]["正式党员"]),
        (_("预备党员(名)"), b["members"]["预备党员"], n["members"]["预备党员"]),
        (_("学校总数(所)"), b["schools"]["total"], n["schools"]["total"]),
        (_("已建党组织学校(所)"), b["schools"]["covered"], n["schools"]["covered"]),
        (
            _("学校党组织覆盖率"),
            percent(b["schools"]["coverage"]),
            percent(n["schools"]["coverage"]),
        ),
        (_("党员专任教师(名)"), b["teachers"]["party_members"], n["teachers"]["party_members"]),
        (_("党员教师比例"), percent(b["teachers"]["ratio"]), percent(n["teachers"]["ratio"])),
    ]
    for key, label in MASS_ORG_COVERAGE_LABELS.items():
        rows.append(
            (
                _("%(org)s覆盖率") % {"org": label},
                percent(b["mass_org_coverage"][key]["coverage"]),
                percent(n["mass_org_coverage"][key]["coverage"]),
            )
        )
    return [(label, str(old), str(new)) for label, old, new in rows]


# --- writing ---------------------------------------------------------------------------


def _set_fonts(run_or_style_font_element, east_asia: str) -> None:
    """Set the East Asian font (and Latin fallback) on an rPr's rFonts."""
    rpr = run_or_style_font_element
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    # Theme fonts would win over the names set here.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)


def _style(document, name: str, font: str, size: float, bold: bool = False):
    style = document.styles[name]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element.get_or_add_rPr(), font)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    return style


def _register_fallbacks(document) -> None:
    """Name each Chinese font in the font table with its alternative (w:altName) and the
    GB2312 character set, so Word and WPS substitute a close font rather than a Latin one."""
    part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    root = parse_xml(part.blob)
    for name, alternative in FONT_FALLBACKS.items():
        font = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternative}"/>'
            '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        )
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def write_docx(f: Figures) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    body = _style(document, "Normal", BODY_FONT, 16)
    body.paragraph_format.first_line_indent = Pt(32)
    title_style = _style(document, "Title", TITLE_FONT, 22)
    title_style.paragraph_format.first_line_indent = Pt(0)
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_style.paragraph_format.line_spacing = Pt(36)
    heading = _style(document, "Heading 1", HEADING_FONT, 16)
    heading.paragraph_format.first_line_indent = Pt(32)
    heading.paragraph_format.keep_with_next = True
    _register_fallbacks(document)
    _page_number_footer(section)

    title = document.add_paragraph(style="Title")
    title.add_run(
        _("%(org)s%(period)s党建工作总结")
        % {"org": f.org.name, "period": period_label(f.start, f.end)}
    )
    # The Title style of the default template draws a border line under it; official
    # documents have none.
    ppr = title_style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    note = document.add_paragraph()
    note.paragraph_format.first_line_indent = Pt(0)
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.add_run(_("（初稿，数据截至%(day)s）") % {"day": cn_date(f.end)})
    document.add_paragraph()

    for i, (head, paragraphs) in enumerate(sections(f)):
        document.add_paragraph(f"{NUMERALS[i]}、{head}", style="Heading 1")
        for text in paragraphs:
            document.add_paragraph(text)

    document.add_paragraph(_("附表：主要统计数据"), style="Heading 1")
    rows = summary_rows(f)
    table = document.add_table(rows=1 + len(rows), cols=3)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    headers = (_("项目"), cn_date(f.start - dt.timedelta(days=1)), cn_date(f.end))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, text, bold=True)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            _cell_text(cell, text)

    document.add_paragraph()
    for text in (f.org.name, cn_date(f.end)):
        signature = document.add_paragraph(text)
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signature.paragraph_format.first_line_indent = Pt(0)
        signature.paragraph_format.right_indent = Pt(32)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cell_text(cell, text: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(22)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(12)
    run.font.bold = bold


def annual_report(root, start: dt.date, end: dt.date) -> bytes:
    return write_docx(figures(root, start, end))
