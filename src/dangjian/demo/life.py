"""组织生活 for 示例市: every branch's meetings from 2009 (or its founding) to this month,
with realistic gaps (each branch has its own diligence, better in recent years, so the
compliance grid has red cells), the 2011 "六个一" series for the Party's 90th anniversary in
every branch, meetings planned for the days ahead (the /me/ card, the 待办 list), and the
民主评议 grades.

Volume: one meeting per slot held is ~15,000 meetings a year over the city's ~360
branches. The seed years 2009-2010, the last DETAIL_MONTHS months, the yearly kinds and the
2011 series are full records (place, agenda, minutes) through bulk_create. The monthly and
quarterly meetings of the years between are ledger lines (date, kind, title, chair, counts:
what a digitised paper ledger holds) written by one executemany of plain tuples
(_write_ledger): through bulk_create they nearly doubled the demo's time. So the grid of
every year is mostly green with each branch's own red cells. Every meeting carries its
expected and present counts (what the statistics and the grid read); a roster (one
attendance row per expected member) is kept only for the recent months and the demo
branch's whole history, as a city digitising its paper sign-in sheets would have it: older
meetings are `roster_kept = False`, their figures entered from the sheets. The rosters are
computed by the services' own rule (life.services.expected_member_ids, here from preloaded
spells), one audit row per batch.
"""

import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.core.context import CLI
from dangjian.core.dates import add_months
from dangjian.life import rules, services
from dangjian.life.models import (
    AbsenceReason,
    Attendance,
    AttendanceStatus,
    Frequency,
    Grade,
    Meeting,
    MeetingKind,
    ReviewGrade,
    SeriesItem,
    SignedBy,
)
from dangjian.members.models import Membership
from dangjian.orgs.models import BRANCH_KINDS, Organization, Position

SEED = 20101231 + 13
FIRST_DAY = dt.date(2009, 1, 1)
ROSTER_MONTHS = 1  # rosters kept for meetings from this many months back on
DETAIL_MONTHS = 6  # every kind of meeting from this many months back on (and in the seed years)
SEED_END = dt.date(2011, 1, 1)
AHEAD_DAYS = 21
DEMO_BRANCH = "示例区第三中学党支部"
PLACES = ("党员活动室", "会议室", "学校报告厅", "图书室", "多功能教室")
LECTURE_TOPICS = (
    "学习党章, 做合格党员",
    "践行社会主义核心价值观",
    "立德树人与师德师风建设",
    "新时代教育强国建设",
    "党的光辉历程",
    "廉洁从教, 守住底线",
    "以案为鉴, 警钟长鸣",
    "学习贯彻全国教育大会精神",
)
SIX_ONES = (
    ("上一次党史专题党课", MeetingKind.LECTURE),
    ("开展一次重温入党誓词主题党日", MeetingKind.THEME_DAY),
    ("组织一次红色教育基地参观", MeetingKind.THEME_DAY),
    ("召开一次专题组织生活会", MeetingKind.LIFE),
    ("开展一次党员承诺践诺活动", MeetingKind.GENERAL),
    ("为群众办一件实事", MeetingKind.THEME_DAY),
)


@dataclass
class Loaded:
    meetings: int
    attendances: int
    seconds: float


class _Roll:
    """Who should attend, from the preloaded spells and 班子 seats (the services' rule)."""

    def __init__(self):
        self.spells = defaultdict(list)
        for org_id, member_id, start, end in Membership.objects.filter(
            org__kind__in=BRANCH_KINDS
        ).values_list("org_id", "member_id", "start_on", "end_on"):
            self.spells[org_id].append((member_id, start, end))
        self.seats = defaultdict(list)
        for org_id, name, member_id, start, end in Position.objects.filter(
            org__kind__in=BRANCH_KINDS
        ).values_list("org_id", "holder_name", "member_id", "start_on", "end_on"):
            self.seats[org_id].append((name, member_id, start, end))
        self.cache = {}

    def expected(self, org_id: int, kind: str, day: dt.date) -> list[int]:
        key = (org_id, kind == MeetingKind.COMMITTEE, day)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._expected(org_id, kind, day)
        return found

    def _expected(self, org_id: int, kind: str, day: dt.date) -> list[int]:
        ids = sorted(
            {
                m
                for m, start, end in self.spells[org_id]
                if start <= day and (end is None or end > day)
            }
        )
        if kind != MeetingKind.COMMITTEE:
            return ids
        linked = {
            member_id
            for _name, member_id, start, end in self.seats[org_id]
            if (start is None or start <= day) and (end is None or end > day)
        }
        return [pk for pk in ids if pk in linked] or ids

    def secretary(self, org_id: int, day: dt.date) -> str:
        for name, _member_id, start, end in self.seats[org_id]:
            if (start is None or start <= day) and (end is None or end > day):
                return name
        return ""


