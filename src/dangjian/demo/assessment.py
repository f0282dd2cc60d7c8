"""责任与考核 of 示例市 (INTERFACES 5): 党建责任书 signed level by level every year (this
year's not all signed yet), two 专项督查 with 整改 items (the 2010 one closed, some late;
this year's partly open and overdue), the county's "四比三优两满意" 考核 scored for 2009 and
2010, external 测评 ranks (the county 12th in 2009 and 8th in 2010, one of its schools 6th
then 3rd, the city bureau 1st in 2009) and 表彰 over the years. Written through the
services; the figures come out of the records through the `assessment` statistics key."""

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.db.models import Q

from dangjian.assessment import services
from dangjian.assessment.models import Honour, HonourKind, HonourLevel, HonourStatus
from dangjian.core.context import CLI
from dangjian.core.dates import add_months
from dangjian.members.models import Member
from dangjian.orgs.models import Organization, OrgKind

SEED = 20101231 + 14
ROOT, COUNTY = "DEMO", "DEMO-XIAN1"
FIRST_YEAR = 2009
LETTER_INDICATORS = (
    ("班子建设", 25, "班子团结, 每季度召开专题会议研究党建工作"),
    ("三会一课", 25, "按规定召开支部党员大会、支委会、党小组会, 上好党课"),
    ("发展党员", 20, "完成年度发展计划, 程序规范"),
    ("党风廉政", 15, "落实一岗双责, 无违纪违法案件"),
    ("创先争优", 15, "开展公开承诺、评星定格等活动"),
)
# The 2010 ranks of the seed (政风行风测评): the county bureau, one of its schools, the city.
EVALUATIONS = (
    (COUNTY, "政风行风测评", "示例一县人民政府", "全县", {2009: 12, 2010: 8}, 36),
    (ROOT, "政风行风测评", "示例市人民政府", "全市", {2009: 1}, 42),
)
SCHOOL_RANKS = {2009: 6, 2010: 3}


@dataclass(frozen=True)
class Loaded:
    letters: int
    rectifications: int
    honours: int
    seconds: float


def load(today: dt.date) -> Loaded:
    started = time.perf_counter()
    rng = random.Random(SEED)
    orgs = list(
        Organization.objects.exclude(kind=OrgKind.GROUP).filter(depth__gt=1).order_by("path")
    )
    letters = _letters(rng, orgs, today)
    items = _inspections(rng, orgs, today)
    _evaluations(rng, orgs, today)
    _scoring(rng, today)
    honours = _honours(rng, orgs, today)
    return Loaded(letters, items, honours, time.perf_counter() - started)


def _letters(rng: random.Random, orgs, today: dt.date) -> int:
    """Level by level: the level above signs in February, the next in March, and so on;
    a few letters of past years were never signed, this year's are still being signed."""
    rows = []
    for year in range(FIRST_YEAR, today.year + 1):
        year_end = dt.date(year, 12, 31)
        for org in orgs:
            if org.founded_on and org.founded_on > year_end:
                continue
            day = dt.date(year, 1 + org.depth, 1) + dt.timedelta(days=rng.randint(0, 20))
            signed = day <= today and rng.random() < (0.97 if year < today.year else 0.7)
            if year == today.year and not signed and rng.random() < 0.2:
                continue  # not even drafted yet
            rows.append(
                {
                    "org": org,
                    "year": year,
                    "signed_on": day if signed else None,
                    "superior_signatory": "党委书记" if signed else "",
                    "org_signatory": "书记" if signed else "",
                    "indicators": rng.sample(LETTER_INDICATORS, 4),
                }
            )
    return services.bulk_create_letters(CLI, rows, description="示例市演示数据: 党建责任书")


