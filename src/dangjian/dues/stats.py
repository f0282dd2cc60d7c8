"""党费 figures for the statistics object (INTERFACES 6, key `dues`), from the ledger and
the payments, a few aggregate queries whatever the subtree's size.

- `due`: what the ledger says is due for the months that start within the period and not
  after `as_of` (a month still to come owes nothing yet).
- `paid`: money received within the period up to `as_of` (regular and voluntary).
- `members_in_arrears` (as_of): members owing for a completed month (before `as_of`'s
  month), counting only payments made by `as_of`.
- `members_over_6_months` (as_of): members who paid nothing for each of the last N
  completed months while dues were owed (N = DANGJIAN_DUES_WARNING_MONTHS, 6).
Members are counted where their record is now (the member's current org)."""

from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from dangjian.core.prepared import Prepared
from dangjian.core.small_subtrees import fetches_rows
from dangjian.dues import rules as R
from dangjian.dues.attribution import in_subtree
from dangjian.dues.models import DuesMonth, DuesPayment, PaymentKind
from dangjian.members.models import Member, Membership

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))


def _money(value) -> float:
    return round(float(value or 0), 2)


def paid_by(day):
    """The amount paid for a ledger month by `day` (a correlated subquery)."""
    return Coalesce(
        Subquery(
            DuesPayment.objects.order_by()
            .filter(
                member_id=OuterRef("member_id"),
                month=OuterRef("month"),
                kind=PaymentKind.REGULAR,
                paid_on__lte=day,
            )
            .values("member_id")
            .annotate(total=Sum("amount"))
            .values("total")[:1]
        ),
        ZERO,
    )


def arrears_rows(subtree_q: Q, as_of):
    """Ledger months before `as_of`'s month still owing as of that day."""
    return (
        DuesMonth.objects.order_by()
        .filter(subtree_q, month__lt=R.month_of(as_of), due__gt=0)
        .annotate(paid_then=paid_by(as_of))
        .filter(due__gt=Coalesce("paid_then", ZERO))
    )


def over_warning(subtree_q: Q, as_of) -> int:
    """Members whose window's last month belongs to the subtree and who paid nothing for
    any month of the window (wherever those months were spent)."""
    first, last = R.warning_window(as_of)
    members = DuesMonth.objects.order_by().filter(subtree_q, month=last).values("member_id")
    return (
        DuesMonth.objects.order_by()
        .filter(member_id__in=members, month__gte=first, month__lte=last, due__gt=0)
        .annotate(paid_then=paid_by(as_of))
        .filter(paid_then=0)
        .values("member_id")
        .annotate(months=Count("pk"))
        .filter(months__gte=R.warning_months())
        .count()
    )


def dues_section(scope, done: dict) -> dict:
    if fetches_rows(scope):
        return {"dues": fetched_figures(scope)}
    return {"dues": database_figures(scope)}


def database_figures(scope) -> dict:
    start, end = scope.period
    last = min(end, scope.as_of)
    subtree = in_subtree(scope.path)
    due = (
        DuesMonth.objects.order_by()
        .filter(subtree, month__gte=R.month_of(start), month__lte=last)
        .aggregate(total=Sum("due"))["total"]
    )
    paid = (
        DuesPayment.objects.order_by()
        .filter(subtree, paid_on__gte=start, paid_on__lte=last)
        .aggregate(total=Sum("amount"))["total"]
    )
    in_arrears = arrears_rows(subtree, scope.as_of).values("member_id").distinct().count()
    return {
        "due": _money(due),
        "paid": _money(paid),
        "members_in_arrears": in_arrears,
        "members_over_6_months": over_warning(subtree, scope.as_of),
    }


def _inside(ids):
    return Membership.objects.order_by().filter(org_id__in=ids).values("member_id")


# A small subtree's candidates' spells, then the members without a spell whose record is
# there (seldom any: no org, no start), as a prepared query (core.prepared): building these
# querysets cost more than the database's answers.
_SPELLS = Prepared(
    lambda ids: (
        Membership.objects.order_by()
        .filter(member_id__in=_inside(ids))
        .values_list("member_id", "org_id", "end_on", "member__org_id", "start_on", "id")
        .union(
            Member.objects.order_by()
            .filter(org_id__in=ids)
            .exclude(Exists(Membership.objects.filter(member_id=OuterRef("pk"))))
            .annotate(**{f"none{i}": Value(None, DateField()) for i in range(3)})
            .values_list("pk", "none0", "none1", "org_id", "none2", "pk"),
            all=True,
        )
        .order_by("start_on", "id")
    )
)