def _day_in(rng, start: dt.date, end: dt.date) -> dt.date:
    if rng.random() < 0.08:
        return end  # the last day of the month or quarter: still in time
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _texts(kind: str) -> dict:
    """Agenda, minutes and decisions of a kind of meeting (written once per kind: the
    demo's minutes are alike, their number is what costs)."""
    what = str(MeetingKind(kind).label)
    return {
        "agenda": _("一、传达学习上级文件精神; 二、%(what)s议题; 三、布置下阶段工作")
        % {"what": what},
        "minutes": _("会议由书记主持, 与会党员围绕%(what)s议题进行了讨论, 一致同意会议议定事项。")
        % {"what": what},
        "decisions": _("按会议议定事项抓好落实。"),
    }


def load(today: dt.date) -> Loaded:
    started = time.perf_counter()
    rng = random.Random(SEED)
    book = rules.RuleBook.load()
    roll = _Roll()
    root = Organization.objects.get(depth=1)
    roster_from = add_months(today, -ROSTER_MONTHS)
    detail_from = add_months(today.replace(day=1), -DETAIL_MONTHS)
    horizon = today + dt.timedelta(days=AHEAD_DAYS)
    branches = list(
        Organization.objects.filter(kind__in=BRANCH_KINDS)
        .order_by("path")
        .values("pk", "name", "founded_on", "dissolved_on")
    )
    series = services.create_series(
        CLI,
        org=root,
        name=_("庆祝建党90周年“六个一”系列活动"),
        start_on=dt.date(2011, 3, 1),
        end_on=dt.date(2011, 7, 1),
        description=_("每个党支部开展六项活动, 迎接中国共产党成立90周年"),
        items=SIX_ONES,
    )
    items = list(SeriesItem.objects.filter(series=series).order_by("position"))
    slots = book.slots(FIRST_DAY, rules.month_end(horizon.year, horizon.month))
    labels = {kind: str(label) for kind, label in MeetingKind.choices}
    texts = {kind: _texts(kind) for kind in MeetingKind.values}
    secretary_label = _("支部书记")
    titles = _slot_titles(slots, labels)
    meetings: list[Meeting] = []
    ledger: list[tuple] = []  # the years between, written by _write_ledger
    plans: list[tuple[Meeting, list[int], float]] = []  # rostered: (meeting, ids, rate)
    for branch in branches:
        diligence = rng.uniform(0.72, 0.97)
        founded, dissolved = branch["founded_on"], branch["dissolved_on"]
        demo = branch["name"] == DEMO_BRANCH
        first = max(FIRST_DAY, founded or FIRST_DAY)

        def add(kind, day, title, rate, item=None, branch=branch, demo=demo, lean=False):
            ids = roll.expected(branch["pk"], kind, day)
            if lean and not demo:
                # A ledger line of the years between: date, kind, counts (one draw).
                chair = roll.secretary(branch["pk"], day)
                lecture = kind == MeetingKind.LECTURE
                ledger.append(
                    (
                        branch["pk"],
                        kind,
                        title,
                        day,
                        chair,
                        (chair or secretary_label) if lecture else "",
                        rng.choice(LECTURE_TOPICS) if lecture else "",
                        len(ids),
                        min(len(ids), round(len(ids) * rate + rng.uniform(-0.5, 0.5))),
                    )
                )
                return
            meeting = Meeting(
                org_id=branch["pk"],
                kind=kind,
                title=title,
                held_on=day,
                chair=roll.secretary(branch["pk"], day),
                series_item=item,
                place=rng.choice(PLACES),
                **texts[kind],
            )
            if kind == MeetingKind.LECTURE:
                meeting.speaker = meeting.chair or secretary_label
                meeting.topic = rng.choice(LECTURE_TOPICS)
            if day >= roster_from or demo:
                plans.append((meeting, ids, rate))
            else:
                meeting.roster_kept = False
                meeting.expected_count = len(ids)
                meeting.present_count = sum(rng.random() < rate for _i in ids)
            meetings.append(meeting)

        for slot in slots:
            if slot.end < first or (dissolved and slot.end >= dissolved):
                continue
            lean = slot.frequency != Frequency.YEARLY and SEED_END <= slot.end < detail_from
            start = max(slot.start, first)
            care = min(0.99, diligence + 0.012 * (slot.end.year - 2009))
            rate = rng.uniform(0.8, 0.97)
            title = titles[slot.key]
            if slot.end < today:
                if rng.random() < care:
                    add(slot.kind, _day_in(rng, start, slot.end), title, rate, lean=lean)
            elif slot.start <= horizon and rng.random() < care:
                # This month's (or quarter's): held already, or planned for the days ahead.
                day = _day_in(rng, start, slot.end)
                if day <= horizon:
                    add(slot.kind, day, title, rate)
        if founded is None or founded <= dt.date(2011, 3, 1):
            for index, item in enumerate(items):
                if index < 4 or rng.random() < 0.9:
                    day = dt.date(2011, 3, 1) + dt.timedelta(days=rng.randint(0, 121))
                    add(item.kind, day, item.title, rng.uniform(0.88, 0.99), item)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    _write_ledger(ledger)
    rows = _rosters(rng, plans, today)
    grades = _grades(rng, plans, today)
    total = len(meetings) + len(ledger)
    services.record_batch(
        CLI,
        root,
        total,
        _("示例市演示数据: 组织生活会议%(n)d次, 出席记录%(a)d条, 民主评议等次%(g)d条")
        % {"n": total, "a": rows, "g": grades},
    )
    return Loaded(total, rows, time.perf_counter() - started)


