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

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

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


def _month_owner(scope):
    """`belongs(member_id, month)` for a small subtree (by its ids), and the candidates it
    can be true for: `attribution.in_subtree` reckoned from the candidates' fetched spells.
    Returns (belongs, members with a spell in the subtree as a subquery, members without
    a spell whose record is there as a list: seldom any)."""
    ids = set(scope.ids)
    inside = Membership.objects.order_by().filter(org_id__in=scope.ids).values("member_id")
    spells: dict[int, list] = {}
    records: dict[int, int] = {}
    for member_id, org_id, end_on, record in (
        Membership.objects.order_by("start_on", "id")
        .filter(member_id__in=inside)
        .values_list("member_id", "org_id", "end_on", "member__org_id")
    ):
        spells.setdefault(member_id, []).append((org_id, end_on))
        records[member_id] = record
    unspelled = list(
        Member.objects.order_by()
        .filter(org_id__in=scope.ids)
        .exclude(Exists(Membership.objects.filter(member_id=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    # A candidate with no spell outside the subtree (or none at all) counts whole.
    whole = {pk for pk, held in spells.items() if all(org in ids for org, _end in held)}
    whole.update(unspelled)

    def belongs(member_id: int, month) -> bool:
        if member_id in whole:
            return True
        for org_id, end_on in spells.get(member_id, ()):
            if end_on is None or end_on > month:
                return org_id in ids
        return records.get(member_id) in ids

    return belongs, inside, unspelled


def _of_candidates(model, inside, unspelled, **filters):
    """The rows of the candidates (a semi-join on the spells' org index; the seldom
    unspelled members by a list, in a query of their own so no OR spoils the plan)."""
    rows = model.objects.order_by().filter(member_id__in=inside, **filters)
    found = list(rows.values_list(*FETCHED[model]))
    if unspelled:
        extra = model.objects.order_by().filter(member_id__in=unspelled, **filters)
        found += extra.values_list(*FETCHED[model])
    return found


FETCHED = {
    DuesMonth: ("member_id", "month", "due"),
    DuesPayment: ("member_id", "month", "kind", "paid_on", "amount"),
}


def fetched_figures(scope) -> dict:
    """`database_figures` from the candidates' fetched ledger months and payments (a small
    subtree, core.small_subtrees); the tests hold the two to each other."""
    start, end = scope.period
    day = scope.as_of
    last = min(end, day)
    belongs, inside, unspelled = _month_owner(scope)
    months = _of_candidates(DuesMonth, inside, unspelled, month__lte=day)
    paid_then: dict[tuple, Decimal] = {}
    paid = Decimal(0)
    first_month = R.month_of(start)
    payments = _of_candidates(DuesPayment, inside, unspelled, paid_on__lte=day)
    for member_id, month, kind, paid_on, amount in payments:
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
