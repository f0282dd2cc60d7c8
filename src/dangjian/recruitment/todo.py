"""发展党员 deadlines for the home page's 待办 list: one query over the people the user may
see whose next deadline falls within the reminder horizon (RecruitmentSettings), so a
committee sees its branches' items and a branch its own; overdue ones come first."""

import datetime as dt

from django.urls import reverse

from dangjian.core.registers import TodoItem
from dangjian.core.roles import Action
from dangjian.recruitment import rules as R
from dangjian.recruitment.models import Recruit


def todo_items(user, today: dt.date) -> list[TodoItem]:
    horizon = today + dt.timedelta(days=R.default_local().reminder_days)
    recruits = (
        Recruit.objects.restrict(user, Action.VIEW)
        .pending()
        .filter(next_due_on__isnull=False, next_due_on__lte=horizon)
        .select_related("org")
        .only("pk", "name", "next_due_on", "next_due_kind", "org__path")
        .order_by("next_due_on", "pk")
    )
    return [
        TodoItem(
            "danger" if recruit.next_due_on < today else "warning",
            R.due_text(recruit.next_due_kind, recruit.name, recruit.next_due_on, today),
            reverse("recruit-detail", args=[recruit.pk]),
            recruit.next_due_on,
            org_path=recruit.org.path,
        )
        for recruit in recruits
    ]
