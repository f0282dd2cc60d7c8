"""What 创先争优与示范 adds to the org page (its 先锋岗/责任区/示范窗口 and its 示范点 status),
to a member's record (star ratings and commitments) and to a 表彰's page in assessment (the
exemplars made from it), through core.panels."""

from django.db.models import Q
from django.utils import timezone

from dangjian.excellence.models import (
    Commitment,
    DemonstrationPoint,
    Exemplar,
    Post,
    StarRating,
)
from dangjian.excellence.registers import ExemplarRegister


def org_panel(request, org) -> dict | None:
    user, today = request.user, timezone.localdate()
    posts = list(
        Post.objects.restrict(user)
        .filter(org=org)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
        .order_by("kind", "name")
    )
    point = (
        DemonstrationPoint.objects.restrict(user).filter(org=org).order_by("-applied_on").first()
    )
    if not posts and point is None:
        return None
    return {"posts": posts, "point": point}


def member_panel(request, member) -> dict | None:
    user = request.user
    ratings = list(StarRating.objects.restrict(user).filter(member=member).order_by("-year")[:5])
    commitments = list(
        Commitment.objects.restrict(user).filter(member=member).order_by("-year", "id")[:5]
    )
    if not ratings and not commitments:
        return None
    return {"ratings": ratings, "commitments": commitments}


def honour_panel(request, honour) -> dict | None:
    """The exemplars the viewer may see that came from this 表彰, and, for whoever may add
    an exemplar, a way to make one from it."""
    exemplars = list(
        Exemplar.objects.restrict(request.user)
        .filter(honour=honour)
        .select_related("org")
        .order_by("-recognised_on", "id")
    )
    add_url = ExemplarRegister.instance.add_url(request.user)
    if not exemplars and not add_url:
        return None
    return {
        "exemplars": exemplars,
        "add_url": f"{add_url}?honour={honour.pk}" if add_url else None,
    }
