"""Every write of 组织生活: meetings with their rosters, attendance (by hand and by QR),
民主评议 grades and themed series. Each function checks scope, validates with Chinese
messages and writes its audit row in one transaction."""

import datetime as dt
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, signin
from dangjian.core.audit import AuditAction, record
from dangjian.core.roles import Action
from dangjian.core.scope import require
from dangjian.life.models import (
    AbsenceReason,
    Attendance,
    AttendanceStatus,
    Grade,
    GroupMembership,
    Meeting,
    MeetingKind,
    ReviewGrade,
    Series,
    SeriesItem,
    SignedBy,
)
from dangjian.members.models import Member, Membership, spell_in_force
from dangjian.orgs.models import BRANCH_KINDS, Organization, OrgKind, Position

MEETING_FIELDS = (
    "kind",
    "title",
    "held_on",
    "place",
    "chair",
    "recorder",
    "agenda",
    "minutes",
    "decisions",
    "speaker",
    "topic",
    "series_item",
)
SIGNIN_SALT = "dangjian.life.signin"


# -- rosters ------------------------------------------------------------------------------


def _branch_of(group) -> "Organization | None":
    return Organization.objects.filter(path=group.path[: -group.steplen]).first()


def expected_member_ids(org, kind: str, day: dt.date) -> list[int]:
    """Who should attend: the org's members on the day; for a 党小组会 held by a 党小组 the
    group's members then (still members of its branch); for a 支委会 the members of its
    committee then (the 班子 seats' links to member records, `Position.member`), or every
    member when no seat is linked to one of them (a small branch has a secretary only, or
    its seats were typed by name: `unlinked_seats` names those for the secretary to link).
    Names are never matched: two members may share one."""
    if org.kind == OrgKind.GROUP:
        branch = _branch_of(org)
        in_branch = Membership.objects.filter(spell_in_force(day), org=branch).values("member_id")
        return list(
            GroupMembership.objects.in_force(day)
            .filter(group=org, member_id__in=in_branch)
            .order_by("member_id")
            .values_list("member_id", flat=True)
            .distinct()
        )
    ids = list(
        Membership.objects.filter(spell_in_force(day), org=org)
        .order_by("member_id")
        .values_list("member_id", flat=True)
        .distinct()
    )
    if kind != MeetingKind.COMMITTEE:
        return ids
    linked = set(
        Position.objects.current(day)
        .filter(org=org, member__isnull=False)
        .values_list("member_id", flat=True)
    )
    return sorted(linked.intersection(ids)) or ids


def unlinked_seats(org, day: dt.date) -> list[str]:
    """Holders of the org's 班子 seats on the day not linked to a member record: a 支委会
    cannot expect them, so its page names them (link them on the seat's form)."""
    return sorted(
        Position.objects.current(day)
        .filter(org=org, member__isnull=True)
        .values_list("holder_name", flat=True)
    )


def recount(meeting: Meeting) -> None:
    """The meeting's counts from its roster (a meeting without a roster keeps the figures
    entered for it)."""
    if not meeting.roster_kept:
        return
    row = meeting.attendances.aggregate(
        expected=Count("pk", filter=~Q(status=AttendanceStatus.OBSERVER)),
        present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
    )
    meeting.expected_count, meeting.present_count = row["expected"], row["present"]
    Meeting.objects.filter(pk=meeting.pk).update(
        expected_count=meeting.expected_count, present_count=meeting.present_count
    )


def _build_roster(meeting: Meeting) -> None:
    ids = expected_member_ids(meeting.org, meeting.kind, meeting.held_on)
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member_id=pk) for pk in ids)
    recount(meeting)


# -- meetings -----------------------------------------------------------------------------


