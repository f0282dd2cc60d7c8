"""`dangjian audit export|purge`: the audit log out of the application, and its one
sanctioned deletion.

- `export --since DATE [--until DATE] -o FILE.xlsx [--as USER]`: the entries in the user's
  audit scope (without --as: all of them), oldest first; the export is itself audited.
- `purge [--dry-run]`: deletes only entries older than DANGJIAN_AUDIT_RETENTION_DAYS
  (never fewer than 180 days; a smaller setting stops start-up). The model and its queryset
  refuse every delete, so this command deletes with one SQL statement of its own, and
  writes an audit entry saying how many entries before which moment it removed.
"""

import datetime as dt
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.audit import AuditAction, record
from dangjian.core.audit_views import object_type_label
from dangjian.core.context import CLI
from dangjian.core.excel import Sheet, write_workbook
from dangjian.core.models import AuditEntry
from dangjian.core.roles import Action

HEADERS = (
    gettext_lazy("时间"),
    gettext_lazy("操作人账号"),
    gettext_lazy("IP地址"),
    gettext_lazy("请求编号"),
    gettext_lazy("操作"),
    gettext_lazy("对象类型"),
    gettext_lazy("对象编号"),
    gettext_lazy("对象"),
    gettext_lazy("组织路径"),
    gettext_lazy("变更内容"),
)
WIDTHS = (20, 16, 16, 34, 16, 16, 10, 30, 20, 60)


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("日期格式应为 YYYY-MM-DD: %(d)s") % {"d": text}) from None


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def export_rows(entries):
    labels = dict(AuditAction.choices)
    for entry in entries.iterator(chunk_size=2000):
        yield (
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_name,
            entry.ip or "",
            entry.request_id,
            str(labels.get(entry.action, entry.action)),
            object_type_label(entry.object_type),
            entry.object_id,
            entry.object_repr,
            entry.org_path,
            json.dumps(entry.changes, ensure_ascii=False, sort_keys=True) if entry.changes else "",
        )


def purge_cutoff() -> dt.datetime:
    days = settings.DANGJIAN_AUDIT_RETENTION_DAYS
    if days < 180:  # settings already refuse this; a second lock on the one delete path
        raise CommandError(_("审计日志保存期不能少于180天"))
    return timezone.now() - dt.timedelta(days=days)


@transaction.atomic
def purge(actor=CLI, *, dry_run: bool = False) -> int:
    """Delete the entries older than the retention period; return how many."""
    cutoff = purge_cutoff()
    old = AuditEntry.objects.filter(at__lt=cutoff)
    count = old.count()
    if dry_run or not count:
        return count
    select, params = old.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    pk = connection.ops.quote_name(AuditEntry._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({select})", params)  # noqa: S608
    record(
        actor,
        AuditAction.DELETE,
        AuditEntry(),
        changes={
            "purged": [count, 0],
            "before": [None, cutoff.isoformat()],
            "retention_days": [None, settings.DANGJIAN_AUDIT_RETENTION_DAYS],
        },
        object_repr=_("清理保存期外的审计日志"),
    )
    return count


class Command(BaseCommand):
    help = _("导出审计日志, 或清理超过保存期的审计日志")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{export,purge}")
        export = sub.add_parser("export", help=_("导出审计日志为 .xlsx"))
        export.add_argument("--since", required=True, metavar="YYYY-MM-DD", help=_("开始日期"))
        export.add_argument("--until", metavar="YYYY-MM-DD", help=_("结束日期(含)"))
        export.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
        export.add_argument(
            "--as", dest="as_user", metavar="USERNAME", help=_("以该用户的审计范围导出")
        )
        purge_parser = sub.add_parser(
            "purge", help=_("删除超过保存期(DANGJIAN_AUDIT_RETENTION_DAYS)的审计日志")
        )
        purge_parser.add_argument("--dry-run", action="store_true", help=_("只统计, 不删除"))

    def handle(self, *args, subcommand, **options):
        if subcommand == "export":
            self.export(options)
        else:
            self.purge(options["dry_run"])

    def export(self, options) -> None:
        since = parse_date(options["since"])
        until = parse_date(options["until"]) if options.get("until") else None
        if until and until < since:
            raise CommandError(_("结束日期不能早于开始日期"))
        actor = CLI
        if options.get("as_user"):
            actor = get_user_model().objects.filter(username=options["as_user"]).first()
            if actor is None or not actor.is_active:
                raise CommandError(_("用户“%(u)s”不存在或已停用") % {"u": options["as_user"]})
        entries = AuditEntry.objects.restrict(actor, Action.AUDIT).filter(at__gte=day_start(since))
        if until:
            entries = entries.filter(at__lt=day_start(until + dt.timedelta(days=1)))
        entries = entries.order_by("at", "id")
        count = entries.count()
        write_workbook(
            [Sheet(_("审计日志"), [str(h) for h in HEADERS], export_rows(entries), WIDTHS)],
            options["output"],
        )
        record(
            actor,
            AuditAction.EXPORT,
            AuditEntry(),
            changes={
                "count": [None, count],
                "since": [None, since.isoformat()],
                "until": [None, until.isoformat() if until else None],
            },
            object_repr=_("导出审计日志"),
        )
        self.stdout.write(
            _("已导出 %(n)d 条审计日志到 %(f)s") % {"n": count, "f": options["output"]}
        )

    def purge(self, dry_run: bool) -> None:
        count = purge(dry_run=dry_run)
        days = settings.DANGJIAN_AUDIT_RETENTION_DAYS
        if dry_run:
            self.stdout.write(
                _("超过保存期(%(d)d天)的审计日志 %(n)d 条(未删除)") % {"d": days, "n": count}
            )
        else:
            self.stdout.write(
                _("已删除超过保存期(%(d)d天)的审计日志 %(n)d 条") % {"d": days, "n": count}
            )
