"""党务公开 and the document library of 示例市: the seed speech itself (as a .docx in the
city committee's library, published on its portal), a few 制度 in every committee's and
general branch's library and in the demo branch's, and publications in force today
(notices, an activity, an exemplar, the counties' dues figures) beside an expired one.
Written through disclosure.services and the upload store."""

import datetime as dt
import io
from importlib import resources

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from docx import Document as Docx

from dangjian.core.context import CLI
from dangjian.core.dates import add_months
from dangjian.disclosure import services
from dangjian.orgs.models import Organization, OrgKind

RULES = (
    (
        "三会一课制度",
        (
            "一、支部党员大会一般每季度召开一次, 由支部委员会召集。",
            "二、支部委员会会议一般每月召开一次, 研究支部工作。",
            "三、党小组会一般每月召开一次, 组织党员学习、交流思想。",
            "四、党课每季度至少一次, 党组织书记每年至少讲一次党课。",
        ),
    ),
    (
        "党员发展工作制度",
        (
            "一、坚持标准、保证质量、改善结构、慎重发展的方针。",
            "二、发展对象在支部委员会审查后进行公示, 公示期不少于五个工作日。",
            "三、严格执行《中国共产党发展党员工作细则》规定的程序和时限。",
        ),
    ),
    (
        "党费收缴管理制度",
        (
            "一、党员应按月交纳党费, 党费从党支部接收其为预备党员之月起交纳。",
            "二、党费基数每年核定一次, 按规定比例计算应交金额。",
            "三、党员因故不能按月交纳的, 可以补交, 补交期限一般不超过六个月。",
            "四、连续六个月不交纳党费的, 党支部应及时了解情况并按规定处理。",
        ),
    ),
)


def _docx(title: str, paragraphs) -> bytes:
    doc = Docx()
    doc.add_heading(title, level=1)
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def seed_speech() -> tuple[str, list[str]]:
    text = resources.files("dangjian.demo").joinpath("data/seed_speech.txt").read_text("utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0], lines[1:]


def load(today: dt.date, branch_name: str) -> int:
    root = Organization.objects.get(depth=1, code="DEMO")
    title, paragraphs = seed_speech()
    speech = services.create_document(
        CLI,
        org=root,
        category="materials",
        title=title,
        description=_("全市中小学党的建设暨思想政治工作会议发言稿(2011年)"),
        issued_on=dt.date(2011, 1, 1),
        upload=SimpleUploadedFile(f"{title}.docx", _docx(title, paragraphs)),
    )
    rules = [(name, _docx(name, body)) for name, body in RULES]
    holders = list(
        Organization.objects.filter(
            kind__in=(OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.GENERAL_BRANCH)
        ).order_by("path")
    ) + list(Organization.objects.filter(name=branch_name))
    count = 1
    for org in holders:
        for name, content in rules:
            services.create_document(
                CLI,
                org=org,
                category="rules",
                title=f"{org.name}{name}",
                issued_on=dt.date(2019, 3, 1),
                upload=SimpleUploadedFile(f"{name}.docx", content),
            )
            count += 1
    _publications(root, speech, today, branch_name)
    return count


def _publications(root, speech, today, branch_name) -> None:
    month_ago = today - dt.timedelta(days=30)
    services.publish(
        CLI,
        org=root,
        kind="document",
        title=_("中小学党建专题会发言稿"),
        body=_("全市中小学党的建设暨思想政治工作会议发言稿, 供各级党组织学习参考。"),
        published_on=month_ago,
        expires_on=today + dt.timedelta(days=335),
        document=speech,
    )
    services.publish(
        CLI,
        org=root,
        kind="exemplar",
        title=_("全市教育系统优秀共产党员事迹"),
        body=_("坚守乡村学校二十年, 所带班级成绩连续五年全县第一; 结对帮扶困难学生十二名。"),
        published_on=month_ago,
        expires_on=today + dt.timedelta(days=60),
    )
    branch = Organization.objects.filter(name=branch_name).first()
    if branch is not None:
        services.publish(
            CLI,
            org=branch,
            kind="notice",
            title=_("关于召开本季度支部党员大会的通知"),
            body=_("定于本月下旬召开支部党员大会, 请全体党员按时参加。"),
            published_on=today - dt.timedelta(days=3),
            expires_on=today + dt.timedelta(days=20),
        )
        services.publish(
            CLI,
            org=branch,
            kind="activity",
            title=_("主题党日: 走进红色教育基地"),
            body=_("支部组织党员参观红色教育基地, 重温入党誓词。"),
            published_on=today - dt.timedelta(days=10),
            expires_on=today + dt.timedelta(days=50),
        )
        expired = services.publish(
            CLI,
            org=branch,
            kind="notice",
            title=_("关于开展组织生活会的通知"),
            published_on=today,
            expires_on=today,
        )
        services.withdraw(CLI, expired)
    first = add_months(today.replace(day=1), -3)
    last = add_months(today.replace(day=1), -1)
    for county in Organization.objects.filter(depth=2, kind=OrgKind.COMMITTEE).order_by("path"):
        services.publish_dues(
            CLI,
            org=county,
            first_month=first,
            last_month=last,
            published_on=today - dt.timedelta(days=5),
            expires_on=today + dt.timedelta(days=25),
        )
