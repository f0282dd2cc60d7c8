"""Figures of 廉政建设 for the statistics object (INTERFACES 6, key `integrity`): counts only,
never a name, for every role (the records themselves are the 纪检 role's alone). Each part is
one aggregate query over the subtree, whatever its size.

Over the period (both ends included):
- risks: `found` dated by the 排查 (`found_on`), `confirmed` by the leading group's 评估确认
  (`confirmed_on`), `measures` by each measure's 制定日期 (`set_on`);
- petitions: `received` by the 受理日期, `resolved` by the 办结日期;
- cases (本单位 leads and cases): `opened` by the 立案日期, `closed` by the 结案日期 of filed
  cases (a lead settled after 初核 without filing is not a closed case), `people_sanctioned`: cases closed in the period with a 党纪 or 政务 outcome (one person a
  case); `leads_assisted`: leads checked for outside bodies, dated by their 办结日期.
"""

from django.db.models import Count, Func, IntegerField, Q, Subquery, Value
from django.utils.translation import gettext as _

from dangjian.core.prepared import Prepared
from dangjian.core.small_subtrees import fetches_rows
from dangjian.integrity.models import Case, CaseKind, Measure, Petition, Risk
from dangjian.orgs.models import Organization


def _between(field: str, start, end) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def funnel(risks) -> dict:
    """排查 → 评估确认 → 防控措施 of a queryset of risks (the register's filtered rows), with
    each stage's share of the found, for the page's funnel."""
    row = risks.order_by().aggregate(
        found=Count("pk", distinct=True),
        confirmed=Count("pk", filter=Q(confirmed_on__isnull=False), distinct=True),
        measures=Count("measures", distinct=True),
    )
    top = max(row["found"], row["measures"], 1)
    return {
        "stages": [
            (label, row[key], round(100 * row[key] / top))
            for key, label in (
                ("found", _("排查")),
                ("confirmed", _("评估确认")),
                ("measures", _("防控措施")),
            )
        ],
        **row,
    }


def _count(queryset) -> Subquery:
    """COUNT(*) of the rows as a scalar subquery, so the section is one statement."""
    return Subquery(
        queryset.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")[:1],
        output_field=IntegerField(),
    )


def integrity_section(scope, done: dict) -> dict:
    row = fetched_counts(scope) if fetches_rows(scope) else database_counts(scope)
    return {
        "integrity": {
            "risks": {key: row[key] for key in ("found", "confirmed", "measures")},
            "petitions": {key: row[key] for key in ("received", "resolved")},
            "cases": {
                key: row[key] for key in ("opened", "closed", "leads_assisted", "people_sanctioned")
            },
        }
    }


def database_counts(scope) -> dict:
    """One statement of scalar subqueries, whatever the subtree."""
    start, end = scope.period
    subtree = Organization.objects.order_by().filter(path__startswith=scope.path).values("pk")
    risks = Risk.objects.filter(org__in=subtree)
    petitions = Petition.objects.filter(org__in=subtree)
    own = Case.objects.filter(org__in=subtree, kind=CaseKind.CASE)
    # A case is closed (结案) once filed (立案); a lead settled after 初核 is not a case.
    closed = own.filter(filed_on__isnull=False).filter(_between("closed_on", start, end))
    counts = {
        "found": risks.filter(_between("found_on", start, end)),
        "confirmed": risks.filter(_between("confirmed_on", start, end)),
        "measures": Measure.objects.filter(risk__org__in=subtree).filter(
            _between("set_on", start, end)
        ),
        "received": petitions.filter(_between("received_on", start, end)),
        "resolved": petitions.filter(_between("resolved_on", start, end)),
        "opened": own.filter(_between("filed_on", start, end)),
        "closed": closed,
        "leads_assisted": Case.objects.filter(org__in=subtree, kind=CaseKind.ASSISTED).filter(
            _between("closed_on", start, end)
        ),
        "people_sanctioned": closed.filter(~Q(party_outcome="") | ~Q(government_outcome="")),
    }
    row = (
        Organization.objects.order_by()
        .filter(pk=scope.root.pk)
        .annotate(**{key: _count(qs) for key, qs in counts.items()})
        .values(*counts)
        .get()
    )
    return {key: value or 0 for key, value in row.items()}


# A risk's row once for each of its measures (once with None when it has none).
_RISKS = Prepared(
    lambda ids: (
        Risk.objects.order_by()
        .filter(org_id__in=ids)
        .values_list("pk", "found_on", "confirmed_on", "measures__set_on")
    )
)
_PETITIONS = Prepared(
    lambda ids: (
        Petition.objects.order_by().filter(org_id__in=ids).values_list("received_on", "resolved_on")
    )
)
_CASES = Prepared(
    lambda ids: (
        Case.objects.order_by()
        .filter(org_id__in=ids)
        .values_list("kind", "filed_on", "closed_on", "party_outcome", "government_outcome")
    )
)


def fetched_counts(scope) -> dict:
    """`database_counts` from the subtree's rows fetched through the org columns by its ids
    (a small subtree, core.small_subtrees) with statements compiled once (core.prepared);
    the tests hold the two to each other."""
    start, end = scope.period

    def within(day) -> bool:
        return day is not None and start <= day <= end

    row = dict.fromkeys(
        (
            "found",
            "confirmed",
            "measures",
            "received",
            "resolved",
            "opened",
            "closed",
            "leads_assisted",
            "people_sanctioned",
        ),
        0,
    )
    risks = {}
    for pk, found_on, confirmed_on, set_on in _RISKS(ids=scope.ids):
        risks[pk] = found_on, confirmed_on
        row["measures"] += within(set_on)
    for found_on, confirmed_on in risks.values():
        row["found"] += within(found_on)
        row["confirmed"] += within(confirmed_on)
    for received_on, resolved_on in _PETITIONS(ids=scope.ids):
        row["received"] += within(received_on)
        row["resolved"] += within(resolved_on)
    for kind, filed_on, closed_on, party, government in _CASES(ids=scope.ids):
        if kind == CaseKind.CASE:
            row["opened"] += within(filed_on)
            if filed_on is not None and within(closed_on):
                row["closed"] += 1
                row["people_sanctioned"] += party != "" or government != ""
        elif kind == CaseKind.ASSISTED:
            row["leads_assisted"] += within(closed_on)
    return row
