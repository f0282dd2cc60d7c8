"""培训与学习 of 示例市: each region's (the city bureau's, the district's, each county's)
courses and yearly sessions since 2009 (冬训, 网络学习, 书记培训班, 党务干部轮训), every member's
attendance by the year with realistic gaps (some miss the 冬训, some log few online hours),
cadres' extra sessions and one rotation per cycle for most of them; a few dozen mentoring
pairs and 党建研究 works. Written through the training services (the attendance in one
batch), so the statistics key `training` counts it like any other record."""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from dangjian.core.context import CLI
from dangjian.demo.structure import day_between
from dangjian.orgs.models import Position
from dangjian.training import rules, services
from dangjian.training.models import CourseKind, Level, Source

SEED = 20101231 + 18
FIRST_YEAR = 2009
# (key, title, kind, hours, month, day)
COURSES = (
    ("winter", _("党员冬训"), CourseKind.STUDY, Decimal(16), 2, 20),
    ("secretaries", _("党组织书记培训班"), CourseKind.STUDY, Decimal(24), 7, 15),
    ("rotation", _("党务干部轮训班"), CourseKind.ROTATION, Decimal(32), 8, 20),
    ("online", _("党员网络学习"), CourseKind.ONLINE, Decimal(30), 12, 1),
)


# Years between the first cycle and the last few keep one row per member (the online
# platform's yearly total, no 冬训 session): the history stays continuous at about two
# thirds of the rows, so the demo loads fast.
ONLINE_ONLY_HOURS = Decimal(46)


def _full_year(year: int, today: dt.date) -> bool:
    return year <= FIRST_YEAR + 2 or year >= today.year - 3


@dataclass(frozen=True)
class Loaded:
    sessions: int
    attendance: int


def _cadre_spans(today: dt.date) -> dict[int, list[tuple[dt.date, dt.date]]]:
    """Member id -> the spans of the seats they held (the rules' cadres, by the link)."""
    spans = defaultdict(list)
    for member_id, start, end in Position.objects.filter(member__isnull=False).values_list(
        "member_id", "start_on", "end_on"
    ):
        spans[member_id].append((start or dt.date(1900, 1, 1), end or today))
    return spans


def _is_cadre(spans, key, year: int) -> bool:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return any(start <= last and end >= first for start, end in spans.get(key, ()))


def load(city, persons, today: dt.date) -> Loaded:
    rng = random.Random(SEED)
    sessions: dict[tuple[str, str, int], object] = {}
    for region in city.regions:
        committee = region.committee.obj
        level = Level.CITY if region.committee is city.root else Level.COUNTY
        for key, title, kind, hours, month, day in COURSES:
            course = services.save_course(
                CLI,
                org=committee,
                title=str(title),
                kind=kind,
                level=level,
                organiser=region.name + str(_("教育系统党校")),
                hours=hours,
            )
            for year in range(FIRST_YEAR, today.year + 1):
                on = min(dt.date(year, month, day), today)
                if on.year != year or (on == today and key != "online"):
                    continue
                if key == "winter" and not _full_year(year, today):
                    continue
                if key == "online" and not _full_year(year, today):
                    hours_here = ONLINE_ONLY_HOURS
                else:
                    hours_here = hours
                sessions[(region.key, key, year)] = services.save_training(
                    CLI, course=course, org=committee, on=on, hours=hours_here, place=region.name
                )
    spans = _cadre_spans(today)
    entries: list[services.AttendanceRow] = []

    def attend(session, member, hours, source=Source.LIST):
        entries.append(services.AttendanceRow(session.pk, member.pk, hours, source))

    for person in persons:
        member = person.member
        if member is None:
            continue
        diligent = rng.random() < 0.8
        rotated_cycles: set[dt.date] = set()
        for year in range(FIRST_YEAR, today.year + 1):
            org = person.org_on(min(dt.date(year, 7, 1), today))
            if org is None:
                continue
            region = org.region.key
            winter = sessions.get((region, "winter", year))
            if winter is not None and rng.random() < (0.96 if diligent else 0.6):
                attend(winter, member, winter.hours)
            online = sessions.get((region, "online", year))
            if online is not None and rng.random() < 0.95:
                high = rng.random() < (0.95 if diligent else 0.45)
                # Without a 冬训 (16h) that year, the online hours carry the whole target.
                extra = 0 if winter is not None else 16
                hours = rng.randint(16, 30) if high else rng.randint(4, 15)
                attend(online, member, Decimal(hours + extra), Source.IMPORT)
            if not _is_cadre(spans, member.pk, year):
                continue
            secretaries = sessions.get((region, "secretaries", year))
            if secretaries is not None and rng.random() < (0.9 if diligent else 0.6):
                attend(secretaries, member, secretaries.hours)
            rotation = sessions.get((region, "rotation", year))
            cycle, _end = rules.cycle_of(dt.date(year, 7, 1))
            if rotation is not None and cycle not in rotated_cycles and rng.random() < 0.5:
                rotated_cycles.add(cycle)
                attend(rotation, member, rotation.hours)
    written = services.record_attendance_batch(
        CLI, entries, note=_("示例市演示数据: 学习培训参训记录")
    )
    _mentoring(rng, persons, today)
    return Loaded(len(sessions), written)


OUTCOMES = ("", "", "applied", "backbone", "both")
MENTEES = ("青年教师", "新入职教师", "骨干教师")
TOPICS = (
    _("新时期中小学党组织发挥政治核心作用的途径研究"),
    _("“双培双带”工程在农村学校的实践"),
    _("学校党建与教育教学深度融合的探索"),
    _("党员教师先锋作用评价机制研究"),
    _("联合党支部组织生活质量提升策略"),
)


def _mentoring(rng: random.Random, persons, today: dt.date) -> None:
    mentors = [p for p in persons if p.member is not None and p.active and p.converted_on]
    for index, person in enumerate(rng.sample(mentors, min(40, len(mentors)))):
        started = day_between(rng, dt.date(2009, 9, 1), today - dt.timedelta(days=30))
        outcome = rng.choice(OUTCOMES)
        services.save_mentorship(
            CLI,
            org=person.member.org,
            kind=("to_member", "to_backbone", "blue_green")[index % 3],
            mentor=person.member,
            mentee_name=f"{MENTEES[index % 3]}{index + 1}",
            started_on=started,
            outcome=outcome,
            outcome_on=day_between(rng, started, today) if outcome else None,
        )
    for index, person in enumerate(rng.sample(mentors, min(24, len(mentors)))):
        services.save_research(
            CLI,
            org=person.member.org,
            kind="project" if index % 3 == 0 else "paper",
            title=str(TOPICS[index % len(TOPICS)]),
            authors=person.name,
            level=(Level.CITY, Level.COUNTY, Level.COMMITTEE)[index % 3],
            year=rng.randint(2009, today.year),
            outcome=str(_("获市级优秀成果奖")) if index % 4 == 0 else "",
        )
