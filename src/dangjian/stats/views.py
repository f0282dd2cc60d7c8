"""The home page: key figures of the user's subtree and their 待办 list, or, for a member
without a view scope, their own record. Figures come from the same engine as
`dangjian stats`, so the page and the annual report never disagree."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from dangjian.core.dates import age_on
from dangjian.core.roles import Action
from dangjian.core.scope import is_unrestricted, scope_paths
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.stats.engine import statistics
from dangjian.stats.todo import LEVELS, todo_items

TODO_SHOWN = 50


def scope_roots(user):
    """The top orgs of the user's view scope (for a superuser: the tree's roots)."""
    orgs = Organization.objects.restrict(user, Action.VIEW)
    if is_unrestricted(user):
        return orgs.filter(depth=1)
    return orgs.filter(path__in=scope_paths(user, Action.VIEW))


def summary(stats: dict) -> dict:
    """The figures the cards show, named for templates (the object's keys are Chinese)."""
    return {
        "orgs_total": sum(stats["orgs"].values()),
        "orgs": [(kind, n) for kind, n in stats["orgs"].items() if n],
        "schools": stats["schools"],
        "coverage": f"{stats['schools']['coverage']:.1%}",
        "members": stats["members"]["total"],
        "full": stats["members"]["正式党员"],
        "probationary": stats["members"]["预备党员"],
        "teachers": stats["teachers"],
        "teacher_ratio": f"{stats['teachers']['ratio']:.1%}",
    }


def own_record(user, today):
    """The member record linked to this account, with what the summary shows."""
    member = (
        Member.objects.restrict(user, Action.VIEW)
        .filter(user_id=user.pk)
        .select_related("org")
        .first()
    )
    if member is None:
        return None
    full = member.converted_on is not None and member.converted_on <= today
    return {
        "member": member,
        "category": member.get_category_display(),
        "party_years": age_on(member.converted_on, today) if full else None,
    }


@never_cache
@login_required
def home(request):
    user = request.user
    today = timezone.localdate()
    roots = list(scope_roots(user))
    org = None
    if roots:
        chosen = request.GET.get("org")
        if chosen:
            if not chosen.isdigit():
                raise Http404
            org = get_object_or_404(Organization.objects.restrict(user, Action.VIEW), pk=chosen)
        else:
            org = roots[0]
    items = todo_items(user, today)
    counts = {level: sum(1 for item in items if item.level == level) for level in LEVELS}
    context = {
        "today": today,
        "roots": roots if len(roots) > 1 else [],
        "org": org,
        "summary": summary(statistics(org, today)) if org else None,
        "own": own_record(user, today),
        "items": items[:TODO_SHOWN],
        "item_count": len(items),
        "level_counts": counts,
    }
    return render(request, "stats/home.html", context)
