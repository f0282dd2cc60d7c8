"""Every write to 换届 records, 学校领导班子 and 阵地建设: validate by the rules, save and
audit in one transaction (the services of orgs.services, for the election registers).

An election is entered in the order it happens: the record (请示, 上级同意, the meeting's
date, the seats), then each round's ballots (the result is computed here, never typed), then
the superior's approval, which ends the org's current 班子 on the election day, writes the
elected as its new Positions and starts the new term."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.roles import Action
from dangjian.core.scope import require
from dangjian.orgs import rules
from dangjian.orgs.electorate import electorate
from dangjian.orgs.models import (
    ActivityRoom,
    Election,
    ElectionCandidate,
    ElectionCorrection,
    ElectionRound,
    FormedBy,
    OrgKind,
    Position,
    PositionTitle,
    SchoolLeader,
)

ELECTION_FIELDS = (
    "org",
    "formed_by",
    "committee",
    "seats",
    "requested_on",
    "permitted_on",
    "held_on",
    "note",
)


def _check_election(election: Election) -> None:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    today = timezone.localdate()
    if election.org_id and election.org.kind == OrgKind.GROUP:
        add("org", _("党小组不进行换届选举"))
    if election.held_on and election.held_on > today:
        add("held_on", _("选举日期不能晚于今天, 请在选举后登记"))
    if election.requested_on and election.held_on and election.requested_on > election.held_on:
        add("requested_on", _("请示日期不能晚于选举日期"))
    if election.permitted_on:
        if election.requested_on and election.permitted_on < election.requested_on:
            add("permitted_on", _("上级同意日期不能早于请示日期"))
        if election.held_on and election.permitted_on > election.held_on:
            add("permitted_on", _("上级同意日期不能晚于选举日期"))
    if not election.seats:
        add("seats", _("应选人数至少为1人"))
    elif election.committee and election.seats < rules.COMMITTEE_MIN_SEATS:
        add("seats", _("委员会应选委员至少3人; 不设委员会的只选书记、副书记"))
    if errors:
        raise ValidationError(errors)
    election.full_clean(exclude=["org"])


@transaction.atomic
def create_election(actor, **fields) -> Election:
    election = Election(**{key: fields[key] for key in ELECTION_FIELDS if key in fields})
    require(actor, Action.CHANGE, election.org)
    _check_election(election)
    election.save()
    audit.created(actor, election, org_path=election.org.path)
    return election


def _unapproved(election: Election) -> Election:
    election = Election.objects.select_for_update().select_related("org").get(pk=election.pk)
    if election.approved_on:
        raise ValidationError(_("上级已批复的换届选举不能再修改"))
    return election


@transaction.atomic
def update_election(actor, election: Election, **fields) -> Election:
    require(actor, Action.CHANGE, election.org)
    election = _unapproved(election)
    before = audit.state(election)
    changed = {key for key in ELECTION_FIELDS if key in fields and fields[key] != before.get(key)}
    if election.rounds.exists() and changed & {"org", "formed_by", "committee", "seats", "held_on"}:
        raise ValidationError(_("已录入选举结果, 不能再修改组织、产生方式、应选人数和选举日期"))
    for key in ELECTION_FIELDS:
        if key in fields:
            setattr(election, key, fields[key])
    require(actor, Action.CHANGE, election.org)
    _check_election(election)
    election.save()
    audit.changed(actor, election, before, org_path=election.org.path)
    return election


@transaction.atomic
def delete_election(actor, election: Election) -> None:
    require(actor, Action.DELETE, election.org)
    election = _unapproved(election)
    audit.deleted(actor, election, org_path=election.org.path)
    election.delete()


def seats_left(election: Election) -> int:
    return election.seats - election.candidates.filter(elected=True).count()


@transaction.atomic
def record_round(
    actor,
    election: Election,
    *,
    present: int,
    valid_ballots: int,
    invalid_ballots: int,
    candidates: list[dict],
) -> ElectionRound:
    """The ballots of the next round: `candidates` are dicts of member, title and votes.
    The first round fixes who should attend (the electorate on the election day); a later
    round fills the seats the earlier ones left."""
    require(actor, Action.CHANGE, election.org)
    election = _unapproved(election)
    if not election.by_ballot:
        raise ValidationError(_("考察任命不投票, 请登记任命人选"))
    previous = election.rounds.count()
    seats = seats_left(election)
    if previous and seats <= 0:
        raise ValidationError(_("应选名额已满, 无需另行选举"))
    roll = electorate(election.org, election.held_on)
    should_attend = roll.should_attend if not previous else election.should_attend
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if should_attend == 0:
        add("present", _("选举之日该组织没有有选举权的正式党员"))
    if present > should_attend:
        add(
            "present",
            _("实到人数(%(p)d)不能多于应到会人数(%(s)d)") % {"p": present, "s": should_attend},
        )
    elif should_attend and not rules.quorum_met(present, should_attend):
        add(
            "present",
            _(
                "到会人数须超过应到会人数的五分之四: 应到%(s)d人, 至少须到%(need)d人, 实到%(p)d人, 不能进行选举"
            )
            % {"s": should_attend, "need": 4 * should_attend // 5 + 1, "p": present},
        )
    if valid_ballots + invalid_ballots > present:
        add("valid_ballots", _("有效票与无效票之和不能多于实到人数"))
    already = set(election.candidates.filter(elected=True).values_list("member_id", flat=True))
    seen = set()
    for row in candidates:
        member, votes = row["member"], row.get("votes") or 0
        if member.pk in seen:
            add("candidates", _("%(name)s重复列为候选人") % {"name": member.name})
        seen.add(member.pk)
        if member.pk in already:
            add("candidates", _("%(name)s已经当选, 不能再列为候选人") % {"name": member.name})
        if member.pk not in roll.eligible:
            reason = roll.refused.get(member.pk) or _("选举之日不是本组织党员")
            add(
                "candidates",
                _("%(name)s不能作为候选人: %(why)s") % {"name": member.name, "why": reason},
            )
        if votes > valid_ballots:
            add("candidates", _("%(name)s的得票数不能多于有效票数") % {"name": member.name})
    if len(candidates) < seats:
        add("candidates", _("候选人数不能少于应选人数(%(n)d人)") % {"n": seats})
    elif election.committee:
        problem = rules.margin_problem(seats, len(candidates))
        if problem:
            add("candidates", problem)
    if errors:
        raise ValidationError(errors)
    if not previous:
        election.should_attend = should_attend
        election.save(update_fields=["should_attend"])
    round_ = ElectionRound.objects.create(
        election=election,
        number=previous + 1,
        seats=seats,
        present=present,
        valid_ballots=valid_ballots,
        invalid_ballots=invalid_ballots,
    )
    votes = {index: row.get("votes") or 0 for index, row in enumerate(candidates)}
    elected, _tied = rules.tally(seats, votes, should_attend)
    rows = [
        ElectionCandidate(
            election=election,
            round=round_,
            member=row["member"],
            name=row["member"].name,
            title=row.get("title") or PositionTitle.MEMBER,
            votes=votes[index],
            elected=index in elected,
        )
        for index, row in enumerate(candidates)
    ]
    ElectionCandidate.objects.bulk_create(rows)
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        election,
        changes={
            "round": [None, round_.number],
            "present": [None, present],
            "valid_ballots": [None, valid_ballots],
            "invalid_ballots": [None, invalid_ballots],
            "elected": [None, "、".join(r.name for r in rows if r.elected)],
        },
        org_path=election.org.path,
    )
    return round_


@transaction.atomic
def record_appointees(actor, election: Election, appointees: list[dict]) -> list:
    """考察任命: the superior names the 班子 after its inspection; no ballot."""
    require(actor, Action.CHANGE, election.org)
    election = _unapproved(election)
    if election.by_ballot:
        raise ValidationError(_("选举产生的班子请录入选票结果"))
    if not appointees:
        raise ValidationError({"candidates": [_("请至少登记一名任命人选")]})
    election.candidates.all().delete()
    rows = ElectionCandidate.objects.bulk_create(
        ElectionCandidate(
            election=election,
            member=row.get("member"),
            name=row.get("name") or row["member"].name,
            title=row.get("title") or PositionTitle.MEMBER,
            elected=True,
        )
        for row in appointees
    )
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        election,
        changes={"appointed": [None, "、".join(r.name for r in rows)]},
        org_path=election.org.path,
    )
    return rows


def title_problems(elected: list[ElectionCandidate]) -> list[str]:
    """The new 班子 needs one 书记, and each named post (all but 委员) once."""
    problems = []
    titles = [c.title for c in elected]
    if PositionTitle.SECRETARY not in titles:
        problems.append(_("当选人中须确定一名书记"))
    for title in set(titles) - {PositionTitle.MEMBER}:
        if titles.count(title) > 1:
            problems.append(_("%(title)s只能有一人") % {"title": PositionTitle(title).label})
    return problems


@transaction.atomic
def approve_election(
    actor, election: Election, *, approved_on: dt.date, approval_ref: str = ""
) -> Election:
    """The superior's approval: the org's current 班子 ends on the election day, the elected
    (or appointed) take their seats that day, and the new term starts then."""
    require(actor, Action.CHANGE, election.org)
    election = _unapproved(election)
    elected = list(election.candidates.filter(elected=True).order_by("id"))
    errors = []
    if not elected:
        errors.append(_("还没有当选(任命)人选, 不能批复"))
    errors += title_problems(elected) if elected else []
    if approved_on < election.held_on:
        errors.append(_("批复日期不能早于选举日期"))
    if approved_on > timezone.localdate():
        errors.append(_("批复日期不能晚于今天"))
    if errors:
        raise ValidationError({"approved_on": errors})
    before = audit.state(election)
    org = election.org
    day = election.held_on
    ended = Position.objects.filter(org=org).current(day).exclude(start_on=day)
    ended_count = ended.update(end_on=day)
    Position.objects.bulk_create(
        Position(
            org=org,
            title=candidate.title,
            holder_name=candidate.name,
            member_id=candidate.member_id,
            formed_by=election.formed_by,
            start_on=day,
        )
        for candidate in elected
    )
    election.approved_on = approved_on
    election.approval_ref = approval_ref
    election.save(update_fields=["approved_on", "approval_ref"])
    audit.changed(
        actor,
        election,
        before,
        org_path=org.path,
        extra={"positions_ended": [None, ended_count], "positions": [None, len(elected)]},
    )
    if org.term_start is None or org.term_start < day:
        org_before = audit.state(org)
        org.term_start = day
        org.save(update_fields=["term_start", "updated_at"])
        audit.changed(actor, org, org_before, org_path=org.path)
    return election


def may_correct(actor, election: Election) -> bool:
    """The level that approves a 换届 corrects it: the superior org's changers (the city's
    own committee: an unrestricted administrator)."""
    from dangjian.core.scope import is_unrestricted
    from dangjian.orgs.models import Organization

    if is_unrestricted(actor):
        return True
    org = election.org
    if org.depth <= 1:
        return False
    return (
        Organization.objects.restrict(actor, Action.CHANGE)
        .filter(path=org.path[: -org.steplen])
        .exists()
    )


@transaction.atomic
def correct_election(
    actor,
    election: Election,
    *,
    reason: str,
    titles: dict | None = None,
    names: dict | None = None,
    approved_on: dt.date | None = None,
    approval_ref: str | None = None,
) -> ElectionCorrection:
    """Correct an approved 换届 (a 职务分工 or a name entered wrongly, the approval's date or
    文号), by the approving level and with a reason. `titles` and `names` map an elected
    candidate's id to the corrected value. The seats the approval wrote are kept, marked as
    replaced by this correction, and new seats from the corrected list take their place
    (a seat that had since ended keeps its end). Only the org's latest approved 换届 may be
    corrected: a later one has already replaced its 班子."""
    from dangjian.core.scope import NotInScope

    election = Election.objects.select_for_update().select_related("org").get(pk=election.pk)
    if not may_correct(actor, election):
        raise NotInScope()
    if not election.approved_on:
        raise ValidationError(_("尚未批复的换届选举请直接修改, 无需更正"))
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("请填写更正理由")]
    later = Election.objects.filter(
        org=election.org, approved_on__isnull=False, held_on__gt=election.held_on
    )
    if later.exists():
        errors.setdefault("reason", []).append(
            _("该组织此后已有批复的换届选举, 只能更正最近一次换届")
        )
    elected = list(election.candidates.filter(elected=True).order_by("id"))
    by_id = {c.pk: c for c in elected}
    titles, names = titles or {}, names or {}
    unknown = (set(titles) | set(names)) - set(by_id)
    if unknown:
        errors.setdefault("titles", []).append(_("只能更正当选(任命)人员的职务或姓名"))
    changes: dict[str, list] = {}
    for pk, candidate in by_id.items():
        title = titles.get(pk, candidate.title)
        name = (names.get(pk) or candidate.name).strip()
        if title not in PositionTitle.values:
            errors.setdefault("titles", []).append(_("职务无效"))
            continue
        if title != candidate.title:
            changes[f"title:{candidate.name}"] = [candidate.title, title]
        if name != candidate.name:
            if candidate.member_id is not None:
                errors.setdefault("names", []).append(
                    _("%(name)s是本系统党员, 姓名以党员档案为准") % {"name": candidate.name}
                )
            changes[f"name:{candidate.name}"] = [candidate.name, name]
        candidate.title, candidate.new_name = title, name
    problems = title_problems(elected)
    if problems:
        errors.setdefault("titles", []).extend(problems)
    if approved_on is not None and approved_on != election.approved_on:
        if approved_on < election.held_on:
            errors.setdefault("approved_on", []).append(_("批复日期不能早于选举日期"))
        if approved_on > timezone.localdate():
            errors.setdefault("approved_on", []).append(_("批复日期不能晚于今天"))
        changes["approved_on"] = [election.approved_on.isoformat(), approved_on.isoformat()]
    if approval_ref is not None and approval_ref != election.approval_ref:
        changes["approval_ref"] = [election.approval_ref, approval_ref]
    if errors:
        raise ValidationError(errors)
    if not changes:
        raise ValidationError({"reason": [_("没有需要更正的内容")]})
    correction = ElectionCorrection.objects.create(
        election=election, corrected_on=timezone.localdate(), reason=reason, changes=changes
    )
    seats_changed = any(key.startswith(("title:", "name:")) for key in changes)
    replaced_count = 0
    if seats_changed:
        org, day = election.org, election.held_on
        written = Position.objects.filter(
            org=org, start_on=day, formed_by=election.formed_by, corrected_by__isnull=True
        )
        ends = {p.holder_name: p.end_on for p in written}
        replaced_count = written.update(corrected_by=correction)
        Position.objects.bulk_create(
            Position(
                org=org,
                title=c.title,
                holder_name=c.new_name,
                formed_by=election.formed_by,
                start_on=day,
                end_on=ends.get(c.name),
            )
            for c in elected
        )
        for c in elected:
            c.name = c.new_name
        ElectionCandidate.objects.bulk_update(elected, ["title", "name"])
    if "approved_on" in changes:
        election.approved_on = approved_on
    if "approval_ref" in changes:
        election.approval_ref = approval_ref
    election.save(update_fields=["approved_on", "approval_ref"])
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        election,
        changes={
            **changes,
            "correction_reason": [None, reason],
            "positions_replaced": [None, replaced_count],
        },
        org_path=election.org.path,
    )
    return correction


# -- 学校领导班子 --------------------------------------------------------------------------


def leadership_standard() -> dict[str, int]:
    """The seats every school's 党政领导班子 should have (DANGJIAN_SCHOOL_LEADERSHIP)."""
    return dict(settings.DANGJIAN_SCHOOL_LEADERSHIP)