def _inspection(rng, org, topic, start_on, targets, findings, today, late_share):
    inspection = services.create_inspection(
        CLI,
        org=org,
        topic=topic,
        start_on=start_on,
        end_on=start_on + dt.timedelta(days=9),
        inspectors="市委教育工委督查组",
        targets=targets,
        summary=f"督查组采取听取汇报、查阅资料、个别谈话等方式, 对{len(targets)}个党组织进行了督查。",
    )
    found_on = start_on + dt.timedelta(days=10)
    made = 0
    for target in targets:
        for finding in rng.sample(findings, rng.randint(1, 2)):
            deadline = found_on + dt.timedelta(days=rng.choice((30, 45, 60, 90)))
            item = services.add_rectification(
                CLI,
                inspection,
                org=target,
                finding=finding,
                requirement="对照问题制定整改方案, 明确责任人和时限, 按期报送整改情况。",
                owner="支部书记",
                found_on=found_on,
                deadline=deadline,
            )
            made += 1
            late = rng.random() < late_share
            submitted = deadline + dt.timedelta(
                days=rng.randint(3, 25) if late else -rng.randint(1, 15)
            )
            if submitted > today or rng.random() < 0.15:
                continue  # not reported yet
            services.report_rectification(
                CLI,
                item,
                evidence="已补齐会议记录并完善制度, 附相关记录照片。",
                submitted_on=submitted,
            )
            accepted = submitted + dt.timedelta(days=rng.randint(1, 6))
            if accepted <= today:
                services.review_rectification(CLI, item, accept=True, on=accepted)
    return made


FINDINGS = (
    "支部党员大会、支委会记录不全, 部分月份缺少会议记录",
    "党课未按季度开展, 书记讲党课次数不足",
    "发展党员材料归档不及时, 个别志愿书填写不规范",
    "党员活动室制度未上墙, 资料柜管理不规范",
    "民主评议党员结果未及时上报",
    "党费收缴台账不完整",
)


def _inspections(rng: random.Random, orgs, today: dt.date) -> int:
    root = Organization.objects.get(code=ROOT)
    branches = [org for org in orgs if org.kind in (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)]
    old = [org for org in branches if not org.founded_on or org.founded_on <= dt.date(2010, 5, 1)]
    made = _inspection(
        rng,
        root,
        "基层党组织建设专项督查",
        dt.date(2010, 5, 10),
        rng.sample(old, 12),
        FINDINGS,
        today,
        late_share=0.35,
    )
    start = today - dt.timedelta(days=80)
    made += _inspection(
        rng,
        root,
        "“三会一课”制度落实情况专项督查",
        start,
        rng.sample(branches, 10),
        FINDINGS,
        today,
        late_share=0.5,
    )
    return made


def _evaluations(rng: random.Random, orgs, today: dt.date) -> None:
    def record(org, name, body, among, year, rank, participants):
        services.record_evaluation(
            CLI,
            org=org,
            name=name,
            body=body,
            year=year,
            held_on=dt.date(year, 12, 28),
            ranked_among=among,
            rank=rank,
            participants=participants,
            score=round(95 - rank * 0.6 + rng.random(), 2),
        )

    for code, name, body, among, fixed, participants in EVALUATIONS:
        org = Organization.objects.get(code=code)
        rank = fixed[max(fixed)]
        for year in range(FIRST_YEAR, today.year):
            if year in fixed:
                rank = fixed[year]
            else:
                rank = max(1, min(participants, rank + rng.choice((-2, -1, -1, 0, 1, 2))))
            record(org, name, body, among, year, rank, participants)
    county = Organization.objects.get(code=COUNTY)
    school = (
        Organization.objects.filter(path__startswith=county.path, depth=county.depth + 1)
        .filter(kind=OrgKind.BRANCH)
        .exclude(code__endswith="-JG")
        .order_by("code")
        .first()
    )
    for year, rank in SCHOOL_RANKS.items():
        record(school, "行风测评", "示例一县教体局", "全县学校", year, rank, 40)


SCORING_SET = "“四比三优两满意”目标考核"
TREE = (
    ("四比", 60, ("比班子建设", "比队伍建设", "比制度落实", "比工作实绩"), 15),
    ("三优", 24, ("优质服务", "优良作风", "优异成绩"), 8),
    ("两满意", 16, ("群众满意", "社会满意"), 8),
    ("加分项目", 5, ("创新举措", "上级表彰"), 3),
)


