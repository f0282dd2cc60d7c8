"""Reminders to a person: `notify(user, text, url)` from any module's service, an in-app
list with an unread count in the navbar, and optionally a copy by e-mail or SMS through a
backend named in DANGJIAN_NOTIFY_BACKEND (empty by default: an intranet has neither).

A backend is a dotted path to a callable(user, text, url); it runs after the transaction
commits, so a rolled-back write sends nothing, and a failing backend never undoes the
in-app reminder."""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

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


def notify_once(user, text: str, url: str = "") -> Notification | None:
    """`notify` unless the user already has this very reminder (read or not): a periodic
    reminder whose text names its period ("2026年第4季度") is sent once per period however
    often the reminders run."""
    if user is None or getattr(user, "pk", None) is None:
        return None
    if Notification.objects.filter(user_id=user.pk, text=str(text)[:300]).exists():
        return None
    return notify(user, text, url)


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


# -- periodic reminders ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """A reminder sent on a schedule rather than on an event (a 思想汇报 due this quarter):
    `run(actor, today)` notifies (through `notify_once`, so a rerun sends nothing new) the
    people in the actor's scope it concerns and returns how many it reminded."""

    key: str
    label: object
    run: Callable[[object, dt.date], int]


reminders: dict[str, Reminder] = {}


def add_reminder(key: str, label, run: Callable[[object, dt.date], int]) -> None:
    """Declared by an app in `ready()`; `dangjian remind` runs them all (or those named)."""
    reminders[key] = Reminder(key, label, run)


def send_reminders(actor, today: dt.date, keys=()) -> dict[str, int]:
    """Run the declared reminders (all, or the named ones) as of `today`: key -> reminded."""
    chosen = [reminders[key] for key in keys] if keys else list(reminders.values())
    return {reminder.key: reminder.run(actor, today) for reminder in chosen}
