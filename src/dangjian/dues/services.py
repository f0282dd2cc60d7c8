"""Every write of 党费: bases, payments, voluntary payments, reductions and their approval.
Each checks scope, validates with Chinese messages, writes the audit row and keeps the
member's ledger (DuesMonth) equal to what the records say, in one transaction."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.dates import add_months
from dangjian.core.roles import Action
from dangjian.core.scope import NotInScope, is_unrestricted, require, scope_paths
from dangjian.dues import rules as R
from dangjian.dues.models import (
    ApprovalStatus,
    DuesBase,
    DuesMonth,
    DuesPayment,
    DuesReduction,
    PaymentKind,
    PaymentMethod,
    RateCategory,
    ReductionKind,
)
from dangjian.members.choices import Status
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class Problems:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _today() -> dt.date:
    return timezone.localdate()


def _money(value, field: str, problems: Problems, *, allow_zero=False) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        problems.add(field, _("请填写金额"))
        return None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        problems.add(field, _("金额应大于0") if not allow_zero else _("金额不能为负数"))
        return None
    if amount != amount.quantize(R.CENT):
        problems.add(field, _("金额最多精确到分(两位小数)"))
        return None
    if amount >= Decimal("100000000"):
        problems.add(field, _("金额过大"))
        return None
    return amount


# -- the ledger ------------------------------------------------------------------------------


def ledger_months(member: Member, year: int) -> list[dt.date]:
    """The months of `year` dues are owed for: from the month of admission (the 支部大会's
    day), while the member is in the Party's ranks (the month of leaving is no longer owed)."""
    first = max(dt.date(year, 1, 1), R.month_of(member.joined_on))
    last = dt.date(year, 12, 1)
    if member.status != Status.ACTIVE and member.left_on is not None:
        last = min(last, R.month_of(member.left_on) - dt.timedelta(days=1))
    return list(R.month_range(first, last)) if first <= last else []


def refresh_ledger(members, years=None, table: R.RateTable | None = None) -> int:
    """Rebuild the ledger rows of these members (for these years, or every year with a
    base): due from base, rate table and approved reductions; paid from the payments.
    Returns the number of rows written. A few queries for the whole batch."""
    members = list(members)
    if not members:
        return 0
    table = table or R.RateTable()
    ids = [m.pk for m in members]
    bases = DuesBase.objects.filter(member_id__in=ids)
    if years is not None:
        bases = bases.filter(year__in=list(years))
    by_member: dict[int, dict[int, DuesBase]] = defaultdict(dict)
    for base in bases:
        by_member[base.member_id][base.year] = base
    reductions = defaultdict(list)
    for red in DuesReduction.objects.filter(member_id__in=ids, status=ApprovalStatus.APPROVED):
        reductions[red.member_id].append(red)
    paid = defaultdict(Decimal)
    payments = (
        DuesPayment.objects.order_by()
        .filter(member_id__in=ids, kind=PaymentKind.REGULAR)
        .values("member_id", "month")
        .annotate(total=Sum("amount"))
    )
    for row in payments:
        paid[(row["member_id"], row["month"])] = row["total"]
    rows: dict[tuple, tuple] = {}
    for member in members:
        for year, base in by_member.get(member.pk, {}).items():
            for month in ledger_months(member, year):
                due = table.due(month, base.category, base.base)
                if due is None:
                    continue
                kind = ""
                for red in reductions.get(member.pk, []):
                    if red.first_month <= month <= red.last_month:
                        kind = red.kind
                        due = (
                            Decimal(0)
                            if red.kind == ReductionKind.EXEMPT
                            else min(due, red.monthly_amount or Decimal(0))
                        )
                rows[(member.pk, month)] = (
                    base.base,
                    base.category,
                    due,
                    paid.get((member.pk, month), Decimal(0)),
                    kind,
                )
    existing = DuesMonth.objects.filter(member_id__in=ids)
    if years is not None:
        existing = existing.filter(month__year__in=list(years))
    changed, gone = [], []
    for row in existing:
        values = rows.pop((row.member_id, row.month), None)
        if values is None:
            gone.append(row.pk)
        elif values != tuple(getattr(row, f) for f in LEDGER_FIELDS):
            for f, value in zip(LEDGER_FIELDS, values, strict=True):
                setattr(row, f, value)
            changed.append(row)
    # Rows keep their ids (links, the API) while their month is still owed.
    if gone:
        DuesMonth.objects.filter(pk__in=gone).delete()
    DuesMonth.objects.bulk_update(changed, LEDGER_FIELDS, batch_size=2000)
    insert_rows(
        DuesMonth,
        ("member_id", "month", *LEDGER_FIELDS),
        [(member_id, month, *values) for (member_id, month), values in rows.items()],
    )
    return len(rows) + len(changed)


