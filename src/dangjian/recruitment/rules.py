"""Reading rule sets and applying them: the one place that knows what the JSON of a
RuleSet means. Pure functions over plain values and unsaved or saved Step objects, so the
services, the pages, the demo loader and the tests all get the same answers.

Counting follows DESIGN 6: "以上/以下/以内" include the number itself, and months and
years are calendar units (a month-end date clamps), via dangjian.core.dates.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from dangjian.core.dates import add_months, add_working_days, add_years
from dangjian.recruitment.models import (
    LOCAL_FIELDS,
    CloseReason,
    Decision,
    Outcome,
    RecruitmentSettings,
    RuleSet,
    Stage,
)

CLOSE_KEY = "closed"  # ending a pipeline early: not one of the 25 steps, so not rule data
# Derived dates a limit may count from, besides step keys.
DERIVED_ANCHORS = ("probation_end", "publicity_end")


def shift(day: dt.date, amount: int, unit: str) -> dt.date:
    if unit == "years":
        return add_years(day, amount)
    if unit == "months":
        return add_months(day, amount)
    if unit == "days":
        return day + dt.timedelta(days=amount)
    if unit == "working_days":
        return add_working_days(day, amount)
    raise ValueError(f"unknown unit {unit!r}")


@dataclass(frozen=True)
class Local:
    """Local-practice numbers in force for one org (RecruitmentSettings)."""

    publicity_working_days: int = 5
    league_max_age: int = 28
    political_review_valid_months: int = 12
    meeting_after_pre_review_months: int = 1
    young_teacher_max_age: int = 35
    reminder_days: int = 30

    @classmethod
    def from_row(cls, row: RecruitmentSettings | None) -> "Local":
        if row is None:
            return cls()
        return cls(**{name: getattr(row, name) for name in LOCAL_FIELDS})


def local_for(org) -> Local:
    """The settings row of the nearest org at or above `org`, else the default row."""
    paths = [org.path[: i * org.steplen] for i in range(1, org.depth + 1)] if org else []
    rows = list(
        RecruitmentSettings.objects.filter(Q(org__isnull=True) | Q(org__path__in=paths))
        .select_related("org")
        .order_by()
    )
    rows.sort(key=lambda row: row.org.depth if row.org_id else 0)
    return Local.from_row(rows[-1] if rows else None)


def default_local() -> Local:
    return Local.from_row(RecruitmentSettings.objects.filter(org__isnull=True).first())


@dataclass(frozen=True)
class StepDef:
    key: str
    no: int | None
    phase: int
    name: str
    by: str  # "branch" or "committee": who records it
    stages: tuple[str, ...]
    requires: tuple[str, ...]
    repeatable: bool = False
    vote: bool = False

    @property
    def label(self) -> str:
        return f"({self.no}) {self.name}" if self.no else self.name


@dataclass(frozen=True)
class Interval:
    step: str
    anchor: str
    unit: str
    rule: str
    verb: str
    severity: str = "error"
    min: int | str | None = None
    max: int | str | None = None
    special_max: int | str | None = None


def phase_label(phase: int) -> str:
    return {
        1: _("入党申请"),
        2: _("入党积极分子的确定和培养教育"),
        3: _("发展对象的确定和考察"),
        4: _("预备党员的接收"),
        5: _("预备党员的教育考察和转正"),
    }.get(phase, "")


class Rules:
    """One rule set's numbers and catalogue."""

    def __init__(self, rule_set: RuleSet):
        self.rule_set = rule_set
        data = rule_set.rules
        self.data = data
        self.steps: dict[str, StepDef] = {}
        for entry in data["steps"]:
            self.steps[entry["key"]] = StepDef(
                key=entry["key"],
                no=entry.get("no"),
                phase=entry.get("phase", 0),
                name=entry["name"],
                by=entry.get("by", "branch"),
                stages=tuple(entry.get("stages", ())),
                requires=tuple(entry.get("requires", ())),
                repeatable=bool(entry.get("repeatable")),
                vote=bool(entry.get("vote")),
            )
        self.intervals = [
            Interval(
                step=entry["step"],
                anchor=entry["from"],
                unit=entry["unit"],
                rule=entry["rule"],
                verb=entry.get("verb", ""),
                severity=entry.get("severity", "error"),
                min=entry.get("min"),
                max=entry.get("max"),
                special_max=entry.get("special_max"),
            )
            for entry in data.get("intervals", ())
        ]

    def __repr__(self) -> str:
        return f"<Rules {self.rule_set.code}>"

    def step(self, key: str) -> StepDef | None:
        return self.steps.get(key)

    def name(self, key: str) -> str:
        if key == CLOSE_KEY:
            return _("终止发展")
        found = self.steps.get(key)
        return found.label if found else key

    def intervals_for(self, key: str) -> list[Interval]:
        return [entry for entry in self.intervals if entry.step == key]

    def interval(self, key: str, anchor: str) -> Interval | None:
        for entry in self.intervals:
            if entry.step == key and entry.anchor == anchor:
                return entry
        return None

    @property
    def min_age(self) -> int:
        return int(self.data["min_age"])

    @property
    def contacts(self) -> tuple[int, int]:
        return int(self.data["contacts"]["min"]), int(self.data["contacts"]["max"])

    @property
    def introducers(self) -> int:
        return int(self.data["introducers"])

    @property
    def training(self) -> tuple[Decimal, Decimal]:
        """(minimum days, minimum 学时): either suffices."""
        return Decimal(str(self.data["training"]["days"])), Decimal(
            str(self.data["training"]["hours"])
        )

    def fraction(self, name: str) -> tuple[int, int]:
        return int(self.data[name]["num"]), int(self.data[name]["den"])

    def probation_end(self, admitted_on: dt.date, extended_months: int = 0) -> dt.date:
        """One year from the 支部大会; an extension counts in the same calendar months from
        the same day (admitted + 18 months, not (admitted + 1 year) + 6 months, which
        differ after a 29 February)."""
        probation = self.data["probation"]
        amount, unit = int(probation["amount"]), probation["unit"]
        if unit in ("years", "months"):
            months = amount * 12 if unit == "years" else amount
            return add_months(admitted_on, months + extended_months)
        end = shift(admitted_on, amount, unit)
        return add_months(end, extended_months) if extended_months else end

    @property
    def extension(self) -> tuple[int, int, int]:
        ext = self.data["extension"]
        return int(ext["min_months"]), int(ext["max_months"]), int(ext["times"])

    def next_review(self, last: dt.date) -> dt.date:
        every = self.data["review_every"]
        return shift(last, int(every["amount"]), every["unit"])


