"""The member lifecycle's services (组织关系转接, 介绍信, 流动党员, 党籍决定): each checks scope,
validates with Chinese messages, writes the member's dated history (events and spells, the
statistics' source) and the audit row in one transaction, and reminds the people concerned
through `core.notifications`. The record writes themselves are `members.services`'."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.dates import add_months, add_years
from dangjian.core.models import RoleAssignment
from dangjian.core.notifications import notify, notify_many
from dangjian.core.roles import ROLE_ACTIONS, Action
from dangjian.core.scope import NotInScope, require
from dangjian.members import services
from dangjian.members.choices import EventKind, Status
from dangjian.members.models import (
    DecisionKind,
    Flowing,
    FlowingReport,
    Letter,
    LetterDirection,
    LetterRequest,
    LetterRequestStatus,
    LetterStatus,
    Member,
    MemberEvent,
    Membership,
    StatusDecision,
    Transfer,
    TransferStatus,
)
from dangjian.orgs.models import MEMBER_ORG_KINDS, Organization

# -- who is reminded ------------------------------------------------------------------------


def managers_of(org: Organization):
    """The people who run `org`'s member records: holders of a writing role assigned at the
    org itself or, where nobody is, at the nearest org above it that has such holders."""
    writing = [role for role, actions in ROLE_ACTIONS.items() if Action.ADD in actions]
    rows = (
        RoleAssignment.objects.filter(role__in=writing, org__in=org.ancestors_and_self())
        .select_related("user", "org")
        .order_by("-org__depth")
    )
    chosen, depth = [], None
    for row in rows:
        if depth is not None and row.org.depth != depth:
            break
        if row.user.is_active:
            chosen.append(row.user)
            depth = row.org.depth
    return chosen


def approving_org(org: Organization) -> Organization:
    """The org whose managers approve a transfer out of `org`: the set number of levels
    above it (DANGJIAN_TRANSFER_APPROVE_LEVELS_UP), never above the tree's root."""
    up = settings.DANGJIAN_TRANSFER_APPROVE_LEVELS_UP
    keep = max(Organization.steplen, len(org.path) - up * Organization.steplen)
    return Organization.objects.get(path=org.path[:keep])


def _remind_member(member: Member, text: str, url: str = "") -> None:
    if member.user_id:
        notify(member.user, text, url or reverse("me-home"))


# -- 组织关系转接 inside the system ---------------------------------------------------------


def stuck_before(today: dt.date) -> dt.date:
    """A transfer requested on or before this day is overdue (the 介绍信's validity)."""
    return add_months(today, -settings.DANGJIAN_TRANSFER_STUCK_MONTHS)


def _is_self(actor, member: Member) -> bool:
    return bool(member.user_id) and member.user_id == getattr(actor, "pk", None)


def _check_target(member: Member, to_org: Organization) -> None:
    if member.status != Status.ACTIVE:
        raise ValidationError({"member": [_("该党员党籍状态不是“正常”, 不能转接")]})
    if to_org.kind not in MEMBER_ORG_KINDS:
        raise ValidationError({"to_org": [_("只能转入党支部、联合党支部等基层党组织")]})
    if to_org.pk == member.org_id:
        raise ValidationError({"to_org": [_("转入党组织与现所在党组织相同")]})
    if to_org.dissolved_on:
        raise ValidationError({"to_org": [_("转入党组织已撤销")]})
    if member.transfers.open().exists():
        raise ValidationError({"member": [_("该党员已有一项未办结的组织关系转接")]})


