"""`dangjian rules load FILE [--dry-run] [--as USER]`, `rules export CODE [-o FILE]`,
`rules list`, `rules show CODE`: 发展党员 rule sets as files (recruitment/rulefile.py), so a
revision of the 细则 is entered without code or fixtures.

Exit codes follow INTERFACES 3: 0 done (or checked only, with --dry-run); 1 the file's
content is wrong (every problem on stderr, nothing written), an unknown code, or a user
without the right; 2 the file itself is unusable (missing, not UTF-8, not JSON)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from dangjian.core.cli import cli_actor
from dangjian.core.scope import NotInScope
from dangjian.recruitment import rulefile, services
from dangjian.recruitment.models import RuleSet


class Command(BaseCommand):
    help = _("载入、导出和查看发展党员规则集")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="load|export|list|show")
        load = sub.add_parser(
            "load", help=_("从JSON文件载入规则集(先校验, 显示与前一规则集的差异)")
        )
        load.add_argument("file", help=_("规则集文件(.json)"))
        load.add_argument("--dry-run", action="store_true", help=_("只校验并显示差异, 不写入"))
        load.add_argument("--as", dest="as_user", metavar="USER", help=_("以该用户的权限运行"))
        export = sub.add_parser("export", help=_("把规则集导出为JSON文件"))
        export.add_argument("code", help=_("规则集代码"))
        export.add_argument("-o", "--output", help=_("输出文件, 默认输出到标准输出"))
        export.add_argument("--as", dest="as_user", metavar="USER", help=_("以该用户的权限运行"))
        listing = sub.add_parser("list", help=_("列出规则集"))
        listing.add_argument("--as", dest="as_user", metavar="USER", help=_("以该用户的权限运行"))
        show = sub.add_parser("show", help=_("显示规则集与其前一规则集的差异"))
        show.add_argument("code", help=_("规则集代码"))
        show.add_argument("--as", dest="as_user", metavar="USER", help=_("以该用户的权限运行"))

    def handle(self, *args, action, as_user=None, **options):
        actor = cli_actor(as_user, self.stderr)
        getattr(self, f"_{action}")(actor, **options)

    def _find(self, actor, code: str) -> RuleSet:
        found = RuleSet.objects.restrict(actor).filter(code=code).first()
        if found is None:
            self.stderr.write(_("规则集“%(code)s”不存在") % {"code": code})
            sys.exit(1)
        return found

    def _load(self, actor, *, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            self.stderr.write(_("文件不存在: %(f)s") % {"f": file})
            sys.exit(2)
        try:
            plan = services.load_rule_set(actor, path.read_bytes(), dry_run=dry_run)
        except NotInScope:
            self.stderr.write(_("只有不受范围限制的管理员可以载入规则集"))
            sys.exit(1)
        except rulefile.RuleFileError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            if exc.unreadable:
                sys.exit(2)
            self.stderr.write(
                _("校验未通过: 共 %(n)d 个问题, 未写入任何数据") % {"n": len(exc.problems)}
            )
            sys.exit(1)
        self._print_plan(plan)
        parsed = plan.file
        names = {"code": parsed.code, "name": parsed.name, "date": parsed.effective_from}
        if plan.action == "unchanged":
            self.stdout.write(_("规则集“%(code)s”与已载入的相同, 未作修改") % names)
        elif dry_run:
            self.stdout.write(
                (
                    _(
                        "校验通过(试运行, 未写入): 将新增规则集“%(code)s”《%(name)s》, %(date)s起施行"
                    )
                    if plan.action == "create"
                    else _(
                        "校验通过(试运行, 未写入): 将替换规则集“%(code)s”《%(name)s》, %(date)s起施行"
                    )
                )
                % names
            )
        else:
            self.stdout.write(
                (
                    _("载入完成: 新增规则集“%(code)s”《%(name)s》, %(date)s起施行")
                    if plan.action == "create"
                    else _("载入完成: 替换规则集“%(code)s”《%(name)s》, %(date)s起施行")
                )
                % names
            )
            if plan.refreshed:
                self.stdout.write(_("已重新计算%(n)d名发展党员对象的期限") % {"n": plan.refreshed})

    def _print_plan(self, plan: services.RuleSetPlan) -> None:
        if plan.compared_with is not None and plan.action != "unchanged":
            self.stdout.write(
                _("与规则集“%(code)s”《%(name)s》相比, 共 %(n)d 处差异:")
                % {
                    "code": plan.compared_with.code,
                    "name": plan.compared_with.name,
                    "n": len(plan.changes),
                }
            )
            for change in plan.changes:
                self.stdout.write(f"  {change}")
        for note in plan.notes:
            self.stdout.write(note)

    def _export(self, actor, *, code, output=None, **options):
        text = rulefile.export(self._find(actor, code))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(_("已导出到 %(f)s") % {"f": output})
        else:
            self.stdout.write(text, ending="")

    def _list(self, actor, **options):
        for rule_set in RuleSet.objects.restrict(actor).order_by("effective_from"):
            self.stdout.write(
                f"{rule_set.code}\t{rule_set.effective_from.isoformat()}\t{rule_set.name}"
            )

    def _show(self, actor, *, code, **options):
        rule_set = self._find(actor, code)
        earlier = (
            RuleSet.objects.restrict(actor)
            .filter(effective_from__lt=rule_set.effective_from)
            .order_by("effective_from")
            .last()
        )
        self.stdout.write(
            _("%(code)s《%(name)s》, %(date)s起施行, 依据: %(source)s")
            % {
                "code": rule_set.code,
                "name": rule_set.name,
                "date": rule_set.effective_from.isoformat(),
                "source": rule_set.source or "—",
            }
        )
        if earlier is None:
            self.stdout.write(_("这是最早的规则集"))
            return
        changes = rulefile.compare(rulefile.from_row(earlier), rulefile.from_row(rule_set))
        self.stdout.write(
            _("与规则集“%(code)s”相比, 共 %(n)d 处差异:")
            % {"code": earlier.code, "n": len(changes)}
        )
        for change in changes:
            self.stdout.write(f"  {change}")
