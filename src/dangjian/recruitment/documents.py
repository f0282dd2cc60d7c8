"""The paperwork of 发展党员 as .docx, written from the records (python-docx): the
发展对象公示, the request for 预审, the 支部大会 resolution and the 转正 notice. Nothing is
typed twice: names, dates, votes and hours come from the person's steps. ID numbers never
appear in a document.
"""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dangjian.recruitment import rules as R
from dangjian.recruitment.models import Decision, Outcome, PersonRole, Recruit, Step
from dangjian.recruitment.services import approving_committee

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"


def cn_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def cn_month(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月" if day else "—"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


class Writer:
    """A4 official-style document: a centred title, 仿宋 body, a signature block."""

    def __init__(self):
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    @staticmethod
    def _font(run, name: str, size: float, bold: bool = False) -> None:
        run.font.name = name
        run.font.size = Pt(size)
        run.font.bold = bold
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)

    def title(self, text: str) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._font(paragraph.add_run(text), TITLE_FONT, 22)

    def line(self, text: str = "", indent: bool = True, align=None, bold=False) -> None:
        paragraph = self.doc.add_paragraph()
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(32)
        if align is not None:
            paragraph.alignment = align
        paragraph.paragraph_format.line_spacing = Pt(28)
        self._font(paragraph.add_run(text), HEADING_FONT if bold else BODY_FONT, 16)

    def table(self, rows: list[tuple[str, str]]) -> None:
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, (label, value), strict=True):
                run = cell.paragraphs[0].add_run(text)
                self._font(run, BODY_FONT, 14)

    def signature(self, org: str, day: dt.date | None) -> None:
        self.line()
        self.line(org, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        self.line(cn_date(day), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


@dataclass
class Facts:
    """What the documents say about one person, gathered once."""

    recruit: Recruit
    steps: list
    by_key: dict
    contacts: list[str]
    introducers: list[str]
    hours: Decimal
    days: Decimal

    @classmethod
    def of(cls, recruit: Recruit) -> "Facts":
        steps = list(recruit.steps.prefetch_related("people__member").order_by("on", "id"))
        by_key = R.group(steps)
        names = {PersonRole.CONTACT: [], PersonRole.INTRODUCER: []}
        for key, role in (("contacts", PersonRole.CONTACT), ("introducers", PersonRole.INTRODUCER)):
            step = R.latest(by_key, key)
            if step is not None:
                names[role] = [p.member.name for p in step.people.all() if p.role == role]
        hours, days = R.training_totals(steps)
        return cls(
            recruit,
            steps,
            by_key,
            names[PersonRole.CONTACT],
            names[PersonRole.INTRODUCER],
            hours,
            days,
        )

    def latest(self, key: str, counting: bool = True) -> Step | None:
        return R.latest(self.by_key, key, counting=counting)

    @property
    def unit(self) -> str:
        recruit = self.recruit
        parts = [recruit.work_unit.name if recruit.work_unit else "", recruit.title]
        return " ".join(part for part in parts if part) or "—"


def publicity(facts: Facts) -> bytes:
    recruit, step = facts.recruit, facts.latest("publicity")
    branch = recruit.org.name
    doc = Writer()
    doc.title(_("关于%(name)s同志拟发展为中共预备党员的公示") % {"name": recruit.name})
    doc.line()
    doc.line(
        _(
            "经%(branch)s支部委员会审查，拟将%(name)s同志列为预备党员发展对象，报上级党委预审。"
            "根据《中国共产党发展党员工作细则》的规定，现将有关情况公示如下："
        )
        % {"branch": branch, "name": recruit.name}
    )
    doc.table(
        [
            (_("姓名"), recruit.name),
            (_("性别"), recruit.get_sex_display()),
            (_("出生年月"), cn_month(recruit.birth_date)),
            (_("民族"), recruit.ethnicity),
            (_("学历"), recruit.get_education_display()),
            (_("工作(学习)单位及职务"), facts.unit),
            (_("申请入党时间"), cn_date(recruit.applied_on)),
            (_("确定为入党积极分子时间"), cn_date(recruit.activist_on)),
            (_("确定为发展对象时间"), cn_date(recruit.candidate_on)),
            (_("培养联系人"), "、".join(facts.contacts) or "—"),
            (_("入党介绍人"), "、".join(facts.introducers) or "—"),
            (_("集中培训"), _("累计%(h)s学时") % {"h": _number(facts.hours)}),
        ]
    )
    doc.line()
    doc.line(
        _(
            "公示时间：%(start)s至%(end)s。公示期间，党员和群众可通过来信、来电、来访等方式"
            "向党支部或上级党委反映情况。反映情况应实事求是，以个人名义反映的请署真实姓名。"
        )
        % {"start": cn_date(step.on), "end": cn_date(step.end_on)}
    )
    doc.signature(_("中共%(branch)s") % {"branch": branch}, step.on)
    return doc.bytes()


def pre_review_request(facts: Facts) -> bytes:
    recruit = facts.recruit
    publicity_step = facts.latest("publicity")
    review = facts.latest("political_review")
    committee = approving_committee(recruit.org)
    doc = Writer()
    doc.title(_("关于%(name)s同志入党预审的请示") % {"name": recruit.name})
    doc.line()
    doc.line(_("%(committee)s：") % {"committee": committee.name}, indent=False)
    doc.line(
        _(
            "%(name)s同志，%(sex)s，%(ethnicity)s，%(born)s出生，%(education)s学历，%(unit)s。"
            "该同志于%(applied)s递交入党申请书，%(activist)s被确定为入党积极分子，"
            "经过一年以上的培养教育和考察，%(candidate)s被确定为发展对象。"
        )
        % {
            "name": recruit.name,
            "sex": recruit.get_sex_display(),
            "ethnicity": recruit.ethnicity,
            "born": cn_month(recruit.birth_date),
            "education": recruit.get_education_display(),
            "unit": facts.unit,
            "applied": cn_date(recruit.applied_on),
            "activist": cn_date(recruit.activist_on),
            "candidate": cn_date(recruit.candidate_on),
        }
    )
    doc.line(
        _(
            "培养联系人：%(contacts)s；入党介绍人：%(introducers)s。该同志参加集中培训累计"
            "%(hours)s学时；政治审查于%(review)s完成，结论：%(conclusion)s。"
            "经支部委员会审查，并于%(start)s至%(end)s进行公示，公示期间未收到反映。"
        )
        % {
            "contacts": "、".join(facts.contacts) or "—",
            "introducers": "、".join(facts.introducers) or "—",
            "hours": _number(facts.hours),
            "review": cn_date(review.on if review else None),
            "conclusion": (review.note if review and review.note else _("合格")),
            "start": cn_date(publicity_step.on),
            "end": cn_date(publicity_step.end_on),
        }
    )
    doc.line(
        _("拟提交支部大会讨论接收%(name)s同志为中共预备党员，现报请预审。") % {"name": recruit.name}
    )
    doc.line(_("妥否，请批示。"))
    doc.signature(_("中共%(branch)s") % {"branch": recruit.org.name}, publicity_step.end_on)
    return doc.bytes()


def branch_resolution(facts: Facts) -> bytes:
    recruit = facts.recruit
    meeting = facts.latest("branch_meeting", counting=False)
    passed = meeting.outcome == Outcome.PASSED
    doc = Writer()
    doc.title(
        _("中共%(branch)s支部大会关于接收%(name)s同志为中共预备党员的决议")
        % {"branch": recruit.org.name, "name": recruit.name}
    )
    doc.line()
    doc.line(
        _(
            "%(date)s，%(branch)s召开支部大会，讨论%(name)s同志的入党问题。支部有表决权的"
            "正式党员%(voters)d名，应到会%(should)d名，实到会%(present)d名，到会人数超过应到会"
            "有表决权党员的半数，会议有效。会议听取了本人对入党的认识和入党介绍人"
            "（%(introducers)s）的意见，审查了支部委员会的审查意见。"
        )
        % {
            "date": cn_date(meeting.on),
            "branch": recruit.org.name,
            "name": recruit.name,
            "voters": meeting.voters or 0,
            "should": meeting.should_attend or 0,
            "present": meeting.present or 0,
            "introducers": "、".join(facts.introducers) or "—",
        }
    )
    votes = _("经无记名投票表决，赞成%(yes)d票，反对%(no)d票，弃权%(abstain)d票。") % {
        "yes": meeting.yes or 0,
        "no": meeting.no or 0,
        "abstain": meeting.abstain or 0,
    }
    if passed:
        verdict = _(
            "赞成票超过应到会有表决权的正式党员的半数，同意接收%(name)s同志为中共预备党员，"
            "报上级党委审批。"
        ) % {"name": recruit.name}
    else:
        verdict = _("赞成票未超过应到会有表决权的正式党员的半数，本次未通过。")
    if meeting.observers:
        votes = (
            _("另有%(n)d名无表决权的党员列席会议，不参加表决。") % {"n": meeting.observers} + votes
        )
    doc.line(votes + verdict)
    doc.signature(_("中共%(branch)s") % {"branch": recruit.org.name}, meeting.on)
    return doc.bytes()


def conversion_notice(facts: Facts) -> bytes:
    recruit = facts.recruit
    approval = facts.latest("conversion_approval")
    meeting = R.latest(facts.by_key, "conversion_meeting", before=approval.on)
    committee = approving_committee(recruit.org)
    doc = Writer()
    doc.title(_("关于%(name)s同志转为中共正式党员的通知") % {"name": recruit.name})
    doc.line()
    doc.line(_("%(branch)s：") % {"branch": recruit.org.name}, indent=False)
    extended = (
        _("经延长预备期%(n)d个月，") % {"n": recruit.extended_months}
        if recruit.extended_months
        else _("预备期满，")
    )
    doc.line(
        _(
            "你支部%(meeting)s支部大会通过的关于%(name)s同志转为中共正式党员的决议收悉。"
            "%(name)s同志于%(admitted)s被接收为中共预备党员，%(extended)s经%(committee)s"
            "%(approved)s审批，同意%(name)s同志转为中共正式党员，党龄自%(converted)s算起。"
        )
        % {
            "meeting": cn_date(meeting.on),
            "name": recruit.name,
            "admitted": cn_date(recruit.admitted_on),
            "extended": extended,
            "committee": committee.name,
            "approved": cn_date(approval.on),
            "converted": cn_date(recruit.converted_on),
        }
    )
    doc.line(_("请及时将有关材料归入本人档案。"))
    doc.signature(_("中共%(committee)s") % {"committee": committee.name}, approval.on)
    return doc.bytes()


def _converted(facts: Facts) -> bool:
    approval = facts.latest("conversion_approval")
    if approval is None or approval.outcome != Outcome.APPROVED:
        return False
    meeting = R.latest(facts.by_key, "conversion_meeting", before=approval.on)
    return meeting is not None and meeting.decision == Decision.CONVERT


@dataclass(frozen=True)
class Kind:
    key: str
    title: object
    available: object  # Facts -> bool
    build: object  # Facts -> bytes


KINDS = (
    Kind(
        "publicity",
        gettext_lazy("发展对象公示"),
        lambda f: f.latest("publicity") is not None,
        publicity,
    ),
    Kind(
        "pre_review",
        gettext_lazy("入党预审请示"),
        lambda f: f.latest("publicity") is not None,
        pre_review_request,
    ),
    Kind(
        "resolution",
        gettext_lazy("支部大会决议"),
        lambda f: f.latest("branch_meeting", counting=False) is not None,
        branch_resolution,
    ),
    Kind("conversion", gettext_lazy("转正通知"), _converted, conversion_notice),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


def file_name(kind: Kind, recruit: Recruit) -> str:
    return f"{recruit.name}-{kind.title}.docx"
