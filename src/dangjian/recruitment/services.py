"""Every write to the 发展党员 pipeline: check against the rule set in force on the step's
date (and the local-practice settings of the branch), save, derive the person's stage and
next deadline, audit, in one transaction. Views, the API and tests call these; the demo
loader writes history in bulk with the same `rules` functions.

A refusal is a ValidationError whose Chinese message names the rule and the earliest (or
latest) allowed date, e.g. "确定为发展对象须经一年以上培养教育考察，最早可于2025-03-02确定".
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.audit import AuditAction, record
from dangjian.core.dates import add_years, age_on, working_days_between
from dangjian.core.roles import Action
from dangjian.core.scope import NotInScope, is_unrestricted, require, scope_paths
from dangjian.core.validators import (
    id_birth_date,
    normalize_id_number,
)
from dangjian.members import rules as member_rules
from dangjian.members import services as member_services
from dangjian.members.choices import Category, EventKind, Status
from dangjian.members.models import PERSON_FIELDS, Member
from dangjian.orgs.models import COMMITTEE_KINDS, MEMBER_ORG_KINDS, Organization
from dangjian.recruitment import rulefile
from dangjian.recruitment import rules as R
from dangjian.recruitment.models import (
    LOCAL_FIELDS,
    Attachment,
    Ballot,
    CloseReason,
    Decision,
    Outcome,
    PersonRole,
    Recommendation,
    Recruit,
    RecruitmentSettings,
    RuleSet,
    Sanction,
    SanctionKind,
    Stage,
    Step,
    StepPerson,
    VoteChoice,
)

RECRUIT_FIELDS = (*PERSON_FIELDS, "org", "work_unit")
# Identity a member record takes over at admission; later changes belong to the member.
IDENTITY_FIELDS = ("name", "sex", "ethnicity", "id_number", "org")
ATTACHMENT_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".docx")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def _today() -> dt.date:
    return timezone.localdate()


class Problems:
    """Field name -> Chinese messages, raised all at once."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# --- who may record what -----------------------------------------------------------------


def approving_committee(org: Organization) -> Organization:
    """The 上级党委 of a branch: the nearest 党委/党工委 above it (a 党总支 cannot approve
    admissions), else its parent."""
    above = [a for a in org.ancestors_and_self() if a.pk != org.pk]
    committees = [a for a in above if a.kind in COMMITTEE_KINDS]
    if committees:
        return max(committees, key=lambda a: a.depth)
    return max(above, key=lambda a: a.depth) if above else org


def acts_for_committee(actor, recruit: Recruit) -> bool:
    if is_unrestricted(actor):
        return True
    committee = approving_committee(recruit.org)
    return any(committee.path.startswith(path) for path in scope_paths(actor, Action.CHANGE))


def can_record(actor, recruit: Recruit, definition: R.StepDef) -> bool:
    if definition.by == "committee":
        return acts_for_committee(actor, recruit)
    return Recruit.objects.restrict(actor, Action.CHANGE).filter(pk=recruit.pk).exists()


# --- people ------------------------------------------------------------------------------


def _person_problems(recruit: Recruit, problems: Problems) -> None:
    number = member_rules.person_problems(
        name=recruit.name,
        sex=recruit.sex,
        id_number=recruit.id_number,
        phone=recruit.phone,
        add=problems.add,
    )
    if number:
        recruit.id_number = number
    if recruit.org_id and recruit.org.kind not in MEMBER_ORG_KINDS:
        problems.add("org", _("入党申请须向党支部、联合党支部或临时党支部提出"))


def _age_problem(recruit: Recruit, rules: R.Rules, applied_on: dt.date, problems) -> None:
    try:
        born = id_birth_date(recruit.id_number)
    except (ValueError, TypeError):
        return
    if age_on(born, applied_on) < rules.min_age:
        earliest = add_years(born, rules.min_age)
        problems.add(
            "applied_on",
            _("递交入党申请书须年满%(age)d周岁，最早可于%(date)s递交")
            % {"age": rules.min_age, "date": earliest.isoformat()},
        )


def _duplicate_problem(recruit: Recruit, problems: Problems) -> None:
    number = recruit.id_number
    if not number or "id_number" in problems.errors:
        return
    others = Recruit.objects.open().with_id_number(number)
    if recruit.pk:
        others = others.exclude(pk=recruit.pk)
    if others.exists() or (
        Member.objects.with_id_numbers([number]).exclude(status=Status.CANCELLED).exists()
        and not recruit.member_id
    ):
        problems.add("id_number", _("该公民身份号码已是党员或已在发展流程中, 不能重复登记"))


def refresh(recruit: Recruit, book: R.RuleBook | None = None, local: R.Local | None = None):
    """Derive stage, stage dates and the next deadline from the steps, and save them."""
    book = book or R.RuleBook.load()
    local = local or R.local_for(recruit.org)
    steps = list(recruit.steps.all())
    fields = R.derive(steps, book)
    departed = recruit.member_id and recruit.member.status != Status.ACTIVE
    dues = [] if departed else R.dues(fields, steps, book, local)
    fields["next_due_on"] = dues[0].on if dues else None
    fields["next_due_kind"] = dues[0].kind if dues else ""
    for name, value in fields.items():
        setattr(recruit, name, value)
    recruit.save(update_fields=[*fields, "updated_at"])
    return recruit