def _scoring(rng: random.Random, today: dt.date) -> None:
    """The county scores its direct orgs for 2009 and 2010; strong orgs stay strong."""
    county = Organization.objects.get(code=COUNTY)
    children = list(
        Organization.objects.filter(path__startswith=county.path, depth=county.depth + 1).order_by(
            "code"
        )
    )
    strength = {org.pk: rng.uniform(0.7, 0.95) for org in children}
    for year in (2009, 2010):
        indicator_set = services.create_indicator_set(
            CLI,
            org=county,
            year=year,
            name=SCORING_SET,
            note="以比班子建设、比队伍建设、比制度落实、比工作实绩, 创优质服务、优良作风、优异成绩, 让群众满意、让社会满意为内容的年度考核。",
        )
        leaves = []
        for order, (group, cap, names, leaf_max) in enumerate(TREE, 1):
            node = services.add_indicator(
                CLI, indicator_set, name=group, max_score=cap, order=order
            )
            for i, name in enumerate(names, 1):
                leaves.append(
                    services.add_indicator(
                        CLI,
                        indicator_set,
                        name=name,
                        max_score=leaf_max,
                        parent=node,
                        order=i,
                        guide=f"对照{name}要求逐项评分, 满分{leaf_max}分。",
                    )
                )
        for org in children:
            if org.founded_on and org.founded_on > dt.date(year, 12, 31):
                continue
            strength[org.pk] = min(0.99, max(0.5, strength[org.pk] + rng.uniform(-0.05, 0.05)))
            sheet = services.create_sheet(
                CLI,
                indicator_set,
                org=org,
                democratic_rate=round(80 + 20 * strength[org.pk] * rng.uniform(0.9, 1.0), 1),
                leader_comment=rng.choice(
                    (
                        "班子团结有力, 党建工作扎实。",
                        "制度落实到位, 特色亮点突出。",
                        "基础工作较好, 创新不足。",
                    )
                ),
            )
            for leaf in leaves:
                value = round(float(leaf.max_score) * strength[org.pk] * rng.uniform(0.9, 1.05), 1)
                value = min(value, float(leaf.max_score))
                services.score(
                    CLI,
                    sheet,
                    leaf,
                    self_score=min(float(leaf.max_score), round(value + 0.5, 1)),
                    reviewer_score=value,
                )


def _honours(rng: random.Random, orgs, today: dt.date) -> int:
    """两优一先 every July 1st (and 师德标兵 every September), county and city level; this
    year's nominations are in 公示 or waiting."""
    members = list(
        Member.objects.current()
        .filter(~Q(org__kind=OrgKind.GROUP))
        .select_related("org")
        .order_by("pk")
    )
    branches = [org for org in orgs if org.kind in (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)]
    honours = []
    for year in range(FIRST_YEAR, today.year + 1):
        for kind, count, month in (
            (HonourKind.EXCELLENT_MEMBER, 24, 7),
            (HonourKind.EXCELLENT_WORKER, 6, 7),
            (HonourKind.ADVANCED_ORG, 8, 7),
            (HonourKind.MODEL_TEACHER, 10, 9),
        ):
            decided = dt.date(year, month, 1)
            nominated = add_months(decided, -1)
            if nominated > today:
                continue
            picks = rng.sample(branches if kind == HonourKind.ADVANCED_ORG else members, count)
            for pick in picks:
                level = HonourLevel.CITY if rng.random() < 0.25 else HonourLevel.COUNTY
                person = None if kind == HonourKind.ADVANCED_ORG else pick
                honour = Honour(
                    kind=kind,
                    level=level,
                    year=year,
                    org=pick if person is None else person.org,
                    member=person,
                    awarded_by="中共示例市委教育工委"
                    if level == HonourLevel.CITY
                    else "中共示例县(区)委",
                    nominated_on=nominated,
                    title="",
                    note="",
                )
                publicity_from = nominated + dt.timedelta(days=7)
                if publicity_from <= today:
                    honour.publicity_from = publicity_from
                    honour.publicity_to = publicity_from + dt.timedelta(days=6)
                    honour.status = HonourStatus.PUBLICISED
                if decided <= today:
                    honour.status = HonourStatus.APPROVED
                    honour.decided_on = decided
                honours.append(honour)
    return services.bulk_record_honours(CLI, honours, description="示例市演示数据: 表彰")
