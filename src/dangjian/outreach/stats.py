"""The statistics key `outreach` (INTERFACES 6): pairings in force during the period, the
"捆绑式" school pairs among them, and the ledger's sums over the period, for the pairings of
the subtree's orgs. Two aggregate queries, whatever the subtree's size; a small subtree's
(core.small_subtrees) pairings and ledger entries of the period are fetched and counted here, and
tests/outreach/test_small_subtrees.py holds the two paths equal."""

from decimal import Decimal

from django.db.models import Count, FilteredRelation, Q, Sum

from dangjian.core.prepared import Prepared
from dangjian.core.small_subtrees import fetches_rows
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


def database_figures(scope) -> dict:
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
        "pairings": counts["pairings"],
        "school_pairs": counts["school_pairs"],
        **ledger_totals(entries),
    }


def _total(values, zero):
    """What SQL's SUM gives: None when no value is there (`zero`: 0 for counts, Decimal(0)
    for amounts, so a count stays an int)."""
    values = [value for value in values if value is not None]
    return sum(values, zero) if values else None


# Every pairing of the subtree, once for each of its ledger entries of the period (once with
# None when it has none): the entries count whether or not their pairing is in force.
_PAIRINGS = Prepared(
    lambda ids, start, end: (
        Pairing.objects.order_by()
        .filter(org_id__in=ids)
        .annotate(
            entry=FilteredRelation(
                "assistance", condition=Q(assistance__on__gte=start, assistance__on__lte=end)
            )
        )
        .values_list(
            "pk",
            "kind",
            "started_on",
            "ended_on",
            "entry__kind",
            "entry__amount",
            "entry__quantity",
        )
    )
)


def fetched_figures(scope) -> dict:
    """`database_figures` from a small subtree's fetched pairings and ledger entries of the
    period (core.small_subtrees: a few per org), reached through the indexed org column in
    one statement compiled once (core.prepared)."""
    start, end = scope.period
    kinds, entries = {}, []
    for pk, kind, started_on, ended_on, *entry in _PAIRINGS(ids=scope.ids, start=start, end=end):
        if started_on <= end and (ended_on is None or ended_on >= start):
            kinds[pk] = kind
        if entry[0] is not None:
            entries.append(entry)

    def amounts(kind):
        return _total((amount for k, amount, _quantity in entries if k == kind), Decimal(0))

    def quantities(kind):
        return _total((quantity for k, _amount, quantity in entries if k == kind), 0)

    return {
        "pairings": len(kinds),
        "school_pairs": sum(kind == PairingKind.BUNDLED for kind in kinds.values()),
        "money": yuan(amounts(AssistanceKind.MONEY)),
        "goods_value": yuan(amounts(AssistanceKind.GOODS)),
        "books": quantities(AssistanceKind.BOOKS) or 0,
        "tuition_waived": {
            "students": quantities(AssistanceKind.TUITION) or 0,
            "yuan": yuan(amounts(AssistanceKind.TUITION)),
        },
        "grants": {
            "students": quantities(AssistanceKind.GRANT) or 0,
            "yuan": yuan(amounts(AssistanceKind.GRANT)),
        },
        "trainings_held": sum(k == AssistanceKind.TRAINING for k, _a, _q in entries),
    }


def outreach_section(scope, done: dict) -> dict:
    figures = fetched_figures(scope) if fetches_rows(scope) else database_figures(scope)
    return {"outreach": figures}