class RuleBook:
    """Every rule set, loaded once (a handful of rows), chosen by date."""

    def __init__(self, rule_sets: list[RuleSet]):
        self.rule_sets = sorted(rule_sets, key=lambda rs: rs.effective_from)
        if not self.rule_sets:
            raise RuleSet.DoesNotExist("no recruitment rule set loaded")
        self._rules = {rs.pk: Rules(rs) for rs in self.rule_sets}

    @classmethod
    def load(cls) -> "RuleBook":
        return cls(list(RuleSet.objects.all()))

    def on(self, day: dt.date) -> Rules:
        """The rules in force on `day` (before the first rule set: the first)."""
        chosen = self.rule_sets[0]
        for rule_set in self.rule_sets:
            if rule_set.effective_from <= day:
                chosen = rule_set
        return self._rules[chosen.pk]

    def for_step(self, step) -> Rules:
        rules = self._rules.get(step.rule_set_id)
        return rules if rules is not None else self.on(step.on)


# --- what the steps say --------------------------------------------------------------------


def ordered(steps) -> list:
    return sorted(steps, key=lambda s: (s.on, s.pk or 0))


def group(steps) -> dict[str, list]:
    by_key: dict[str, list] = defaultdict(list)
    for step in ordered(steps):
        by_key[step.key].append(step)
    return by_key