def _school_path(school) -> str:
    return (school.covering_org or school.supervising_org).path


@transaction.atomic
def save_leader(actor, leader: SchoolLeader) -> SchoolLeader:
    require(actor, Action.CHANGE, leader.school)
    before = None if leader.pk is None else audit.state(SchoolLeader.objects.get(pk=leader.pk))
    if leader.start_on and leader.end_on and leader.end_on < leader.start_on:
        raise ValidationError({"end_on": [_("离任日期不能早于任职日期")]})
    if leader.start_on and leader.start_on > timezone.localdate():
        raise ValidationError({"start_on": [_("任职日期不能晚于今天")]})
    leader.full_clean()
    leader.save()
    audit.changed(actor, leader, before, org_path=_school_path(leader.school))
    return leader


@transaction.atomic
def delete_leader(actor, leader: SchoolLeader) -> None:
    require(actor, Action.DELETE, leader.school)
    audit.deleted(actor, leader, org_path=_school_path(leader.school))
    leader.delete()


# -- 阵地建设 ------------------------------------------------------------------------------


def room_standards() -> list[tuple[str, str]]:
    """(code, label) of the 党员活动室 standards list (DANGJIAN_ACTIVITY_ROOM_STANDARDS)."""
    return list(settings.DANGJIAN_ACTIVITY_ROOM_STANDARDS)


@transaction.atomic
def save_room(actor, room: ActivityRoom) -> ActivityRoom:
    require(actor, Action.CHANGE, room.school)
    before = None if room.pk is None else audit.state(ActivityRoom.objects.get(pk=room.pk))
    known = {code for code, _label in room_standards()}
    unknown = [item for item in room.items_met if item not in known]
    if unknown:
        raise ValidationError(
            {"items_met": [_("未知的达标项目: %(items)s") % {"items": "、".join(unknown)}]}
        )
    if room.checked_on and room.checked_on > timezone.localdate():
        raise ValidationError({"checked_on": [_("检查日期不能晚于今天")]})
    room.full_clean()
    room.save()
    audit.changed(actor, room, before, org_path=_school_path(room.school))
    return room


@transaction.atomic
def delete_room(actor, room: ActivityRoom) -> None:
    require(actor, Action.DELETE, room.school)
    audit.deleted(actor, room, org_path=_school_path(room.school))
    room.delete()


FORMED_BY_BALLOT = (FormedBy.ELECTION, FormedBy.OPEN_ELECTION)
