"""The member's side (`/me/`): QR sign-in from the phone camera and their own meetings.
Only the signed-in user's own member record is used; nothing here takes a member id."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from dangjian.core.dates import add_months
from dangjian.core.signin import token_from
from dangjian.life import services
from dangjian.life.models import Attendance, AttendanceStatus


@login_required
@never_cache
def signin(request):
    """GET shows the meeting and a confirm button (a link preview or a prefetch must not
    sign anyone in); POST signs in. Refusals are shown with their Chinese reason."""
    token = token_from(request)
    context = {"token": token}
    try:
        meeting = services.token_meeting(request.user, token)
        context["meeting"] = meeting
        if request.method == "POST":
            attendance = services.sign_in(request.user, token)
            context["attendance"] = attendance
    except services.SignInRefused as exc:
        context["error"] = " ".join(exc.messages)
    status = 400 if "error" in context and request.method == "POST" else 200
    return render(request, "life/me_signin.html", context, status=status)


def my_meetings(member, today=None):
    today = today or timezone.localdate()
    rows = Attendance.objects.filter(member=member).select_related("meeting__org")
    upcoming = list(rows.filter(meeting__held_on__gte=today).order_by("meeting__held_on")[:5])
    since = add_months(today, -12)
    past = rows.filter(meeting__held_on__lt=today, meeting__held_on__gte=since).exclude(
        status=AttendanceStatus.OBSERVER
    )
    figures = past.aggregate(
        expected=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT))
    )
    recent = list(past.order_by("-meeting__held_on")[:10])
    return upcoming, figures, recent


def card_context(request, member):
    """The /me/ card: meetings to come and the member's attendance over the last year."""
    upcoming, figures, recent = my_meetings(member)
    if not upcoming and not figures["expected"]:
        return None
    rate = figures["present"] / figures["expected"] if figures["expected"] else None
    return {"upcoming": upcoming, "figures": figures, "rate": rate, "recent": recent[:3]}


@login_required
@never_cache
def meetings(request):
    from dangjian.members.models import Member

    member = Member.objects.filter(user_id=request.user.pk).first()
    if member is None:
        return render(request, "life/me_meetings.html", {"member": None})
    upcoming, figures, recent = my_meetings(member)
    rate = figures["present"] / figures["expected"] if figures["expected"] else None
    return render(
        request,
        "life/me_meetings.html",
        {
            "member": member,
            "upcoming": upcoming,
            "figures": figures,
            "rate": rate,
            "recent": recent,
        },
    )