def latest(by_key, key: str, before: dt.date | None = None, counting: bool = True):
    found = None
    for step in by_key.get(key, ()):
        if counting and not step.counts:
            continue
        if before is not None and step.on > before:
            continue
        found = step
    return found


def anchors(by_key, derived: dict) -> dict[str, dt.date]:
    """Dates limits count from: the latest counting step of each key, and derived ones."""
    found = {}
    for key in by_key:
        step = latest(by_key, key)
        if step is not None:
            found[key] = step.on
    publicity = latest(by_key, "publicity")
    if publicity is not None and publicity.end_on:
        found["publicity_end"] = publicity.end_on
    if derived.get("probation_end_on"):
        found["probation_end"] = derived["probation_end_on"]
    return found


def resolve(amount, local: Local) -> int | None:
    if amount is None:
        return None
    if isinstance(amount, str) and amount.startswith("local:"):
        return int(getattr(local, amount.split(":", 1)[1]))
    return int(amount)


@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_intervals(
    rules: Rules,
    key: str,
    on: dt.date,
    found_anchors: dict[str, dt.date],
    local: Local,
    special_reason: str = "",
) -> Findings:
    """Every date limit of the rule set on the step `key` dated `on`, with the rule named
    and the earliest (or latest) allowed date in each message."""
    result = Findings()
    for entry in rules.intervals_for(key):
        start = found_anchors.get(entry.anchor)
        if start is None:
            continue
        low = resolve(entry.min, local)
        if low is not None:
            earliest = shift(start, low, entry.unit)
            if on < earliest:
                message = _("%(rule)s，最早可于%(date)s%(verb)s") % {
                    "rule": entry.rule,
                    "date": earliest.isoformat(),
                    "verb": entry.verb,
                }
                (result.errors if entry.severity == "error" else result.warnings).append(message)
        high = resolve(entry.max, local)
        if high is None:
            continue
        latest_day = shift(start, high, entry.unit)
        if on <= latest_day:
            continue
        special = resolve(entry.special_max, local)
        if special is not None:
            special_day = shift(start, special, entry.unit)
            if on > special_day:
                result.errors.append(
                    _("%(rule)s，最迟应于%(date)s%(verb)s；已超过特殊情况期限，须重新履行程序")
                    % {"rule": entry.rule, "date": special_day.isoformat(), "verb": entry.verb}
                )
            elif not special_reason.strip():
                result.errors.append(
                    _(
                        "%(rule)s，最迟应于%(date)s%(verb)s；特殊情况须说明理由，最迟可于%(special)s%(verb)s"
                    )
                    % {
                        "rule": entry.rule,
                        "date": latest_day.isoformat(),
                        "special": special_day.isoformat(),
                        "verb": entry.verb,
                    }
                )
            else:
                result.warnings.append(
                    _("%(rule)s；本次按特殊情况于%(date)s之后%(verb)s: %(reason)s")
                    % {
                        "rule": entry.rule,
                        "date": latest_day.isoformat(),
                        "verb": entry.verb,
                        "reason": special_reason.strip(),
                    }
                )
            continue
        message = _("%(rule)s，最迟应于%(date)s%(verb)s") % {
            "rule": entry.rule,
            "date": latest_day.isoformat(),
            "verb": entry.verb,
        }
        if entry.severity == "error":
            result.errors.append(message)
        else:
            result.warnings.append(message + _("（已超期）"))
    return result