def _check_meeting(meeting: Meeting) -> None:
    org = meeting.org
    errors = {}
    if org.kind == OrgKind.GROUP and meeting.kind != MeetingKind.GROUP:
        errors["kind"] = [_("党小组只能召开党小组会")]
    if meeting.kind == MeetingKind.COMMITTEE and org.kind == OrgKind.GROUP:
        errors["kind"] = [_("党小组不设支委会")]
    if org.founded_on and meeting.held_on < org.founded_on:
        errors["held_on"] = [
            _("会议日期不能早于%(org)s的成立日期%(day)s")
            % {"org": org.name, "day": org.founded_on.isoformat()}
        ]
    if org.dissolved_on and meeting.held_on >= org.dissolved_on:
        errors["held_on"] = [
            _("%(org)s已于%(day)s撤销") % {"org": org.name, "day": org.dissolved_on}
        ]
    if meeting.kind == MeetingKind.LECTURE and not (meeting.speaker and meeting.topic):
        errors["speaker"] = [_("党课须填写主讲人和题目")]
    item = meeting.series_item
    if item is not None:
        series = item.series
        if not org.path.startswith(series.org.path):
            errors["series_item"] = [_("该主题系列活动不是本组织的上级党组织发起的")]
        elif not series.start_on <= meeting.held_on <= series.end_on:
            errors["series_item"] = [
                _("会议日期不在“%(name)s”的活动期间(%(start)s至%(end)s)")
                % {"name": series.name, "start": series.start_on, "end": series.end_on}
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_meeting(actor, *, org, roster: bool = True, **fields) -> Meeting:
    """A meeting and its roster of who should attend (computed, not typed)."""
    require(actor, Action.ADD, org)
    meeting = Meeting(org=org, **{k: v for k, v in fields.items() if k in MEETING_FIELDS})
    meeting.roster_kept = roster
    if not roster:
        meeting.expected_count = fields.get("expected_count") or 0
        meeting.present_count = fields.get("present_count") or 0
        if meeting.present_count > meeting.expected_count:
            raise ValidationError({"present_count": [_("实到人数不能多于应到人数")]})
    _check_meeting(meeting)
    meeting.full_clean(exclude=["org", "series_item"])
    meeting.save()
    if roster:
        _build_roster(meeting)
    audit.created(actor, meeting, org_path=org.path)
    return meeting


@transaction.atomic
def update_meeting(actor, meeting: Meeting, **fields) -> Meeting:
    require(actor, Action.CHANGE, meeting.org)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = audit.state(meeting)
    old_day, old_kind = meeting.held_on, meeting.kind
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name])
    if not meeting.roster_kept:
        # A meeting entered from paper keeps the figures entered for it.
        for name in ("expected_count", "present_count"):
            if fields.get(name) is not None:
                setattr(meeting, name, fields[name])
        if meeting.present_count > meeting.expected_count:
            raise ValidationError({"present_count": [_("实到人数不能多于应到人数")]})
    _check_meeting(meeting)
    meeting.full_clean(exclude=["org", "series_item"])
    meeting.save()
    marked = meeting.attendances.exclude(status=AttendanceStatus.PENDING).exists()
    if meeting.roster_kept and (meeting.held_on, meeting.kind) != (old_day, old_kind):
        if marked:
            raise ValidationError(
                {"held_on": [_("已有出席登记, 不能再改会议日期或类型; 请删除后重新登记会议")]}
            )
        meeting.attendances.all().delete()
        _build_roster(meeting)
    audit.changed(actor, meeting, before, org_path=meeting.org.path)
    return meeting


@transaction.atomic
def delete_meeting(actor, meeting: Meeting) -> None:
    require(actor, Action.DELETE, meeting.org)
    audit.deleted(actor, meeting, org_path=meeting.org.path)
    meeting.delete()


@transaction.atomic
def close_signin(actor, meeting: Meeting) -> Meeting:
    """End QR sign-in: later changes are entered by hand and marked late in the audit."""
    require(actor, Action.CHANGE, meeting.org)
    if meeting.closed_at is None:
        before = audit.state(meeting)
        meeting.closed_at = timezone.now()
        meeting.save(update_fields=["closed_at"])
        audit.changed(actor, meeting, before, org_path=meeting.org.path)
    return meeting


