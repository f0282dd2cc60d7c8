"""The statistics key `outreach` (INTERFACES 6): pairings in force during the period, the
"捆绑式" school pairs among them, and the ledger's sums over the period, for the pairings of
the subtree's orgs. Two aggregate queries, whatever the subtree's size."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from dangjian.outreach.models import Assistance, AssistanceKind, Pairing, PairingKind

CENT = Decimal("0.01")


def yuan(value) -> float:
    return float((value or Decimal(0)).quantize(CENT))


def ledger_totals(entries) -> dict:
    """The sums of the key over any ledger queryset (the section, the list page's totals)."""
    money = Q(kind=AssistanceKind.MONEY)
    goods = Q(kind=AssistanceKind.GOODS)
    books = Q(kind=AssistanceKind.BOOKS)
    tuition = Q(kind=AssistanceKind.TUITION)
    grant = Q(kind=AssistanceKind.GRANT)
    row = entries.order_by().aggregate(
        money=Sum("amount", filter=money),
        goods=Sum("amount", filter=goods),
        books=Sum("quantity", filter=books),
        tuition_students=Sum("quantity", filter=tuition),
        tuition_yuan=Sum("amount", filter=tuition),
        grant_students=Sum("quantity", filter=grant),
        grant_yuan=Sum("amount", filter=grant),
        trainings=Count("pk", filter=Q(kind=AssistanceKind.TRAINING)),
    )
    return {
        "money": yuan(row["money"]),
        "goods_value": yuan(row["goods"]),
        "books": row["books"] or 0,
        "tuition_waived": {
            "students": row["tuition_students"] or 0,
            "yuan": yuan(row["tuition_yuan"]),
        },
        "grants": {"students": row["grant_students"] or 0, "yuan": yuan(row["grant_yuan"])},
        "trainings_held": row["trainings"],
    }


def outreach_section(scope, done: dict) -> dict:
    start, end = scope.period
    pairings = Pairing.objects.order_by().active_between(start, end)
    entries = Assistance.objects.filter(on__gte=start, on__lte=end)
    if not scope.whole_tree:
        pairings = pairings.filter(org__path__startswith=scope.path)
        entries = entries.filter(pairing__org__path__startswith=scope.path)
    counts = pairings.aggregate(
        pairings=Count("pk"), school_pairs=Count("pk", filter=Q(kind=PairingKind.BUNDLED))
    )
    return {
        "outreach": {
            "pairings": counts["pairings"],
            "school_pairs": counts["school_pairs"],
            **ledger_totals(entries),
        }
    }
