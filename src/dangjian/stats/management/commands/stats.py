"""`dangjian stats`: the statistics object (INTERFACES 3 and 6) for scripts and reports.
With --as the figures are limited to what that user may view: an org outside their scope
is refused without saying whether it exists."""

import datetime as dt
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.context import CLI
from dangjian.core.roles import Action
from dangjian.orgs.models import Organization
from dangjian.stats.engine import calendar_year, statistics


def parse_day(value: str, option: str) -> dt.date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s 日期格式错误: “%(value)s”, 应为 YYYY-MM-DD")
            % {"option": option, "value": value},
            returncode=1,
        ) from None


def error(message: str) -> CommandError:
    return CommandError(message, returncode=1)


class Command(BaseCommand):
    help = _("按组织和日期输出党内统计数据(JSON)")

    def add_arguments(self, parser):
        parser.add_argument("--org", metavar="CODE", help=_("组织代码, 默认为权限范围的根组织"))
        parser.add_argument("--date", metavar="YYYY-MM-DD", help=_("统计截止日期, 默认今天"))
        parser.add_argument(
            "--from", dest="date_from", metavar="YYYY-MM-DD", help=_("变动统计期间开始日期")
        )
        parser.add_argument(
            "--to", dest="date_to", metavar="YYYY-MM-DD", help=_("变动统计期间结束日期")
        )
        parser.add_argument("--json", action="store_true", help=_("以JSON格式输出"))
        parser.add_argument("--as", dest="as_user", metavar="USER", help=_("以该用户的权限运行"))

    def handle(self, *args, **options):
        as_of = parse_day(options["date"], "--date") if options["date"] else timezone.localdate()
        period = self._period(options["date_from"], options["date_to"], as_of)
        actor = self._actor(options["as_user"])
        root = self._root(actor, options["org"], restricted=options["as_user"] is not None)
        result = statistics(root, as_of, period)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(result))

    def _period(self, start: str | None, end: str | None, as_of: dt.date):
        if not start and not end:
            return calendar_year(as_of)
        if not (start and end):
            raise error(_("--from 和 --to 须同时给出"))
        period = parse_day(start, "--from"), parse_day(end, "--to")
        if period[0] > period[1]:
            raise error(_("统计期间开始日期不能晚于结束日期"))
        return period

    def _actor(self, username: str | None):
        if username is None:
            return CLI
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise error(_("用户“%(u)s”不存在或已停用") % {"u": username})
        return user

    def _root(self, actor, code: str | None, *, restricted: bool) -> Organization:
        orgs = Organization.objects.restrict(actor, Action.VIEW)
        if code:
            root = orgs.filter(code=code).first()
            if root is None:
                if restricted:
                    raise error(_("组织代码“%(c)s”不存在或不在您的权限范围内") % {"c": code})
                raise error(_("组织代码“%(c)s”不存在") % {"c": code})
            return root
        if restricted:
            root = orgs.order_by("depth", "path").first()
            if root is None:
                raise error(_("用户“%(u)s”没有可查看的党组织") % {"u": actor.username})
            return root
        roots = list(orgs.filter(depth=1)[:2])
        if not roots:
            raise error(_("尚未建立任何党组织"))
        if len(roots) > 1:
            raise error(_("有多个根组织, 请用 --org 指定组织代码"))
        return roots[0]


def render_table(result: dict) -> str:
    """The same figures for a person reading a terminal."""
    members, schools, teachers = result["members"], result["schools"], result["teachers"]
    mass, changes = result["mass_orgs"], result["changes"]
    rows = [
        (_("统计范围"), f"{result['org']['name']} ({result['org']['code']})"),
        (_("截止日期"), result["as_of"]),
        *((_("党组织·%(k)s") % {"k": kind}, n) for kind, n in result["orgs"].items()),
        (_("学校总数"), schools["total"]),
        (_("已建党组织学校"), schools["covered"]),
        (_("党组织覆盖率"), f"{schools['coverage']:.2%}"),
        (_("党员总数"), members["total"]),
        (_("正式党员"), members["正式党员"]),
        (_("预备党员"), members["预备党员"]),
        (_("女党员"), members["female"]),
        (_("少数民族党员"), members["ethnic_minority"]),
        (_("35岁及以下党员"), members["age_35_and_under"]),
        (_("大专及以上学历党员"), members["college_or_above"]),
        (_("专任教师数"), teachers["total"]),
        (_("党员专任教师"), teachers["party_members"]),
        (_("教师党员比例"), f"{teachers['ratio']:.2%}"),
        *(
            (_("群团组织·%(k)s") % {"k": kind}, n)
            for kind, n in mass.items()
            if not kind.startswith("schools_")
        ),
        (_("建有团组织的学校"), mass["schools_with_youth_league"]),
        (_("建有少先队的学校"), mass["schools_with_young_pioneers"]),
        (
            _("变动统计期间"),
            f"{result['period']['from']} ~ {result['period']['to']}",
        ),
        (_("新入党"), changes["joined"]),
        (_("转正"), changes["converted"]),
        (_("转入"), changes["moved_in"]),
        (_("转出"), changes["moved_out"]),
        (_("减少(出党、死亡等)"), changes["left"]),
        (_("恢复党籍"), changes["restored"]),
    ]
    width = max(_display_width(str(label)) for label, _value in rows)
    lines = []
    for label, value in rows:
        label = str(label)
        lines.append(label + " " * (width - _display_width(label) + 2) + str(value))
    return "\n".join(lines)


def _display_width(text: str) -> int:
    """Chinese characters take two terminal columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