LEDGER_FIELDS = ("base", "category", "due", "paid", "reduction")


def insert_rows(model, columns, rows) -> None:
    """Plain INSERTs of many rows (the ledger, the demo's payments): what bulk_create does
    without building a model instance per row, which dominated a city's load."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(
        connection.ops.quote_name(model._meta.get_field(c.removesuffix("_id")).column)
        for c in columns
    )
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


# -- bases -----------------------------------------------------------------------------------


def _check_base(member, year, category, base, problems: Problems) -> Decimal | None:
    if category not in RateCategory.values:
        problems.add("category", _("请选择交纳类别"))
    if not isinstance(year, int) or year < R.RULES_2008_FROM.year or year > _today().year + 1:
        problems.add(
            "year",
            _("年度应在%(a)d至%(b)d之间") % {"a": R.RULES_2008_FROM.year, "b": _today().year + 1},
        )
    elif year < member.joined_on.year:
        problems.add("year", _("年度早于该党员的入党日期"))
    amount = _money(base if base not in (None, "") else 0, "base", problems, allow_zero=True)
    if amount is not None and amount == 0 and R.needs_base(category):
        problems.add("base", _("在职和离退休党员须填写月交纳基数"))
    return amount


@transaction.atomic
def set_base(actor, member: Member, *, year: int, category: str, base, note: str = "") -> DuesBase:
    """Enter or correct the member's base for a year; the year's ledger follows."""
    existing = DuesBase.objects.filter(member=member, year=year).first()
    require(actor, Action.CHANGE if existing else Action.ADD, member)
    problems = Problems()
    amount = _check_base(member, year, category, base, problems)
    problems.raise_if_any()
    if existing is None:
        record = DuesBase.objects.create(
            member=member, year=year, category=category, base=amount, note=note
        )
        audit.created(actor, record, org_path=member.org.path, exclude=("created_at", "updated_at"))
    else:
        record = existing
        before = audit.state(record, exclude=("created_at", "updated_at"))
        record.category, record.base, record.note = category, amount, note
        record.save()
        audit.changed(
            actor, record, before, org_path=member.org.path, exclude=("created_at", "updated_at")
        )
    refresh_ledger([member], [year])
    require(actor, Action.CHANGE if existing else Action.ADD, member)
    return record


def update_base(actor, record: DuesBase, **data) -> DuesBase:
    if data.get("year", record.year) != record.year or data.get("member", record.member) != (
        record.member
    ):
        raise ValidationError({"year": _("不能修改党员和年度, 请删除后重新登记")})
    return set_base(
        actor,
        record.member,
        year=record.year,
        category=data.get("category", record.category),
        base=data.get("base", record.base),
        note=data.get("note", record.note) or "",
    )


@transaction.atomic
def delete_base(actor, record: DuesBase) -> None:
    require(actor, Action.DELETE, record.member)
    if DuesPayment.objects.filter(
        member=record.member, month__year=record.year, kind=PaymentKind.REGULAR
    ).exists():
        raise ValidationError(_("该年度已有交纳记录, 不能删除基数; 请修改基数"))
    audit.deleted(
        actor, record, org_path=record.member.org.path, exclude=("created_at", "updated_at")
    )
    record.delete()
    refresh_ledger([record.member], [record.year])


# -- payments --------------------------------------------------------------------------------


def _receipt_no(payment: DuesPayment) -> str:
    return f"DF{payment.paid_on:%Y%m%d}-{payment.pk:06d}"


def _check_payable(member: Member, month: dt.date, paid_on: dt.date, problems: Problems):
    """Whether `month` may be paid on `paid_on`; the ledger row when it may."""
    if paid_on > _today():
        problems.add("paid_on", _("交纳日期不能晚于今天"))
        return None
    if month < R.month_of(member.joined_on):
        problems.add(
            "month",
            _("%(m)s早于入党当月(%(j)s), 党费从入党当月起交纳")
            % {"m": f"{month:%Y-%m}", "j": f"{member.joined_on:%Y-%m}"},
        )
        return None
    if month < R.earliest_payable(paid_on):
        problems.add(
            "month",
            _("补交党费最多补交%(n)d个月: %(d)s交纳时最早可补交%(m)s")
            % {
                "n": R.backpay_months(),
                "d": paid_on.isoformat(),
                "m": f"{R.earliest_payable(paid_on):%Y-%m}",
            },
        )
        return None
    if month > R.latest_payable(paid_on):
        problems.add("month", _("最多预交%(n)d个月") % {"n": R.prepay_months()})
        return None
    row = DuesMonth.objects.filter(member=member, month=month).first()
    if row is None:
        problems.add(
            "month",
            _("%(m)s没有应交党费记录: 请先登记%(y)d年度的党费基数")
            % {"m": f"{month:%Y-%m}", "y": month.year},
        )
    return row


def _create_payment(actor, member, **fields) -> DuesPayment:
    payment = DuesPayment.objects.create(
        member=member, recorded_by=getattr(actor, "username", "") or "", **fields
    )
    if not payment.receipt_no:
        payment.receipt_no = _receipt_no(payment)
        payment.save(update_fields=["receipt_no"])
    audit.created(actor, payment, org_path=member.org.path, exclude=("created_at",))
    return payment


@transaction.atomic
def record_payment(
    actor,
    member: Member,
    *,
    month: dt.date,
    paid_on: dt.date,
    method: str,
    amount=None,
    note: str = "",
    receipt_no: str = "",
) -> DuesPayment:
    """A payment for one month, in full (amount empty: what is still owed) or in part."""
    require(actor, Action.ADD, member)
    problems = Problems()
    month = R.month_of(month)
    if method not in PaymentMethod.values:
        problems.add("method", _("请选择交纳方式"))
    row = _check_payable(member, month, paid_on, problems)
    problems.raise_if_any()
    owed = row.due - row.paid
    if amount in (None, ""):
        amount = owed
        if amount <= 0:
            raise ValidationError({"month": _("%(m)s的党费已交清") % {"m": f"{month:%Y-%m}"}})
    else:
        amount = _money(amount, "amount", problems)
        problems.raise_if_any()
        if amount > owed:
            raise ValidationError(
                {
                    "amount": _(
                        "%(m)s应交%(d)s元, 已交%(p)s元, 本次最多%(o)s元; 多交部分请登记为自愿多交"
                    )
                    % {"m": f"{month:%Y-%m}", "d": row.due, "p": row.paid, "o": max(owed, 0)}
                }
            )
    payment = _create_payment(
        actor,
        member,
        kind=PaymentKind.REGULAR,
        month=month,
        amount=amount,
        paid_on=paid_on,
        method=method,
        note=note,
        receipt_no=receipt_no,
    )
    row.paid += amount
    row.save(update_fields=["paid"])
    return payment


@transaction.atomic
def pay_months(
    actor,
    member: Member,
    *,
    first_month: dt.date,
    count: int,
    paid_on: dt.date,
    method: str,
    note: str = "",
) -> list[DuesPayment]:
    """Pay what is owed for `count` months from `first_month` on (back-pay or in advance),
    all under one receipt number. Months already paid are skipped."""
    require(actor, Action.ADD, member)
    if not 1 <= count <= 24:
        raise ValidationError({"count": _("月数应在1至24之间")})
    problems = Problems()
    months = [R.month_of(first_month)]
    for _i in range(count - 1):
        months.append(add_months(months[-1], 1))
    rows = [(m, _check_payable(member, m, paid_on, problems)) for m in months]
    problems.raise_if_any()
    payments: list[DuesPayment] = []
    for month, row in rows:
        owed = row.due - row.paid
        if owed <= 0:
            continue
        payments.append(
            record_payment(
                actor,
                member,
                month=month,
                paid_on=paid_on,
                method=method,
                amount=owed,
                note=note,
                receipt_no=payments[0].receipt_no if payments else "",
            )
        )
    if not payments:
        raise ValidationError({"first_month": _("所选月份的党费均已交清")})
    return payments


@transaction.atomic
def record_voluntary(
    actor, member: Member, *, amount, paid_on: dt.date, method: str, note: str = ""
) -> DuesPayment:
    """A voluntary one-off (自愿多交); from the threshold (1,000 yuan, "以上" includes it)
    the whole amount goes to the Centre and is recorded as such."""
    require(actor, Action.ADD, member)
    problems = Problems()
    amount = _money(amount, "amount", problems)
    if method not in PaymentMethod.values:
        problems.add("method", _("请选择交纳方式"))
    if paid_on > _today():
        problems.add("paid_on", _("交纳日期不能晚于今天"))
    problems.raise_if_any()
    return _create_payment(
        actor,
        member,
        kind=PaymentKind.VOLUNTARY,
        month=R.month_of(paid_on),
        amount=amount,
        paid_on=paid_on,
        method=method,
        note=note,
        to_centre=amount >= R.centre_threshold(),
    )


@transaction.atomic
def delete_payment(actor, payment: DuesPayment) -> None:
    """A payment entered in error; the month owes again."""
    require(actor, Action.DELETE, payment.member)
    audit.deleted(actor, payment, org_path=payment.member.org.path, exclude=("created_at",))
    member, month, kind = payment.member, payment.month, payment.kind
    payment.delete()
    if kind == PaymentKind.REGULAR:
        refresh_ledger([member], [month.year])


# -- reductions and exemptions ---------------------------------------------------------------


@transaction.atomic
def propose_reduction(
    actor,
    member: Member,
    *,
    kind: str,
    first_month: dt.date,
    last_month: dt.date,
    reason: str,
    monthly_amount=None,
) -> DuesReduction:
    """The branch asks to reduce or waive a member's dues (hardship, illness); nothing
    changes until the superior committee approves."""
    require(actor, Action.ADD, member)
    problems = Problems()
    first_month, last_month = R.month_of(first_month), R.month_of(last_month)
    if kind not in ReductionKind.values:
        problems.add("kind", _("请选择减交或免交"))
    if last_month < first_month:
        problems.add("last_month", _("截止月份不能早于起始月份"))
    elif R.months_between(first_month, last_month) >= 24:
        problems.add("last_month", _("一次减免最长24个月, 期满后可重新申请"))
    if not (reason or "").strip():
        problems.add("reason", _("请填写减免原因"))
    amount = None
    if kind == ReductionKind.REDUCE:
        amount = _money(monthly_amount, "monthly_amount", problems)
    problems.raise_if_any()
    reduction = DuesReduction.objects.create(
        member=member,
        kind=kind,
        first_month=first_month,
        last_month=last_month,
        monthly_amount=amount,
        reason=reason.strip(),
    )
    audit.created(actor, reduction, org_path=member.org.path, exclude=("created_at",))
    return reduction


def approving_path(member: Member) -> str:
    """The superior committee approves: the parent of the member's branch."""
    path = member.org.path
    return path[: -Organization.steplen] or path