# -- photos and attachments ----------------------------------------------------------------

FILE_KINDS = ("image", "pdf", "docx", "xlsx")


@transaction.atomic
def attach_file(actor, meeting: Meeting, uploaded):
    """A photo or an attachment (sign-in sheet scan, slides) through the upload store,
    readable by whoever may view the meeting's org."""
    from dangjian.core import uploads

    require(actor, Action.CHANGE, meeting.org)
    stored = uploads.save(actor, uploaded, org_path=meeting.org.path, kinds=FILE_KINDS)
    meeting.files.add(stored)
    audit.record(
        actor,
        AuditAction.UPDATE,
        meeting,
        changes={"files": [None, stored.name]},
        org_path=meeting.org.path,
    )
    return stored


@transaction.atomic
def detach_file(actor, meeting: Meeting, stored) -> None:
    from dangjian.core import uploads

    require(actor, Action.CHANGE, meeting.org)
    if not meeting.files.filter(pk=stored.pk).exists():
        raise ValidationError(_("该文件不属于本次会议"))
    meeting.files.remove(stored)
    audit.record(
        actor,
        AuditAction.UPDATE,
        meeting,
        changes={"files": [stored.name, None]},
        org_path=meeting.org.path,
    )
    uploads.delete(actor, stored)


# -- attendance by hand -------------------------------------------------------------------


def _late(meeting: Meeting) -> bool:
    return meeting.is_closed(timezone.localdate())


@transaction.atomic
def mark(actor, attendance: Attendance, *, status: str, reason: str = "", note: str = ""):
    """The secretary marks one person. After the meeting closed the change is still
    allowed (a leave note handed in later) and its audit row says it was late."""
    meeting = attendance.meeting
    require(actor, Action.CHANGE, meeting.org)
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": [_("出席情况无效")]})
    if attendance.status == AttendanceStatus.OBSERVER and status != AttendanceStatus.OBSERVER:
        raise ValidationError({"status": [_("列席人员不在应到名单中, 不能改为出席或缺席")]})
    if status == AttendanceStatus.OBSERVER and attendance.status != AttendanceStatus.OBSERVER:
        raise ValidationError({"status": [_("应到人员不能登记为列席")]})
    if status == AttendanceStatus.ABSENT and reason not in AbsenceReason.values:
        raise ValidationError({"reason": [_("缺席须注明原因(病假、事假、公差或其他)")]})
    if status != AttendanceStatus.ABSENT:
        reason = ""
    before = audit.state(attendance)
    attendance.status, attendance.reason, attendance.note = status, reason, note[:100]
    if status == AttendanceStatus.PRESENT and attendance.signed_at is None:
        attendance.signed_by, attendance.signed_at = SignedBy.HAND, timezone.now()
    attendance.save()
    recount(meeting)
    extra = {"late": [None, True]} if _late(meeting) else None
    audit.changed(
        actor,
        attendance,
        before,
        org_path=meeting.org.path,
        extra=extra,
        object_repr=f"{meeting} {attendance.member.name}",
    )
    return attendance


@transaction.atomic
def add_observer(actor, meeting: Meeting, member: Member, note: str = "") -> Attendance:
    """列席: someone attending who was not expected (not counted in the rate)."""
    require(actor, Action.CHANGE, meeting.org)
    require(actor, Action.VIEW, member)
    if meeting.attendances.filter(member=member).exists():
        raise ValidationError({"member": [_("%(name)s已在本次会议名单中") % {"name": member.name}]})
    attendance = Attendance.objects.create(
        meeting=meeting,
        member=member,
        status=AttendanceStatus.OBSERVER,
        note=note[:100],
        signed_by=SignedBy.HAND,
        signed_at=timezone.now(),
    )
    audit.created(actor, attendance, org_path=meeting.org.path)
    return attendance


# -- QR sign-in ---------------------------------------------------------------------------

