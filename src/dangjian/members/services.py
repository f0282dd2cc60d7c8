"""Every write to member records: validate, save, keep the history (events and spells),
audit, and re-check scope, in one transaction."""

import datetime as dt
import itertools
import operator

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.audit import AuditAction, record
from dangjian.core.batches import chunks, lookup_size, pks_in
from dangjian.core.copying import CopyStream
from dangjian.core.excel import RowsRefused
from dangjian.core.roles import Action
from dangjian.core.scope import require
from dangjian.core.validators import normalize_id_number
from dangjian.members import rules
from dangjian.members.choices import LEAVING_EVENTS, Category, EventKind, PersonType, Status
from dangjian.members.models import (
    MIRRORED,
    PERSON_FIELDS,
    Member,
    MemberEvent,
    Membership,
    mirror_to_spells,
    mirrored_values,
)
from dangjian.orgs.models import Organization

MEMBER_FIELDS = (*PERSON_FIELDS, "org", "work_unit", "joined_on", "converted_on", "user")


def _problems(member: Member, org, category: str | None, today=None) -> dict:
    """`rules.member_problems` over a record being written; without a category, the one
    its 转正日期 implies."""
    if category is None:
        category = Category.FULL if member.converted_on else Category.PROBATIONARY
    return rules.member_problems(
        name=member.name,
        sex=member.sex,
        id_number=member.id_number,
        birth_date=None,
        org_kind=org.kind if org is not None else None,
        category=category,
        joined_on=member.joined_on,
        converted_on=member.converted_on,
        phone=member.phone,
        today=today,
    )


