"""Reminders to a person: `notify(user, text, url)` from any module's service, an in-app
list with an unread count in the navbar, and optionally a copy by e-mail or SMS through a
backend named in DANGJIAN_NOTIFY_BACKEND (empty by default: an intranet has neither).

A backend is a dotted path to a callable(user, text, url); it runs after the transaction
commits, so a rolled-back write sends nothing, and a failing backend never undoes the
in-app reminder."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from dangjian.core.models import Notification

logger = logging.getLogger(__name__)


def notify(user, text: str, url: str = "") -> Notification | None:
    """Remind `user`; None when there is nobody to remind (a member without an account)."""
    if user is None or getattr(user, "pk", None) is None or not user.is_active:
        return None
    note = Notification.objects.create(user=user, text=str(text)[:300], url=url[:300])
    backend = getattr(settings, "DANGJIAN_NOTIFY_BACKEND", "")
    if backend:
        transaction.on_commit(lambda: _send(backend, user, note.text, url))
    return note


def notify_many(users, text: str, url: str = "") -> int:
    """The same reminder to several people (each once); returns how many were reminded."""
    seen, count = set(), 0
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        count += notify(user, text, url) is not None
    return count


def _send(backend: str, user, text: str, url: str) -> None:
    try:
        import_string(backend)(user, text, url)
    except Exception:  # noqa: BLE001 - a copy by mail must never break the app
        logger.exception("notification backend %s failed", backend)


def email_backend(user, text: str, url: str) -> None:
    """DANGJIAN_NOTIFY_BACKEND=dangjian.core.notifications.email_backend: a copy by mail to
    the account's address, through Django's configured mail settings."""
    from django.core.mail import send_mail

    if user.email:
        send_mail(text[:78], f"{text}\n{url}", None, [user.email], fail_silently=True)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, ids=None) -> int:
    """Mark the user's own reminders read (all, or those with these ids): never anyone
    else's, whatever ids are given."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
