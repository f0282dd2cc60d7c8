"""The signed-in person's own reminders: the list (newest first), opening one (marks it read
and follows its link) and marking all read. Only ever the user's own rows: another user's
reminder id is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import notifications
from dangjian.core.models import Notification
from dangjian.core.views import paginate


@login_required
def notification_list(request):
    rows = Notification.objects.filter(user=request.user)
    return render(request, "core/notifications.html", {"page": paginate(request, rows)})


@login_required
@require_POST
def notification_open(request, pk: int):
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications.mark_read(request.user, [note.pk])
    target = note.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notification-list")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications.mark_read(request.user)
    messages.success(request, _("已将 %(n)d 条提醒标记为已读") % {"n": count})
    return redirect("notification-list")
