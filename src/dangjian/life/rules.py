"""Compliance of 组织生活 with the dated frequency rules (DESIGN 6).

A rule makes each calendar month, quarter or year a *slot* of a kind of meeting; a slot is
required of a branch that exists on the slot's last day (founded on or before it, not yet
dissolved), so a branch founded in the middle of a quarter owes that quarter's 党员大会 (it
had weeks to hold it, and a branch is set up at one). A slot is held when the branch met in
it at least once (two 支委会 in one month are still one slot). It is due on its last day:
before that a missing meeting is "not yet due", after it "missing".

Everything is computed from three small reads: the rules, the branches of the subtree with
their founding and dissolution dates, and the distinct (branch, kind, month) of the
meetings in the period; never a query per branch."""

import calendar
import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import ExtractMonth, ExtractYear

from dangjian.core.prepared import Prepared
from dangjian.life.models import Frequency, FrequencyRule, Meeting, MeetingKind
from dangjian.orgs.models import BRANCH_KINDS, Organization, OrgKind

# The kinds the statistics count (INTERFACES 6 `by_kind`), in their order.
COUNTED_KINDS = (
    MeetingKind.GENERAL,
    MeetingKind.COMMITTEE,
    MeetingKind.GROUP,
    MeetingKind.LECTURE,
    MeetingKind.THEME_DAY,
    MeetingKind.LIFE,
    MeetingKind.REVIEW,
    MeetingKind.TALK,
)

HELD, MISSING, OPEN, NONE = "held", "missing", "open", "none"


@dataclass(frozen=True)
class Slot:
    kind: str
    frequency: str
    start: dt.date
    end: dt.date

    @property
    def key(self) -> tuple:
        return (self.kind, self.start)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# Plain strings: comparing to the enum members and listing `Frequency.values` on each call
# cost more than the rest of `slot_of`.
MONTHLY, QUARTERLY, YEARLY = (str(value) for value in Frequency.values)
FREQUENCIES = (MONTHLY, QUARTERLY, YEARLY)


