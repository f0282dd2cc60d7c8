"""示例市's 廉政建设 records, written through the integrity services as the CLI (standing in
for the committees and the 纪检 officers). The seed's figures (INTERFACES 5) come out of
these records through the statistics' `integrity` key, over 2009-01-01..2010-12-31:
`DEMO-XIAN1` found 163 risk points, confirmed 38 and set over 100 measures; the city resolved
58 petitions, closed 8 cases (6 people sanctioned) and assisted with 3 outside leads. The
history then goes on to today, with petitions still open (and a few overdue), cases in
progress and risk points due for their yearly review."""

import bisect
import datetime as dt
import random
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.core.context import CLI
from dangjian.core.dates import add_years
from dangjian.integrity import services
from dangjian.integrity.models import (
    Case,
    Channel,
    Education,
    EducationKind,
    GovernmentOutcome,
    Measure,
    PartyOutcome,
    Petition,
    PetitionResult,
    Risk,
    RiskDomain,
    RiskLevel,
    Satisfaction,
    Talk,
    TalkKind,
)
from dangjian.members.choices import Status
from dangjian.members.models import Member
from dangjian.orgs.models import Organization, OrgKind

SEED = 20101231 + 16
PERIOD = (dt.date(2009, 1, 1), dt.date(2010, 12, 31))

# Risk points in 2009-2010 by county: (found, confirmed, measures). DEMO-XIAN1's are the
# speech's; the others are of the same order.
RISKS_2009_2010 = {
    "DEMO-XIAN1": (163, 38, 112),
    "DEMO-QU": (118, 31, 84),
    "DEMO-XIAN2": (97, 24, 61),
}
PETITIONS_RECEIVED = 63  # in 2009-2010, of which 58 settled within the period
PETITIONS_RESOLVED = 58
# 本单位 cases in 2009-2010: filed, of them closed, of the closed sanctioned.
CASES_FILED, CASES_CLOSED, CASES_SANCTIONED = 9, 8, 6
LEADS_DISMISSED = 5  # leads settled after 初核 without filing
LEADS_ASSISTED = 3

POSTS = {
    RiskDomain.TENDERING: ("基建办主任", "校长"),
    RiskDomain.PROCUREMENT: ("总务主任", "采购员", "实验室管理员"),
    RiskDomain.APPOINTMENT: ("校长", "党支部书记", "人事干部"),
    RiskDomain.FINANCE: ("会计", "出纳", "报账员"),
    RiskDomain.ADMISSION: ("教务主任", "招生办主任"),
    RiskDomain.TITLES: ("职称评审委员", "人事干部"),
    RiskDomain.DEPLOYMENT: ("人事股长", "校长"),
    RiskDomain.RESEARCH: ("教科室主任", "课题负责人"),
    RiskDomain.LOGISTICS: ("食堂管理员", "后勤主任", "宿管员"),
    RiskDomain.OTHER: ("办公室主任",),
}
DESCRIPTIONS = {
    RiskDomain.TENDERING: "工程招标中可能出现围标串标、泄露标底",
    RiskDomain.PROCUREMENT: "设备采购未按规定询价比价, 可能收受回扣",
    RiskDomain.APPOINTMENT: "干部选拔任用程序不规范, 可能出现跑官要官",
    RiskDomain.FINANCE: "收支未纳入统一核算, 可能设立“小金库”",
    RiskDomain.ADMISSION: "招生中可能违规择校、乱收费",
    RiskDomain.TITLES: "职称评聘中可能弄虚作假、暗箱操作",
    RiskDomain.DEPLOYMENT: "教师调配中可能违规借调、以权谋私",
    RiskDomain.RESEARCH: "科研经费可能虚列支出、挪作他用",
    RiskDomain.LOGISTICS: "食堂和物资采购可能虚报冒领",
    RiskDomain.OTHER: "公务接待可能超标准",
}
MEASURES = (
    "实行集体研究决策并留存记录",
    "重要事项在校务公开栏公示",
    "建立三人以上询价比价制度",
    "关键岗位定期轮岗",
    "纪检员全程监督",
    "每季度自查一次并报县局备案",
    "签订廉洁承诺书",
)
SPEAKERS = ("赵建国", "王淑芬", "李明德", "张秀兰", "刘志强", "陈玉梅")  # 师德师风宣讲团
PETITION_SUBJECTS = (
    "反映学校乱收费",
    "反映教师有偿家教",
    "反映招生中违规择校",
    "反映食堂饭菜质量和收费",
    "反映教师职称评聘不公",
    "反映校长作风粗暴",
    "反映工程款拖欠",
    "反映教师体罚学生",
)
CASE_MATTERS = (
    "违规收取学生资料费",
    "设立“小金库”",
    "采购中收受回扣",
    "违规发放津贴补贴",
    "利用职务之便为亲属谋取利益",
    "公款吃喝",
)