# The token, its expiry and the refusal type are core's (`core.signin`, shared with the
# training sessions); who is expected and what signing in writes are the meeting's.
TOKENS = signin.SigninTokens(SIGNIN_SALT, "m")
SignInRefused = signin.SignInRefused
token_seconds = signin.token_seconds


def make_token(meeting: Meeting) -> str:
    return TOKENS.make(meeting.pk)


def token_meeting(user, token: str) -> Meeting:
    """The meeting a token names, if the token is good (expiry checked here too)."""
    pk, _nonce = TOKENS.read(token)
    meeting = Meeting.objects.select_related("org").filter(pk=pk).first()
    if meeting is None:
        raise SignInRefused(_("该会议已不存在"))
    return meeting


@transaction.atomic
def sign_in(user, token: str) -> Attendance:
    """The member scanning the code is marked present, once per code: a token already used
    by this person (a page re-sent from the phone's history) is refused as a replay."""
    pk, nonce = TOKENS.read(token)
    meeting = Meeting.objects.select_for_update().select_related("org").filter(pk=pk).first()
    if meeting is None:
        raise SignInRefused(_("该会议已不存在"))
    if meeting.is_closed(timezone.localdate()):
        raise SignInRefused(_("本次会议已结束签到, 如需补登请联系支部书记"))
    member = Member.objects.filter(user_id=user.pk).first()
    if member is None:
        raise SignInRefused(_("您的账号没有关联党员档案, 不能签到"))
    attendance = meeting.attendances.filter(member=member).first()
    if attendance is None or attendance.status == AttendanceStatus.OBSERVER:
        raise SignInRefused(_("您不在本次会议的应到人员名单中, 不能签到"))
    if attendance.signin_nonce == nonce:
        raise SignInRefused(_("该签到二维码已使用过, 请扫描屏幕上最新的二维码"))
    if attendance.status == AttendanceStatus.PRESENT:
        return attendance
    before = audit.state(attendance)
    attendance.status, attendance.reason = AttendanceStatus.PRESENT, ""
    attendance.signed_by, attendance.signed_at = SignedBy.QR, timezone.now()
    attendance.signin_nonce = nonce
    attendance.save()
    recount(meeting)
    audit.changed(
        user,
        attendance,
        before,
        org_path=meeting.org.path,
        object_repr=f"{meeting} {member.name}",
    )
    return attendance


# -- 民主评议党员 --------------------------------------------------------------------------


def excellent_cap() -> Fraction:
    return Fraction(
        settings.DANGJIAN_REVIEW_EXCELLENT_NUMERATOR,
        settings.DANGJIAN_REVIEW_EXCELLENT_DENOMINATOR,
    )


def check_cap(excellent: int, graded: int) -> None:
    """优秀 at most the cap's share of those graded (1/3: 3 of 9, not 4)."""
    cap = excellent_cap()
    if excellent > cap * graded:
        raise ValidationError(
            {
                "grades": [
                    _("评为优秀的%(n)d人超过参评党员%(total)d人的%(cap)s, 不能保存")
                    % {"n": excellent, "total": graded, "cap": f"{cap.numerator}/{cap.denominator}"}
                ]
            }
        )


