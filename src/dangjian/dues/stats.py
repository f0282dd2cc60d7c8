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

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from dangjian.dues import rules as R
from dangjian.dues.attribution import in_subtree
from dangjian.dues.models import DuesMonth, DuesPayment, PaymentKind

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
        "dues": {
            "due": _money(due),
            "paid": _money(paid),
            "members_in_arrears": in_arrears,
            "members_over_6_months": over_warning(subtree, scope.as_of),
        }
    }