class _Made:
    """The records built in memory, written model by model through `bulk_create` (the same
    rules and scope as one by one, one audit row per model): a risk before its measures."""

    ORDER = (Risk, Measure, Education, Petition, Case, Talk)

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.rows = {model: [] for model in self.ORDER}
        # (education, how many attended): members drawn once the records exist; cases
        # whose 党纪处分 lands on a member's record (written one by one: `create_case`).
        self.attending: list = []
        self.sanctioning: list[dict] = []

    def add(self, model, **fields):
        obj = model(**fields)
        self.rows[model].append(obj)
        return obj

    def write(self) -> None:
        for model in self.ORDER:
            services.bulk_create(
                CLI,
                self.rows[model],
                _("示例市演示数据: %(what)s") % {"what": model._meta.verbose_name_plural},
            )


_made = _Made()


@dataclass
class Loaded:
    risks: int
    petitions: int
    cases: int
    seconds: float


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


class _Names:
    def __init__(self, rng: random.Random):
        from dangjian.demo.people import PersonMaker

        self.maker = PersonMaker(rng, SEED)
        self.rng = rng

    def __call__(self) -> str:
        return self.maker.name(self.rng.choice(("male", "female")), "汉族")


def _orgs(code: str) -> tuple[Organization, list[Organization]]:
    county = Organization.objects.get(code=code)
    units = list(
        county.subtree()
        .filter(kind__in=(OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.GENERAL_BRANCH))
        .order_by("path")
    )
    return county, units or [county]


def _risks(rng, names, code, counts, today) -> int:
    county, units = _orgs(code)
    found, confirmed, measures = counts
    domains = list(RiskDomain.values)
    risks = []
    # The 2009 排查 in every unit, then the leading group's 评估确认 of the serious ones.
    for i in range(found):
        domain = domains[i % len(domains)]
        org = county if i % 7 == 0 else rng.choice(units)
        confirm = i < confirmed
        found_on = _day(rng, dt.date(2009, 3, 1), dt.date(2009, 6, 30))
        confirmed_on = _day(rng, dt.date(2009, 9, 1), dt.date(2010, 3, 31)) if confirm else None
        reviewed_on = None
        if confirm:
            # The yearly review goes on to today; a few are behind (the to-do list shows them).
            last = today - dt.timedelta(days=rng.randint(20, 300))
            if rng.random() < 0.1:
                last = add_years(last, -1)
            reviewed_on = max(last, add_years(confirmed_on, 1))
            if reviewed_on > today:
                reviewed_on = None
        risks.append(
            _made.add(
                Risk,
                org=org,
                domain=domain,
                post=rng.choice(POSTS[domain]),
                people=names(),
                description=DESCRIPTIONS[domain],
                level=(
                    RiskLevel.HIGH
                    if confirm and rng.random() < 0.4
                    else rng.choice((RiskLevel.MEDIUM, RiskLevel.LOW))
                ),
                found_on=found_on,
                confirmed_on=confirmed_on,
                reviewed_on=reviewed_on,
                review_note=_("措施落实, 继续执行") if reviewed_on else "",
            )
        )
    confirmed_risks = [r for r in risks if r.confirmed_on]
    for i in range(measures):
        risk = confirmed_risks[i % len(confirmed_risks)]
        set_on = _day(
            rng, risk.confirmed_on, min(risk.confirmed_on + dt.timedelta(days=90), PERIOD[1])
        )
        _made.add(
            Measure,
            risk=risk,
            content=MEASURES[i % len(MEASURES)],
            owner=names(),
            set_on=set_on,
            review_on=set_on + dt.timedelta(days=180),
        )
    # After 2010: new posts found and confirmed every year, each with its measures.
    year = 2011
    while dt.date(year, 4, 1) <= today:
        for _i in range(rng.randint(3, 6)):
            domain = rng.choice(domains)
            found_on = dt.date(year, 4, 1) + dt.timedelta(days=rng.randint(0, 60))
            if found_on > today:
                break
            confirmed_on = found_on + dt.timedelta(days=rng.randint(20, 60))
            confirm = confirmed_on <= today and rng.random() < 0.5
            risk = _made.add(
                Risk,
                org=rng.choice(units),
                domain=domain,
                post=rng.choice(POSTS[domain]),
                people=names(),
                description=DESCRIPTIONS[domain],
                level=rng.choice(RiskLevel.values),
                found_on=found_on,
                confirmed_on=confirmed_on if confirm else None,
            )
            risks.append(risk)
            if confirm:
                set_on = min(confirmed_on + dt.timedelta(days=15), today)
                _made.add(
                    Measure,
                    risk=risk,
                    content=rng.choice(MEASURES),
                    owner=names(),
                    set_on=set_on,
                    review_on=set_on + dt.timedelta(days=180),
                )
        year += 1
    return len(risks)


