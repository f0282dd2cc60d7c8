"""Figures of 创先争优与示范 for the statistics object (INTERFACES 6, key `excellence`).
A handful of aggregate queries over the subtree, whatever its size; nothing per org.

- `five_good`: orgs whose "五个好" check was accepted or returned (`checked`) and accepted
  (`passed`) within the period, each org once.
- `demonstration_points`: points made 局级 (`bureau`) and recommended 市级 (`city`) in the
  period, by the date of that decision.
- `demonstration_share` (as_of): school orgs (orgs covering a school, existing on the day)
  at the 示范点 standard on the day / school orgs.
- `stars`: ratings decided in the period, by stars. `commitments`: made in the period, and
  of them those reviewed as 已兑现. `exemplars`: recognised in the period. `posts`: posts
  in force at some time in the period.
"""

import datetime as dt

from django.db.models import Count, Q

from dangjian.excellence.models import (
    CheckStatus,
    Commitment,
    DemonstrationPoint,
    Exemplar,
    FiveGoodCheck,
    Fulfilment,
    Post,
    StarRating,
    at_standard_q,
)
from dangjian.orgs.models import Organization, School


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _in_period(field: str, period) -> Q:
    start, end = period
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def school_orgs(path: str, day: dt.date):
    """Orgs of the subtree covering a school and existing on `day`."""
    return (
        Organization.objects.order_by()
        .filter(path__startswith=path, pk__in=School.objects.order_by().values("covering_org_id"))
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=day))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))
    )


def demonstration_share(path: str, day: dt.date) -> tuple[int, int]:
    """(school orgs at the standard, school orgs) in the subtree on `day`."""
    orgs = school_orgs(path, day)
    total = orgs.count()
    at_standard = (
        DemonstrationPoint.objects.order_by()
        .filter(at_standard_q(day), org__in=orgs.values("pk"))
        .values("org_id")
        .distinct()
        .count()
    )
    return at_standard, total


def excellence_section(scope, done: dict) -> dict:
    path, period = scope.path, scope.period
    subtree = Q(org__path__startswith=path)
    checks = FiveGoodCheck.objects.order_by().filter(subtree, _in_period("reviewed_on", period))
    five_good = checks.aggregate(
        checked=Count("org_id", distinct=True),
        passed=Count("org_id", distinct=True, filter=Q(status=CheckStatus.PASSED)),
    )
    points = (
        DemonstrationPoint.objects.order_by()
        .filter(subtree)
        .aggregate(
            bureau=Count("pk", filter=_in_period("bureau_on", period)),
            city=Count("pk", filter=_in_period("city_on", period)),
        )
    )
    at_standard, school_total = demonstration_share(path, scope.as_of)
    stars = dict(
        StarRating.objects.order_by()
        .filter(subtree, _in_period("rated_on", period))
        .values_list("stars")
        .annotate(n=Count("pk"))
    )
    commitments = Commitment.objects.order_by().filter(subtree, _in_period("made_on", period))
    made = commitments.aggregate(
        made=Count("pk"), fulfilled=Count("pk", filter=Q(fulfilment=Fulfilment.FULFILLED))
    )
    start, end = period
    posts = (
        Post.objects.order_by()
        .filter(subtree, start_on__lte=end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=start))
        .count()
    )
    exemplars = Exemplar.objects.order_by().filter(subtree, _in_period("recognised_on", period))
    return {
        "excellence": {
            "five_good": {"checked": five_good["checked"], "passed": five_good["passed"]},
            "demonstration_points": {"bureau": points["bureau"], "city": points["city"]},
            "demonstration_share": _ratio(at_standard, school_total),
            "stars": {str(n): stars.get(n, 0) for n in range(1, 6)},
            "commitments": {"made": made["made"], "fulfilled": made["fulfilled"]},
            "exemplars": exemplars.count(),
            "posts": posts,
        }
    }