def _ledger(members, day):
    """The ledger months up to `day` of the members `members` selects, as (member, month,
    due, None, None), and their payments made by `day`, as (member, month, amount, kind,
    paid on): one query."""
    months = (
        DuesMonth.objects.order_by()
        .filter(member_id__in=members, month__lte=day)
        .annotate(no_kind=Value(None, CharField()), not_paid=Value(None, DateField()))
        .values_list("member_id", "month", "due", "no_kind", "not_paid")
    )
    payments = (
        DuesPayment.objects.order_by()
        .filter(member_id__in=members, paid_on__lte=day)
        .values_list("member_id", "month", "amount", "kind", "paid_on")
    )
    return months.union(payments, all=True)


# By the subtree's ids (its candidates), and by a list of members (the unspelled).
_LEDGER = Prepared(lambda ids, day: _ledger(_inside(ids), day))
_LEDGER_OF = Prepared(lambda members, day: _ledger(members, day))


def _month_owner(ids):
    """`belongs(member_id, month)` for a small subtree (by its ids), and the candidates it
    can be true for: `attribution.in_subtree` reckoned from the candidates' fetched spells.
    Returns (belongs, members without a spell whose record is there: seldom any)."""
    spells: dict[int, list] = {}
    records: dict[int, int] = {}
    unspelled = []
    for member_id, org_id, end_on, record, start_on, _pk in _SPELLS(ids=ids):
        if start_on is None:
            unspelled.append(member_id)
            continue
        spells.setdefault(member_id, []).append((org_id, end_on))
        records[member_id] = record
    inside = set(ids)
    # A candidate with no spell outside the subtree (or none at all) counts whole.
    whole = {pk for pk, held in spells.items() if all(org in inside for org, _end in held)}
    whole.update(unspelled)

    def belongs(member_id: int, month) -> bool:
        if member_id in whole:
            return True
        for org_id, end_on in spells.get(member_id, ()):
            if end_on is None or end_on > month:
                return org_id in inside
        return records.get(member_id) in inside

    return belongs, unspelled


def fetched_figures(scope) -> dict:
    """`database_figures` from the candidates' fetched ledger months and payments (a small
    subtree, core.small_subtrees); the tests hold the two to each other."""
    start, end = scope.period
    day = scope.as_of
    last = min(end, day)
    ids = list(scope.ids)
    belongs, unspelled = _month_owner(ids)
    # The candidates' rows (a semi-join on the spells' org index; the seldom unspelled
    # members by a list, in a query of their own so no OR spoils the plan).
    rows = _LEDGER(ids=ids, day=day)
    if unspelled:
        rows += _LEDGER_OF(members=unspelled, day=day)
    months = []
    paid_then: dict[tuple, Decimal] = {}
    paid = Decimal(0)
    first_month = R.month_of(start)
    for member_id, month, amount, kind, paid_on in rows:
        if paid_on is None:
            months.append((member_id, month, amount))
            continue
        if kind == PaymentKind.REGULAR:
            key = (member_id, month)
            paid_then[key] = paid_then.get(key, Decimal(0)) + amount
        if start <= paid_on <= last and belongs(member_id, month):
            paid += amount
    due = Decimal(0)
    in_arrears = set()
    this_month = R.month_of(day)
    first, window_end = R.warning_window(day)
    watched = set()
    unpaid_in_window: dict[int, int] = {}
    for member_id, month, owed in months:
        if first_month <= month <= last and belongs(member_id, month):
            due += owed
        if (
            month < this_month
            and owed > 0
            and owed > paid_then.get((member_id, month), 0)
            and belongs(member_id, month)
        ):
            in_arrears.add(member_id)
        if month == window_end and belongs(member_id, month):
            watched.add(member_id)
        if first <= month <= window_end and owed > 0 and paid_then.get((member_id, month), 0) == 0:
            unpaid_in_window[member_id] = unpaid_in_window.get(member_id, 0) + 1
    over = sum(
        1 for member_id in watched if unpaid_in_window.get(member_id, 0) >= R.warning_months()
    )
    return {
        "due": _money(due),
        "paid": _money(paid),
        "members_in_arrears": len(in_arrears),
        "members_over_6_months": over,
    }
