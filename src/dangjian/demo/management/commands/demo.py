"""`dangjian demo`: the embedded database, the demo city and the web UI in one command.

Safe to run again: the city is loaded only when its root org (DEMO) is missing, so a second
run just prints the accounts and serves. `--reset` starts from an empty database.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from django.utils.translation import gettext as _

from dangjian.core.management.commands.serve import (
    add_addr_argument,
    check_addr,
    require_web_assets,
    serve,
)
from dangjian.demo.city import DEMO_ACCOUNTS, is_loaded, load_city

SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def account_lines() -> list[str]:
    return [
        _("账号 %(username)s 密码 %(password)s %(who)s")
        % {"username": a.username, "password": a.password, "who": a.who}
        for a in DEMO_ACCOUNTS
    ]


def remove_sqlite_files(name: str) -> list[Path]:
    """Delete an SQLite database with its WAL and shared-memory files (connections closed
    first, or the next connection would find a half-deleted database)."""
    connections.close_all()
    removed = []
    for suffix in SQLITE_SUFFIXES:
        path = Path(f"{name}{suffix}")
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


class Command(BaseCommand):
    help = _("建立内置数据库、加载示例市演示数据并启动网页服务")

    def add_arguments(self, parser):
        add_addr_argument(parser)
        parser.add_argument(
            "--no-serve", action="store_true", help=_("只建库和加载数据, 不启动网页服务")
        )
        parser.add_argument("--reset", action="store_true", help=_("清空数据库后重新加载"))

    def handle(self, *args, addr, no_serve, reset, **options):
        check_addr(addr)
        if not no_serve:  # before the minute of loading, not after
            require_web_assets()
        database = settings.DATABASES["default"]
        sqlite = database["ENGINE"] == "django.db.backends.sqlite3"
        if reset and sqlite:
            remove_sqlite_files(str(database["NAME"]))
            self.stdout.write(_("已删除原有数据库: %(name)s") % {"name": database["NAME"]})
        call_command("migrate", interactive=False, verbosity=0)
        if reset and not sqlite:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write(_("已清空数据库"))
        if is_loaded():
            self.stdout.write(_("示例市演示数据已存在, 跳过加载"))
        else:
            self.stdout.write(_("正在加载示例市演示数据……"))
            result = load_city(log=self.stdout.write)
            self.stdout.write(
                _(
                    "示例市演示数据加载完成: 党组织 %(orgs)d 个, 学校 %(schools)d 所, "
                    "党员 %(members)d 名, 用时 %(seconds).1f 秒"
                )
                % {
                    "orgs": result.orgs,
                    "schools": result.schools,
                    "members": result.members,
                    "seconds": result.seconds,
                }
            )
        self.stdout.write(_("演示账号:"))
        for line in account_lines():
            self.stdout.write(line)
        if not no_serve:
            serve(addr, stdout=self.stdout)