def may_decide(actor, reduction: DuesReduction) -> bool:
    if is_unrestricted(actor):
        return True
    path = approving_path(reduction.member)
    return any(path.startswith(root) for root in scope_paths(actor, Action.CHANGE))


@transaction.atomic
def decide_reduction(
    actor, reduction: DuesReduction, *, approve: bool, note: str = ""
) -> DuesReduction:
    require(actor, Action.VIEW, reduction)
    if not may_decide(actor, reduction):
        raise NotInScope()
    if reduction.status != ApprovalStatus.PENDING:
        raise ValidationError(_("该申请已审批"))
    before = audit.state(reduction, exclude=("created_at",))
    reduction.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    reduction.decided_by = actor if getattr(actor, "pk", None) else None
    reduction.decided_on = _today()
    reduction.decision_note = note
    reduction.save()
    audit.changed(
        actor, reduction, before, org_path=reduction.member.org.path, exclude=("created_at",)
    )
    years = {m.year for m in R.month_range(reduction.first_month, reduction.last_month)}
    refresh_ledger([reduction.member], years)
    return reduction


@transaction.atomic
def delete_reduction(actor, reduction: DuesReduction) -> None:
    require(actor, Action.DELETE, reduction.member)
    if reduction.status == ApprovalStatus.APPROVED:
        raise ValidationError(_("已批准的减免不能删除"))
    audit.deleted(actor, reduction, org_path=reduction.member.org.path, exclude=("created_at",))
    reduction.delete()


