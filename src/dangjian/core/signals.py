"""Logins, failed logins and logouts go to the audit log."""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from dangjian.core.audit import AuditAction, record
from dangjian.core.context import reset_origin, set_origin
from dangjian.core.middleware import client_ip


def _with_request(request, fn):
    token = set_origin(client_ip(request)) if request is not None else None
    try:
        fn()
    finally:
        if token is not None:
            reset_origin(token)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    _with_request(request, lambda: record(user, AuditAction.LOGIN, user))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        _with_request(request, lambda: record(user, AuditAction.LOGOUT, user))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).first()
    actor = user or SimpleNamespace(pk=None, username=username or "anonymous")
    _with_request(request, lambda: record(actor, AuditAction.LOGIN_FAILED, object_repr=username))