def _write_ledger(ledger: list[tuple]) -> None:
    """The monthly and quarterly meetings of the years between the seed years and the
    recent months: ~15,000 a year, so they are written as a digitised paper ledger would
    hold them (date, kind, title, chair, counts: no minutes, no roster) by one
    executemany of plain tuples. Through bulk_create (a model instance and twenty
    prepared values per row) they cost the demo far more than the 15% it may grow."""
    from django.db import connection
    from django.utils import timezone

    if not ledger:
        return
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    fields = (
        "org",
        "kind",
        "title",
        "held_on",
        "chair",
        "speaker",
        "topic",
        "expected_count",
        "present_count",
        "place",
        "recorder",
        "agenda",
        "minutes",
        "decisions",
        "roster_kept",
        "created_at",
        "updated_at",
    )
    columns = ", ".join(ops.quote_name(Meeting._meta.get_field(f).column) for f in fields)
    sql = (
        f"INSERT INTO {ops.quote_name(Meeting._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    blank = ("", "", "", "", "", False, now, now)
    with connection.cursor() as cursor:
        for first in range(0, len(ledger), 20000):
            cursor.executemany(
                sql,
                [
                    (org, kind, title, ops.adapt_datefield_value(day), *rest, *blank)
                    for org, kind, title, day, *rest in ledger[first : first + 20000]
                ],
            )


def _slot_titles(slots, labels) -> dict:
    titles = {}
    for slot in slots:
        if slot.frequency == Frequency.MONTHLY:
            period = _("%(m)d月") % {"m": slot.end.month}
        elif slot.frequency == Frequency.QUARTERLY:
            period = _("第%(q)d季度") % {"q": (slot.end.month + 2) // 3}
        else:
            period = ""
        titles[slot.key] = _("%(year)d年%(period)s%(kind)s") % {
            "year": slot.end.year,
            "period": period,
            "kind": labels[slot.kind],
        }
    return titles


def _rosters(rng, plans, today) -> int:
    reasons = AbsenceReason.values
    rows = []
    counts = []
    for meeting, ids, rate in plans:
        present = 0
        held = meeting.held_on < today
        for member_id in ids:
            if not held:
                status, reason = AttendanceStatus.PENDING, ""
            elif rng.random() < rate:
                status, reason = AttendanceStatus.PRESENT, ""
                present += 1
            else:
                status, reason = AttendanceStatus.ABSENT, rng.choice(reasons)
            rows.append(
                Attendance(
                    meeting_id=meeting.pk,
                    member_id=member_id,
                    status=status,
                    reason=reason,
                    signed_by=(
                        (SignedBy.QR if meeting.held_on.year >= 2020 else SignedBy.HAND)
                        if status == AttendanceStatus.PRESENT
                        else ""
                    ),
                )
            )
        counts.append((meeting.pk, len(ids), present))
    Attendance.objects.bulk_create(rows, batch_size=5000)
    by_counts = defaultdict(list)
    for pk, expected, present in counts:
        by_counts[(expected, present)].append(pk)
    for (expected, present), pks in by_counts.items():
        Meeting.objects.filter(pk__in=pks).update(expected_count=expected, present_count=present)
    return len(rows)


def _grades(rng, plans, today) -> int:
    """Grades for the rostered 民主评议 held: about a fifth 优秀 (never over the cap), a
    rare 基本合格 or 不合格 with its follow-up."""
    cap = services.excellent_cap()
    rows = []
    for meeting, ids, _rate in plans:
        if meeting.kind != MeetingKind.REVIEW or meeting.held_on >= today or not ids:
            continue
        excellent = min(int(cap * len(ids)), round(len(ids) * rng.uniform(0.15, 0.3)))
        order = ids[:]
        rng.shuffle(order)
        for index, member_id in enumerate(order):
            if index < excellent:
                grade, followup, on = Grade.EXCELLENT, "", None
            elif rng.random() < 0.03:
                grade, followup = Grade.UNQUALIFIED, _("限期改正, 支部指定专人帮教")
                on = meeting.held_on + dt.timedelta(days=14)
            elif rng.random() < 0.05:
                grade, followup, on = Grade.BASIC, "", None
            else:
                grade, followup, on = Grade.QUALIFIED, "", None
            rows.append(
                ReviewGrade(
                    meeting_id=meeting.pk,
                    member_id=member_id,
                    grade=grade,
                    followup=followup,
                    followup_on=on,
                )
            )
    ReviewGrade.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