@transaction.atomic
def record_grades(actor, meeting: Meeting, grades: dict) -> list[ReviewGrade]:
    """Grades of a 民主评议党员 meeting: `grades` maps a member id on its roster to
    (grade, follow-up, follow-up date); a member left out keeps their grade. Refused as a
    whole when 优秀 passes the cap."""
    require(actor, Action.CHANGE, meeting.org)
    if meeting.kind != MeetingKind.REVIEW:
        raise ValidationError(_("只有民主评议党员会议可以登记评议等次"))
    roster = set(
        meeting.attendances.exclude(status=AttendanceStatus.OBSERVER).values_list(
            "member_id", flat=True
        )
    )
    unknown = set(grades) - roster
    if unknown:
        raise ValidationError({"grades": [_("只能评议本次会议应到名单中的党员")]})
    existing = {g.member_id: g for g in meeting.grades.all()}
    result = {pk: (g.grade, g.followup, g.followup_on) for pk, g in existing.items()}
    for member_id, (grade, followup, followup_on) in grades.items():
        if grade not in Grade.values:
            raise ValidationError({"grades": [_("评议等次无效")]})
        if grade != Grade.UNQUALIFIED:
            followup, followup_on = "", None
        result[member_id] = (grade, followup or "", followup_on)
    excellent = sum(1 for grade, _f, _d in result.values() if grade == Grade.EXCELLENT)
    check_cap(excellent, len(result))
    saved = []
    for member_id in grades:
        row = existing.get(member_id)
        before = None if row is None else audit.state(row)
        if row is None:
            row = ReviewGrade(meeting=meeting, member_id=member_id)
        row.grade, row.followup, row.followup_on = result[member_id]
        row.save()
        audit.changed(actor, row, before, org_path=meeting.org.path, object_repr=str(meeting))
        saved.append(row)
    return saved


# -- 党小组 membership -------------------------------------------------------------------


def _check_group(group) -> None:
    if group.kind != OrgKind.GROUP:
        raise ValidationError({"group": [_("只能编入党小组")]})


@transaction.atomic
def assign_to_group(actor, *, member: Member, group, start_on: dt.date) -> GroupMembership:
    """编入党小组 from a date: the member must belong to the group's branch that day; a
    member already in another group of the branch leaves it that day (one group at a
    date), and the earlier spell stays as history."""
    _check_group(group)
    require(actor, Action.CHANGE, group)
    require(actor, Action.VIEW, member)
    branch = _branch_of(group)
    errors: dict[str, list[str]] = {}
    if group.founded_on and start_on < group.founded_on:
        errors["start_on"] = [
            _("编入日期不能早于%(org)s的成立日期%(day)s")
            % {"org": group.name, "day": group.founded_on.isoformat()}
        ]
    if group.dissolved_on and start_on >= group.dissolved_on:
        errors["start_on"] = [
            _("%(org)s已于%(day)s撤销") % {"org": group.name, "day": group.dissolved_on}
        ]
    in_branch = (
        branch is not None
        and branch.kind in BRANCH_KINDS
        and Membership.objects.filter(spell_in_force(start_on), org=branch, member=member).exists()
    )
    if not in_branch:
        errors["member"] = [
            _("%(name)s在%(day)s不是%(branch)s的党员, 不能编入该支部的党小组")
            % {
                "name": member.name,
                "day": start_on.isoformat(),
                "branch": branch.name if branch else group.name,
            }
        ]
    spells = GroupMembership.objects.select_for_update().filter(member=member)
    if spells.filter(start_on__gte=start_on).exists():
        errors.setdefault("start_on", []).append(
            _("%(name)s在%(day)s当天或之后已有党小组编组记录, 请选择更晚的日期")
            % {"name": member.name, "day": start_on.isoformat()}
        )
    current = spells.in_force(start_on).select_related("group").first()
    if current is not None and current.group_id == group.pk:
        errors.setdefault("member", []).append(
            _("%(name)s已在%(group)s") % {"name": member.name, "group": group.name}
        )
    if errors:
        raise ValidationError(errors)
    if current is not None:
        before = audit.state(current)
        current.end_on = start_on
        current.save(update_fields=["end_on"])
        audit.changed(actor, current, before, org_path=current.group.path, object_repr=str(current))
    spell = GroupMembership.objects.create(group=group, member=member, start_on=start_on)
    audit.created(actor, spell, org_path=group.path)
    return spell


