"""发展党员 records for 示例市: every member the demo admits came through the 25 steps.

For each member who joined the Party in a demo branch (not transferred in), the pipeline is
written backwards from the record: the 支部大会 is the 入党日期, 转正 the 转正日期 (an
extended 预备期 where the demo planned 18 months), and every earlier step is dated so that
it passes the rule set in force on its date (年满18岁 at application, talk within a month,
an 积极分子 for a year or more, 公示 over the working days, approval within three months,
...). On top of that runs a live pipeline for today: applicants, 积极分子 and 发展对象 at
various steps in a quarter of the branches, some of them overdue.

History is written in bulk (the rules are checked by the same pure functions the services
use, and tests/recruitment replays them over the whole demo); the batch is audited as one
row (CREATE, with the count), not one row per step.
"""

import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.audit import AuditAction, record
from dangjian.core.context import CLI
from dangjian.core.dates import add_months, add_years
from dangjian.demo.people import Person
from dangjian.demo.structure import OrgSpec, day_between
from dangjian.members.choices import PersonType, Sex
from dangjian.recruitment import rules as R
from dangjian.recruitment.models import (
    NEGATIVE_OUTCOMES,
    Ballot,
    CloseReason,
    Decision,
    Outcome,
    PersonRole,
    Recommendation,
    Recruit,
    Step,
    StepPerson,
    VoteChoice,
)

SEED = 20101231 + 7
# Applying at 18, an 积极分子 for a year, then weeks of 考察, 公示 and 预审: nobody is
# admitted younger than this many months.
YOUNGEST_ADMISSION_MONTHS = 19 * 12 + 4
FIRST_ADMISSION = dt.date(2009, 1, 1)
LIVE_BRANCH_SHARE = 0.25
DEMO_BRANCH = "示例区第三中学党支部"
DAY = dt.timedelta(days=1)


def make_admissions_feasible(persons: list[Person], maker) -> int:
    """A pupil planned as admitted at 18 cannot have come through the 细则 (18 to apply,
    a year as 积极分子): such people are made about 20 at admission, with a new ID number
    for the new birth date. Returns how many were changed. Run before members are written."""
    rng = random.Random(SEED - 1)
    changed = 0
    for person in persons:
        if person.moved_in_on is not None or person.joined_on < FIRST_ADMISSION:
            continue
        if add_months(person.birth, YOUNGEST_ADMISSION_MONTHS) <= person.joined_on:
            continue
        birth = add_years(person.joined_on, -20) - dt.timedelta(days=rng.randint(0, 300))
        area = (person.school or person.org).region.area
        person.birth = birth
        person.id_number = maker.id_number(area, birth, person.sex)
        changed += 1
    return changed


@dataclass(eq=False, slots=True)
class _Step:
    """A step as the rules functions read it, without a model instance (tens of
    thousands are written at once)."""

    key: str
    on: dt.date
    rule_set_id: int
    pk: int | None = None
    recruit_id: int | None = None
    by: str = ""
    note: str = ""
    end_on: dt.date | None = None
    hours: Decimal | None = None
    days: Decimal | None = None
    method: str = ""
    outcome: str = ""
    decision: str = ""
    extension_months: int | None = None
    close_reason: str = ""
    voters: int | None = None
    should_attend: int | None = None
    present: int | None = None
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    observers: int | None = None
    outcome_reason: str = ""

    @property
    def counts(self) -> bool:
        return self.outcome not in NEGATIVE_OUTCOMES


@dataclass(frozen=True)
class Loaded:
    recruits: int
    steps: int
    seconds: float


class _Rolls:
    """Who was a full member of which branch on a day, from the planned spells."""

    def __init__(self, persons: list[Person]):
        self.by_org: dict[OrgSpec, list[Person]] = defaultdict(list)
        for person in persons:
            if person.member is None:
                continue
            for org in {spell[0] for spell in person.spells}:
                self.by_org[org].append(person)

    def full(self, org: OrgSpec, day: dt.date, exclude=None) -> list[Person]:
        return [
            p
            for p in self.by_org.get(org, ())
            if p is not exclude and p.full_on(day) and p.org_on(day) is org
        ]