def _validate(member: Member, category: str | None) -> None:
    errors = _problems(member, member.org if member.org_id else None, category)
    if not errors:
        member.id_number = normalize_id_number(member.id_number)
        member.fill_derived()
        try:
            member.full_clean(exclude=["birth_date", "name_pinyin", "name_initials"])
        except ValidationError as exc:
            errors = _with_id_number_errors(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def _with_id_number_errors(errors: dict) -> dict:
    """Errors on the ID number's stored columns (the unique hash) belong to `id_number`."""
    moved: dict[str, list[str]] = {}
    for field, messages in errors.items():
        key = "id_number" if field in ("id_cipher", "id_hash", "id_suffix") else field
        moved.setdefault(key, []).extend(messages)
    return moved


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
    audit.created(actor, member, org_path=member.org.path)
    require(actor, Action.VIEW, member)
    member.warnings = teacher_warnings(member)
    return member


def teacher_warnings(member: Member) -> list[str]:
    """Saved all the same (either figure may be the wrong one), told to the user: the
    member's school now has more party-member 专任教师 than its 专任教师."""
    school = member.work_unit
    if member.person_type != PersonType.TEACHER or school is None:
        return []
    count = Member.objects.filter(
        work_unit=school, person_type=PersonType.TEACHER, status=Status.ACTIVE
    ).count()
    if count <= school.teacher_count:
        return []
    return [
        _(
            "学校“%(s)s”现有党员专任教师 %(n)d 名, 超过该校专任教师数 %(t)d 名;"
            " 请核对党员的人员类型或学校的专任教师数"
        )
        % {"s": school.name, "n": count, "t": school.teacher_count}
    ]


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
    before = audit.state(member)
    old_org = member.org
    old_converted = member.converted_on
    old_teaching = (member.work_unit_id, member.person_type)
    for key in MEMBER_FIELDS:
        if key in fields:
            setattr(member, key, fields[key])
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
    audit.changed(actor, member, before, org_path=member.org.path)
    require(actor, Action.VIEW, member)
    # Told once, when this edit is what puts the school over (not on every later save).
    changed_teaching = (member.work_unit_id, member.person_type) != old_teaching
    member.warnings = teacher_warnings(member) if changed_teaching else []
    return member


@transaction.atomic
def record_leaving(
    actor, member: Member, *, kind: str, on: dt.date, note: str = "", authorised: bool = False
) -> Member:
    """转出, 停止党籍, 出党, 自行脱党, 死亡 or 取消预备党员资格: the member stops counting on `on`.
    `authorised`: the caller has checked the actor's authority by its own rule (开除党籍
    decided in a discipline case by the 纪检 role)."""
    if not authorised:
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
    before = audit.state(member)
    member.status = LEAVING_EVENTS[kind]
    member.left_on = on
    member.save(update_fields=["status", "left_on", "updated_at"])
    if spell:
        spell.end_on = on
        spell.save(update_fields=["end_on"])
    _event(member, kind, on, member.org, note=note)
    audit.changed(
        actor,
        member,
        before,
        action=AuditAction.MEMBER_EVENT,
        org_path=member.org.path,
        extra={"event": [None, kind]},
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
    before = audit.state(member)
    kind = EventKind.MOVED_IN if member.status == Status.MOVED_OUT else EventKind.RESTORED
    member.status = Status.ACTIVE
    member.left_on = None
    member.org = org
    member.save()
    Membership.objects.create(member=member, org=org, start_on=on)
    _event(member, kind, on, org, note=note)
    audit.changed(
        actor,
        member,
        before,
        action=AuditAction.MEMBER_EVENT,
        org_path=org.path,
        extra={"event": [None, kind]},
    )
    return member


@transaction.atomic
def delete_member(actor, member: Member) -> None:
    """Remove a record entered by mistake (not a leaving: that is `record_leaving`)."""
    require(actor, Action.DELETE, member)
    audit.deleted(actor, member, org_path=member.org.path)
    member.delete()


def reveal_id_number(actor, member: Member) -> str:
    """The full 公民身份号码, for holders of the reveal permission; every reveal audited."""
    require(actor, Action.REVEAL_ID, member)
    record(actor, AuditAction.REVEAL_ID, member, org_path=member.org.path)
    return member.id_number


# -- many records at once: imports and the demo city -----------------------------------------

# Below this many rows a plain bulk_create is as fast as COPY and simpler.
COPY_MIN_ROWS = 2_000
CHUNK = 500
# Field classes whose database value is the attribute itself (no custom pre_save or prep);
# any other field (an encrypted ID column, say) goes through Django's own conversion.
_PLAIN_FIELDS = (
    "CharField",
    "TextField",
    "DateField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "BooleanField",
    "ForeignKey",
    "OneToOneField",
    "BigAutoField",
    "AutoField",
)


def _chunks(values):
    return chunks(values, lookup_size(Member))


def _db():
    return connections[router.db_for_write(Member)]


def _use_copy(db, count: int) -> bool:
    return db.vendor == "postgresql" and count >= COPY_MIN_ROWS


def _reserve_ids(db, model, count: int) -> list[int]:
    opts = model._meta
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(db, model, columns: list[str], rows) -> None:
    quoted = ", ".join(db.ops.quote_name(column) for column in columns)
    sql = f"COPY {db.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
    with db.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _insert(model, objects: list) -> None:
    """Insert new model instances and set their primary keys: COPY on PostgreSQL for big
    batches (ids reserved from the table's sequence first), bulk_create elsewhere. Values
    pass through each field's `pre_save` and `get_db_prep_save`, as bulk_create does,
    except for Django's plain field types, whose attribute is the database value."""
    db = _db()
    count = len(objects)
    if not count:
        return
    if not _use_copy(db, count):
        model.objects.bulk_create(objects, batch_size=CHUNK)
        return
    _copy_objects(db, model, zip(objects, _reserve_ids(db, model, count), strict=True))


def _object_rows(db, model):
    """The COPY columns of new `model` instances and a function (instance, reserved id) ->
    its row, which also sets the instance's primary key and state as a save would."""
    opts = model._meta
    now = timezone.now()
    plain, constant, custom = [], [], []
    for f in opts.concrete_fields:
        if f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            constant.append(f)
        elif type(f).__name__ in _PLAIN_FIELDS and type(f).__module__.startswith("django."):
            plain.append(f)
        else:
            custom.append(f)
    # One C-level getter for the plain columns; the columns are listed in row order.
    values = operator.attrgetter(*(f.attname for f in plain)) if plain else (lambda obj: ())
    if len(plain) == 1:
        single = values
        values = lambda obj: (single(obj),)  # noqa: E731
    constants = tuple(f.get_db_prep_save(now, db) for f in constant)
    alias = db.alias

    def row(obj, pk) -> tuple:
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias
        for f in constant:
            setattr(obj, f.attname, now)
        extra = tuple(f.get_db_prep_save(f.pre_save(obj, True), db) for f in custom)
        return (pk, *values(obj), *constants, *extra)

    columns = [opts.pk.column, *(f.column for f in (*plain, *constant, *custom))]
    return columns, row


def _copy_objects(db, model, pairs) -> None:
    """COPY new instances, given as (instance, reserved id) pairs, as they come: a
    generator that builds them lets the database take each row in while the next ones
    are built."""
    columns, row = _object_rows(db, model)
    _copy(db, model, columns, (row(obj, pk) for obj, pk in pairs))


def _value_columns(db, model, names: tuple[str, ...]) -> tuple[list[str], tuple]:
    """The COPY columns of new rows given as plain values of `names` (attnames), and the
    values every row ends with: the other fields' defaults (auto_now fields: now). The
    primary key is left to the database."""
    opts = model._meta
    now = timezone.now()
    columns = [opts.get_field(name).column for name in names]
    tail = []
    for f in opts.concrete_fields:
        if f.primary_key or f.attname in names:
            continue
        columns.append(f.column)
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        tail.append(f.get_db_prep_save(now if auto else f.get_default(), db))
    return columns, tuple(tail)


def _insert_values(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """New rows of a model without custom fields (events, spells) given as plain values of
    `names` (attnames): no model instance per row on the COPY path."""
    if not rows:
        return
    db = _db()
    if not _use_copy(db, len(rows)):
        model.objects.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=CHUNK
        )
        return
    columns, tail = _value_columns(db, model, names)
    _copy(db, model, columns, ((*row, *tail) for row in rows))


def _labels() -> dict[str, str]:
    labels = {field.name: str(field.verbose_name) for field in Member._meta.fields}
    labels["id_number"] = _("公民身份号码")  # a property over the encrypted columns
    labels["moved_in_on"] = _("转入日期")
    labels["category"] = _("党员类别")
    return labels


def _allowed_org_ids(actor, action: str, org_ids) -> set[int]:
    return pks_in(Organization.objects.restrict(actor, action), org_ids)


def existing_id_numbers(numbers) -> dict[str, Member]:
    """Members holding these normalised ID numbers, by number; through
    `Member.objects.with_id_numbers`, the one lookup that survives encryption at rest."""
    found: dict[str, Member] = {}
    for chunk in _chunks(sorted(set(numbers))):
        for member in Member.objects.with_id_numbers(chunk).select_related("org"):
            found[member.id_number] = member
    return found


def _raise_problems(problems: list[str]) -> None:
    if problems:
        raise ValidationError(problems)


def _problem_lines(index: int, errors: dict, labels: dict) -> list[str]:
    return [
        _("第%(row)d条 %(field)s: %(message)s")
        % {"row": index, "field": labels.get(field, field), "message": message}
        for field, messages in errors.items()
        for message in messages
    ]


def _member_maker():
    """`Member(**values)` for MEMBER_FIELDS without Django's keyword path, which costs a
    quarter of building a big import's members (a default looked up per absent field, a
    descriptor per relation): the values go positionally in field order, a relation's
    object into the instance's cache as its descriptor would put it, constant defaults are
    computed once, and the properties (the ID number, encrypted) are set afterwards, as the
    keyword path sets them. tests/members/test_member_maker.py holds it to `Member(**values)`."""
    plan = []
    for field in Member._meta.concrete_fields:
        if field.name in MEMBER_FIELDS:
            plan.append((field.name, field, None))
        elif field.has_default() and callable(field.default):
            plan.append((None, field, None))  # a fresh default per instance
        else:
            plan.append((None, None, field.get_default()))
    properties = [
        name for name in MEMBER_FIELDS if name not in {f.name for f in Member._meta.fields}
    ]

    def make(values: dict) -> Member:
        args, related = [], []
        for name, field, constant in plan:
            if name is None:
                args.append(constant if field is None else field.get_default())
            elif name not in values:
                args.append(field.get_default())
            elif field.is_relation:
                value = values[name]
                args.append(None if value is None else value.pk)
                related.append((field, value))
            else:
                args.append(values[name])
        member = Member(*args)
        for field, value in related:
            field.set_cached_value(member, value)
        for name in properties:
            if name in values:
                setattr(member, name, values[name])
        return member

    return make


def _build_members(rows, checked, allowed, existing, seen, today, labels, problems, late):
    """Members for the rows of `bulk_create_members` with their `moved_in_on`; every
    problem is appended to `problems` (the row is then left out). `late`: the caller's
    check of a row (its index) and the list of the rows it refused."""
    make = _member_maker()
    late_check, refused = late
    for index in range(1, len(rows) + 1):
        row, rows[index - 1] = rows[index - 1], None
        if late_check is not None and not late_check(index - 1):
            refused.append(index)
            continue
        member = make(row)
        org = row.get("org")
        errors: dict[str, list[str]] = {}
        if not checked:
            errors = _problems(member, org, row.get("category") or None, today)
        if org is None:
            errors.setdefault("org", []).append(_("所在党组织不能为空"))
        elif org.pk not in allowed:
            errors.setdefault("org", []).append(_("所在党组织不在您的管理范围内"))
        moved_in_on = row.get("moved_in_on")
        if moved_in_on and member.joined_on and moved_in_on < member.joined_on:
            errors.setdefault("moved_in_on", []).append(_("转入日期不能早于入党日期"))
        if "id_number" not in errors:
            try:
                if not checked:
                    member.id_number = normalize_id_number(member.id_number)
                number = member.id_number
            except ValidationError as exc:
                errors.setdefault("id_number", []).extend(exc.messages)
            else:
                if number in existing:
                    errors.setdefault("id_number", []).append(_("公民身份号码已存在"))
                elif number in seen:
                    errors.setdefault("id_number", []).append(_("公民身份号码在本批数据中重复"))
                seen.add(number)
        if not errors:
            member.fill_derived()
            if not checked:
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
                    for field, messages in _with_id_number_errors(exc.message_dict).items():
                        errors.setdefault(field, []).extend(messages)
        if errors:
            problems.extend(_problem_lines(index, errors, labels))
            continue
        yield member, moved_in_on


# A new member's history: its first event (joined or moved in), its 转正 if any, and
# the spell that starts with it.
EVENT_VALUES = ("member_id", "kind", "on", "org_id")
SPELL_VALUES = ("member_id", "org_id", "start_on", *MIRRORED)
# Members per round of the streamed writes (below).
STREAM_BATCH = 3_000


def _event_values(member: Member, moved_in_on) -> list[tuple]:
    start = moved_in_on or member.joined_on
    kind = EventKind.MOVED_IN if moved_in_on else EventKind.JOINED
    events = [(member.pk, kind, start, member.org_id)]
    if member.converted_on:
        events.append((member.pk, EventKind.CONVERTED, member.converted_on, member.org_id))
    return events


def _spell_values(member: Member, moved_in_on) -> tuple:
    return (member.pk, member.org_id, moved_in_on or member.joined_on, *mirrored_values(member))


def _refuse(problems: list[str], refused: list[int]) -> None:
    _raise_problems(problems)
    if refused:
        raise RowsRefused


def _stream_new_members(db, built, count: int, failed) -> None:
    """Write new members with their events and spells while the next ones are checked
    and built: a round of STREAM_BATCH members is sent as three COPYs whose ends the
    client does not wait for (core.copying), and a third of the next round is built
    while the server finishes each one, foreign keys checked as it goes. Once `failed()`
    (a row had a problem) nothing more is sent, but every row is still checked; the
    caller's error then rolls the whole batch back."""
    member_columns, member_row = _object_rows(db, Member)
    event_columns, event_tail = _value_columns(db, MemberEvent, EVENT_VALUES)
    spell_columns, spell_tail = _value_columns(db, Membership, SPELL_VALUES)
    ids = iter(_reserve_ids(db, Member, count))
    third = max(STREAM_BATCH // 3, 1)

    def take(size: int) -> list:
        batch = []
        for member, moved_in_on in itertools.islice(built, size):
            if not failed():
                batch.append((member_row(member, next(ids)), member, moved_in_on))
        return batch

    tables = [m._meta.db_table for m in (Member, MemberEvent, Membership)]
    with CopyStream(db, checked_tables=tables) as stream:
        batch = take(STREAM_BATCH)
        while batch and not failed():
            stream.copy(Member._meta.db_table, member_columns, (row for row, *_ in batch))
            following = take(third)
            stream.copy(
                MemberEvent._meta.db_table,
                event_columns,
                (
                    (*values, *event_tail)
                    for _row, member, moved_in_on in batch
                    for values in _event_values(member, moved_in_on)
                ),
            )
            following += take(third)
            stream.copy(
                Membership._meta.db_table,
                spell_columns,
                ((*_spell_values(member, start), *spell_tail) for _row, member, start in batch),
            )
            batch = following + take(max(STREAM_BATCH - 2 * third, 0))
    for _checked in built:  # the problems of the rows left
        pass


@transaction.atomic
def bulk_create_members(
    actor,
    rows,
    *,
    audit_note: str,
    sha256: str = "",
    checked: bool = False,
    audit: bool = True,
    late_check=None,
) -> list[Member]:
    """Create many members at once (imports, the demo city) with the checks of
    `create_member`. Each row is a dict of MEMBER_FIELDS plus optional `category` and
    `moved_in_on`. Every row is checked before anything is written: one bad row raises a
    ValidationError naming all bad rows and nothing is saved, so a batch is never half in.
    `checked=True` skips the per-row record rules and the ID-number lookup when the caller
    (the importer) has just run the same checks over the same rows in this transaction;
    scope and duplicates within the batch are checked regardless. Rows are released as
    the members are built (pass an iterator to hand over the only reference), so a big
    batch is not held twice. The batch is audited as one IMPORT row, not one row per
    member (`audit=False` when the caller writes the one row for a larger batch).
    `late_check(index)`: the caller's own check of a row, run as the rows before it are
    written; a False (the caller keeps the problem) stops the writing, every row is still
    checked, and RowsRefused rolls the batch back."""
    rows = list(rows)
    allowed = _allowed_org_ids(
        actor, Action.ADD, {row["org"].pk for row in rows if row.get("org") is not None}
    )
    existing: set[str] = set()
    if not checked:
        numbers = {
            row["id_number"].strip().upper()
            for row in rows
            if isinstance(row.get("id_number"), str)
        }
        existing = set(existing_id_numbers(numbers))
    labels = _labels()
    today = timezone.localdate()
    problems: list[str] = []
    members: list[Member] = []
    starts: list[dt.date | None] = []
    seen: set[str] = set()
    refused: list[int] = []

    def collected():
        for member, moved_in_on in _build_members(
            rows, checked, allowed, existing, seen, today, labels, problems, (late_check, refused)
        ):
            members.append(member)
            starts.append(moved_in_on)
            yield member, moved_in_on

    db = _db()
    if _use_copy(db, len(rows)):
        _stream_new_members(db, collected(), len(rows), lambda: problems or refused)
        _refuse(problems, refused)
    else:
        for _member in collected():
            pass
        _refuse(problems, refused)
        _insert(Member, members)
        events: list[tuple] = []
        spells: list[tuple] = []
        for member, moved_in_on in zip(members, starts, strict=True):
            events.extend(_event_values(member, moved_in_on))
            spells.append(_spell_values(member, moved_in_on))
        _insert_values(MemberEvent, EVENT_VALUES, events)
        _insert_values(Membership, SPELL_VALUES, spells)
    if audit:
        record(
            actor,
            AuditAction.IMPORT,
            None,
            changes={
                "count": [None, len(members)],
                "note": [None, audit_note],
                **({"sha256": [None, sha256]} if sha256 else {}),
            },
            org_path=Organization.common_path(member.org.path for member in members),
            object_repr=audit_note,
        )
    return members


# Fields an import may change on an existing record (the ID number is the key).
UPDATE_FIELDS = tuple(k for k in MEMBER_FIELDS if k not in ("id_number", "user"))


def _changed(member: Member, fields: dict) -> dict:
    """Field -> new value, for the values that differ from the record."""
    changes = {}
    for key in UPDATE_FIELDS:
        if key not in fields:
            continue
        value = fields[key]
        field = Member._meta.get_field(key)
        if field.is_relation:
            current = getattr(member, field.attname)
            new = value.pk if value is not None else None
        else:
            current = getattr(member, key)
            new = value
        if current != new:
            changes[key] = value
    return changes


@transaction.atomic
def bulk_update_members(
    actor,
    updates,
    *,
    checked: bool = False,
    audit: bool = True,
    audit_note: str = "",
    sha256: str = "",
    transfer_on: dt.date | None = None,
) -> int:
    """Apply many record changes at once with the checks and history of `update_member`:
    a new org is a transfer dated `transfer_on` (default today) that closes the open spell
    and writes a 系统内调动 event; a changed 转正日期 or 入党日期 moves its event (and the
    first spell). `updates` are (member, {field: value}) pairs; a pair that changes
    nothing writes nothing. Returns how many records changed. All or nothing."""
    updates = list(updates)
    today = timezone.localdate()
    transfer_on = transfer_on or today
    ids = [member.pk for member, _fields in updates]
    changeable: set[int] = set()
    for chunk in _chunks(ids):
        changeable.update(
            Member.objects.restrict(actor, Action.CHANGE)
            .filter(pk__in=chunk)
            .values_list("pk", flat=True)
        )
    new_orgs = {
        fields["org"].pk
        for member, fields in updates
        if fields.get("org") is not None and fields["org"].pk != member.org_id
    }
    addable = _allowed_org_ids(actor, Action.ADD, new_orgs)
    labels = _labels()
    problems: list[str] = []
    changed: list[tuple[Member, dict, dict]] = []
    for index, (member, fields) in enumerate(updates, start=1):
        errors: dict[str, list[str]] = {}
        if member.pk not in changeable:
            errors.setdefault("id_number", []).append(_("该党员不在您的管理范围内"))
            problems.extend(_problem_lines(index, errors, labels))
            continue
        changes = _changed(member, fields)
        if not changes:
            continue
        before = {
            "org_id": member.org_id,
            "joined_on": member.joined_on,
            "converted_on": member.converted_on,
        }
        for key, value in changes.items():
            setattr(member, key, value)
        if not checked:
            errors = _problems(member, member.org, fields.get("category") or None, today)
            errors.pop("id_number", None)
        if member.org_id != before["org_id"]:
            if member.status != Status.ACTIVE:
                errors.setdefault("org", []).append(_("该党员党籍状态不是“正常”, 不能调动"))
            if member.org_id not in addable:
                errors.setdefault("org", []).append(_("所在党组织不在您的管理范围内"))
        if errors:
            problems.extend(_problem_lines(index, errors, labels))
            continue
        member.fill_derived()
        changed.append((member, changes, before))
    _raise_problems(problems)
    if changed:
        _write_changes(changed, transfer_on)
    if audit and updates:
        _audit_batch(actor, audit_note, sha256, [m for m, _f in updates], created=0)
    return len(changed)


def _write_changes(changed: list[tuple[Member, dict, dict]], transfer_on: dt.date) -> None:
    problems: list[str] = []
    moved = [(m, b) for m, c, b in changed if "org" in c]
    spells = {
        spell.member_id: spell
        for chunk in _chunks([m.pk for m, _b in moved])
        for spell in Membership.objects.filter(member_id__in=chunk, end_on__isnull=True)
    }
    for member, _before in moved:
        spell = spells.get(member.pk)
        if spell and transfer_on < spell.start_on:
            problems.append(
                _("%(name)s: 调动日期不能早于进入原组织的日期 %(d)s")
                % {"name": member.name, "d": spell.start_on}
            )
    _raise_problems(problems)

    now = timezone.now()
    for member, _changes, _before in changed:
        member.updated_at = now
    Member.objects.bulk_update(
        [m for m, _c, _b in changed],
        [*UPDATE_FIELDS, "name_pinyin", "name_initials", "birth_date", "updated_at"],
        batch_size=CHUNK,
    )

    new_events: list[MemberEvent] = []
    new_spells: list[Membership] = []
    ended: list[Membership] = []
    moved_spells: list[Membership] = []
    for member, before in moved:
        spell = spells.get(member.pk)
        if spell:
            if transfer_on == spell.start_on:
                spell.org_id = member.org_id
                moved_spells.append(spell)
            else:
                spell.end_on = transfer_on
                ended.append(spell)
                new_spells.append(_new_spell(member, transfer_on))
        new_events.append(
            MemberEvent(
                member_id=member.pk,
                kind=EventKind.TRANSFERRED,
                on=transfer_on,
                org_id=member.org_id,
                from_org_id=before["org_id"],
            )
        )
    Membership.objects.bulk_update(ended, ["end_on"], batch_size=CHUNK)
    Membership.objects.bulk_update(moved_spells, ["org"], batch_size=CHUNK)

    reconverted = [m for m, c, _b in changed if "converted_on" in c]
    for chunk in _chunks([m.pk for m in reconverted]):
        MemberEvent.objects.filter(member_id__in=chunk, kind=EventKind.CONVERTED).delete()
    new_events.extend(
        MemberEvent(member_id=m.pk, kind=EventKind.CONVERTED, on=m.converted_on, org_id=m.org_id)
        for m in reconverted
        if m.converted_on
    )

    rejoined = {m.pk: m for m, c, _b in changed if "joined_on" in c}
    joined_events = [
        event
        for chunk in _chunks(rejoined)
        for event in MemberEvent.objects.filter(member_id__in=chunk, kind=EventKind.JOINED)
    ]
    first_spells: dict[int, Membership] = {}
    for chunk in _chunks(rejoined):
        for spell in Membership.objects.filter(member_id__in=chunk).order_by("start_on", "id"):
            first_spells.setdefault(spell.member_id, spell)
    shifted_spells = []
    moved_events = []
    for event in joined_events:
        member = rejoined[event.member_id]
        if event.on == member.joined_on:
            continue
        first = first_spells.get(member.pk)
        if first and first.start_on == event.on:
            first.start_on = member.joined_on
            shifted_spells.append(first)
        event.on = member.joined_on
        moved_events.append(event)
    Membership.objects.bulk_update(shifted_spells, ["start_on"], batch_size=CHUNK)
    MemberEvent.objects.bulk_update(moved_events, ["on"], batch_size=CHUNK)
    _insert(Membership, new_spells)
    _insert(MemberEvent, new_events)
    mirror_to_spells(m.pk for m, _c, _b in changed)


def _new_spell(member: Member, start_on: dt.date) -> Membership:
    """A spell from `start_on` in the member's org, with the member's mirrored attributes."""
    spell = Membership(member_id=member.pk, org_id=member.org_id, start_on=start_on)
    for name, value in zip(MIRRORED, mirrored_values(member), strict=True):
        setattr(spell, name, value)
    return spell


def _audit_batch(actor, note: str, sha256: str, members, *, created: int, updated: int = 0):
    audit.batch(
        actor,
        AuditAction.IMPORT,
        org_path=Organization.common_path(m.org.path for m in members),
        object_repr=note,
        created=created,
        updated=updated or len(members),
        note=note,
        **({"sha256": sha256} if sha256 else {}),
    )


@transaction.atomic
def import_members(
    actor,
    *,
    creates,
    updates,
    source: str,
    sha256: str,
    checked: bool = True,
    late_check=None,
) -> tuple[int, int, int]:
    """One import file: new records, changes to existing ones, and ONE audit row with the
    counts and the file's SHA-256 (never the ID numbers). Returns (created, matched,
    changed). `late_check`: as for bulk_create_members."""
    created = bulk_create_members(
        actor, creates, audit_note=source, checked=checked, audit=False, late_check=late_check
    )
    updates = list(updates)
    changed = bulk_update_members(actor, updates, checked=checked, audit=False)
    touched = [*created, *(member for member, _fields in updates)]
    audit.batch(
        actor,
        AuditAction.IMPORT,
        org_path=Organization.common_path(m.org.path for m in touched),
        object_repr=_("导入党员: %(f)s") % {"f": source},
        file=source,
        sha256=sha256,
        created=len(created),
        updated=len(updates),
        changed=changed,
    )
    return len(created), len(updates), changed