def _education(rng, today) -> None:
    counties = [_orgs(code) for code in RISKS_2009_2010]
    year = 2009
    while dt.date(year, 3, 1) <= today:
        for county, _units in counties:
            for kind, title, month in (
                (EducationKind.WARNING, _("%(y)d年警示教育大会"), 3),
                (EducationKind.PROJECT, _("“3+6”廉政教育工程: 廉政党课"), 6),
            ):
                held_on = dt.date(year, month, rng.randint(5, 25))
                if held_on > today:
                    continue
                education = _made.add(
                    Education,
                    org=county,
                    kind=kind,
                    held_on=held_on,
                    title=title % {"y": year} if "%" in title else title,
                    speaker=_("县纪委"),
                    place=_("县教体局会议室"),
                )
                _made.attending.append((education, rng.randint(80, 200)))
        year += 1
    # 2010: the six speakers of the 师德师风 lecture group tour the schools.
    tour = [unit for _county, units in counties for unit in units]
    rng.shuffle(tour)
    for i, unit in enumerate(tour[:48]):
        education = _made.add(
            Education,
            org=unit,
            kind=EducationKind.ETHICS,
            held_on=_day(rng, dt.date(2010, 4, 1), dt.date(2010, 11, 30)),
            title=_("师德师风巡回宣讲"),
            speaker=SPEAKERS[i % len(SPEAKERS)],
            place=_("学校会议室"),
        )
        _made.attending.append((education, rng.randint(20, 90)))


def _petition(rng, names, org, received_on, resolved_on):
    resolved = resolved_on is not None
    return _made.add(
        Petition,
        org=org,
        received_on=received_on,
        channel=rng.choice(Channel.values),
        subject=rng.choice(PETITION_SUBJECTS),
        petitioner=names() if rng.random() < 0.8 else "",
        progress=_("已转承办单位调查核实") if not resolved else _("调查核实完毕, 已答复"),
        result=rng.choice(PetitionResult.values) if resolved else "",
        resolved_on=resolved_on,
        reply=_("经调查核实, 已书面答复信访人") if resolved else "",
        satisfaction=(
            rng.choice((Satisfaction.SATISFIED,) * 3 + (Satisfaction.BASICALLY,))
            if resolved
            else ""
        ),
    )


def _petitions(rng, names, handlers, today) -> int:
    count = 0
    # 2009-2010: 63 received; all but the last five settled within the period.
    received = sorted(
        _day(rng, PERIOD[0], dt.date(2010, 11, 20)) for _ in range(PETITIONS_RECEIVED)
    )
    for i, on in enumerate(received):
        settled_late = i >= PETITIONS_RESOLVED
        if settled_late:
            resolved_on = _day(rng, dt.date(2011, 1, 5), dt.date(2011, 1, 18))
        else:
            resolved_on = min(on + dt.timedelta(days=rng.randint(10, 55)), PERIOD[1])
        _petition(rng, names, rng.choice(handlers), on, resolved_on)
        count += 1
    # Since 2011: about two a month; the recent ones still in hand, a few overdue.
    on = dt.date(2011, 2, 1)
    while on <= today:
        age = (today - on).days
        if age > 120:
            resolved_on = on + dt.timedelta(days=rng.randint(10, 58))
        elif age > services.petition_due_on(on).toordinal() - on.toordinal():
            resolved_on = (
                None if rng.random() < 0.4 else on + dt.timedelta(days=rng.randint(10, 58))
            )
        else:
            resolved_on = None
        if resolved_on is not None and resolved_on > today:
            resolved_on = None
        _petition(rng, names, rng.choice(handlers), on, resolved_on)
        count += 1
        on += dt.timedelta(days=rng.randint(8, 22))
    return count


