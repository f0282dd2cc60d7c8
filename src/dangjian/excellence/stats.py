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

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery

from dangjian.core.prepared import Prepared
from dangjian.core.small_subtrees import fetches_rows
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


def _count(qs, field: str = "pk", distinct: bool = False):
    """A count as a scalar subquery, so the whole section is one SELECT."""
    template = "%(function)s(DISTINCT %(expressions)s)" if distinct else None
    count = Func(F(field), function="COUNT", **({"template": template} if template else {}))
    return Subquery(qs.order_by().annotate(n=count).values("n")[:1], output_field=IntegerField())


def excellence_section(scope, done: dict) -> dict:
    """One query (scalar subqueries) for the whole section, or for a small subtree
    (core.small_subtrees) its few rows fetched and counted here."""
    row = fetched_counts(scope) if fetches_rows(scope) else database_counts(scope)
    return {
        "excellence": {
            "five_good": {"checked": row["checked"], "passed": row["passed"]},
            "demonstration_points": {"bureau": row["bureau"], "city": row["city"]},
            "demonstration_share": _ratio(row["standard"], row["schools"]),
            "stars": {str(n): row[f"s{n}"] for n in range(1, 6)},
            "commitments": {"made": row["made"], "fulfilled": row["fulfilled"]},
            "exemplars": row["exemplars"],
            "posts": row["posts"],
        }
    }


def database_counts(scope) -> dict:
    path, period, day = scope.path, scope.period, scope.as_of
    start, end = period
    subtree = Q(org__path__startswith=path)
    checks = FiveGoodCheck.objects.filter(subtree, _in_period("reviewed_on", period))
    points = DemonstrationPoint.objects.filter(subtree)
    orgs = school_orgs(path, day)
    ratings = StarRating.objects.filter(subtree, _in_period("rated_on", period))
    commitments = Commitment.objects.filter(subtree, _in_period("made_on", period))
    figures = {
        "checked": _count(checks, "org_id", distinct=True),
        "passed": _count(checks.filter(status=CheckStatus.PASSED), "org_id", distinct=True),
        "bureau": _count(points.filter(_in_period("bureau_on", period))),
        "city": _count(points.filter(_in_period("city_on", period))),
        "schools": _count(orgs),
        "standard": _count(
            DemonstrationPoint.objects.filter(at_standard_q(day), org__in=orgs.values("pk")),
            "org_id",
            distinct=True,
        ),
        **{f"s{n}": _count(ratings.filter(stars=n)) for n in range(1, 6)},
        "made": _count(commitments),
        "fulfilled": _count(commitments.filter(fulfilment=Fulfilment.FULFILLED)),
        "exemplars": _count(Exemplar.objects.filter(subtree, _in_period("recognised_on", period))),
        "posts": _count(
            Post.objects.filter(subtree, start_on__lte=end).filter(
                Q(end_on__isnull=True) | Q(end_on__gte=start)
            )
        ),
    }
    row = Organization.objects.filter(pk=scope.root.pk).values(**figures).get()
    return {key: value or 0 for key, value in row.items()}


def _between(value, start, end) -> bool:
    return value is not None and start <= value <= end


def _dated_in(model, field: str, *columns: str, flat: bool = False) -> Prepared:
    """One build for the fetches that differ only in their table, date and columns."""
    return Prepared(
        lambda ids, start, end: (
            model.objects.order_by()
            .filter(org_id__in=ids, **{f"{field}__gte": start, f"{field}__lte": end})
            .values_list(*columns, flat=flat)
        )
    )


_CHECKS = _dated_in(FiveGoodCheck, "reviewed_on", "org_id", "status")
_STARS = _dated_in(StarRating, "rated_on", "stars", flat=True)
_COMMITMENTS = _dated_in(Commitment, "made_on", "fulfilment", flat=True)
_EXEMPLARS = _dated_in(Exemplar, "recognised_on", "pk", flat=True)
_SCHOOL_ORGS = Prepared(
    lambda ids: (
        Organization.objects.order_by()
        .filter(pk__in=ids)
        .filter(Exists(School.objects.filter(covering_org_id=OuterRef("pk"))))
        .values_list("pk", "founded_on", "dissolved_on")
    )
)
_POINTS = Prepared(
    lambda ids: (
        DemonstrationPoint.objects.order_by()
        .filter(org_id__in=ids)
        .values_list(
            "org_id", "bureau_on", "city_on", "meets_standard", "evaluated_on", "revoked_on"
        )
    )
)
_POSTS = Prepared(
    lambda ids, start, end: (
        Post.objects.order_by()
        .filter(org_id__in=ids, start_on__lte=end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=start))
        .values_list("pk", flat=True)
    )
)


def fetched_counts(scope) -> dict:
    """`database_counts` from the subtree's rows, read through the org columns by the
    subtree's ids (a small subtree, core.small_subtrees) with statements compiled once
    (core.prepared); the tests hold the two to each other."""
    ids, day = scope.ids, scope.as_of
    start, end = scope.period
    checks = _CHECKS(ids=ids, start=start, end=end)
    school_orgs = {
        pk
        for pk, founded, dissolved in _SCHOOL_ORGS(ids=ids)
        if (founded is None or founded <= day) and (dissolved is None or dissolved > day)
    }
    bureau = city = 0
    standard = set()
    for org_id, bureau_on, city_on, meets, evaluated_on, revoked_on in _POINTS(ids=ids):
        bureau += _between(bureau_on, start, end)
        city += _between(city_on, start, end)
        if (
            meets
            and evaluated_on is not None
            and evaluated_on <= day
            and (revoked_on is None or revoked_on > day)
            and org_id in school_orgs
        ):
            standard.add(org_id)
    stars = _STARS(ids=ids, start=start, end=end)
    commitments = _COMMITMENTS(ids=ids, start=start, end=end)
    return {
        "checked": len({org_id for org_id, _status in checks}),
        "passed": len({org_id for org_id, status in checks if status == CheckStatus.PASSED}),
        "bureau": bureau,
        "city": city,
        "schools": len(school_orgs),
        "standard": len(standard),
        **{f"s{n}": stars.count(n) for n in range(1, 6)},
        "made": len(commitments),
        "fulfilled": commitments.count(Fulfilment.FULFILLED),
        "exemplars": len(_EXEMPLARS(ids=ids, start=start, end=end)),
        "posts": len(_POSTS(ids=ids, start=start, end=end)),
    }
