"""Sessions are registered when they start and forgotten when they end; a lockout by
django-axes is written to our audit log as well."""

from types import SimpleNamespace

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils.translation import gettext as _

from dangjian.accounts import services
from dangjian.core.audit import AuditAction, record
from dangjian.core.context import reset_origin, set_origin
from dangjian.core.middleware import client_ip, stamp_session


@receiver(user_logged_in)
def _session_started(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    stamp_session(session)
    if session.session_key is None:
        session.save()
    services.register_session(user, session.session_key, client_ip(request))


@receiver(user_logged_out)
def _session_ended(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        services.forget_session(session.session_key)


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    if getattr(request, "axes_failures_since_start", None) is None:
        return  # a refused attempt during the lockout (audited as a failure): not a new one
    user = get_user_model().objects.filter(username=username or "").first()
    actor = user or SimpleNamespace(pk=None, username=username or "anonymous")
    token = set_origin(client_ip(request)) if request is not None else None
    try:
        record(
            actor,
            AuditAction.LOGIN_FAILED,
            user,
            changes={"locked_out": [None, settings.DANGJIAN_LOCKOUT_MINUTES]},
            org_path=services.account_org_path(user) if user is not None else "",
            object_repr=_("%(u)s 账号锁定") % {"u": username},
        )
    finally:
        if token is not None:
            reset_origin(token)