def slot_bounds(frequency: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The month, quarter or year holding `day`."""
    if frequency == MONTHLY:
        return day.replace(day=1), month_end(day.year, day.month)
    if frequency == QUARTERLY:
        first = (day.month - 1) // 3 * 3 + 1
        return dt.date(day.year, first, 1), month_end(day.year, first + 2)
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


class Rule(NamedTuple):
    kind: str
    frequency: str
    effective_from: dt.date
    effective_to: dt.date | None

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


_RULES = Prepared(
    lambda: FrequencyRule.objects.order_by("kind", "effective_from").values_list(
        "kind", "frequency", "effective_from", "effective_to"
    )
)


class RuleBook:
    """The frequency rules, loaded once, answering which rule is in force on a day. Its
    answers depend on the rules alone, so it keeps them (`slot_of`, `slots`), and `load`
    returns the book it returned last while the rules read are the same: a school's
    statistics asked it for some 190 slots each time, most of their Python."""

    _last: "RuleBook | None" = None

    def __init__(self, rules):
        self.rules = tuple(
            Rule(rule.kind, str(rule.frequency), rule.effective_from, rule.effective_to)
            for rule in rules
        )
        self.by_kind: dict[str, list[Rule]] = defaultdict(list)
        for rule in self.rules:
            self.by_kind[rule.kind].append(rule)
        self._slot_of: dict[tuple, Slot | None] = {}
        self._slots: dict[tuple, list[Slot]] = {}

    @classmethod
    def load(cls) -> "RuleBook":
        rules = tuple(Rule(*row) for row in _RULES())
        book = cls._last
        if book is None or book.rules != rules:
            book = cls._last = cls(rules)
        return book

    def rule_for(self, kind: str, day: dt.date) -> Rule | None:
        found = None
        for rule in self.by_kind.get(kind, ()):
            if rule.in_force_on(day):
                found = rule
        return found

    def slot_of(self, kind: str, day: dt.date) -> Slot | None:
        """The required slot a meeting of `kind` on `day` falls in (None: not required).
        The slot's rule is the one in force on the slot's last day."""
        key = (kind, day)
        try:
            return self._slot_of[key]
        except KeyError:
            pass
        found = None
        for frequency in FREQUENCIES:
            start, end = slot_bounds(frequency, day)
            rule = self.rule_for(kind, end)
            if rule is not None and rule.frequency == frequency:
                found = Slot(kind, frequency, start, end)
                break
        # The book is shared by a server's threads: what is kept may be cleared at any time,
        # so the answer returned is the one computed here, never read back.
        _bound(self._slot_of)
        self._slot_of[key] = found
        return found

    def slots(self, start: dt.date, end: dt.date, kinds=None) -> list[Slot]:
        """Every slot ending within [start, end], of the given kinds (all by default)."""
        kinds = tuple(kinds or self.by_kind)
        key = (start, end, kinds)
        found = self._slots.get(key)
        if found is None:
            found = []
            year, month = start.year, start.month
            while dt.date(year, month, 1) <= end:
                last = month_end(year, month)
                if start <= last <= end:
                    for kind in kinds:
                        slot = self.slot_of(kind, last)
                        if slot is not None and slot.end == last:
                            found.append(slot)
                year, month = (year, month + 1) if month < 12 else (year + 1, 1)
            _bound(self._slots)
            self._slots[key] = found
        return list(found)


def _bound(kept: dict, size: int = 1024):
    """A long-lived book is asked about any period: what it keeps starts over past `size`."""
    if len(kept) >= size:
        kept.clear()


def required_of(branch, slot: Slot) -> bool:
    """Whether the branch owes the slot: it exists on the slot's last day."""
    founded, dissolved = branch["founded_on"], branch["dissolved_on"]
    return (founded is None or founded <= slot.end) and (dissolved is None or dissolved > slot.end)


def branches_in(path: str):
    return (
        Organization.objects.order_by("path")
        .filter(path__startswith=path, kind__in=BRANCH_KINDS)
        .values("pk", "code", "name", "path", "founded_on", "dissolved_on")
    )


def held_slots(
    book: RuleBook, org_q: Q, start: dt.date, end: dt.date, branch_by_path=None, fetched=None
) -> set[tuple]:
    """(org id, kind, slot start) of every slot with a meeting, from one grouped query over
    the meetings' (org, kind, year, month). A meeting of a 党小组 counts for its branch
    (looked up in `branch_by_path`, path to branch id): the branch's 党小组会 is held when
    one of its groups met. `fetched`: the subtree's meetings already fetched as (org id,
    org kind, org path, kind, held on), covering [start, end] (a small subtree's, read by
    life.stats), used instead of the query."""
    branch_by_path = branch_by_path or {}
    if fetched is not None:
        rows = {
            (org_id, org_kind, path, kind, held_on.year, held_on.month)
            for org_id, org_kind, path, kind, held_on in fetched
            if start <= held_on <= end and kind in book.by_kind
        }
    else:
        rows = (
            Meeting.objects.order_by()
            .filter(org_q, held_on__gte=start, held_on__lte=end, kind__in=list(book.by_kind))
            .annotate(y=ExtractYear("held_on"), m=ExtractMonth("held_on"))
            .values_list("org_id", "org__kind", "org__path", "kind", "y", "m")
            .distinct()
        )
    held = set()
    slot_of = {}  # (kind, year, month) -> slot: a few dozen, for rows of every branch
    for org_id, org_kind, path, kind, year, month in rows:
        if org_kind == OrgKind.GROUP:
            org_id = branch_by_path.get(path[: -Organization.steplen], org_id)
        key = (kind, year, month)
        if key not in slot_of:
            slot_of[key] = book.slot_of(kind, month_end(year, month))
        slot = slot_of[key]
        if slot is not None:
            held.add((org_id, kind, slot.start))
    return held


@dataclass
class Compliance:
    required: int
    held: int
    # (branch row, slot, state) for the grid, when asked for
    cells: list


def compliance(
    path: str,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    *,
    book: RuleBook | None = None,
    kinds=None,
    org_ids=None,
    cells: bool = False,
    fetched=None,
    branches=None,
) -> Compliance:
    """Slots required of the subtree's branches that end within [start, end] and by
    `as_of`, and how many of them were held. With `cells`, every slot ending in the period
    with its state (HELD, MISSING: due and not held, OPEN: not yet due). `fetched`: the
    subtree's meetings already fetched (see `held_slots`), from the first slot's start;
    `branches` (without `cells`): its branches already fetched as (id, path, founded on,
    dissolved on)."""
    book = book or RuleBook.load()
    slots = book.slots(start, end, kinds)
    if not slots:
        return Compliance(0, 0, [])
    first = min(slot.start for slot in slots)
    org_q = Q(org__path__startswith=path)
    if not cells:
        return _counted(path, book, slots, (first, end), as_of, org_ids, fetched, branches)
    branches = list(branches_in(path))
    if org_ids is not None:
        branches = [b for b in branches if b["pk"] in org_ids]
    by_path = {b["path"]: b["pk"] for b in branches}
    held = held_slots(book, org_q, first, end, by_path, fetched)
    required = done = 0
    found = []
    for branch in branches:
        for slot in slots:
            if not required_of(branch, slot):
                continue
            is_held = (branch["pk"], slot.kind, slot.start) in held
            if slot.end <= as_of:
                required += 1
                done += is_held
            if cells:
                state = HELD if is_held else (MISSING if slot.end < as_of else OPEN)
                found.append((branch, slot, state))
    return Compliance(required, done, found)


def _counted(
    path: str,
    book: RuleBook,
    slots: list[Slot],
    held_in,
    as_of: dt.date,
    org_ids,
    fetched=None,
    branches=None,
):
    """`compliance` without its cells: the same two counts without visiting every (branch,
    slot) pair (at a province's root, 9,000 branches times 47 slots took 100 ms of Python),
    the branches read as bare tuples. Whether a branch owes a slot depends only on the
    slot's last day, so the branches owing it are counted from their sorted founding and
    dissolution dates; the held ones are found from the held slots, of which there are at
    most as many as pairs owed."""
    if branches is None:
        branches = branches_in(path).values_list("pk", "path", "founded_on", "dissolved_on")
    rows = list(branches)
    if org_ids is not None:
        rows = [row for row in rows if row[0] in org_ids]
    by_path = {branch_path: pk for pk, branch_path, _f, _d in rows}
    held = held_slots(book, Q(org__path__startswith=path), *held_in, by_path, fetched)
    due = [slot for slot in slots if slot.end <= as_of]
    if not due:
        return Compliance(0, 0, [])
    founded = sorted(f for _pk, _p, f, _d in rows if f is not None)
    dissolved = sorted(d for _pk, _p, _f, d in rows if d is not None)
    # Founded after they were dissolved (never entered so, but possible): both bisections
    # below leave such a branch out, so it is added back once when it falls in both.
    inverted = [(f, d) for _pk, _p, f, d in rows if f is not None and d is not None and d < f]
    owing: dict[dt.date, int] = {}
    for day in {slot.end for slot in due}:
        not_yet = len(founded) - bisect_right(founded, day)  # founded after the day
        gone = bisect_right(dissolved, day)  # dissolved on or before it
        both = sum(1 for f, d in inverted if f > day and d <= day)
        owing[day] = len(rows) - not_yet - gone + both
    required = sum(owing[slot.end] for slot in due)
    by_key: dict[tuple, list[Slot]] = defaultdict(list)
    for slot in due:
        by_key[slot.key].append(slot)
    dates = {pk: (f, d) for pk, _p, f, d in rows}
    done = 0
    for org_id, kind, start in held:
        if org_id in dates:
            f, d = dates[org_id]
            branch = {"founded_on": f, "dissolved_on": d}
            done += sum(required_of(branch, slot) for slot in by_key.get((kind, start), ()))
    return Compliance(required, done, [])


def reminder_days() -> int:
    return settings.DANGJIAN_LIFE_REMINDER_DAYS