def derive(steps, book: RuleBook) -> dict:
    """The Recruit's stage and stage dates, from its steps alone."""
    by_key = group(steps)
    application = latest(by_key, "application")
    activist = next(iter(s for s in by_key.get("activist", ()) if s.counts), None)
    candidate = next(iter(s for s in by_key.get("candidate", ()) if s.counts), None)
    fields = {
        "applied_on": application.on if application else None,
        "activist_on": activist.on if activist else None,
        "candidate_on": candidate.on if candidate else None,
        "admitted_on": None,
        "approved_on": None,
        "probation_end_on": None,
        "extended_months": 0,
        "converted_on": None,
        "closed_on": None,
        "close_reason": "",
    }
    approval = next(
        iter(s for s in by_key.get("approval", ()) if s.outcome == Outcome.APPROVED), None
    )
    if approval is not None:
        meeting = latest(by_key, "branch_meeting", before=approval.on)
        if meeting is not None:
            fields["admitted_on"] = meeting.on
            fields["approved_on"] = approval.on
            rules = book.on(meeting.on)
            fields["probation_end_on"] = rules.probation_end(meeting.on)
            for decided in by_key.get("conversion_approval", ()):
                if decided.outcome != Outcome.APPROVED:
                    continue
                resolution = latest(by_key, "conversion_meeting", before=decided.on)
                if resolution is None:
                    continue
                if resolution.decision == Decision.EXTEND:
                    fields["extended_months"] = resolution.extension_months or 0
                    fields["probation_end_on"] = rules.probation_end(
                        meeting.on, fields["extended_months"]
                    )
                elif resolution.decision == Decision.CONVERT:
                    fields["converted_on"] = fields["probation_end_on"]
                elif resolution.decision == Decision.CANCEL:
                    fields["closed_on"] = decided.on
                    fields["close_reason"] = CloseReason.CANCELLED
    closing = latest(by_key, CLOSE_KEY)
    if closing is not None and fields["closed_on"] is None:
        fields["closed_on"] = closing.on
        fields["close_reason"] = closing.close_reason or CloseReason.OTHER
    if fields["closed_on"]:
        stage = Stage.CLOSED
    elif fields["converted_on"]:
        stage = Stage.FULL
    elif fields["admitted_on"]:
        stage = Stage.PROBATIONARY
    elif fields["candidate_on"]:
        stage = Stage.CANDIDATE
    elif fields["activist_on"]:
        stage = Stage.ACTIVIST
    else:
        stage = Stage.APPLICANT
    fields["stage"] = stage
    return fields


@dataclass(frozen=True)
class Due:
    kind: str  # the step key that is due
    on: dt.date


def _limit(rules: Rules, key: str, anchor: str, local: Local) -> tuple[int, str] | None:
    entry = rules.interval(key, anchor)
    if entry is None:
        return None
    amount = resolve(entry.max, local)
    return (amount, entry.unit) if amount is not None else None


def dues(fields: dict, steps, book: RuleBook, local: Local) -> list[Due]:
    """Deadlines still open for this person, earliest first."""
    by_key = group(steps)
    stage = fields["stage"]
    found: list[Due] = []

    def limit_from(key, anchor, start):
        rules = book.on(start)
        limit = _limit(rules, key, anchor, local)
        if limit is not None:
            found.append(Due(key, shift(start, *limit)))

    if stage == Stage.APPLICANT and not by_key.get("talk"):
        limit_from("talk", "application", fields["applied_on"])
    elif stage == Stage.ACTIVIST:
        review = latest(by_key, "review")
        last = max(fields["activist_on"], review.on) if review else fields["activist_on"]
        found.append(Due("review", book.on(last).next_review(last)))
    elif stage == Stage.CANDIDATE:
        meeting = latest(by_key, "branch_meeting", counting=False)
        pre_review = latest(by_key, "pre_review")
        if pre_review is not None and (meeting is None or meeting.on < pre_review.on):
            limit_from("branch_meeting", "pre_review", pre_review.on)
        if meeting is not None and meeting.counts:
            approval = latest(by_key, "approval", counting=False)
            if approval is None or approval.on < meeting.on:
                limit_from("approval", "branch_meeting", meeting.on)
    elif stage == Stage.PROBATIONARY:
        meeting = latest(by_key, "conversion_meeting")
        decided = latest(by_key, "conversion_approval", counting=False)
        if meeting is not None and (decided is None or decided.on < meeting.on):
            limit_from("conversion_approval", "conversion_meeting", meeting.on)
        else:
            found.append(Due("conversion_meeting", fields["probation_end_on"]))
    found.sort(key=lambda due: due.on)
    return found


