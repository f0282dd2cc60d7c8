"""`dangjian remind [--date YYYY-MM-DD] [--only KEY] [--as USER]`: sends the periodic
reminders the apps declare (`core.notifications.add_reminder`), e.g. the quarterly 思想汇报
reminder, as in-app notifications (and through DANGJIAN_NOTIFY_BACKEND when set). Each is
sent once per person and period, so running it daily from cron (or a systemd timer) is
safe; with --as only the people in that user's scope are reminded."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.cli import cli_actor
from dangjian.core.notifications import reminders, send_reminders


class Command(BaseCommand):
    help = _("发送定期提醒(如思想汇报季度提醒); 同一人同一期只发一次, 可每天定时运行")

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("按该日期计算(YYYY-MM-DD), 默认今天"))
        parser.add_argument("--only", action="append", default=[], help=_("只发送该项提醒(可重复)"))
        parser.add_argument("--as", dest="as_user", help=_("以该用户的权限范围运行"))

    def handle(self, *args, date=None, only=(), as_user=None, **options):
        actor = cli_actor(as_user, self.stderr)
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(_("日期格式应为 YYYY-MM-DD: %(d)s") % {"d": date}) from None
        unknown = [key for key in only if key not in reminders]
        if unknown:
            raise CommandError(
                _("没有这项提醒: %(k)s (可选: %(all)s)")
                % {"k": "、".join(unknown), "all": "、".join(sorted(reminders))}
            )
        with transaction.atomic():
            sent = send_reminders(actor, today, only)
        for key, count in sent.items():
            self.stdout.write(
                _("%(label)s: 提醒%(n)d人") % {"label": reminders[key].label, "n": count}
            )
