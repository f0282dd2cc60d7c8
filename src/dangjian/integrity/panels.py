"""The integrity section of a member's record (`core.panels`): their 党纪处分 (the sanction
records a case's outcome writes; kind and dates only, never the matter) and the 廉政教育
activities they attended. Both through `restrict()`: the viewer's own scope decides."""

from django.utils import timezone

from dangjian.core.roles import Action
from dangjian.integrity.models import EducationAttendance
from dangjian.recruitment.models import Sanction


def member_panel(request, member):
    user = request.user
    sanctions = list(Sanction.objects.restrict(user, Action.VIEW).filter(member=member))
    attended = list(
        EducationAttendance.objects.restrict(user, Action.VIEW)
        .filter(member=member)
        .select_related("education")
        .order_by("-education__held_on", "-pk")[:10]
    )
    if not sanctions and not attended:
        return None
    today = timezone.localdate()
    return {
        "sanctions": [(sanction, sanction.in_force_on(today)) for sanction in sanctions],
        "attended": attended,
    }