# -- bulk (the demo loader, large imports) ---------------------------------------------------


@transaction.atomic
def bulk_load(actor, bases: list[DuesBase], payments: list[dict], *, note: str) -> int:
    """Write many bases and regular payments at once (the demo, a migration from another
    system), checked by the same rules as one at a time: base amounts, the months a payment
    may cover, never more than is due; then the ledger of every member touched, and one audit
    row for the batch. `payments` are dicts of member, month, amount, paid_on, method and
    receipt_no. Returns the ledger rows written."""
    members = {b.member_id: b.member for b in bases}
    for base in bases:
        problems = Problems()
        _check_base(base.member, base.year, base.category, base.base, problems)
        problems.raise_if_any()
    now = timezone.now()
    who = getattr(actor, "username", "") or ""
    rows = []
    methods = frozenset(PaymentMethod.values)
    for p in payments:
        member, month, paid_on = p["member"], p["month"], p["paid_on"]
        if p["amount"] <= 0 or p["method"] not in methods or not p["receipt_no"]:
            raise ValidationError(_("批量写入的交纳记录不完整"))
        if month < R.month_of(member.joined_on) or month < R.earliest_payable(paid_on):
            raise ValidationError(_("批量写入的交纳记录超出可交纳的月份"))
        members.setdefault(member.pk, member)
        rows.append(
            (
                member.pk,
                PaymentKind.REGULAR.value,
                month,
                p["amount"],
                paid_on,
                p["method"],
                False,
                p["receipt_no"],
                "",
                who,
                now,
            )
        )
    DuesBase.objects.bulk_create(bases, batch_size=2000)
    insert_rows(
        DuesPayment,
        (
            "member_id",
            "kind",
            "month",
            "amount",
            "paid_on",
            "method",
            "to_centre",
            "receipt_no",
            "note",
            "recorded_by",
            "created_at",
        ),
        rows,
    )
    written = refresh_ledger(members.values())
    if DuesMonth.objects.filter(member_id__in=list(members), paid__gt=F("due")).exists():
        raise ValidationError(_("批量写入的交纳金额超过应交金额"))
    paths = sorted({m.org.path for m in members.values()})
    audit.batch(
        actor,
        audit.AuditAction.IMPORT,
        org_path=Organization.common_path(paths) if paths else "",
        object_repr=note,
        bases=len(bases),
        payments=len(payments),
        ledger=written,
    )
    return written
