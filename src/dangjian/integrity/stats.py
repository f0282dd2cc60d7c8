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

from django.db.models import Count, Q
from django.utils.translation import gettext as _

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


def integrity_section(scope, done: dict) -> dict:
    start, end = scope.period
    subtree = Organization.objects.order_by().filter(path__startswith=scope.path).values("pk")
    risks = (
        Risk.objects.order_by()
        .filter(org__in=subtree)
        .aggregate(
            found=Count("pk", filter=_between("found_on", start, end)),
            confirmed=Count("pk", filter=_between("confirmed_on", start, end)),
        )
    )
    risks["measures"] = (
        Measure.objects.order_by()
        .filter(risk__org__in=subtree, set_on__gte=start, set_on__lte=end)
        .count()
    )
    petitions = (
        Petition.objects.order_by()
        .filter(org__in=subtree)
        .aggregate(
            received=Count("pk", filter=_between("received_on", start, end)),
            resolved=Count("pk", filter=_between("resolved_on", start, end)),
        )
    )
    own = Q(kind=CaseKind.CASE)
    # A case is closed (结案) once filed (立案); a lead settled after 初核 is not a case.
    closed = own & Q(filed_on__isnull=False) & _between("closed_on", start, end)
    cases = (
        Case.objects.order_by()
        .filter(org__in=subtree)
        .aggregate(
            opened=Count("pk", filter=own & _between("filed_on", start, end)),
            closed=Count("pk", filter=closed),
            leads_assisted=Count(
                "pk", filter=Q(kind=CaseKind.ASSISTED) & _between("closed_on", start, end)
            ),
            people_sanctioned=Count(
                "pk", filter=closed & (~Q(party_outcome="") | ~Q(government_outcome=""))
            ),
        )
    )
    return {
        "integrity": {
            "risks": {key: risks[key] for key in ("found", "confirmed", "measures")},
            "petitions": petitions,
            "cases": {
                key: cases[key]
                for key in ("opened", "closed", "leads_assisted", "people_sanctioned")
            },
        }
    }