@transaction.atomic
def leave_group(actor, spell: GroupMembership, *, end_on: dt.date) -> GroupMembership:
    """调出党小组 on a date (the spell is kept: the group's past meetings still show them)."""
    require(actor, Action.CHANGE, spell.group)
    spell = (
        GroupMembership.objects.select_for_update()
        .select_related("group", "member")
        .get(pk=spell.pk)
    )
    if spell.end_on is not None:
        raise ValidationError({"end_on": [_("该党员已于%(day)s调出") % {"day": spell.end_on}]})
    if end_on <= spell.start_on:
        raise ValidationError({"end_on": [_("调出日期须晚于编入日期")]})
    before = audit.state(spell)
    spell.end_on = end_on
    spell.save(update_fields=["end_on"])
    audit.changed(actor, spell, before, org_path=spell.group.path)
    return spell


@transaction.atomic
def delete_group_membership(actor, spell: GroupMembership) -> None:
    """Remove a spell entered by mistake (an ended spell is history: end it instead)."""
    require(actor, Action.DELETE, spell.group)
    audit.deleted(actor, spell, org_path=spell.group.path)
    spell.delete()


# -- themed series ------------------------------------------------------------------------


@transaction.atomic
def create_series(
    actor, *, org, name: str, start_on, end_on, description: str = "", items=()
) -> Series:
    """A themed series for every branch under `org`, with its activities as (title, kind)."""
    require(actor, Action.ADD, org)
    if org.kind == OrgKind.GROUP:
        raise ValidationError({"org": [_("主题系列活动由党委、党总支或党支部发起")]})
    if end_on < start_on:
        raise ValidationError({"end_on": [_("结束日期不能早于开始日期")]})
    items = [(title.strip(), kind) for title, kind in items if title.strip()]
    if not items:
        raise ValidationError({"items": [_("至少列出一项活动")]})
    series = Series.objects.create(
        org=org, name=name, start_on=start_on, end_on=end_on, description=description
    )
    SeriesItem.objects.bulk_create(
        SeriesItem(series=series, position=i, title=title, kind=kind)
        for i, (title, kind) in enumerate(items, start=1)
    )
    audit.created(actor, series, org_path=org.path, extra={"items": [None, [t for t, _k in items]]})
    return series


@transaction.atomic
def delete_series(actor, series: Series) -> None:
    require(actor, Action.DELETE, series.org)
    if Meeting.objects.filter(series_item__series=series).exists():
        raise ValidationError(_("已有支部登记了该系列的活动, 不能删除"))
    audit.deleted(actor, series, org_path=series.org.path)
    series.delete()


@transaction.atomic
def set_frequency(actor, *, kind: str, frequency: str, effective_from, note: str = ""):
    """A new dated rule for a kind: the rule in force the day before ends then, so the
    compliance of earlier periods is still measured against the rule of their time. Only
    an unrestricted administrator sets the city's rules."""
    from dangjian.core.scope import is_unrestricted
    from dangjian.life.models import Frequency, FrequencyRule

    if not is_unrestricted(actor):
        raise ValidationError(_("只有系统最高管理员可以修改会议频次要求"))
    if kind not in MeetingKind.values or frequency not in Frequency.values:
        raise ValidationError({"frequency": [_("会议类型或频次无效")]})
    if FrequencyRule.objects.filter(kind=kind, effective_from__gte=effective_from).exists():
        raise ValidationError(
            {"effective_from": [_("该会议类型已有同日或更晚施行的要求, 请选择更晚的施行日期")]}
        )
    previous = FrequencyRule.objects.filter(kind=kind, effective_to__isnull=True).first()
    if previous is not None:
        before = audit.state(previous)
        previous.effective_to = effective_from - dt.timedelta(days=1)
        previous.save(update_fields=["effective_to"])
        audit.changed(actor, previous, before, org_path="")
    rule = FrequencyRule.objects.create(
        kind=kind, frequency=frequency, effective_from=effective_from, note=note
    )
    audit.created(actor, rule, org_path="")
    return rule


def record_batch(actor, org, count: int, what: str) -> None:
    """One audit row for a bulk load (the demo's history), with the count."""
    record(
        actor,
        AuditAction.CREATE,
        None,
        changes={"count": [None, count]},
        org_path=org.path,
        object_repr=what,
    )
