"""`dangjian import orgs|schools|members|recruits FILE.xlsx [--dry-run] [--as USER]` (INTERFACES 3).

Exit 0: every row valid and written (or only checked, with --dry-run); 1: at least one row
invalid, nothing written, every problem on stderr as `第R行 [列名] 原因`; 2: the file itself
is unusable, one line saying why."""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from dangjian.core.excel import FileProblem
from dangjian.dataio.cli import cli_actor
from dangjian.dataio.importing import run_import
from dangjian.dataio.models import Kind


class Command(BaseCommand):
    help = _("从Excel文件导入党组织、学校、党员或发展党员(先校验全部数据, 全部正确才写入)")

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=Kind.values, help=_("模板: orgs、schools、members 或 recruits")
        )
        parser.add_argument("file", help=_("Excel文件(.xlsx)"))
        parser.add_argument("--dry-run", action="store_true", help=_("只校验, 不写入"))
        parser.add_argument("--as", dest="as_user", metavar="USER", help=_("以该用户的权限运行"))

    def handle(self, *args, kind, file, dry_run, as_user, **options):
        actor = cli_actor(as_user, self.stderr)
        path = Path(file)
        if not path.is_file():
            self.stderr.write(_("文件不存在: %(f)s") % {"f": file})
            sys.exit(2)
        try:
            outcome = run_import(kind, path, actor, dry_run=dry_run, source=path.name)
        except FileProblem as exc:
            self.stderr.write(exc.message)
            sys.exit(2)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            self.stderr.write(_("导入失败, 未写入任何数据"))
            sys.exit(1)
        if outcome.problems:
            for problem in outcome.problems:
                self.stderr.write(str(problem))
            self.stderr.write(
                _("校验未通过: 共 %(n)d 个问题, 未写入任何数据") % {"n": len(outcome.problems)}
            )
            sys.exit(1)
        for warning in outcome.warnings:
            self.stderr.write(_("提醒: %(w)s") % {"w": warning})
        if dry_run:
            self.stdout.write(
                _("校验通过(试运行, 未写入): 将新增 %(c)d, 更新 %(u)d")
                % {"c": outcome.to_create, "u": outcome.to_update}
            )
        else:
            self.stdout.write(
                _("导入完成: 新增 %(c)d, 更新 %(u)d") % {"c": outcome.created, "u": outcome.updated}
            )