def _case(rng, names, org, received_on, **stages):
    fields = {
        "org": org,
        "subject_name": names(),
        "post": rng.choice(("校长", "副校长", "总务主任", "教师", "会计")),
        "source": rng.choice((_("群众来信"), _("上级交办"), _("审计移送"), _("巡查发现"))),
        "matter": rng.choice(CASE_MATTERS),
        "received_on": received_on,
        **stages,
    }
    if stages.get("party_outcome") or stages.get("government_outcome"):
        # A sanctioned person is a member of the city (linked below, `_link_members`).
        _made.sanctioning.append(fields)
        return None
    return _made.add(Case, **fields)


class _Members:
    """Demo members a sanctioned case names: active, without a demo account, a member
    when the lead came in, within the handling org; each named once (a separate random
    stream, so the other records stay as they were)."""

    def __init__(self, rng):
        self.rng = rng
        self.rows = list(
            Member.objects.filter(status=Status.ACTIVE, user__isnull=True)
            .order_by("pk")
            .values_list("pk", "name", "org__path", "joined_on")
        )
        self.taken: set[int] = set()

    def pick(self, org, day):
        fits = [
            row
            for row in self.rows
            if row[0] not in self.taken and row[2].startswith(org.path) and row[3] <= day
        ]
        if not fits:
            return None
        row = self.rng.choice(fits)
        self.taken.add(row[0])
        return row


def _link_members(rng) -> None:
    """The sanctioned cases name real members: a 政务处分 alone goes with the others in
    bulk; a 党纪处分 is created one by one, so it becomes the member's sanction record."""
    people = _Members(rng)
    for fields in _made.sanctioning:
        row = people.pick(fields["org"], fields["received_on"])
        if row is not None:
            fields |= {"member_id": row[0], "subject_name": row[1]}
        if fields.get("party_outcome") and row is not None:
            fields["member"] = Member.objects.select_related("org").get(pk=row[0])
            del fields["member_id"]
            services.create_case(CLI, **fields)
        else:
            _made.add(Case, **fields)


def _attendance(rng) -> int:
    """Who attended each education record: members of its org on its day, as many as the
    activity drew (or all there were), in one bulk write."""
    rows = sorted(
        Member.objects.values_list("org__path", "pk", "joined_on", "left_on"),
    )
    paths = [row[0] for row in rows]
    pairs = []
    for education, wanted in _made.attending:
        day, path = education.held_on, education.org.path
        # The subtree's members are one run of the rows sorted by path.
        first, last = bisect.bisect_left(paths, path), bisect.bisect_left(paths, path + "~")
        fits = [
            pk
            for _path, pk, joined_on, left_on in rows[first:last]
            if joined_on <= day and (left_on is None or left_on >= day)
        ]
        chosen = rng.sample(fits, min(wanted, len(fits)))
        pairs.extend((education, pk) for pk in sorted(chosen))
    return services.bulk_attendance(CLI, pairs, _("示例市演示数据: 廉政教育参加人员"))


