"""Every write to member records: validate, save, keep the history (events and spells),
audit, and re-check scope, in one transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.audit import AuditAction, diff, record, snapshot
from dangjian.core.roles import Action
from dangjian.core.scope import require
from dangjian.core.validators import normalize_id_number
from dangjian.members import rules
from dangjian.members.choices import LEAVING_EVENTS, Category, EventKind, Status
from dangjian.members.models import Member, MemberEvent, Membership
from dangjian.orgs.models import Organization

MEMBER_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "id_number",
    "education",
    "org",
    "work_unit",
    "person_type",
    "joined_on",
    "converted_on",
    "phone",
    "title",
    "backbone",
    "user",
)
AUDIT_EXCLUDE = ("name_pinyin", "name_initials", "created_at", "updated_at")


def _validate(member: Member, category: str | None) -> None:
    errors = rules.member_problems(
        name=member.name,
        sex=member.sex,
        id_number=member.id_number,
        birth_date=None,
        org_kind=member.org.kind if member.org_id else None,
        category=category,
        joined_on=member.joined_on,
        converted_on=member.converted_on,
        phone=member.phone,
    )
    if not errors:
        member.id_number = normalize_id_number(member.id_number)
        member.fill_derived()
        try:
            member.full_clean(exclude=["birth_date", "name_pinyin", "name_initials"])
        except ValidationError as exc:
            errors = exc.message_dict
    if errors:
        raise ValidationError(errors)


def _audit_snapshot(member: Member) -> dict:
    data = snapshot(member, exclude=AUDIT_EXCLUDE)
    if data.get("id_number"):
        data["id_number"] = member.masked_id
    return data


def _event(member, kind, on, org, from_org=None, note="") -> MemberEvent:
    return MemberEvent.objects.create(
        member=member, kind=kind, on=on, org=org, from_org=from_org, note=note
    )


@transaction.atomic
def create_member(
    actor, *, category: str | None = None, moved_in_on: dt.date | None = None, **fields
) -> Member:
    """`moved_in_on`: for a member who joined elsewhere and was transferred in (转入)."""
    member = Member(**{k: fields[k] for k in MEMBER_FIELDS if k in fields})
    if member.org_id:
        require(actor, Action.ADD, member.org)
    if category is None:
        category = Category.FULL if member.converted_on else Category.PROBATIONARY
    _validate(member, category)
    if moved_in_on and moved_in_on < member.joined_on:
        raise ValidationError({"moved_in_on": [_("转入日期不能早于入党日期")]})
    member.save()
    if moved_in_on:
        _event(member, EventKind.MOVED_IN, moved_in_on, member.org)
        start = moved_in_on
    else:
        _event(member, EventKind.JOINED, member.joined_on, member.org)
        start = member.joined_on
    if member.converted_on:
        _event(member, EventKind.CONVERTED, member.converted_on, member.org)
    Membership.objects.create(member=member, org=member.org, start_on=start)
    record(
        actor,
        AuditAction.CREATE,
        member,
        changes=diff({}, _audit_snapshot(member)),
        org_path=member.org.path,
    )
    require(actor, Action.VIEW, member)
    return member


@transaction.atomic
def update_member(
    actor,
    member: Member,
    *,
    category: str | None = None,
    transfer_on: dt.date | None = None,
    **fields,
) -> Member:
    """Change a record. A new org is a transfer within the system dated `transfer_on`."""
    require(actor, Action.CHANGE, member)
    member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
    before = _audit_snapshot(member)
    old_org = member.org
    old_converted = member.converted_on
    for key in MEMBER_FIELDS:
        if key in fields:
            setattr(member, key, fields[key])
    if category is None:
        category = Category.FULL if member.converted_on else Category.PROBATIONARY
    _validate(member, category)
    moved = member.org_id != old_org.pk
    if moved:
        if member.status != Status.ACTIVE:
            raise ValidationError({"org": [_("该党员党籍状态不是“正常”, 不能调动")]})
        require(actor, Action.ADD, member.org)
        transfer_on = transfer_on or timezone.localdate()
        spell = member.spells.filter(end_on__isnull=True).first()
        if spell and transfer_on < spell.start_on:
            raise ValidationError(
                {"org": [_("调动日期不能早于进入原组织的日期 %(d)s") % {"d": spell.start_on}]}
            )
    member.save()
    if moved:
        if spell:
            if transfer_on == spell.start_on:
                spell.org = member.org
                spell.save(update_fields=["org"])
            else:
                spell.end_on = transfer_on
                spell.save(update_fields=["end_on"])
                Membership.objects.create(member=member, org=member.org, start_on=transfer_on)
        _event(member, EventKind.TRANSFERRED, transfer_on, member.org, from_org=old_org)
    if member.converted_on != old_converted:
        member.events.filter(kind=EventKind.CONVERTED).delete()
        if member.converted_on:
            _event(member, EventKind.CONVERTED, member.converted_on, member.org)
    joined_event = member.events.filter(kind=EventKind.JOINED).first()
    if joined_event and joined_event.on != member.joined_on:
        first = member.spells.order_by("start_on").first()
        if first and first.start_on == joined_event.on:
            first.start_on = member.joined_on
            first.save(update_fields=["start_on"])
        joined_event.on = member.joined_on
        joined_event.save(update_fields=["on"])
    changes = diff(before, _audit_snapshot(member))
    if changes:
        record(actor, AuditAction.UPDATE, member, changes=changes, org_path=member.org.path)
    require(actor, Action.VIEW, member)
    return member


@transaction.atomic
def record_leaving(actor, member: Member, *, kind: str, on: dt.date, note: str = "") -> Member:
    """转出, 停止党籍, 出党, 自行脱党, 死亡 or 取消预备党员资格: the member stops counting on `on`."""
    require(actor, Action.CHANGE, member)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if kind not in LEAVING_EVENTS:
        raise ValidationError({"kind": [_("无效的变动类型")]})
    if member.status != Status.ACTIVE:
        raise ValidationError(
            {"kind": [_("该党员党籍状态已是“%(s)s”") % {"s": member.get_status_display()}]}
        )
    spell = member.spells.filter(end_on__isnull=True).first()
    if on > timezone.localdate():
        raise ValidationError({"on": [_("日期不能晚于今天")]})
    if spell and on < spell.start_on:
        raise ValidationError(
            {"on": [_("日期不能早于进入本组织的日期 %(d)s") % {"d": spell.start_on}]}
        )
    if kind == EventKind.CANCELLED and member.converted_on:
        raise ValidationError({"kind": [_("只有预备党员才能取消预备党员资格")]})
    before = _audit_snapshot(member)
    member.status = LEAVING_EVENTS[kind]
    member.left_on = on
    member.save(update_fields=["status", "left_on", "updated_at"])
    if spell:
        spell.end_on = on
        spell.save(update_fields=["end_on"])
    _event(member, kind, on, member.org, note=note)
    record(
        actor,
        AuditAction.MEMBER_EVENT,
        member,
        org_path=member.org.path,
        changes={**diff(before, _audit_snapshot(member)), "event": [None, kind]},
    )
    return member


@transaction.atomic
def restore(
    actor, member: Member, *, on: dt.date, org: Organization | None = None, note: str = ""
) -> Member:
    """恢复党籍 (or a transfer back in): the member counts again from `on`."""
    require(actor, Action.CHANGE, member)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status == Status.ACTIVE:
        raise ValidationError({"on": [_("该党员党籍状态正常, 无需恢复")]})
    if member.status == Status.DECEASED:
        raise ValidationError({"on": [_("已故党员不能恢复党籍")]})
    if member.left_on and on < member.left_on:
        raise ValidationError({"on": [_("恢复日期不能早于离开日期 %(d)s") % {"d": member.left_on}]})
    org = org or member.org
    require(actor, Action.ADD, org)
    before = _audit_snapshot(member)
    kind = EventKind.MOVED_IN if member.status == Status.MOVED_OUT else EventKind.RESTORED
    member.status = Status.ACTIVE
    member.left_on = None
    member.org = org
    member.save()
    Membership.objects.create(member=member, org=org, start_on=on)
    _event(member, kind, on, org, note=note)
    record(
        actor,
        AuditAction.MEMBER_EVENT,
        member,
        org_path=org.path,
        changes={**diff(before, _audit_snapshot(member)), "event": [None, kind]},
    )
    return member


@transaction.atomic
def delete_member(actor, member: Member) -> None:
    """Remove a record entered by mistake (not a leaving: that is `record_leaving`)."""
    require(actor, Action.DELETE, member)
    record(
        actor,
        AuditAction.DELETE,
        member,
        changes=diff(_audit_snapshot(member), {}),
        org_path=member.org.path,
    )
    member.delete()


def reveal_id_number(actor, member: Member) -> str:
    """The full 公民身份号码, for holders of the reveal permission; every reveal audited."""
    require(actor, Action.REVEAL_ID, member)
    record(actor, AuditAction.REVEAL_ID, member, org_path=member.org.path)
    return member.id_number


@transaction.atomic
def bulk_create_members(actor, rows, *, audit_note: str) -> list[Member]:
    """Create many members at once (imports, the demo city) with the checks of
    `create_member`. Each row is a dict of MEMBER_FIELDS plus optional `category` and
    `moved_in_on`. Every row is checked before anything is written: one bad row raises a
    ValidationError naming all bad rows and nothing is saved, so a batch is never half in.
    The batch is audited as one IMPORT row, not one row per member."""
    rows = list(rows)
    org_ids = {row["org"].pk for row in rows if row.get("org") is not None}
    allowed: set[int] = set()
    id_list = sorted(org_ids)
    for start in range(0, len(id_list), 500):
        allowed.update(
            Organization.objects.restrict(actor, Action.ADD)
            .filter(pk__in=id_list[start : start + 500])
            .values_list("pk", flat=True)
        )
    numbers = [row.get("id_number") for row in rows if isinstance(row.get("id_number"), str)]
    numbers = sorted({number.strip().upper() for number in numbers})
    existing: set[str] = set()
    for start in range(0, len(numbers), 500):
        existing.update(
            Member.objects.filter(id_number__in=numbers[start : start + 500]).values_list(
                "id_number", flat=True
            )
        )

    labels = {field.name: str(field.verbose_name) for field in Member._meta.fields}
    labels["moved_in_on"] = _("转入日期")
    problems: list[str] = []
    members: list[Member] = []
    starts: list[dt.date | None] = []
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        member = Member(**{k: row[k] for k in MEMBER_FIELDS if k in row})
        category = row.get("category") or (
            Category.FULL if member.converted_on else Category.PROBATIONARY
        )
        org = row.get("org")
        errors = rules.member_problems(
            name=member.name,
            sex=member.sex,
            id_number=member.id_number,
            birth_date=None,
            org_kind=org.kind if org is not None else None,
            category=category,
            joined_on=member.joined_on,
            converted_on=member.converted_on,
            phone=member.phone,
        )
        if org is None:
            errors.setdefault("org", []).append(_("所在党组织不能为空"))
        elif org.pk not in allowed:
            errors.setdefault("org", []).append(_("所在党组织不在您的管理范围内"))
        moved_in_on = row.get("moved_in_on")
        if moved_in_on and member.joined_on and moved_in_on < member.joined_on:
            errors.setdefault("moved_in_on", []).append(_("转入日期不能早于入党日期"))
        if not errors:
            member.id_number = normalize_id_number(member.id_number)
            if member.id_number in existing:
                errors.setdefault("id_number", []).append(_("公民身份号码已存在"))
            elif member.id_number in seen:
                errors.setdefault("id_number", []).append(_("公民身份号码在本批数据中重复"))
            member.fill_derived()
            try:
                member.clean_fields(
                    exclude=[
                        "org",
                        "work_unit",
                        "user",
                        "birth_date",
                        "name_pinyin",
                        "name_initials",
                    ]
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
        if errors:
            for field, messages in errors.items():
                label = labels.get(field, field)
                problems.extend(
                    _("第%(row)d条 %(field)s: %(message)s")
                    % {"row": index, "field": label, "message": message}
                    for message in messages
                )
            continue
        seen.add(member.id_number)
        members.append(member)
        starts.append(moved_in_on)
    if problems:
        raise ValidationError(problems)

    Member.objects.bulk_create(members, batch_size=500)
    events: list[MemberEvent] = []
    spells: list[Membership] = []
    for member, moved_in_on in zip(members, starts, strict=True):
        start = moved_in_on or member.joined_on
        kind = EventKind.MOVED_IN if moved_in_on else EventKind.JOINED
        events.append(MemberEvent(member=member, kind=kind, on=start, org_id=member.org_id))
        if member.converted_on:
            events.append(
                MemberEvent(
                    member=member,
                    kind=EventKind.CONVERTED,
                    on=member.converted_on,
                    org_id=member.org_id,
                )
            )
        spells.append(Membership(member=member, org_id=member.org_id, start_on=start))
    MemberEvent.objects.bulk_create(events, batch_size=500)
    Membership.objects.bulk_create(spells, batch_size=500)
    # The audit row sits at the deepest org above every member's org, so auditors of
    # that subtree see it.
    paths = sorted({member.org.path for member in members})
    common = paths[0] if paths else ""
    for path in paths:
        while not path.startswith(common):
            common = common[:-1]
    common = common[: len(common) - len(common) % Organization.steplen]
    record(
        actor,
        AuditAction.IMPORT,
        None,
        changes={"count": [None, len(members)], "note": [None, audit_note]},
        org_path=common,
        object_repr=audit_note,
    )
    return members