@transaction.atomic
def create_recruit(actor, *, applied_on: dt.date, by: str = "", note: str = "", **fields):
    """Step 1, 递交入党申请书: the person enters the pipeline as 入党申请人."""
    recruit = Recruit(**{k: fields[k] for k in RECRUIT_FIELDS if k in fields})
    recruit.applied_on = applied_on
    if recruit.org_id:
        require(actor, Action.ADD, recruit.org)
    book = R.RuleBook.load()
    rules = book.on(applied_on)
    problems = Problems()
    if recruit.id_number:
        try:
            recruit.id_number = normalize_id_number(recruit.id_number)
        except ValidationError as exc:
            problems.add("id_number", exc.messages[0])
    _person_problems(recruit, problems)
    if applied_on > _today():
        problems.add("applied_on", _("日期不能晚于今天"))
    if "id_number" not in problems.errors:
        _age_problem(recruit, rules, applied_on, problems)
    _duplicate_problem(recruit, problems)
    problems.raise_if_any()
    recruit.fill_derived()
    try:
        recruit.full_clean(exclude=["birth_date", "name_pinyin", "name_initials", "stage"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    recruit.save()
    Step.objects.create(
        recruit=recruit,
        key="application",
        on=applied_on,
        rule_set=rules.rule_set,
        by=by,
        note=note,
        recorded_by=getattr(actor, "username", ""),
    )
    refresh(recruit, book)
    audit.created(actor, recruit, org_path=recruit.org.path)
    require(actor, Action.VIEW, recruit)
    return recruit


@transaction.atomic
def update_recruit(actor, recruit: Recruit, **fields) -> Recruit:
    """Correct a person's record. After admission the identity belongs to the member record."""
    require(actor, Action.CHANGE, recruit)
    recruit = Recruit.objects.select_for_update().select_related("org").get(pk=recruit.pk)
    before = audit.state(recruit)
    problems = Problems()
    for key in RECRUIT_FIELDS:
        if key not in fields:
            continue
        value = fields[key]
        if key == "id_number" and not value:
            continue  # left empty on the form: unchanged
        if recruit.member_id and key in IDENTITY_FIELDS and value != getattr(recruit, key):
            problems.add(key, _("已接收为预备党员, 请在党员档案中修改此项"))
            continue
        setattr(recruit, key, value)
    if "org" in fields and fields["org"] is not None and fields["org"].pk != before["org"]:
        require(actor, Action.ADD, fields["org"])
    _person_problems(recruit, problems)
    _duplicate_problem(recruit, problems)
    problems.raise_if_any()
    recruit.fill_derived()
    recruit.save()
    refresh(recruit)
    audit.changed(actor, recruit, before, org_path=recruit.org.path)
    require(actor, Action.VIEW, recruit)
    return recruit


# --- voters and people named in steps ----------------------------------------------------


def probation_member_ids(member_ids, day: dt.date) -> set[int]:
    """Members under 留党察看 on `day`."""
    return set(
        Sanction.objects.in_force(day)
        .filter(kind=SanctionKind.PROBATION, member_id__in=list(member_ids))
        .values_list("member_id", flat=True)
    )


def _in_branch(org: Organization, day: dt.date) -> Q:
    return (
        Q(spells__org=org)
        & Q(spells__start_on__lte=day)
        & (Q(spells__end_on__isnull=True) | Q(spells__end_on__gt=day))
    )


def eligible_voters(org: Organization, day: dt.date) -> list[Member]:
    """Full members of the branch on `day` with a vote: 预备党员 have none, nor do members
    under 留党察看."""
    members = list(
        Member.objects.filter(_in_branch(org, day), converted_on__lte=day)
        .distinct()
        .order_by("name", "pk")
    )
    barred = probation_member_ids([m.pk for m in members], day)
    return [m for m in members if m.pk not in barred]


def eligible_observers(org: Organization, day: dt.date) -> list[tuple[Member, str]]:
    """Members of the branch on `day` who may attend without a vote (列席), with why:
    预备党员, and full members under 留党察看."""
    members = list(
        Member.objects.filter(_in_branch(org, day), joined_on__lte=day)
        .distinct()
        .order_by("name", "pk")
    )
    barred = probation_member_ids([m.pk for m in members], day)
    found = []
    for member in members:
        if not member.converted_on or member.converted_on > day:
            found.append((member, _("预备党员")))
        elif member.pk in barred:
            found.append((member, _("受留党察看处分")))
    return found


def _member_pk(value) -> int | None:
    if isinstance(value, Member):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class Context:
    actor: object
    recruit: Recruit
    key: str
    on: dt.date
    rules: R.Rules
    local: R.Local
    steps: list
    by_key: dict
    data: dict
    problems: Problems
    warnings: list[str] = field(default_factory=list)
    people: list[tuple[Member, str]] = field(default_factory=list)
    ballots: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def _named_members(ctx: Context, values, role: str, field_name: str) -> list[Member]:
    pks = []
    for value in values or ():
        pk = _member_pk(value)
        if pk is None:
            ctx.problems.add(field_name, _("无效的党员"))
        elif pk in pks:
            ctx.problems.add(field_name, _("同一党员不能重复填写"))
        else:
            pks.append(pk)
    visible = {m.pk: m for m in Member.objects.restrict(ctx.actor, Action.VIEW).filter(pk__in=pks)}
    if len(visible) < len(pks):
        ctx.problems.add(field_name, _("所选党员不在您的管理范围内"))
    barred = probation_member_ids(visible, ctx.on)
    chosen = []
    for pk in pks:
        member = visible.get(pk)
        if member is None:
            continue
        if member.status != Status.ACTIVE or member.joined_on > ctx.on:
            ctx.problems.add(
                field_name,
                _("%(name)s在%(date)s不是在册党员") % {"name": member.name, "date": ctx.on},
            )
        elif not member.converted_on or member.converted_on > ctx.on:
            ctx.problems.add(
                field_name,
                _("%(name)s在%(date)s是预备党员, %(role)s须由正式党员担任")
                % {"name": member.name, "date": ctx.on, "role": PersonRole(role).label},
            )
        if role == PersonRole.INTRODUCER and pk in barred:
            ctx.problems.add(
                field_name,
                _("%(name)s正受留党察看处分, 不能担任入党介绍人") % {"name": member.name},
            )
        chosen.append(member)
    ctx.people = [(member, role) for member in chosen]
    return chosen


def _check_contacts(ctx: Context) -> None:
    low, high = ctx.rules.contacts
    chosen = _named_members(ctx, ctx.data.get("members"), PersonRole.CONTACT, "members")
    if not low <= len(chosen) <= high and "members" not in ctx.problems.errors:
        ctx.problems.add(
            "members",
            _("应指定%(low)d至%(high)d名正式党员作为培养联系人") % {"low": low, "high": high},
        )


def _check_introducers(ctx: Context) -> None:
    count = ctx.rules.introducers
    chosen = _named_members(ctx, ctx.data.get("members"), PersonRole.INTRODUCER, "members")
    if len(chosen) != count and "members" not in ctx.problems.errors:
        ctx.problems.add("members", _("入党介绍人应为%(n)d名正式党员") % {"n": count})


def _check_activist(ctx: Context) -> None:
    method = ctx.data.get("method") or ""
    if method not in Recommendation.values:
        ctx.problems.add("method", _("请选择推荐方式(党员推荐或群团组织推优)"))
        return
    age = age_on(ctx.recruit.birth_date, ctx.on)
    if age <= ctx.local.league_max_age and method != Recommendation.LEAGUE:
        ctx.warnings.append(
            _("%(max)d周岁以下的入党申请人一般应通过团组织推优产生(本地做法), 本人%(age)d周岁")
            % {"max": ctx.local.league_max_age, "age": age}
        )


def _check_training(ctx: Context) -> None:
    hours = ctx.data.get("hours") or Decimal(0)
    days = ctx.data.get("days") or Decimal(0)
    if hours < 0 or days < 0:
        ctx.problems.add("hours", _("学时和天数不能为负数"))
    elif not hours and not days:
        ctx.problems.add("hours", _("请填写培训学时或天数"))


def _check_publicity(ctx: Context) -> None:
    needed = ctx.local.publicity_working_days
    earliest_end = R.publicity_end(ctx.on, ctx.local)
    end_on = ctx.data.get("end_on") or earliest_end
    if end_on < ctx.on:
        ctx.problems.add("end_on", _("公示结束日期不能早于开始日期"))
    elif working_days_between(ctx.on, end_on) < needed:
        ctx.problems.add(
            "end_on",
            _("发展对象公示期不少于%(n)d个工作日(本地做法)，自%(start)s起最早可于%(end)s结束")
            % {"n": needed, "start": ctx.on.isoformat(), "end": earliest_end.isoformat()},
        )
    ctx.extra["end_on"] = end_on


def _check_ballots(ctx: Context) -> None:
    eligible = {m.pk: m for m in eligible_voters(ctx.recruit.org, ctx.on)}
    if not eligible:
        ctx.problems.add(
            "ballots",
            _("党支部在%(date)s没有有表决权的正式党员, 不能表决") % {"date": ctx.on},
        )
        return
    observers = {m.pk: (m, why) for m, why in eligible_observers(ctx.recruit.org, ctx.on)}
    rows: dict[int, dict] = {}
    attending: dict[int, dict] = {}
    for given in ctx.data.get("ballots") or ():
        pk = _member_pk(given.get("member"))
        if pk in rows or pk in attending:
            ctx.problems.add("ballots", _("同一党员只能表决一次"))
            continue
        attended = bool(given.get("attended"))
        written = bool(given.get("written")) and not attended
        choice = given.get("choice") or ""
        if pk in observers:
            member, why = observers[pk]
            if choice or written:
                ctx.problems.add(
                    "ballots",
                    _("%(name)s是%(why)s, 没有表决权, 只能列席, 不能表决")
                    % {"name": member.name, "why": why},
                )
            elif attended:
                attending[pk] = {
                    "member": member,
                    "should_attend": False,
                    "attended": True,
                    "written": False,
                    "choice": "",
                    "opinion": (given.get("opinion") or "").strip(),
                    "observer": True,
                }
            continue
        if pk not in eligible:
            ctx.problems.add(
                "ballots",
                _("表决名单中有人不是本支部在会议当日的党员, 不能表决或列席"),
            )
            continue
        name = eligible[pk].name
        if choice and choice not in VoteChoice.values:
            ctx.problems.add("ballots", _("%(name)s: 无效的表决意见") % {"name": name})
            continue
        if choice and not (attended or written):
            ctx.problems.add(
                "ballots",
                _("%(name)s未到会且未提交书面意见, 不能计入表决") % {"name": name},
            )
            continue
        rows[pk] = {
            "member": eligible[pk],
            "should_attend": bool(given.get("should_attend", True)) or attended,
            "attended": attended,
            "written": written,
            "choice": choice,
            "opinion": (given.get("opinion") or "").strip(),
        }
    for pk, member in eligible.items():
        rows.setdefault(
            pk,
            {
                "member": member,
                "should_attend": True,
                "attended": False,
                "written": False,
                "choice": "",
                "opinion": "",
            },
        )
    if "ballots" in ctx.problems.errors:
        return
    result = R.tally(rows.values(), len(eligible))
    num, den = ctx.rules.fraction("quorum")
    if result.should_attend == 0:
        ctx.problems.add("ballots", _("应到会有表决权的党员不能为0"))
        return
    if not result.quorum(ctx.rules):
        # No valid meeting, so no vote to record (DESIGN 6: the quorum is a precondition).
        ctx.problems.add(
            "ballots",
            _(
                "有表决权的到会人数须超过应到会有表决权人数的%(share)s: "
                "应到会%(should)d人, 实到会%(present)d人, 不能进行表决"
            )
            % {
                "share": R.share_text(num, den),
                "should": result.should_attend,
                "present": result.present,
            },
        )
        return
    ctx.ballots = [*rows.values(), *attending.values()]
    passed = result.majority(ctx.rules)
    ctx.extra.update(
        voters=result.voters,
        should_attend=result.should_attend,
        present=result.present,
        yes=result.yes,
        no=result.no,
        abstain=result.abstain,
        observers=len(attending),
        outcome=Outcome.PASSED if passed else Outcome.FAILED,
        outcome_reason="" if passed else result.failure_reason(ctx.rules),
    )


def _check_branch_meeting(ctx: Context) -> None:
    hours, days = R.training_totals(ctx.steps, before=ctx.on)
    if not R.training_met(ctx.rules, hours, days):
        min_days, min_hours = ctx.rules.training
        ctx.problems.add(
            "on",
            _(
                "发展对象须经集中培训，时间一般不少于%(days)s天或不少于%(hours)s学时，"
                "目前累计%(have_hours)s学时、%(have_days)s天"
            )
            % {
                "days": _number(min_days),
                "hours": _number(min_hours),
                "have_hours": _number(hours),
                "have_days": _number(days),
            },
        )
    _check_ballots(ctx)


def _check_conversion_meeting(ctx: Context) -> None:
    decision = ctx.data.get("decision") or ""
    if decision not in Decision.values:
        ctx.problems.add("decision", _("请选择决议内容"))
    elif decision == Decision.EXTEND:
        low, high, times = ctx.rules.extension
        months = ctx.data.get("extension_months")
        extensions = 0
        for decided in ctx.by_key.get("conversion_approval", ()):
            if decided.outcome != Outcome.APPROVED:
                continue
            resolution = R.latest(ctx.by_key, "conversion_meeting", before=decided.on)
            extensions += resolution is not None and resolution.decision == Decision.EXTEND
        if extensions >= times:
            ctx.problems.add(
                "decision",
                _("预备期只能延长一次，已延长%(n)d个月") % {"n": ctx.recruit.extended_months},
            )
        if months is None or not low <= months <= high:
            ctx.problems.add(
                "extension_months",
                _("延长预备期不能少于%(low)d个月，不能超过%(high)d个月")
                % {"low": low, "high": high},
            )
        ctx.extra["extension_months"] = months
    ctx.extra["decision"] = decision
    _check_ballots(ctx)


def _check_decided(ctx: Context, meeting_key: str) -> None:
    outcome = ctx.data.get("outcome") or ""
    if outcome not in (Outcome.APPROVED, Outcome.REJECTED):
        ctx.problems.add("outcome", _("请选择审批结果"))
    meeting = R.latest(ctx.by_key, meeting_key, before=ctx.on, counting=False)
    if meeting is not None and not meeting.counts:
        ctx.problems.add("on", _("最近一次支部大会表决未通过, 不能报批"))
    ctx.extra["outcome"] = outcome
    if (
        outcome == Outcome.APPROVED
        and not ctx.recruit.member_id
        and meeting_key != "branch_meeting"
    ):
        ctx.problems.add("on", _("该预备党员没有关联的党员档案, 请先在党员信息库中登记"))


CHECKS = {
    "activist": _check_activist,
    "contacts": _check_contacts,
    "introducers": _check_introducers,
    "training": _check_training,
    "publicity": _check_publicity,
    "branch_meeting": _check_branch_meeting,
    "conversion_meeting": _check_conversion_meeting,
    "approval": lambda ctx: _check_decided(ctx, "branch_meeting"),
    "conversion_approval": lambda ctx: _check_decided(ctx, "conversion_meeting"),
}


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label)


# --- recording steps ---------------------------------------------------------------------


STEP_FIELDS = (
    "by",
    "note",
    "end_on",
    "hours",
    "days",
    "method",
    "outcome",
    "decision",
    "extension_months",
    "special_reason",
)


@transaction.atomic
def record_step(actor, recruit: Recruit, key: str, *, on: dt.date, **data) -> Step:
    """Record one of the steps (2-25, or 公示) dated `on`. `data` holds the step's fields
    (by, note, end_on, hours, days, method, outcome, decision, extension_months,
    special_reason), `members` (培养联系人 or 入党介绍人) and `ballots` (支部大会: dicts of
    member, should_attend, attended, written, choice, opinion)."""
    require(actor, Action.VIEW, recruit)
    recruit = Recruit.objects.select_for_update().select_related("org").get(pk=recruit.pk)
    book = R.RuleBook.load()
    rules = book.on(on)
    local = R.local_for(recruit.org)
    steps = list(recruit.steps.all())
    by_key = R.group(steps)
    problems = Problems()
    definition = rules.step(key)
    if definition is None or key == "application":
        problems.add("key", _("规则集《%(rules)s》中没有此步骤") % {"rules": rules.rule_set.name})
        problems.raise_if_any()
    if not can_record(actor, recruit, definition):
        if definition.by == "committee":
            problems.add(
                "key",
                _("“%(step)s”须由上级党委(%(org)s)记录")
                % {"step": definition.name, "org": approving_committee(recruit.org).name},
            )
            problems.raise_if_any()
        raise NotInScope()
    today = _today()
    if on > today:
        problems.add("on", _("日期不能晚于今天"))
    if on < recruit.applied_on:
        problems.add(
            "on",
            _("日期不能早于递交入党申请书的日期%(date)s") % {"date": recruit.applied_on},
        )
    if recruit.stage not in definition.stages:
        problems.add(
            "key",
            _("当前阶段为“%(stage)s”, 不能记录“%(step)s”")
            % {"stage": _stage_label(recruit.stage), "step": definition.name},
        )
    if not definition.repeatable and R.latest(by_key, key) is not None:
        problems.add(
            "key",
            _("“%(step)s”已于%(date)s记录")
            % {"step": definition.name, "date": R.latest(by_key, key).on},
        )
    for required in definition.requires:
        if R.latest(by_key, required, before=on) is not None:
            continue
        if required == "application" and on < recruit.applied_on:
            continue  # said above
        later = R.latest(by_key, required)
        name = rules.name(required)
        failed = R.latest(by_key, required, before=on, counting=False)
        if later is None and failed is not None:
            problems.add("key", _failed_message(book.for_step(failed), failed))
        elif later is not None:
            problems.add(
                "on",
                _("须在“%(req)s”(%(date)s)之后") % {"req": name, "date": later.on.isoformat()},
            )
        else:
            problems.add("key", _("须先完成“%(req)s”") % {"req": name})
    if problems.errors:
        problems.raise_if_any()
    derived = R.derive(steps, book)
    found = R.check_intervals(
        rules,
        key,
        on,
        R.anchors(by_key, derived),
        local,
        special_reason=data.get("special_reason") or "",
    )
    for message in found.errors:
        problems.add("on", message)
    ctx = Context(
        actor=actor,
        recruit=recruit,
        key=key,
        on=on,
        rules=rules,
        local=local,
        steps=steps,
        by_key=by_key,
        data=data,
        problems=problems,
        warnings=list(found.warnings),
    )
    check = CHECKS.get(key)
    if check is not None:
        check(ctx)
    problems.raise_if_any()

    values = {name: data[name] for name in STEP_FIELDS if data.get(name) not in (None, "")}
    values.update(ctx.extra)
    step = Step.objects.create(
        recruit=recruit,
        key=key,
        on=on,
        rule_set=rules.rule_set,
        warnings=ctx.warnings,
        recorded_by=getattr(actor, "username", ""),
        **values,
    )
    StepPerson.objects.bulk_create(
        StepPerson(step=step, member=member, role=role) for member, role in ctx.people
    )
    Ballot.objects.bulk_create(
        Ballot(step=step, **{k: v for k, v in ballot.items()}) for ballot in ctx.ballots
    )
    _apply_outcome(actor, recruit, step, by_key)
    refresh(recruit, book, local)
    audit.created(
        actor,
        step,
        exclude=("created_at",),
        extra={"people": [None, [m.pk for m, _r in ctx.people]]} if ctx.people else None,
        org_path=recruit.org.path,
        object_repr=f"{recruit.name} {definition.label}",
    )
    return step


def _failed_message(rules: R.Rules, step: Step) -> str:
    """Why a later step cannot follow: the prerequisite's latest outcome was negative."""
    definition = rules.step(step.key)
    if definition is not None and definition.vote:
        return _("%(meeting)s表决未通过(第%(no)s步, %(date)s%(reason)s), 须再次表决通过") % {
            "meeting": _("支部大会"),
            "no": definition.no,
            "date": step.on.isoformat(),
            "reason": f": {step.outcome_reason}" if step.outcome_reason else "",
        }
    return _("“%(step)s”(%(date)s)的结果为%(outcome)s") % {
        "step": rules.name(step.key),
        "date": step.on.isoformat(),
        "outcome": step.get_outcome_display(),
    }


def _apply_outcome(actor, recruit: Recruit, step: Step, by_key) -> None:
    """Admission creates the member (入党日期 = the 支部大会); a 转正 decision approved sets
    转正日期, extends the 预备期 or cancels the qualification."""
    if step.outcome != Outcome.APPROVED:
        return
    if step.key == "approval":
        meeting = R.latest(by_key, "branch_meeting", before=step.on)
        try:
            member = member_services.create_member(
                actor,
                category=Category.PROBATIONARY,
                **recruit.person_values(),
                org=recruit.org,
                work_unit=recruit.work_unit,
                joined_on=meeting.on,
                converted_on=None,
            )
        except ValidationError as exc:
            raise ValidationError(
                [_("无法建立党员档案: %(why)s") % {"why": "; ".join(exc.messages)}]
            ) from None
        recruit.member = member
        recruit.save(update_fields=["member", "updated_at"])
    elif step.key == "conversion_approval":
        meeting = R.latest(by_key, "conversion_meeting", before=step.on)
        member = recruit.member
        if meeting.decision == Decision.CONVERT:
            book = R.RuleBook.load()
            end = book.on(recruit.admitted_on).probation_end(
                recruit.admitted_on, recruit.extended_months
            )
            try:
                member_services.update_member(
                    actor, member, category=Category.FULL, converted_on=end
                )
            except ValidationError as exc:
                raise ValidationError(
                    [_("无法登记转正: %(why)s") % {"why": "; ".join(exc.messages)}]
                ) from None
        elif meeting.decision == Decision.CANCEL:
            member_services.record_leaving(
                actor,
                member,
                kind=EventKind.CANCELLED,
                on=step.on,
                note=_("支部大会%(date)s决议, 上级党委批准") % {"date": meeting.on},
            )


@transaction.atomic
def close_recruit(actor, recruit: Recruit, *, on: dt.date, reason: str, note: str = "") -> Step:
    """End a pipeline before admission (放弃, 不再培养, 调离), or that of a 预备党员 who has
    left the system (转出: the pipeline goes on elsewhere). Otherwise a 预备党员 leaves only
    by the cancellation a 支部大会 resolves and the 上级党委 approves."""
    require(actor, Action.CHANGE, recruit)
    recruit = Recruit.objects.select_for_update().select_related("org").get(pk=recruit.pk)
    problems = Problems()
    departed = recruit.member_id and recruit.member.status != Status.ACTIVE
    if recruit.stage == Stage.PROBATIONARY and departed:
        if reason != CloseReason.LEFT:
            problems.add("reason", _("该预备党员已离开本系统, 终止原因应为“调离或转出”"))
    elif recruit.stage not in (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE):
        problems.add(
            "reason",
            _("当前阶段为“%(stage)s”, 不能直接终止") % {"stage": _stage_label(recruit.stage)},
        )
    if reason not in CloseReason.values or reason == CloseReason.CANCELLED:
        problems.add("reason", _("请选择终止原因"))
    if on > _today():
        problems.add("on", _("日期不能晚于今天"))
    last = max((s.on for s in recruit.steps.all()), default=recruit.applied_on)
    if on < last:
        problems.add("on", _("日期不能早于最近一个步骤的日期%(date)s") % {"date": last})
    problems.raise_if_any()
    book = R.RuleBook.load()
    step = Step.objects.create(
        recruit=recruit,
        key=R.CLOSE_KEY,
        on=on,
        rule_set=book.on(on).rule_set,
        close_reason=reason,
        note=note,
        recorded_by=getattr(actor, "username", ""),
    )
    refresh(recruit, book)
    record(
        actor,
        AuditAction.UPDATE,
        recruit,
        changes={"stage": [None, Stage.CLOSED], "close_reason": [None, reason]},
        org_path=recruit.org.path,
    )
    return step


@transaction.atomic
def delete_step(actor, step: Step) -> None:
    """Remove the latest step entered by mistake. Steps that created or changed a member
    record (approval, 转正) stay: they are undone in the member registry, not here."""
    recruit = step.recruit
    require(actor, Action.DELETE, recruit)
    recruit = Recruit.objects.select_for_update().select_related("org").get(pk=recruit.pk)
    last = recruit.steps.order_by("-created_at", "-id").first()
    if step.key == "application":
        raise ValidationError(_("递交入党申请书是第一步, 不能删除; 如录入有误请删除整条记录"))
    if last is None or last.pk != step.pk:
        raise ValidationError(_("只能删除最近录入的一个步骤"))
    if step.key in ("approval", "conversion_approval") and step.outcome == Outcome.APPROVED:
        raise ValidationError(_("已批准的审批步骤已改变党员档案, 不能删除"))
    audit.deleted(
        actor,
        step,
        exclude=("created_at",),
        org_path=recruit.org.path,
        object_repr=f"{recruit.name} {step.key}",
    )
    step.delete()
    refresh(recruit)


@transaction.atomic
def delete_recruit(actor, recruit: Recruit) -> None:
    """Remove a record entered by mistake (before admission only)."""
    require(actor, Action.DELETE, recruit)
    if recruit.member_id:
        raise ValidationError(_("已接收为预备党员, 不能删除发展记录"))
    audit.deleted(actor, recruit, org_path=recruit.org.path)
    for attachment in recruit.attachments.all():
        attachment.file.delete(save=False)
    recruit.delete()


# --- attachments, settings, sanctions ----------------------------------------------------


@transaction.atomic
def add_attachment(actor, recruit: Recruit, *, upload, title: str, step: Step | None = None):
    require(actor, Action.CHANGE, recruit)
    problems = Problems()
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ATTACHMENT_SUFFIXES:
        problems.add(
            "upload",
            _("只能上传以下格式的文件: %(s)s") % {"s": ", ".join(ATTACHMENT_SUFFIXES)},
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        problems.add("upload", _("文件不能超过10MB"))
    if not (title or "").strip():
        problems.add("title", _("请填写材料名称"))
    if step is not None and step.recruit_id != recruit.pk:
        problems.add("step", _("步骤不属于该发展对象"))
    problems.raise_if_any()
    attachment = Attachment(
        recruit=recruit,
        step=step,
        title=title.strip(),
        size=upload.size,
        uploaded_by=getattr(actor, "username", ""),
    )
    attachment.file.save(f"{recruit.pk}{suffix}", upload, save=False)
    attachment.save()
    record(
        actor,
        AuditAction.CREATE,
        attachment,
        changes={"title": [None, attachment.title], "size": [None, attachment.size]},
        org_path=recruit.org.path,
    )
    return attachment


@transaction.atomic
def delete_attachment(actor, attachment: Attachment) -> None:
    require(actor, Action.CHANGE, attachment.recruit)
    record(
        actor,
        AuditAction.DELETE,
        attachment,
        changes={"title": [attachment.title, None]},
        org_path=attachment.recruit.org.path,
    )
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def save_settings(actor, org: Organization | None, **values) -> RecruitmentSettings:
    """Local practice for an org's subtree (org None: the default, unrestricted users only)."""
    if org is None:
        if not is_unrestricted(actor):
            raise NotInScope()
    else:
        require(actor, Action.CHANGE, org)
    row = RecruitmentSettings.objects.select_for_update().filter(org=org).first()
    if row is None:
        row = RecruitmentSettings(org=org)
        before = None
    else:
        before = audit.state(row, exclude=("updated_at",))
    for name in LOCAL_FIELDS:
        if name in values and values[name] is not None:
            setattr(row, name, values[name])
    try:
        row.full_clean(exclude=["org"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    row.save()
    audit.changed(actor, row, before, exclude=("updated_at",), org_path=org.path if org else "")
    return row


@transaction.atomic
def record_sanction(
    actor,
    member: Member,
    *,
    kind: str,
    start_on: dt.date,
    end_on: dt.date | None = None,
    note: str = "",
    authorised: bool = False,
) -> Sanction:
    """`authorised`: the caller has checked the actor's authority by its own rule (a
    discipline case's outcome, recorded by the 纪检 role, who does not edit member records)."""
    if not authorised:
        require(actor, Action.CHANGE, member)
    problems = Problems()
    if kind not in SanctionKind.values:
        problems.add("kind", _("请选择处分类别"))
    if start_on > _today():
        problems.add("start_on", _("日期不能晚于今天"))
    if end_on is not None and end_on <= start_on:
        problems.add("end_on", _("期满日期应晚于处分日期"))
    problems.raise_if_any()
    sanction = Sanction.objects.create(
        member=member, kind=kind, start_on=start_on, end_on=end_on, note=note
    )
    audit.created(
        actor,
        sanction,
        exclude=("created_at",),
        org_path=member.org.path,
        object_repr=f"{member.name} {sanction.get_kind_display()}",
    )
    return sanction


# --- rule sets ---------------------------------------------------------------------------


RULE_SET_UNAUDITED = ("created_at",)


@dataclass
class RuleSetPlan:
    """What loading a rule-set file does: `action` is "create", "replace" (the same code,
    not yet used by any step) or "unchanged"; `compared_with` is the set the changes are
    measured against (the one replaced, else the one in force before the new date)."""

    file: rulefile.RuleFile
    action: str
    compared_with: RuleSet | None
    changes: list[rulefile.Change]
    notes: list[str] = field(default_factory=list)
    rule_set: RuleSet | None = None
    refreshed: int = 0


def _stored_rule_set_problems(code: str, effective_from: dt.date, data: dict) -> list[str]:
    """A date another set already took; a change to a set steps were checked against
    (its history would change under them: a revision is a new set)."""
    problems = []
    same_day = RuleSet.objects.filter(effective_from=effective_from).exclude(code=code).first()
    if same_day is not None:
        problems.append(
            _("%(date)s已有规则集《%(name)s》(代码%(code)s)施行, 施行日期不能相同")
            % {"date": effective_from.isoformat(), "name": same_day.name, "code": same_day.code}
        )
    existing = RuleSet.objects.filter(code=code).first()
    if existing is None:
        return problems
    same = (
        existing.name == str(data.get("name", "")).strip()
        and existing.source == str(data.get("source", "")).strip()
        and existing.effective_from == effective_from
        and existing.rules == data.get("rules")
    )
    used = 0 if same else Step.objects.filter(rule_set=existing).count()
    if used:
        problems.append(
            _(
                "规则集“%(code)s”已有%(n)d个步骤按其核对, 不能修改; "
                "修订的规则请以新的代码和施行日期载入"
            )
            % {"code": code, "n": used}
        )
    return problems


def plan_rule_set(actor, content: bytes | str) -> RuleSetPlan:
    """Check a rule-set file against the file format and the stored sets; write nothing.
    Rule sets apply to every org: only unrestricted users load them (as the default
    local-practice settings). Raises RuleFileError with every problem."""
    if not is_unrestricted(actor):
        raise NotInScope()
    parsed = rulefile.parse(content, against=_stored_rule_set_problems)
    existing = RuleSet.objects.filter(code=parsed.code).first()
    if existing is not None and rulefile.from_row(existing) == parsed:
        return RuleSetPlan(parsed, "unchanged", existing, [])
    if existing is not None:
        compared_with, action = existing, "replace"
    else:
        others = RuleSet.objects.order_by("effective_from")
        compared_with = (
            others.filter(effective_from__lt=parsed.effective_from).last() or others.first()
        )
        action = "create"
    plan = RuleSetPlan(
        parsed,
        action,
        compared_with,
        rulefile.compare(rulefile.from_row(compared_with) if compared_with else None, parsed),
    )
    since = parsed.effective_from
    if existing is not None:
        since = min(since, existing.effective_from)
    later = Step.objects.filter(on__gte=since).exclude(rule_set__code=parsed.code).count()
    if later:
        plan.notes.append(
            _(
                "已有%(n)d个步骤的日期在%(date)s及以后, 它们按记录时的规则集核对, 保持不变; "
                "此后记录的步骤按新规则集核对, 期限按新规则集重新计算"
            )
            % {"n": later, "date": since.isoformat()}
        )
    return plan


@transaction.atomic
def load_rule_set(actor, content: bytes | str, *, dry_run: bool = False) -> RuleSetPlan:
    """Load a rule-set file (a revision of the 细则 as data): checked, dated by its
    施行日期 (steps are checked against the set in force on their date), audited, and the
    deadlines of open pipelines touched by the new date recomputed. Nothing is written on
    any problem, nor with `dry_run`."""
    plan = plan_rule_set(actor, content)
    if dry_run or plan.action == "unchanged":
        plan.rule_set = plan.compared_with if plan.action == "unchanged" else None
        return plan
    parsed = plan.file
    values = {
        "name": parsed.name,
        "source": parsed.source,
        "effective_from": parsed.effective_from,
        "rules": parsed.rules,
    }
    if plan.action == "replace":
        rule_set = RuleSet.objects.select_for_update().get(code=parsed.code)
        before = audit.state(rule_set, exclude=RULE_SET_UNAUDITED)
        since = min(rule_set.effective_from, parsed.effective_from)
        for name, value in values.items():
            setattr(rule_set, name, value)
        rule_set.save()
    else:
        rule_set = RuleSet.objects.create(code=parsed.code, **values)
        before = None
        since = parsed.effective_from
    audit.changed(
        actor,
        rule_set,
        before,
        org_path="",
        exclude=RULE_SET_UNAUDITED,
        object_repr=f"{rule_set.code} {rule_set.name}",
    )
    plan.rule_set = rule_set
    book = R.RuleBook.load()
    touched = (
        Recruit.objects.open()
        .filter(steps__on__gte=since)
        .distinct()
        .select_related("org", "member")
    )
    for recruit in touched:
        refresh(recruit, book)
        plan.refreshed += 1
    return plan
