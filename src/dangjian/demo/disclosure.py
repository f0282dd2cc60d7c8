"""党务公开 and the document library of 示例市, relative to the day the demo is built.

The library holds something at every level: the seed speech itself (as a .docx, published
on the city's portal), excerpts of the rules (法规文件) and forms (模板) at the city
committee, three 制度 in every committee and 党总支, a year's 工作要点 in every county
committee, and in every 党支部 (联合党支部 too) the 制度 it adopted from the standard texts
and its year's 工作计划 (a 党小组 keeps no library of its own). Written in one bulk load
through disclosure.services (the upload store, the search index, one audit row).

On the portal today: notices of the city, the counties and the demo branch, activities and
exemplars published from the life and excellence records, the counties' dues figures, and 发展对象公示 in progress: a few 发展对象 of the live
pipeline (the demo branch's first) are taken through 政治审查, 短期培训 and 支委会审查 to a
公示 that began two days ago, through recruitment.services, so the rules check every step."""

import datetime as dt
import io
import zipfile
from decimal import Decimal
from importlib import resources
from xml.sax.saxutils import escape

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core.context import CLI
from dangjian.core.dates import add_months
from dangjian.disclosure import services
from dangjian.disclosure.services import LibraryEntry
from dangjian.disclosure.sources import SOURCES
from dangjian.excellence.models import Exemplar
from dangjian.life.models import Meeting, MeetingKind
from dangjian.orgs.models import BRANCH_KINDS, COMMITTEE_KINDS, Organization, OrgKind
from dangjian.recruitment import services as recruitment
from dangjian.recruitment.models import Recruit, Step

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

# The city committee's 法规文件: excerpts of the rules the platform itself follows.
LAWS = (
    (
        "中国共产党发展党员工作细则(摘编)",
        (
            "年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子, 承认党的纲领和"
            "章程, 愿意参加党的一个组织并在其中积极工作、执行党的决议和按期交纳党费的, 可以申请"
            "加入中国共产党。",
            "党组织收到入党申请书后, 应当在一个月内派人同入党申请人谈话。",
            "入党积极分子经过一年以上培养教育和考察, 可列为发展对象。",
            "对发展对象进行政治审查, 进行短期集中培训, 时间一般不少于三天(或不少于二十四个学时)。",
            "支部委员会对发展对象进行审查, 审查合格后报具有审批权限的基层党委预审; 预审前进行公示。",
            "预备党员的预备期为一年, 从支部大会通过其为预备党员之日算起。",
        ),
    ),
    (
        "中国共产党支部工作条例(试行)(摘编)",
        (
            "党支部应当组织党员按期参加党员大会、党小组会和上党课, 定期召开党支部委员会会议。",
            "党支部每月相对固定1天开展主题党日。",
            "党支部每年至少召开1次组织生活会, 一般安排在第四季度。",
            "党支部一般每年开展1次民主评议党员。",
            "党支部委员会每届任期一般为3年。",
        ),
    ),
    (
        "关于中国共产党党费收缴、使用和管理的规定(摘编)",
        (
            "在职党员以每月工资收入(税后)为计算基数: 3000元以下(含3000元)者, 交纳月工资收入"
            "的0.5%; 3000元以上至5000元(含5000元)者, 交纳1%; 5000元以上至10000元(含10000元)者,"
            " 交纳1.5%; 10000元以上者, 交纳2%。",
            "离退休干部、职工中的党员, 每月以实际领取的离退休费总额或养老金总额为计算基数, 5000元"
            "以下(含5000元)的按0.5%交纳党费, 5000元以上的按1%交纳党费。",
            "农民党员、学生党员、下岗失业的党员、依靠抚恤或救济生活的党员, 每月交纳党费0.2元。",
            "党员自愿多交党费不限。自愿一次多交纳1000元以上的党费, 全部上缴中央。",
            "党员不按照规定交纳党费的, 党组织应及时对其进行批评教育; 连续6个月不交纳党费的,"
            " 按自行脱党处理。",
        ),
    ),
)

TEMPLATES = (
    (
        "党支部会议记录模板",
        (
            "会议名称:            会议类型: 支部党员大会 / 支委会 / 党小组会 / 党课 / 主题党日",
            "时间:        地点:        主持人:        记录人:",
            "应到人数:    实到人数:    缺席人员及原因:",
            "议程:",
            "会议记录:",
            "决定事项:",
        ),
    ),
    (
        "发展对象公示模板",
        (
            "经党支部委员会审查, 拟将下列同志列为中共预备党员发展对象, 现予公示。",
            "姓名、性别、民族、出生年月、学历、工作单位及职务, 申请入党时间, 确定为入党积极分子时间,"
            " 确定为发展对象时间。",
            "公示期为五个工作日。公示期间, 党员和群众可通过来信、来电或来访等方式反映情况。",
        ),
    ),
)