def _cases(rng, names, handlers, today) -> int:
    count = 0
    outcomes = [
        {"party_outcome": PartyOutcome.WARNING},
        {"party_outcome": PartyOutcome.SERIOUS_WARNING},
        {"party_outcome": PartyOutcome.WARNING, "government_outcome": GovernmentOutcome.DEMERIT},
        {"government_outcome": GovernmentOutcome.WARNING},
        {"government_outcome": GovernmentOutcome.MAJOR_DEMERIT},
        {"party_outcome": PartyOutcome.REMOVAL},
    ]
    # 2009-2010: nine filed, eight of them closed (six sanctioned, two 免予处分).
    for i in range(CASES_FILED):
        received_on = _day(rng, PERIOD[0], dt.date(2010, 6, 30))
        checked_on = received_on + dt.timedelta(days=rng.randint(5, 20))
        filed_on = checked_on + dt.timedelta(days=rng.randint(10, 30))
        stages = {"checked_on": checked_on, "filed_on": filed_on}
        if i < CASES_CLOSED:
            reviewed_on = filed_on + dt.timedelta(days=rng.randint(30, 90))
            stages |= {
                "reviewed_on": reviewed_on,
                "closed_on": reviewed_on + dt.timedelta(days=rng.randint(5, 20)),
            }
            if i < CASES_SANCTIONED:
                stages |= outcomes[i]
        else:  # filed in 2010, closed in 2011
            stages["filed_on"] = _day(rng, dt.date(2010, 11, 1), dt.date(2010, 12, 20))
            stages["checked_on"] = stages["filed_on"] - dt.timedelta(days=10)
            received_on = stages["checked_on"] - dt.timedelta(days=10)
            stages |= {"reviewed_on": dt.date(2011, 2, 25), "closed_on": dt.date(2011, 3, 10)}
        _case(rng, names, rng.choice(handlers), received_on, **stages)
        count += 1
    for _i in range(LEADS_DISMISSED):  # 初核 found nothing to file: 了结
        received_on = _day(rng, PERIOD[0], dt.date(2010, 10, 31))
        checked_on = received_on + dt.timedelta(days=rng.randint(5, 20))
        closed_on = checked_on + dt.timedelta(days=rng.randint(10, 40))
        _case(
            rng,
            names,
            rng.choice(handlers),
            received_on,
            checked_on=checked_on,
            closed_on=closed_on,
        )
        count += 1
    for _i in range(LEADS_ASSISTED):
        received_on = _day(rng, PERIOD[0], dt.date(2010, 10, 31))
        _made.add(
            Case,
            org=rng.choice(handlers),
            kind="assisted",
            subject_name=names(),
            source=_("县纪委转办"),
            matter=_("协助核查外单位移交的问题线索"),
            received_on=received_on,
            checked_on=received_on + dt.timedelta(days=7),
            closed_on=received_on + dt.timedelta(days=30),
        )
        count += 1
    # Since 2011: a few leads a year; the latest still at 初核 or 审查.
    year = 2011
    while dt.date(year, 3, 1) <= today:
        for _i in range(rng.randint(2, 4)):
            received_on = _day(rng, dt.date(year, 3, 1), min(dt.date(year, 11, 30), today))
            stages = {}
            checked_on = received_on + dt.timedelta(days=14)
            if checked_on <= today:
                stages["checked_on"] = checked_on
                filed_on = checked_on + dt.timedelta(days=20)
                if filed_on <= today and rng.random() < 0.6:
                    stages["filed_on"] = filed_on
                    reviewed_on = filed_on + dt.timedelta(days=60)
                    if reviewed_on + dt.timedelta(days=10) <= today:
                        stages |= {
                            "reviewed_on": reviewed_on,
                            "closed_on": reviewed_on + dt.timedelta(days=10),
                            **rng.choice(outcomes[3:5]),
                        }
                elif filed_on <= today:
                    stages["closed_on"] = filed_on
            _case(rng, names, rng.choice(handlers), received_on, **stages)
            count += 1
        year += 1
    return count


def _talks(rng, names, handlers, today) -> None:
    on = dt.date(2009, 3, 10)
    while on <= today:
        _made.add(
            Talk,
            org=rng.choice(handlers),
            kind=rng.choice((TalkKind.REMIND, TalkKind.REMIND, TalkKind.ADMONISH)),
            held_on=on,
            person_name=names(),
            post=rng.choice(("校长", "副校长", "党支部书记", "总务主任")),
            by_whom=_("教育局纪检组长"),
            matter=rng.choice(
                (_("履行“一岗双责”不到位"), _("群众反映工作作风问题"), _("财务管理不规范"))
            ),
            follow_up=_("已提交书面说明, 三个月后回访"),
        )
        on += dt.timedelta(days=rng.randint(45, 120))


def load(today: dt.date) -> Loaded:
    started = time.perf_counter()
    _made.reset()
    rng = random.Random(SEED)
    names = _Names(rng)
    risks = sum(_risks(rng, names, code, counts, today) for code, counts in RISKS_2009_2010.items())
    _education(rng, today)
    handlers = list(
        Organization.objects.filter(code__in=("DEMO", *RISKS_2009_2010)).order_by("path")
    )
    petitions = _petitions(rng, names, handlers, today)
    cases = _cases(rng, names, handlers, today)
    _talks(rng, names, handlers, today)
    linking = random.Random(SEED + 1)
    _link_members(linking)
    _made.write()
    _attendance(linking)
    return Loaded(risks, petitions, cases, time.perf_counter() - started)