class _Pipelines:
    def __init__(self, plan, today: dt.date, book: R.RuleBook, local: R.Local):
        self.plan = plan
        self.today = today
        self.book = book
        self.local = local
        self.rng = random.Random(SEED)
        self.rolls = _Rolls(plan.persons)
        self.recruits: list[Recruit] = []
        self.steps: list[list[_Step]] = []
        self.people: list[tuple[_Step, int, str]] = []
        self.ballots: list[tuple[_Step, list[dict]]] = []
        self._publicity: dict[dt.date, dt.date] = {}

    # -- helpers ------------------------------------------------------------------------

    def between(self, first: dt.date, last: dt.date) -> dt.date:
        return day_between(self.rng, first, max(first, last))

    def step(self, steps: list, key: str, on: dt.date, **fields) -> _Step:
        step = _Step(key, on, self.book.on(on).rule_set.pk, **fields)
        steps.append(step)
        return step

    def publicity_end(self, start: dt.date) -> dt.date:
        found = self._publicity.get(start)
        if found is None:
            found = self._publicity[start] = R.publicity_end(start, self.local)
        return found

    def name(self, steps, key, on, role, branch, person, count) -> _Step | None:
        """Contacts or introducers: full members of the branch that day (else of its 学区)."""
        pool = self.rolls.full(branch, on, exclude=person)
        if len(pool) < count and branch.area_org is not None:
            for other in branch.area_org.branches or ():
                pool += self.rolls.full(other, on, exclude=person)
        if len(pool) < count:
            for other in self.rolls.by_org:
                if other is not branch and other.region is branch.region:
                    pool += self.rolls.full(other, on, exclude=person)
                    if len(pool) >= count:
                        break
        if len(pool) < count:
            return None
        step = self.step(steps, key, on)
        for chosen in self.rng.sample(pool, count):
            self.people.append((step, chosen.member.pk, role))
        return step

    def vote(self, steps, key, on, branch, person, **fields) -> _Step:
        voters = self.rolls.full(branch, on, exclude=person)
        n = len(voters)
        excused = self.rng.randint(0, n // 8) if n >= 8 else 0
        should = n - excused
        absent = self.rng.randint(0, min(3, (should - 1) // 2)) if should > 1 else 0
        present = should - absent
        against = self.rng.choice((0, 0, 0, 1)) if present * 2 > should + 2 else 0
        step = self.step(
            steps,
            key,
            on,
            voters=n,
            should_attend=should,
            present=present,
            yes=present - against,
            no=0,
            abstain=against,
            outcome=Outcome.PASSED,
            **fields,
        )
        return step

    def recruit(self, person: Person, branch: OrgSpec, applied_on: dt.date) -> Recruit:
        recruit = Recruit(
            name=person.name,
            sex=person.sex,
            ethnicity=person.ethnicity,
            id_number=person.id_number,
            education=person.education,
            person_type=person.person_type,
            backbone=person.backbone,
            title=person.title,
            phone=person.phone,
            org=branch.obj,
            work_unit=person.school.obj if person.school else None,
            applied_on=applied_on,
            member=person.member,
        )
        recruit.fill_derived()
        return recruit

    def finish(self, recruit: Recruit, steps: list[_Step], member_active: bool = True) -> None:
        fields = R.derive(steps, self.book)
        dues = R.dues(fields, steps, self.book, self.local) if member_active else []
        fields["next_due_on"] = dues[0].on if dues else None
        fields["next_due_kind"] = dues[0].kind if dues else ""
        for name, value in fields.items():
            setattr(recruit, name, value)
        self.recruits.append(recruit)
        self.steps.append(steps)

    # -- the road to admission ----------------------------------------------------------

    def before_meeting(self, person: Person, branch: OrgSpec, meeting: dt.date) -> list[_Step]:
        """Steps 1-14 and the 公示, dated backwards from the 支部大会. Gaps are drawn at
        random; for someone barely old enough they shrink to what the rules allow."""
        for tight in (False, True):
            dates = self._dates(person, meeting, tight)
            if dates is not None:
                break
        else:
            raise ValueError(f"{person.name}: too young for the pipeline before {meeting}")
        return self._steps_before(person, branch, meeting, *dates)

    def _dates(self, person: Person, meeting: dt.date, tight: bool):
        gap = (lambda low, high: low) if tight else self.rng.randint
        pre_review = meeting - dt.timedelta(days=gap(6, 24))
        start = pre_review - dt.timedelta(days=gap(9, 18))
        while self.publicity_end(start) >= pre_review:
            start -= DAY
        committee_review = start - dt.timedelta(days=gap(1, 10))
        candidate = committee_review - dt.timedelta(days=gap(8, 150) if tight else gap(40, 150))
        activist = add_years(candidate, -1) - dt.timedelta(days=gap(0, 240))
        adult = add_years(person.birth, 18)
        applied = max(activist - dt.timedelta(days=gap(30, 420)), adult)
        if applied + dt.timedelta(days=20) > activist:
            return None
        return pre_review, start, committee_review, candidate, activist, applied

    def _steps_before(
        self,
        person,
        branch,
        meeting,
        pre_review,
        start,
        committee_review,
        candidate,
        activist,
        applied,
    ) -> list[_Step]:
        between = self.between
        steps: list[_Step] = []
        end = self.publicity_end(start)
        talk = between(applied + dt.timedelta(days=5), min(add_months(applied, 1), activist - DAY))
        self.step(steps, "application", applied, by=_("党支部书记"))
        self.step(
            steps,
            "talk",
            talk,
            by=_("党支部组织委员"),
            note=_("了解入党动机, 进行党的基本知识教育"),
        )
        young = person.person_type == PersonType.STUDENT or (
            add_years(person.birth, self.local.league_max_age + 1) > activist
        )
        self.step(
            steps,
            "activist",
            activist,
            method=Recommendation.LEAGUE if young else Recommendation.MEMBERS,
        )
        self.step(steps, "activist_filing", between(activist + DAY, activist + 20 * DAY))
        contacts_on = between(activist + DAY, activist + 15 * DAY)
        self.name(steps, "contacts", contacts_on, PersonRole.CONTACT, branch, person, 2)
        review = add_months(activist, 6) - dt.timedelta(days=self.rng.randint(0, 20))
        while review < candidate:
            self.step(steps, "review", review, note=_("表现良好, 继续培养"))
            review = add_months(review, 6) - dt.timedelta(days=self.rng.randint(0, 20))
        self.step(steps, "candidate", candidate, note=_("听取了党小组、培养联系人和群众意见"))
        latest = committee_review - DAY
        self.step(
            steps, "candidate_filing", between(candidate + DAY, min(candidate + 20 * DAY, latest))
        )
        introduce_on = between(candidate + DAY, latest)
        self.name(steps, "introducers", introduce_on, PersonRole.INTRODUCER, branch, person, 2)
        review_from = max(candidate + DAY, add_months(meeting, -11))
        self.step(steps, "political_review", between(review_from, latest), note=_("合格"))
        training = between(candidate + DAY, latest)
        if self.rng.random() < 0.6:
            self.step(steps, "training", training, by=_("业余党校"), hours=Decimal(24))
        else:
            self.step(steps, "training", training, by=_("业余党校"), days=Decimal(3))
        self.step(steps, "committee_review", committee_review, note=_("同意列为预备党员人选"))
        self.step(steps, "publicity", start, end_on=end)
        self.step(steps, "pre_review", pre_review, by=_("上级党委组织委员"))
        self.step(steps, "application_form", between(pre_review, meeting - DAY))
        return steps

    def admitted(self, person: Person) -> None:
        branch = person.spells[0][0]
        meeting = person.joined_on
        steps = self.before_meeting(person, branch, meeting)
        self.vote(steps, "branch_meeting", meeting, branch, person)
        left = person.left_on if person.left_on else None
        last = min(self.today, left - DAY) if left else self.today
        approval = between_or(self, meeting + 7 * DAY, min(add_months(meeting, 3), last))
        talk = between_or(self, meeting + DAY, approval)
        self.step(steps, "committee_talk", min(talk, approval), by=_("上级党委组织委员"))
        self.step(steps, "approval", approval, outcome=Outcome.APPROVED)
        self._after_approval(steps, person, branch, meeting, approval, last)
        if left is not None and (person.converted_on is None or person.converted_on >= left):
            self.step(
                steps, R.CLOSE_KEY, left, close_reason=CloseReason.LEFT, note=_("组织关系转出")
            )
        recruit = self.recruit(person, branch, steps[0].on)
        # A member who has left has no deadlines here any more.
        self.finish(recruit, steps, member_active=left is None)

    def _after_approval(self, steps, person, branch, meeting, approval, last) -> None:
        """Steps 18-25 as far as they have happened by `last`."""

        def maybe(key, on, **fields):
            if on <= last:
                self.step(steps, key, on, **fields)

        maybe("higher_filing", approval + dt.timedelta(days=self.rng.randint(5, 40)))
        maybe("group_assignment", approval + dt.timedelta(days=self.rng.randint(1, 10)))
        maybe("oath", approval + dt.timedelta(days=self.rng.randint(7, 60)), note=_("集体宣誓"))
        rules = self.book.on(meeting)
        end = rules.probation_end(meeting)
        review = add_months(approval, 6)
        final_end = person.converted_on or end
        while review < min(final_end, last + DAY):
            maybe("probation_review", review, note=_("表现良好"))
            review = add_months(review, 6)
        if person.converted_on is None or person.converted_on > last:
            maybe("conversion_request", end - dt.timedelta(days=self.rng.randint(7, 20)))
            return
        extended = (
            (person.converted_on.year - end.year) * 12 + person.converted_on.month - end.month
        )
        if extended > 0:
            maybe("conversion_request", end - dt.timedelta(days=self.rng.randint(7, 20)))
            first = between_or(self, end, min(end + 20 * DAY, last))
            self.vote(
                steps,
                "conversion_meeting",
                first,
                branch,
                person,
                decision=Decision.EXTEND,
                extension_months=extended,
            )
            maybe(
                "conversion_approval",
                between_or(self, first + DAY, min(first + 30 * DAY, last)),
                outcome=Outcome.APPROVED,
            )
            end = person.converted_on
        maybe("conversion_request", end - dt.timedelta(days=self.rng.randint(7, 20)))
        decided = between_or(self, end, min(end + 20 * DAY, last))
        self.vote(steps, "conversion_meeting", decided, branch, person, decision=Decision.CONVERT)
        approved = between_or(self, decided + DAY, min(decided + 40 * DAY, last))
        self.step(steps, "conversion_approval", max(approved, decided), outcome=Outcome.APPROVED)
        maybe("archive", max(approved, decided) + dt.timedelta(days=self.rng.randint(10, 60)))

    # -- today's pipeline ---------------------------------------------------------------

    def live(self) -> None:
        """Applicants, 积极分子 and 发展对象 now, in a quarter of the branches (always in
        the demo branch secretary's), some with a deadline missed."""
        today = self.today
        branches = [
            org
            for org in self.plan.city.orgs
            if org.holds_members and org.founded_on <= add_years(today, -2) and org.schools
        ]
        chosen = [
            b for b in branches if b.name == DEMO_BRANCH or self.rng.random() < LIVE_BRANCH_SHARE
        ]
        maker = self.plan.later_maker
        for branch in chosen:
            if len(self.rolls.full(branch, today)) < 3:
                continue
            count = 6 if branch.name == DEMO_BRANCH else self.rng.randint(1, 3)
            for index in range(count):
                stage = index % 3 if branch.name == DEMO_BRANCH else self.rng.randrange(3)
                # The secretary's first applicant still waits for the talk: an overdue item.
                overdue = branch.name == DEMO_BRANCH and index == 0
                self._live_person(branch, stage, maker, overdue=overdue)

    def _live_person(self, branch: OrgSpec, stage: int, maker, overdue: bool = False) -> None:
        rng, today, between = self.rng, self.today, self.between
        school = rng.choice(branch.schools)
        student = school.has_students_of_age and stage == 0 and rng.random() < 0.4
        person_type = (
            PersonType.STUDENT
            if student
            else rng.choice((PersonType.TEACHER,) * 6 + (PersonType.MANAGER, PersonType.SUPPORT))
        )
        if stage == 0:
            applied = today - dt.timedelta(days=45 if overdue else rng.randint(3, 150))
        elif stage == 1:
            activist = today - dt.timedelta(days=rng.randint(10, 560))
            applied = activist - dt.timedelta(days=rng.randint(60, 300))
        else:
            candidate = today - dt.timedelta(days=rng.randint(20, 300))
            activist = add_years(candidate, -1) - dt.timedelta(days=rng.randint(0, 200))
            applied = activist - dt.timedelta(days=rng.randint(60, 300))
        age = rng.randint(18, 19) if student else rng.randint(23, 36)
        birth = add_years(applied, -age) - dt.timedelta(days=rng.randint(1, 300))
        person = maker.person(
            region=school.region,
            org=branch,
            school=school,
            person_type=person_type,
            sex=Sex.FEMALE if rng.random() < 0.6 else Sex.MALE,
            birth=birth,
            joined_on=applied,
            converted_on=None,
        )
        maker.finish(person, today)
        steps: list[_Step] = []
        self.step(steps, "application", applied, by=_("党支部书记"))
        talk = applied + dt.timedelta(days=rng.randint(5, 28))
        if stage == 0:
            # Most talks happen in time; some are overdue (the to-do list shows them).
            if talk <= today and rng.random() < 0.75 and not overdue:
                self.step(steps, "talk", talk, by=_("党支部组织委员"))
            self._finish_live(person, branch, applied, steps)
            return
        self.step(steps, "talk", talk, by=_("党支部组织委员"))
        self.step(
            steps,
            "activist",
            activist,
            method=Recommendation.LEAGUE if age <= 28 else Recommendation.MEMBERS,
        )
        self.step(steps, "activist_filing", activist + dt.timedelta(days=rng.randint(3, 15)))
        self.name(steps, "contacts", activist + 2 * DAY, PersonRole.CONTACT, branch, person, 2)
        last = today if stage == 1 else candidate - DAY
        review = add_months(activist, 6)
        while review <= last:
            if stage == 1 and review > add_months(today, -3) and rng.random() < 0.5:
                break  # a review not yet done: overdue after six months
            self.step(steps, "review", review, note=_("表现良好"))
            review = add_months(review, 6)
        if stage == 1:
            if rng.random() < 0.3:
                self.step(
                    steps, "training", between(activist, today), by=_("业余党校"), hours=Decimal(16)
                )
            self._finish_live(person, branch, applied, steps)
            return
        self.step(steps, "candidate", candidate)
        self._candidate_progress(person, branch, steps, candidate)
        self._finish_live(person, branch, applied, steps)

    def _candidate_progress(self, person, branch, steps, candidate) -> None:
        rng, today = self.rng, self.today
        span = (today - candidate).days
        progress = rng.randint(0, 9)
        on = candidate

        def advance(low: int, high: int) -> dt.date | None:
            nonlocal on
            following = on + dt.timedelta(days=rng.randint(low, high))
            if following > today:
                return None
            on = following
            return on

        for key in ("candidate_filing", "introducers", "political_review", "training"):
            if progress <= 0 or advance(1, max(2, span // 12)) is None:
                return
            progress -= 1
            if key == "introducers":
                if self.name(steps, key, on, PersonRole.INTRODUCER, branch, person, 2) is None:
                    return
            elif key == "training":
                self.step(steps, key, on, by=_("业余党校"), hours=Decimal(24))
            else:
                self.step(steps, key, on, note=_("合格") if key == "political_review" else "")
        if progress <= 0 or advance(1, 10) is None:
            return
        self.step(steps, "committee_review", on)
        progress -= 1
        if progress <= 0 or advance(1, 5) is None:
            return
        start = on
        end = self.publicity_end(start)
        self.step(steps, "publicity", start, end_on=end)
        if progress <= 1 or end + DAY > today:
            return
        on = end
        if advance(1, 5) is None:
            return
        self.step(steps, "pre_review", on)
        # A meeting normally follows within a month; some wait longer (a warning).
        if progress <= 2 or advance(1, 40) is None:
            return
        self.step(steps, "application_form", on)
        meeting = on + dt.timedelta(days=rng.randint(0, 3))
        if progress <= 3 or meeting > today:
            return
        step = self.vote(steps, "branch_meeting", meeting, branch, person)
        voters = self.rolls.full(branch, meeting, exclude=person)
        ballots, present = [], step.present
        order = list(voters)
        rng.shuffle(order)
        for index, voter in enumerate(order):
            attended = index < present
            choice = ""
            if attended:
                choice = VoteChoice.ABSTAIN if index < (step.abstain or 0) else VoteChoice.YES
            ballots.append(
                {
                    "member_id": voter.member.pk,
                    "should_attend": index < (step.should_attend or 0),
                    "attended": attended,
                    "choice": choice,
                }
            )
        self.ballots.append((step, ballots))
        # Awaiting approval; beyond three months the to-do list shows it overdue.
        if progress >= 6 and meeting + 10 * DAY <= today:
            self.step(steps, "committee_talk", meeting + 10 * DAY, by=_("上级党委组织委员"))

    def _finish_live(self, person, branch, applied, steps) -> None:
        self.finish(self.recruit(person, branch, applied), steps)

    # -- writing ------------------------------------------------------------------------

    def write(self, note: str) -> int:
        Recruit.objects.bulk_create(self.recruits, batch_size=500)
        flat = []
        for recruit, steps in zip(self.recruits, self.steps, strict=True):
            for step in steps:
                step.recruit_id = recruit.pk
                flat.append(step)
        _insert_steps(flat)
        StepPerson.objects.bulk_create(
            (
                StepPerson(step_id=step.pk, member_id=pk, role=role)
                for step, pk, role in self.people
            ),
            batch_size=1000,
        )
        Ballot.objects.bulk_create(
            Ballot(step_id=step.pk, **ballot)
            for step, ballots in self.ballots
            for ballot in ballots
        )
        root = self.plan.city.root.obj
        record(
            CLI,
            AuditAction.CREATE,
            None,
            changes={"count": [None, len(self.recruits)], "note": [None, note]},
            org_path=root.path,
            object_repr=note,
        )
        return len(flat)


def _insert_steps(steps: list[_Step]) -> None:
    """One executemany with ids assigned here (so people and ballots can point at them),
    then the id sequence moved past them (PostgreSQL; nothing to do on SQLite)."""
    start = (Step.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    for offset, step in enumerate(steps):
        step.pk = start + offset
    ops = connection.ops
    fields = [f for f in Step._meta.concrete_fields]
    constants = {
        "warnings": Step._meta.get_field("warnings").get_db_prep_save([], connection),
        "recorded_by": "demo",
        "special_reason": "",
        "created_at": ops.adapt_datetimefield_value(timezone.now()),
    }
    dates = {f.attname for f in fields if isinstance(f, models.DateField)}
    decimals = {f.attname: f for f in fields if isinstance(f, models.DecimalField)}
    names = [f.attname for f in fields]

    def value(step, name):
        if name in constants:
            return constants[name]
        if name == "id":
            return step.pk
        raw = getattr(step, name)
        if raw is None:
            return None
        if name in dates:
            return ops.adapt_datefield_value(raw)
        if name in decimals:
            field = decimals[name]
            return ops.adapt_decimalfield_value(raw, field.max_digits, field.decimal_places)
        return raw

    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {ops.quote_name(Step._meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for first in range(0, len(steps), 2000):
            chunk = steps[first : first + 2000]
            cursor.executemany(sql, [[value(step, name) for name in names] for step in chunk])
        for statement in ops.sequence_reset_sql(no_style(), [Step]):
            cursor.execute(statement)


def between_or(pipelines: _Pipelines, first: dt.date, last: dt.date) -> dt.date:
    """A day in [first, last], or `last` when the window is empty (a record made late)."""
    return last if last < first else pipelines.between(first, last)


def load(plan, today: dt.date) -> Loaded:
    """Write the pipeline records (after the members, transfers and leavings are written)."""
    started = time.perf_counter()
    book = R.RuleBook.load()
    local = R.default_local()
    pipelines = _Pipelines(plan, today, book, local)
    for person in plan.persons:
        if (
            person.member is not None
            and person.moved_in_on is None
            and FIRST_ADMISSION <= person.joined_on <= today
        ):
            pipelines.admitted(person)
    pipelines.live()
    steps = pipelines.write(_("示例市演示数据: 发展党员记录"))
    return Loaded(len(pipelines.recruits), steps, time.perf_counter() - started)