BRANCH_RULES = (
    RULES[0],
    (
        "主题党日制度",
        (
            "一、党支部每月相对固定一天开展主题党日, 一般安排在每月第一周。",
            "二、主题党日内容包括集中学习、过组织生活、开展志愿服务等, 做到每次有主题、有记录。",
            "三、党员因故不能参加的, 应向党支部书记请假, 并及时补学。",
        ),
    ),
)


def work_points(year: int) -> tuple[str, tuple[str, ...]]:
    return (
        f"{year}年党建工作要点",
        (
            f"一、深入学习贯彻党的创新理论, 把{year}年理论学习安排落实到每个党支部。",
            "二、规范“三会一课”、主题党日、组织生活会和民主评议党员, 推进组织生活记录全程留痕。",
            "三、严格发展党员程序, 重点在优秀青年教师中发展党员, 发展对象一律进行公示。",
            "四、做好党费收缴和公开, 每季度在党务公开栏公布党费收缴情况。",
            "五、持续推进党建示范点创建和“五个好”党支部检查。",
        ),
    )


def work_plan(year: int) -> tuple[str, tuple[str, ...]]:
    return (
        f"{year}年度党支部工作计划",
        (
            f"一、每月开展主题党日, 每季度召开支部党员大会、上一次党课; {year}年第四季度召开"
            "组织生活会并开展民主评议党员。",
            "二、落实“一岗双责”, 支委分工联系教研组和年级组, 党员结对帮扶学困学生。",
            "三、按照发展党员工作细则培养入党积极分子, 年内做好发展对象的考察和公示。",
            "四、党员按月交纳党费, 支部每季度核对一次党费台账。",
        ),
    )


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(title: str, paragraphs) -> bytes:
    """A small, valid Word file (the three parts a .docx needs): a bold centred title and
    the paragraphs. Built directly, a few hundred times faster than python-docx's template,
    and a few kilobytes instead of 36."""

    def paragraph(text, heading=False):
        props = '<w:pPr><w:jc w:val="center"/></w:pPr>' if heading else ""
        run = '<w:rPr><w:b/><w:sz w:val="32"/></w:rPr>' if heading else ""
        return f'<w:p>{props}<w:r>{run}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    body = paragraph(title, heading=True) + "".join(paragraph(text) for text in paragraphs)
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def seed_speech() -> tuple[str, list[str]]:
    text = resources.files("dangjian.demo").joinpath("data/seed_speech.txt").read_text("utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0], lines[1:]


def _entries(root, today: dt.date, branch_name: str) -> list[LibraryEntry]:
    """What every org keeps, by level; each standard text built once and shared."""
    year = today.year
    built: dict[str, bytes] = {}

    def entry(org, category, name, paragraphs, issued_on, title=None):
        if name not in built:
            built[name] = _docx(name, paragraphs)
        return LibraryEntry(
            org=org,
            category=category,
            title=title or f"{org.name}{name}",
            filename=f"{name}.docx",
            content=built[name],
            issued_on=issued_on,
        )

    entries = []
    for name, paragraphs in LAWS:
        entries.append(entry(root, "laws", name, paragraphs, dt.date(2019, 1, 1), title=name))
    for name, paragraphs in TEMPLATES:
        entries.append(entry(root, "templates", name, paragraphs, dt.date(2019, 3, 1), title=name))
    orgs = Organization.objects.exclude(kind=OrgKind.GROUP).order_by("path")
    for org in orgs:
        if org.kind in COMMITTEE_KINDS or org.kind == OrgKind.GENERAL_BRANCH:
            for name, paragraphs in RULES:
                entries.append(entry(org, "rules", name, paragraphs, dt.date(2019, 3, 1)))
            if org.kind in COMMITTEE_KINDS and org.depth > 1:
                name, paragraphs = work_points(year)
                entries.append(entry(org, "materials", name, paragraphs, dt.date(year, 2, 20)))
        elif org.kind in BRANCH_KINDS:
            rules = RULES if org.name == branch_name else BRANCH_RULES
            for name, paragraphs in rules:
                entries.append(entry(org, "rules", name, paragraphs, dt.date(2019, 3, 1)))
            name, paragraphs = work_plan(year)
            entries.append(entry(org, "materials", name, paragraphs, dt.date(year, 3, 1)))
    return entries


def load(today: dt.date, branch_name: str) -> int:
    root = Organization.objects.get(depth=1, code="DEMO")
    title, paragraphs = seed_speech()
    speech = LibraryEntry(
        org=root,
        category="materials",
        title=title,
        description=_("全市中小学党的建设暨思想政治工作会议发言稿(2011年)"),
        issued_on=dt.date(2011, 1, 1),
        filename=f"{title}.docx",
        content=_docx(title, paragraphs),
    )
    documents = services.bulk_load_documents(
        CLI,
        [speech, *_entries(root, today, branch_name)],
        org=root,
        note=_("示例市文件资料库"),
    )
    _publications(root, documents[0], today, branch_name)
    _live_publicity(today, branch_name)
    return len(documents)


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
        kind="notice",
        title=_("关于做好本年度民主评议党员工作的通知"),
        body=_(
            "各县(区)教体局党委、各直属学校党组织: 请于年底前完成民主评议党员工作,"
            " 评议结果报市教育局党委组织科备案。"
        ),
        published_on=today - dt.timedelta(days=6),
        expires_on=today + dt.timedelta(days=40),
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
        if not _from_records(branch, today):
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
    for county in Organization.objects.filter(depth=2, kind=OrgKind.COMMITTEE).order_by("path"):
        services.publish(
            CLI,
            org=county,
            kind="notice",
            title=_("关于报送发展党员工作计划的通知"),
            body=_(
                "各党支部: 请结合本支部入党积极分子情况, 于本月底前报送下一年度发展党员工作计划。"
            ),
            published_on=today - dt.timedelta(days=2),
            expires_on=today + dt.timedelta(days=28),
        )
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


PUBLICITY_COUNT = 3


def before_publicity() -> tuple:
    """The steps between the choice of 入党介绍人 and the 公示, with what the demo records."""
    return (
        ("political_review", {"note": _("合格")}),
        ("training", {"by": _("业余党校"), "hours": Decimal(24)}),
        ("committee_review", {}),
    )


def _live_publicity(today: dt.date, branch_name: str) -> int:
    """Take a few 发展对象 of the live pipeline (those past 入党介绍人, with no 公示 yet and
    nothing recorded in the last ten days; the demo branch's first) through the remaining
    steps to a 公示 that began two days ago, so the portal shows one in progress whatever
    the day. Each step goes through recruitment.services; one the rules refuse is skipped.
    Returns how many are in 公示."""
    start = today - dt.timedelta(days=2)
    recruits = list(
        Recruit.objects.filter(stage="candidate", closed_on__isnull=True)
        .select_related("org")
        .order_by("org__path", "id")
    )
    done: dict[int, dict[str, dt.date]] = {r.pk: {} for r in recruits}
    for recruit_id, key, on in Step.objects.filter(recruit__in=recruits).values_list(
        "recruit_id", "key", "on"
    ):
        done[recruit_id][key] = max(on, done[recruit_id].get(key, on))
    ready = [
        r
        for r in recruits
        if "introducers" in done[r.pk]
        and "publicity" not in done[r.pk]
        and max(done[r.pk].values()) <= today - dt.timedelta(days=10)
    ]
    ready.sort(key=lambda r: r.org.name != branch_name)
    shown = 0
    for recruit in ready:
        if shown >= PUBLICITY_COUNT:
            break
        missing = [(key, data) for key, data in before_publicity() if key not in done[recruit.pk]]
        day = start - dt.timedelta(days=len(missing))
        try:
            with transaction.atomic():  # all the steps of this person, or none
                for key, data in missing:
                    recruitment.record_step(CLI, recruit, key, on=day, **data)
                    day += dt.timedelta(days=1)
                recruitment.record_step(CLI, recruit, "publicity", on=start)
        except ValidationError:
            continue
        shown += 1
    return shown


def _from_records(branch, today: dt.date) -> int:
    """Feed the portal from the other modules, as a secretary does from the records' pages:
    the demo branch's latest 主题党日 and 党课 (life) as 活动, and the latest exemplars that
    excellence marked 公开 as 先进典型, each with the draft drawn from the record
    (disclosure.sources) through services.publish_record. Returns how many."""
    records = [
        ("meeting", meeting)
        for kind in (MeetingKind.THEME_DAY, MeetingKind.LECTURE)
        for meeting in Meeting.objects.filter(org=branch, kind=kind, held_on__lte=today)
        .select_related("org")
        .order_by("-held_on")[:1]
    ]
    records += [
        ("exemplar", exemplar)
        for exemplar in Exemplar.objects.filter(published_on__isnull=False, published_on__lte=today)
        .select_related("org")
        .order_by("-published_on", "id")[:3]
    ]
    for key, record in records:
        title, body = SOURCES[key].draft(record)
        services.publish_record(
            CLI,
            key,
            record,
            title=title,
            body=body,
            published_on=today - dt.timedelta(days=2),
            expires_on=today + dt.timedelta(days=45),
        )
    return len(records)