def due_text(kind: str, name: str, due: dt.date, today: dt.date) -> str:
    texts = {
        "talk": _("%(name)s: 应于%(due)s前派人谈话"),
        "review": _("%(name)s: 培养教育考察(每半年一次)应于%(due)s前进行"),
        "branch_meeting": _("%(name)s: 预审后应于%(due)s前召开支部大会"),
        "approval": _("%(name)s: 支部大会已讨论通过, 上级党委应于%(due)s前审批"),
        "conversion_meeting": _("%(name)s: 预备期于%(due)s期满, 支部大会应及时讨论转正"),
        "conversion_approval": _("%(name)s: 转正决议应于%(due)s前由上级党委审批"),
    }
    text = texts.get(kind, _("%(name)s: %(due)s到期")) % {"name": name, "due": due.isoformat()}
    if due < today:
        text += _("(已逾期)")
    return text


def training_totals(steps, before: dt.date | None = None) -> tuple[Decimal, Decimal]:
    hours = days = Decimal(0)
    for step in steps:
        if step.key != "training" or (before is not None and step.on > before):
            continue
        hours += step.hours or 0
        days += step.days or 0
    return hours, days


def training_met(rules: Rules, hours: Decimal, days: Decimal) -> bool:
    min_days, min_hours = rules.training
    return hours >= min_hours or days >= min_days


def publicity_end(start: dt.date, local: Local) -> dt.date:
    """Last day of a 公示 of N working days starting on `start` (counted if a working day)."""
    return add_working_days(start - dt.timedelta(days=1), local.publicity_working_days)


@dataclass(frozen=True)
class Tally:
    voters: int
    should_attend: int
    present: int
    yes: int
    no: int
    abstain: int

    def quorum(self, rules: Rules) -> bool:
        """More than half (num/den) of the voting members who should attend are present."""
        num, den = rules.fraction("quorum")
        return self.present * den > self.should_attend * num

    def majority(self, rules: Rules) -> bool:
        """More than half of the voting members who should attend vote yes."""
        num, den = rules.fraction("majority")
        return self.yes * den > self.should_attend * num

    def yes_needed(self, rules: Rules) -> int:
        """The fewest yes votes that pass: more than num/den of those who should attend."""
        num, den = rules.fraction("majority")
        return self.should_attend * num // den + 1

    def failure_reason(self, rules: Rules) -> str:
        """Why the vote failed, naming the majority rule and the figures."""
        num, den = rules.fraction("majority")
        return _(
            "赞成票须超过应到会有表决权人数的%(share)s: 赞成%(yes)d票, 应到会%(should)d人, "
            "至少须%(need)d票"
        ) % {
            "share": share_text(num, den),
            "yes": self.yes,
            "should": self.should_attend,
            "need": self.yes_needed(rules),
        }


def share_text(num: int, den: int) -> str:
    return _("半数") if (num, den) == (1, 2) else f"{num}/{den}"


def tally(ballots, voters: int) -> Tally:
    """Ballots are dicts or Ballot objects (should_attend, attended, written, choice,
    observer). Written opinions of absent members count as votes, not as presence; those
    present without a vote (列席) count in neither."""

    def get(ballot, name, default=None):
        if isinstance(ballot, dict):
            return ballot.get(name, default)
        return getattr(ballot, name, default)

    should = present = yes = no = abstain = 0
    for ballot in ballots:
        if get(ballot, "observer", False) or not get(ballot, "should_attend"):
            continue
        should += 1
        attended = get(ballot, "attended")
        present += 1 if attended else 0
        if attended or get(ballot, "written"):
            choice = get(ballot, "choice")
            yes += choice == "yes"
            no += choice == "no"
            abstain += choice == "abstain"
    return Tally(voters, should, present, yes, no, abstain)
