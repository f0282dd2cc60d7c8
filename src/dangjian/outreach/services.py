"""Every write to 结对帮扶: scope checked, validated with Chinese messages, saved and audited
in one transaction. Pages, the API and the demo loader call these; the demo writes its
ledger in bulk through `record_assistance_batch` (one audit row for the batch)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import audit, uploads
from dangjian.core.audit import AuditAction
from dangjian.core.batches import pks_in
from dangjian.core.registers.photos import PhotoGallery
from dangjian.core.roles import Action
from dangjian.core.scope import require
from dangjian.orgs.models import Organization
from dangjian.outreach.models import (
    SCHOOL_KINDS,
    Assistance,
    AssistanceKind,
    Pairing,
    PairingKind,
)

PAIRING_FIELDS = (
    "org",
    "kind",
    "school",
    "partner_school",
    "partner_name",
    "started_on",
    "ended_on",
    "responsible",
    "plan",
)
ASSISTANCE_FIELDS = ("pairing", "kind", "on", "amount", "quantity", "description")
# Which ledger kinds need an amount and which a quantity.
NEEDS_AMOUNT = (
    AssistanceKind.MONEY,
    AssistanceKind.GOODS,
    AssistanceKind.TUITION,
    AssistanceKind.GRANT,
)
NEEDS_QUANTITY = (AssistanceKind.BOOKS, AssistanceKind.TUITION, AssistanceKind.GRANT)


class Problems:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field_name: str, message) -> None:
        self.errors.setdefault(field_name, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def pairing_problems(pairing: Pairing, today: dt.date) -> Problems:
    problems = Problems()
    if pairing.kind not in PairingKind.values:
        problems.add("kind", _("请选择结对类型"))
    if pairing.kind in SCHOOL_KINDS:
        if pairing.partner_school_id is None:
            problems.add("partner_school", _("学校结对须选择结对学校"))
        if pairing.school_id is None:
            problems.add("school", _("学校结对须选择帮扶学校"))
        elif pairing.school_id == pairing.partner_school_id:
            problems.add("partner_school", _("结对学校不能是帮扶学校本身"))
    elif not (pairing.partner_name or "").strip():
        problems.add("partner_name", _("请填写结对对象"))
    if pairing.started_on and pairing.started_on > today:
        problems.add("started_on", _("结对日期不能晚于今天"))
    if pairing.ended_on and pairing.started_on and pairing.ended_on < pairing.started_on:
        problems.add("ended_on", _("结束日期不能早于结对日期"))
    if not (pairing.responsible or "").strip():
        problems.add("responsible", _("请填写责任人"))
    return problems


@transaction.atomic
def create_pairing(actor, **data) -> Pairing:
    org: Organization = data["org"]
    require(actor, Action.ADD, org)
    pairing = Pairing(**{key: data.get(key) for key in PAIRING_FIELDS if key in data})
    pairing.partner_name = pairing.partner_name or ""
    pairing.plan = pairing.plan or ""
    pairing_problems(pairing, timezone.localdate()).raise_if_any()
    pairing.save()
    audit.created(actor, pairing, exclude=("created_at",), org_path=org.path)
    require(actor, Action.ADD, pairing)
    return pairing


@transaction.atomic
def update_pairing(actor, pairing: Pairing, **data) -> Pairing:
    require(actor, Action.CHANGE, pairing)
    before = audit.state(pairing, exclude=("created_at",))
    for key in PAIRING_FIELDS:
        if key in data:
            setattr(pairing, key, data[key])
    pairing.partner_name = pairing.partner_name or ""
    pairing.plan = pairing.plan or ""
    pairing_problems(pairing, timezone.localdate()).raise_if_any()
    pairing.save()
    audit.changed(actor, pairing, before, exclude=("created_at",), org_path=pairing.org.path)
    require(actor, Action.CHANGE, pairing)
    return pairing


@transaction.atomic
def delete_pairing(actor, pairing: Pairing) -> None:
    require(actor, Action.DELETE, pairing)
    if pairing.assistance.exists():
        raise ValidationError(_("该结对已有帮扶记录, 请先删除帮扶记录或填写结束日期"))
    audit.deleted(actor, pairing, exclude=("created_at",), org_path=pairing.org.path)
    pairing.delete()


def assistance_problems(entry: Assistance, today: dt.date) -> Problems:
    problems = Problems()
    if entry.kind not in AssistanceKind.values:
        problems.add("kind", _("请选择帮扶类别"))
    if entry.on and entry.on > today:
        problems.add("on", _("日期不能晚于今天"))
    pairing = entry.pairing
    if entry.on and pairing.started_on and entry.on < pairing.started_on:
        problems.add("on", _("日期不能早于结对日期%(d)s") % {"d": pairing.started_on})
    if entry.on and pairing.ended_on and entry.on > pairing.ended_on:
        problems.add("on", _("日期不能晚于结对结束日期%(d)s") % {"d": pairing.ended_on})
    if entry.kind in NEEDS_AMOUNT and (entry.amount is None or entry.amount <= 0):
        problems.add("amount", _("请填写大于0的金额"))
    if entry.amount is not None and entry.amount < 0:
        problems.add("amount", _("金额不能为负数"))
    if entry.kind in NEEDS_QUANTITY and not entry.quantity:
        problems.add("quantity", _("请填写册数或人数"))
    if not (entry.description or "").strip():
        problems.add("description", _("请填写帮扶内容"))
    return problems


@transaction.atomic
def record_assistance(actor, **data) -> Assistance:
    pairing: Pairing = data["pairing"]
    require(actor, Action.CHANGE, pairing)
    entry = Assistance(**{key: data.get(key) for key in ASSISTANCE_FIELDS if key in data})
    assistance_problems(entry, timezone.localdate()).raise_if_any()
    entry.save()
    audit.created(actor, entry, exclude=("created_at",), org_path=pairing.org.path)
    return entry


@transaction.atomic
def update_assistance(actor, entry: Assistance, **data) -> Assistance:
    require(actor, Action.CHANGE, entry)
    before = audit.state(entry, exclude=("created_at",))
    for key in ASSISTANCE_FIELDS:
        if key in data:
            setattr(entry, key, data[key])
    require(actor, Action.CHANGE, entry.pairing)
    assistance_problems(entry, timezone.localdate()).raise_if_any()
    entry.save()
    audit.changed(actor, entry, before, exclude=("created_at",), org_path=entry.pairing.org.path)
    return entry


@transaction.atomic
def delete_assistance(actor, entry: Assistance) -> None:
    """The entry and its photos (their bytes go once the deletion commits)."""
    require(actor, Action.DELETE, entry)
    photos = list(entry.photos.all())
    audit.deleted(actor, entry, exclude=("created_at",), org_path=entry.pairing.org.path)
    entry.delete()
    for stored in photos:
        uploads.delete(actor, stored)


# -- evidence photos ----------------------------------------------------------------------

# Readable by whoever may view the pairing's org; `add_photo`/`remove_photo` are the
# gallery's services (scope, cap and audit row written once in the register kit).
PHOTOS = PhotoGallery(
    Assistance,
    detail_url_name="assistance-detail",
    org_path=lambda entry: entry.pairing.org.path,
    too_many=gettext_lazy("每条帮扶记录最多上传%(n)d张照片"),
    not_its=gettext_lazy("该照片不属于这条帮扶记录"),
)
PHOTOS_MAX = PHOTOS.limit
add_photo = PHOTOS.add
remove_photo = PHOTOS.remove


@transaction.atomic
def record_pairings_batch(actor, pairings: list[Pairing], *, note: str) -> list[Pairing]:
    """Many pairings at once (the demo, an import): every one validated, one audit row."""
    today = timezone.localdate()
    _check_batch(actor, Action.ADD, {p.org_id for p in pairings}, Organization)
    for pairing in pairings:
        pairing_problems(pairing, today).raise_if_any()
    created = Pairing.objects.bulk_create(pairings, batch_size=500)
    paths = Organization.objects.filter(pk__in={p.org_id for p in pairings})
    audit.batch(
        actor,
        AuditAction.CREATE,
        org_path=Organization.common_path(paths.values_list("path", flat=True)),
        object_repr=note,
        pairings=len(created),
    )
    return created


@transaction.atomic
def record_assistance_batch(actor, entries: list[Assistance], *, note: str) -> int:
    """Many ledger entries at once (the demo, an import): validated, one audit row."""
    today = timezone.localdate()
    _check_batch(actor, Action.CHANGE, {e.pairing_id for e in entries}, Pairing)
    for entry in entries:
        assistance_problems(entry, today).raise_if_any()
    Assistance.objects.bulk_create(entries, batch_size=1000)
    paths = Organization.objects.filter(pk__in={e.pairing.org_id for e in entries})
    audit.batch(
        actor,
        AuditAction.CREATE,
        org_path=Organization.common_path(paths.values_list("path", flat=True)),
        object_repr=note,
        entries=len(entries),
        amount=str(sum((e.amount or Decimal(0)) for e in entries)),
    )
    return len(entries)


def _check_batch(actor, action, pks: set, model) -> None:
    if pks_in(model.objects.all().restrict(actor, action), pks) != pks:
        raise ValidationError(_("部分记录不在您的管理范围内"))