@transaction.atomic
def request_transfer(
    actor, member: Member, *, to_org: Organization, reason: str = "", on: dt.date | None = None
) -> Transfer:
    """Started by the member (on their own page) or by anyone who may change their record."""
    by_member = _is_self(actor, member)
    if not by_member:
        require(actor, Action.CHANGE, member)
    member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
    _check_target(member, to_org)
    transfer = Transfer.objects.create(
        member=member,
        from_org=member.org,
        to_org=to_org,
        by_member=by_member,
        reason=reason,
        requested_on=on or timezone.localdate(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.created(actor, transfer, org_path=member.org.path)
    url = reverse("transfer-detail", args=[transfer.pk])
    notify_many(
        managers_of(approving_org(member.org)),
        _("%(name)s申请将组织关系转往%(to)s, 请审批") % {"name": member.name, "to": to_org.name},
        url,
    )
    if not by_member:
        _remind_member(member, _("您的组织关系转接已发起: 转往%(to)s") % {"to": to_org.name})
    return transfer


def _locked(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update()
        .select_related("member", "from_org", "to_org")
        .get(pk=transfer.pk)
    )


def may_approve(actor, transfer: Transfer) -> bool:
    try:
        require(actor, Action.CHANGE, approving_org(transfer.from_org))
    except NotInScope:
        return False
    return True


def may_accept(actor, transfer: Transfer) -> bool:
    try:
        require(actor, Action.ADD, transfer.to_org)
    except NotInScope:
        return False
    return True


def may_cancel(actor, transfer: Transfer) -> bool:
    if _is_self(actor, transfer.member):
        return True
    try:
        require(actor, Action.CHANGE, transfer.member)
    except NotInScope:
        return False
    return True


def _check_day(on: dt.date, after: dt.date, label: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": [_("日期不能晚于今天")]})
    if on < after:
        raise ValidationError(
            {"on": [_("日期不能早于%(what)s %(d)s") % {"what": label, "d": after}]}
        )


@transaction.atomic
def approve_transfer(actor, transfer: Transfer, *, on: dt.date | None = None) -> Transfer:
    """The sending side (its approving level) lets the member go; they still count there."""
    transfer = _locked(transfer)
    if not may_approve(actor, transfer):
        raise NotInScope()
    if transfer.status != TransferStatus.REQUESTED:
        raise ValidationError({"on": [_("该转接不在待审批状态")]})
    on = on or timezone.localdate()
    _check_day(on, transfer.requested_on, _("申请日期"))
    before = audit.state(transfer)
    transfer.status, transfer.approved_on = TransferStatus.APPROVED, on
    transfer.save(update_fields=["status", "approved_on"])
    audit.changed(actor, transfer, before, org_path=transfer.from_org.path)
    url = reverse("transfer-detail", args=[transfer.pk])
    notify_many(
        managers_of(transfer.to_org),
        _("%(name)s的组织关系将从%(from)s转入本组织, 请接收")
        % {"name": transfer.member.name, "from": transfer.from_org.name},
        url,
    )
    _remind_member(transfer.member, _("转出方已同意您的组织关系转接, 等待接收方接收"))
    return transfer


def _move(member: Member, to_org: Organization, on: dt.date, note: str) -> None:
    """The member counts at `to_org` from `on` (and at the old org up to the day before):
    the open spell ends on `on`, a new one starts on it, one 系统内调动 event records it.
    Scope is the caller's to check (the receiving side may not hold the member's record)."""
    spell = member.spells.select_for_update().filter(end_on__isnull=True).first()
    if spell and on < spell.start_on:
        raise ValidationError(
            {"on": [_("日期不能早于进入原组织的日期 %(d)s") % {"d": spell.start_on}]}
        )
    old_org_id = member.org_id
    member.org = to_org
    member.save(update_fields=["org", "updated_at"])
    if spell:
        if on == spell.start_on:
            spell.org = to_org
            spell.save(update_fields=["org"])
        else:
            spell.end_on = on
            spell.save(update_fields=["end_on"])
            Membership.objects.create(member=member, org=to_org, start_on=on)
    MemberEvent.objects.create(
        member=member,
        kind=EventKind.TRANSFERRED,
        on=on,
        org=to_org,
        from_org_id=old_org_id,
        note=note[:200],
    )


def _receipt_no(transfer: Transfer, on: dt.date) -> str:
    return f"HZ{on:%Y%m%d}-{transfer.pk:06d}"


@transaction.atomic
def accept_transfer(actor, transfer: Transfer, *, on: dt.date | None = None) -> Transfer:
    """The receiving side takes the member in: they count there from `on`; the 回执 is this."""
    transfer = _locked(transfer)
    if not may_accept(actor, transfer):
        raise NotInScope()
    if transfer.status != TransferStatus.APPROVED:
        raise ValidationError({"on": [_("该转接尚未经转出方审批或已办结")]})
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    if member.status != Status.ACTIVE or member.org_id != transfer.from_org_id:
        raise ValidationError({"on": [_("该党员已不在转出党组织, 请退回此转接")]})
    on = on or timezone.localdate()
    _check_day(on, transfer.approved_on, _("转出方审批日期"))
    before = audit.state(transfer)
    _move(member, transfer.to_org, on, _("组织关系转接"))
    transfer.status, transfer.accepted_on = TransferStatus.ACCEPTED, on
    transfer.receipt_no = _receipt_no(transfer, on)
    transfer.save(update_fields=["status", "accepted_on", "receipt_no"])
    audit.changed(actor, transfer, before, org_path=transfer.to_org.path)
    url = reverse("transfer-detail", args=[transfer.pk])
    notify_many(
        managers_of(transfer.from_org),
        _("%(name)s的组织关系已被%(to)s接收(回执 %(no)s)")
        % {"name": member.name, "to": transfer.to_org.name, "no": transfer.receipt_no},
        url,
    )
    _remind_member(member, _("您的组织关系已转入%(to)s") % {"to": transfer.to_org.name})
    return transfer


@transaction.atomic
def return_transfer(
    actor, transfer: Transfer, *, reason: str, on: dt.date | None = None
) -> Transfer:
    """Refused by the sending side's approver or the receiving side, with the reason: the
    member stays where they were, nothing in their history changes."""
    transfer = _locked(transfer)
    allowed = (transfer.status == TransferStatus.REQUESTED and may_approve(actor, transfer)) or (
        transfer.status == TransferStatus.APPROVED and may_accept(actor, transfer)
    )
    if not transfer.is_open:
        raise ValidationError({"reason": [_("该转接已办结")]})
    if not allowed:
        raise NotInScope()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写退回原因")]})
    on = on or timezone.localdate()
    _check_day(on, transfer.requested_on, _("申请日期"))
    before = audit.state(transfer)
    transfer.status, transfer.returned_on, transfer.return_reason = (
        TransferStatus.RETURNED,
        on,
        reason[:200],
    )
    transfer.save(update_fields=["status", "returned_on", "return_reason"])
    audit.changed(actor, transfer, before, org_path=transfer.from_org.path)
    text = _("%(name)s的组织关系转接被退回: %(r)s") % {"name": transfer.member.name, "r": reason}
    notify_many(
        managers_of(transfer.from_org), text, reverse("transfer-detail", args=[transfer.pk])
    )
    _remind_member(transfer.member, text)
    return transfer


@transaction.atomic
def cancel_transfer(actor, transfer: Transfer) -> Transfer:
    transfer = _locked(transfer)
    if not may_cancel(actor, transfer):
        raise NotInScope()
    if not transfer.is_open:
        raise ValidationError({"reason": [_("该转接已办结, 不能撤销")]})
    before = audit.state(transfer)
    transfer.status = TransferStatus.CANCELLED
    transfer.save(update_fields=["status"])
    audit.changed(actor, transfer, before, org_path=transfer.from_org.path)
    return transfer


@transaction.atomic
def transfer_branch(
    actor, from_org: Organization, to_org: Organization, *, on: dt.date, reason: str = ""
) -> list[Transfer]:
    """整建制转接 (a school merger, 学校布局调整): every active member of `from_org` counts at
    `to_org` from `on`, each with their own accepted transfer of one batch. The actor
    approves for the sending side and accepts for the receiving side at once."""
    require(actor, Action.CHANGE, approving_org(from_org))
    require(actor, Action.ADD, to_org)
    if from_org.pk == to_org.pk:
        raise ValidationError({"to_org": [_("转入党组织与转出党组织相同")]})
    if to_org.kind not in MEMBER_ORG_KINDS:
        raise ValidationError({"to_org": [_("只能转入党支部、联合党支部等基层党组织")]})
    if on > timezone.localdate():
        raise ValidationError({"on": [_("日期不能晚于今天")]})
    members = list(
        Member.objects.select_for_update().filter(org=from_org, status=Status.ACTIVE).order_by("pk")
    )
    if not members:
        raise ValidationError({"from_org": [_("该党组织没有党籍正常的党员")]})
    busy = [m.name for m in members if m.transfers.open().exists()]
    if busy:
        raise ValidationError(
            {"from_org": [_("以下党员有未办结的转接, 请先办结: %(n)s") % {"n": "、".join(busy)}]}
        )
    batch = f"ZJ{on:%Y%m%d}-{uuid.uuid4().hex[:8]}"
    done = []
    for member in members:
        _move(member, to_org, on, _("整建制转接"))
        transfer = Transfer.objects.create(
            member=member,
            from_org=from_org,
            to_org=to_org,
            status=TransferStatus.ACCEPTED,
            reason=reason or _("整建制转接"),
            requested_on=on,
            approved_on=on,
            accepted_on=on,
            batch=batch,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        transfer.receipt_no = _receipt_no(transfer, on)
        transfer.save(update_fields=["receipt_no"])
        done.append(transfer)
        _remind_member(member, _("您的组织关系已整建制转入%(to)s") % {"to": to_org.name})
    audit.batch(
        actor,
        audit.AuditAction.MEMBER_EVENT,
        org_path=Organization.common_path([from_org.path, to_org.path]),
        object_repr=_("整建制转接: %(a)s → %(b)s") % {"a": from_org.name, "b": to_org.name},
        batch=batch,
        count=len(done),
        on=on.isoformat(),
    )
    return done


# -- 介绍信 to and from outside the system ---------------------------------------------------


@transaction.atomic
def request_letter(
    actor, member: Member, *, other_org_name: str, reason: str = ""
) -> LetterRequest:
    """A move out of the system (外市, 教育系统以外), asked for by the member on their own
    page: stored as an open request (on the branch's 待办 list until the letter is issued,
    declined or withdrawn) and the branch's managers are reminded, with a link to the
    letter's form filled in; nothing about the member changes until the letter is issued."""
    if not _is_self(actor, member):
        require(actor, Action.CHANGE, member)
    member = Member.objects.select_for_update().get(pk=member.pk)
    name = (other_org_name or "").strip()
    if not name:
        raise ValidationError({"out_org_name": [_("请填写系统外接收单位")]})
    if len(name) > 100:
        raise ValidationError({"out_org_name": [_("系统外接收单位名称不能超过100个字")]})
    if member.status != Status.ACTIVE:
        raise ValidationError({"out_org_name": [_("党籍状态不是“正常”, 不能转接")]})
    if member.transfers.open().exists():
        raise ValidationError({"out_org_name": [_("已有一项未办结的组织关系转接")]})
    if member.letter_requests.open().exists():
        raise ValidationError(
            {"out_org_name": [_("已有一项待开具的介绍信申请, 请等待党支部办理或先撤回")]}
        )
    managers = managers_of(member.org)
    if not managers:
        raise ValidationError(
            {"out_org_name": [_("您所在的党组织暂无管理人员可以开具介绍信, 请直接联系党组织")]}
        )
    request = LetterRequest.objects.create(
        member=member, org=member.org, other_org_name=name, reason=(reason or "").strip()[:200]
    )
    notify_many(
        managers,
        _("%(name)s申请将组织关系转往系统外的%(to)s, 请开具介绍信")
        % {"name": member.name, "to": name},
        letter_issue_url(request),
    )
    audit.created(actor, request, org_path=request.org.path)
    return request


def letter_issue_url(request: LetterRequest) -> str:
    """The letter's form filled in from the request (the issue closes it)."""
    from urllib.parse import urlencode

    query = {
        "request": request.pk,
        "member": request.member_id,
        "other_org_name": request.other_org_name,
        "note": request.reason[:200],
    }
    return f"{reverse('letter-issue')}?{urlencode(query)}"


def may_decline(user, request: LetterRequest) -> bool:
    return (
        request.is_open
        and LetterRequest.objects.restrict(user, Action.CHANGE).filter(pk=request.pk).exists()
    )


def _close_request(request: LetterRequest, status: str, **fields) -> None:
    request.status, request.closed_on = status, timezone.localdate()
    for key, value in fields.items():
        setattr(request, key, value)
    request.save(update_fields=["status", "closed_on", *fields])


@transaction.atomic
def decline_letter_request(actor, request: LetterRequest, *, reason: str) -> LetterRequest:
    """The branch will not issue the letter (the receiving org is wrong, the member must
    first settle their dues…): the request is closed and the member told why."""
    require(actor, Action.CHANGE, request)
    request = (
        LetterRequest.objects.select_for_update().select_related("member", "org").get(pk=request.pk)
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写不予开具的原因")]})
    if not request.is_open:
        raise ValidationError({"reason": [_("该申请已办结")]})
    before = audit.state(request)
    _close_request(request, LetterRequestStatus.DECLINED, decline_reason=reason[:200])
    audit.changed(actor, request, before, org_path=request.org.path)
    _remind_member(
        request.member,
        _("您转往%(to)s的介绍信申请未获开具: %(reason)s")
        % {"to": request.other_org_name, "reason": request.decline_reason},
    )
    return request


@transaction.atomic
def withdraw_letter_request(actor, request: LetterRequest) -> LetterRequest:
    """The member no longer wants to move (only their own, only while open)."""
    request = (
        LetterRequest.objects.select_for_update().select_related("member", "org").get(pk=request.pk)
    )
    if not _is_self(actor, request.member):
        require(actor, Action.CHANGE, request)
    if not request.is_open:
        raise ValidationError(_("该申请已办结, 不能撤回"))
    before = audit.state(request)
    _close_request(request, LetterRequestStatus.WITHDRAWN)
    audit.changed(actor, request, before, org_path=request.org.path)
    return request


def _check_number(direction: str, number: str) -> str:
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": [_("请填写介绍信编号")]})
    if Letter.objects.filter(direction=direction, number=number).exists():
        raise ValidationError({"number": [_("介绍信编号已存在")]})
    return number


def _validity(issued_on: dt.date, valid_until: dt.date | None) -> dt.date:
    valid_until = valid_until or add_months(issued_on, settings.DANGJIAN_TRANSFER_STUCK_MONTHS)
    if valid_until < issued_on:
        raise ValidationError({"valid_until": [_("有效期不能早于开具日期")]})
    return valid_until


@transaction.atomic
def issue_letter(
    actor,
    member: Member,
    *,
    number: str,
    other_org_name: str,
    issued_on: dt.date,
    valid_until: dt.date | None = None,
    note: str = "",
) -> Letter:
    """An outgoing 介绍信: the member's 转出 on `issued_on` (they stop counting here)."""
    require(actor, Action.CHANGE, member)
    number = _check_number(LetterDirection.OUT, number)
    if not (other_org_name or "").strip():
        raise ValidationError({"other_org_name": [_("请填写对方党组织名称")]})
    valid_until = _validity(issued_on, valid_until)
    if member.transfers.open().exists():
        raise ValidationError({"member": [_("该党员有未办结的系统内转接")]})
    org = member.org
    services.record_leaving(
        actor,
        member,
        kind=EventKind.MOVED_OUT,
        on=issued_on,
        note=_("介绍信 %(no)s 转往%(to)s") % {"no": number, "to": other_org_name.strip()},
    )
    letter = Letter.objects.create(
        direction=LetterDirection.OUT,
        number=number,
        org=org,
        member=member,
        other_org_name=other_org_name.strip(),
        issued_on=issued_on,
        valid_until=valid_until,
        note=note,
    )
    audit.created(actor, letter, org_path=org.path)
    # The member's own request, if any, is done: off the branch's 待办 list.
    for request in member.letter_requests.open().select_for_update():
        before = audit.state(request)
        _close_request(request, LetterRequestStatus.ISSUED, letter=letter)
        audit.changed(actor, request, before, org_path=request.org.path)
    return letter


@transaction.atomic
def confirm_receipt(actor, letter: Letter, *, on: dt.date) -> Letter:
    """The other side's 回执 for an outgoing letter came back."""
    require(actor, Action.CHANGE, letter)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.direction != LetterDirection.OUT or letter.status != LetterStatus.ISSUED:
        raise ValidationError({"on": [_("该介绍信不在待回执状态")]})
    _check_day(on, letter.issued_on, _("开具日期"))
    before = audit.state(letter)
    letter.status, letter.receipt_on = LetterStatus.RECEIPTED, on
    letter.save(update_fields=["status", "receipt_on"])
    audit.changed(actor, letter, before, org_path=letter.org.path)
    return letter


@transaction.atomic
def void_letter(actor, letter: Letter, *, note: str = "") -> Letter:
    """An outgoing letter never used (the member stayed): the 转出 is undone, so on no date
    was the member away; only while it is the member's last change."""
    require(actor, Action.CHANGE, letter)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.direction != LetterDirection.OUT or letter.status != LetterStatus.ISSUED:
        raise ValidationError({"note": [_("只有待回执的转出介绍信可以作废")]})
    member = Member.objects.select_for_update().get(pk=letter.member_id)
    last = member.events.order_by("-on", "-id").first()
    if member.status != Status.MOVED_OUT or last is None or last.kind != EventKind.MOVED_OUT:
        raise ValidationError({"note": [_("该党员在转出后已有其他变动, 不能作废, 请办理转回")]})
    before_member = audit.state(member)
    spell = member.spells.filter(end_on=last.on).order_by("-start_on").first()
    if spell:
        spell.end_on = None
        spell.save(update_fields=["end_on"])
    last.delete()
    member.status, member.left_on = Status.ACTIVE, None
    member.save(update_fields=["status", "left_on", "updated_at"])
    audit.changed(
        actor,
        member,
        before_member,
        action=audit.AuditAction.MEMBER_EVENT,
        org_path=member.org.path,
        extra={"event": [EventKind.MOVED_OUT, None]},
    )
    before = audit.state(letter)
    letter.status, letter.note = LetterStatus.VOIDED, (note or letter.note)[:200]
    letter.save(update_fields=["status", "note"])
    audit.changed(actor, letter, before, org_path=letter.org.path)
    return letter


@transaction.atomic
def receive_letter(
    actor,
    *,
    number: str,
    other_org_name: str,
    issued_on: dt.date,
    valid_until: dt.date | None,
    received_on: dt.date,
    org: Organization,
    member_fields: dict,
    note: str = "",
) -> Letter:
    """An incoming 介绍信: the member counts at `org` from `received_on` (转入): a new
    record, or the old one of someone who once moved out (found by ID number); the 回执 is
    sent back the same day."""
    require(actor, Action.ADD, org)
    number = _check_number(LetterDirection.IN, number)
    if not (other_org_name or "").strip():
        raise ValidationError({"other_org_name": [_("请填写对方党组织名称")]})
    valid_until = _validity(issued_on, valid_until)
    _check_day(received_on, issued_on, _("开具日期"))
    if received_on > valid_until:
        raise ValidationError({"received_on": [_("介绍信已过有效期, 请对方重新开具")]})
    existing = Member.objects.with_id_numbers([member_fields.get("id_number") or ""]).first()
    if existing is not None:
        if existing.status != Status.MOVED_OUT:
            raise ValidationError({"id_number": [_("该党员已在本系统中, 请用系统内转接")]})
        member = services.restore(actor, existing, on=received_on, org=org, note=number)
    else:
        member = services.create_member(
            actor, moved_in_on=received_on, **{**member_fields, "org": org}
        )
    letter = Letter.objects.create(
        direction=LetterDirection.IN,
        number=number,
        org=org,
        member=member,
        other_org_name=other_org_name.strip(),
        issued_on=issued_on,
        valid_until=valid_until,
        received_on=received_on,
        receipt_on=received_on,
        status=LetterStatus.RECEIPTED,
        note=note,
    )
    audit.created(actor, letter, org_path=org.path)
    return letter


# -- 流动党员 --------------------------------------------------------------------------------


def _flowing_problems(out_on, expected_back_on, back_on) -> dict:
    months = settings.DANGJIAN_FLOWING_MIN_MONTHS
    errors = {}
    if out_on > timezone.localdate():
        errors["out_on"] = [_("外出日期不能晚于今天")]
    if expected_back_on and expected_back_on < add_months(out_on, months):
        errors["expected_back_on"] = [
            _("外出%(n)d个月以上才登记为流动党员(预计返回日期应不早于%(d)s)")
            % {"n": months, "d": add_months(out_on, months)}
        ]
    if back_on and back_on < out_on:
        errors["back_on"] = [_("返回日期不能早于外出日期")]
    return errors


@transaction.atomic
def register_flowing(actor, member: Member, **fields) -> Flowing:
    require(actor, Action.CHANGE, member)
    if member.status != Status.ACTIVE:
        raise ValidationError({"member": [_("该党员党籍状态不是“正常”")]})
    flowing = Flowing(member=member, **fields)
    errors = _flowing_problems(flowing.out_on, flowing.expected_back_on, flowing.back_on)
    if member.flowing.filter(back_on__isnull=True).exists():
        errors.setdefault("member", []).append(_("该党员已登记为流动党员且尚未返回"))
    if errors:
        raise ValidationError(errors)
    flowing.save()
    audit.created(actor, flowing, org_path=member.org.path)
    return flowing


@transaction.atomic
def update_flowing(actor, flowing: Flowing, **fields) -> Flowing:
    require(actor, Action.CHANGE, flowing)
    flowing = Flowing.objects.select_for_update().select_related("member__org").get(pk=flowing.pk)
    before = audit.state(flowing)
    for key, value in fields.items():
        if key != "member":
            setattr(flowing, key, value)
    errors = _flowing_problems(flowing.out_on, flowing.expected_back_on, flowing.back_on)
    if errors:
        raise ValidationError(errors)
    flowing.save()
    audit.changed(actor, flowing, before, org_path=flowing.member.org.path)
    return flowing


@transaction.atomic
def delete_flowing(actor, flowing: Flowing) -> None:
    require(actor, Action.CHANGE, flowing)
    audit.deleted(actor, flowing, org_path=flowing.member.org.path)
    flowing.delete()


@transaction.atomic
def report_flowing(
    actor, flowing: Flowing, *, on: dt.date, content: str, reported_by: str = ""
) -> FlowingReport:
    """Participation reported back (by the 流入地 or the member); the member may report
    their own."""
    if not _is_self(actor, flowing.member):
        require(actor, Action.CHANGE, flowing)
    if not (content or "").strip():
        raise ValidationError({"content": [_("请填写参加活动情况")]})
    if on > timezone.localdate() or on < flowing.out_on:
        raise ValidationError({"on": [_("日期应在外出日期与今天之间")]})
    report = FlowingReport.objects.create(
        flowing=flowing, on=on, content=content.strip(), reported_by=reported_by
    )
    audit.created(actor, report, org_path=flowing.member.org.path)
    return report


# -- 党籍决定: 停止党籍, 恢复党籍, 自行脱党, 出党, 死亡 ------------------------------------------


def suspend_earliest(lost_since: dt.date) -> dt.date:
    """停止党籍 may be decided once contact has been lost this many months, to the day."""
    return add_months(lost_since, settings.DANGJIAN_LOST_CONTACT_MONTHS)


def restore_latest(suspended_on: dt.date) -> dt.date:
    """恢复党籍 within two years of 停止党籍; later, only 重新入党 remains."""
    return add_years(suspended_on, 2)


_LEAVING = {
    DecisionKind.SUSPENDED: EventKind.SUSPENDED,
    DecisionKind.LAPSED: EventKind.LAPSED,
    DecisionKind.EXPELLED: EventKind.EXPELLED,
    DecisionKind.DECEASED: EventKind.DECEASED,
}


@transaction.atomic
def decide(
    actor,
    member: Member,
    *,
    kind: str,
    on: dt.date,
    lost_since: dt.date | None = None,
    document_no: str = "",
    reason: str = "",
) -> StatusDecision:
    """Record the decision and the member's event of its date (the counts follow)."""
    require(actor, Action.CHANGE, member)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": [_("无效的决定类型")]})
    org = member.org
    if kind == DecisionKind.SUSPENDED:
        if lost_since is None:
            raise ValidationError({"lost_since": [_("请填写失去联系的起始日期")]})
        earliest = suspend_earliest(lost_since)
        if on < earliest:
            raise ValidationError(
                {
                    "on": [
                        _("失去联系满%(n)d个月(%(d)s)后才能停止党籍")
                        % {"n": settings.DANGJIAN_LOST_CONTACT_MONTHS, "d": earliest}
                    ]
                }
            )
    if kind == DecisionKind.RESTORED:
        if member.status != Status.SUSPENDED:
            raise ValidationError({"kind": [_("只有停止党籍的党员才能恢复党籍")]})
        latest = restore_latest(member.left_on)
        if on > latest:
            raise ValidationError(
                {
                    "on": [
                        _("停止党籍已超过二年(%(d)s), 不能恢复党籍, 应重新履行入党手续")
                        % {"d": latest}
                    ]
                }
            )
        services.restore(actor, member, on=on, org=org, note=document_no)
    elif kind == DecisionKind.LAPSED and member.status == Status.SUSPENDED:
        # 停止党籍 two years on, still unreachable: 除名 without a second leaving event
        # (the member stopped counting on the day of the 停止党籍 already).
        if on < restore_latest(member.left_on):
            raise ValidationError({"on": [_("停止党籍满二年后才能按自行脱党除名")]})
        before = audit.state(member)
        member.status = Status.LAPSED
        member.save(update_fields=["status", "updated_at"])
        audit.changed(actor, member, before, org_path=org.path)
    else:
        services.record_leaving(actor, member, kind=_LEAVING[kind], on=on, note=document_no)
    decision = StatusDecision.objects.create(
        member=member,
        org=org,
        kind=kind,
        on=on,
        lost_since=lost_since if kind == DecisionKind.SUSPENDED else None,
        document_no=document_no,
        reason=reason,
    )
    audit.created(actor, decision, org_path=org.path)
    return decision
