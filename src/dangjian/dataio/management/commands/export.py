"""`dangjian export members --org CODE -o OUT.xlsx [--full-id] [--as USER]` (INTERFACES 3),
and the same for orgs and schools: the records in the subtree of CODE that the user may
see, in the import template's layout. ID numbers are masked unless --full-id is given by
a user holding the reveal permission there; such an export re-imports with no change."""

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from dangjian.core.excel import registered_exporter
from dangjian.core.roles import Action
from dangjian.core.scope import is_unrestricted
from dangjian.dataio import services
from dangjian.dataio.cli import cli_actor
from dangjian.dataio.models import Kind
from dangjian.members.models import Member
from dangjian.orgs.models import Organization, School


class Command(BaseCommand):
    help = _("把某组织范围内的党组织、学校、党员或发展党员导出为Excel(与导入模板相同的列)")

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=Kind.values, help=_("模板: orgs、schools、members 或 recruits")
        )
        parser.add_argument("--org", required=True, metavar="CODE", help=_("组织代码"))
        parser.add_argument("-o", "--output", required=True, metavar="OUT.xlsx", help=_("输出文件"))
        parser.add_argument(
            "--full-id", action="store_true", help=_("输出完整公民身份号码(需有查看权限, 记入审计)")
        )
        parser.add_argument("--as", dest="as_user", metavar="USER", help=_("以该用户的权限运行"))

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args, kind, org, output, full_id, as_user, **options):
        actor = cli_actor(as_user, self.stderr)
        root = Organization.objects.restrict(actor, Action.VIEW).filter(code=org).first()
        if root is None:
            self.fail(_("组织代码“%(c)s”不存在或不在您的权限范围内") % {"c": org})
        exporter = registered_exporter(kind)
        if full_id and kind != Kind.MEMBERS and exporter is None:
            self.fail(_("--full-id 只用于导出党员和发展党员"))
        if full_id and not is_unrestricted(actor):
            allowed = Organization.objects.restrict(actor, Action.REVEAL_ID).filter(pk=root.pk)
            if not allowed.exists():
                self.fail(_("您没有查看该组织党员完整公民身份号码的权限"))
        filter_text = f"--org {org}"
        if exporter is not None:
            content, count = exporter(actor, root, full_id=full_id, filter_text=filter_text)
            what = _("%(what)s %(n)d 人") % {"what": Kind(kind).label, "n": count}
        elif kind == Kind.MEMBERS:
            members = Member.objects.restrict(actor, Action.VIEW).filter(
                org__path__startswith=root.path, status="active"
            )
            content, count = services.export_members(
                actor, members, full_id=full_id, filter_text=filter_text
            )
            what = _("党员 %(n)d 名") % {"n": count}
        elif kind == Kind.SCHOOLS:
            schools = School.objects.restrict(actor, Action.VIEW).filter(
                School.scope_q([root.path])
            )
            content, count = services.export_schools(actor, schools, filter_text=filter_text)
            what = _("学校 %(n)d 所") % {"n": count}
        else:
            orgs = Organization.objects.restrict(actor, Action.VIEW).filter(
                path__startswith=root.path
            )
            content, count = services.export_orgs(actor, orgs, filter_text=filter_text)
            what = _("党组织 %(n)d 个") % {"n": count}
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written next to the target and renamed, so a reader never sees half a file.
        fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".xlsx.part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self.stdout.write(_("导出完成: %(what)s → %(file)s") % {"what": what, "file": target})
