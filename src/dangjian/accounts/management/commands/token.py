"""`dangjian token create USERNAME [--as USER]`: API tokens from the command line.

Subcommands leave room for `revoke` and `list` later. Without --as the CLI actor (superuser
context, audited as `cli`) is used; with --as that user's user-management scope applies."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.accounts import services
from dangjian.core.context import CLI
from dangjian.core.scope import NotInScope


def _get_user(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(_("用户“%(u)s”不存在") % {"u": username}) from None


class Command(BaseCommand):
    help = _("管理 REST API 令牌")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{create}")
        create = sub.add_parser("create", help=_("为用户创建新的 API 令牌(旧令牌作废)"))
        create.add_argument("username", help=_("令牌所属用户的账号"))
        create.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help=_("以该用户的权限执行并记入审计日志"),
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "create":
            self.create(options["username"], options.get("as_user"))

    def create(self, username: str, as_user: str | None) -> None:
        actor = CLI
        if as_user:
            actor = _get_user(as_user)
            if not actor.is_active:
                raise CommandError(_("用户“%(u)s”已停用") % {"u": as_user})
        user = _get_user(username)
        if not user.is_active:
            raise CommandError(_("用户“%(u)s”已停用,不能创建令牌") % {"u": username})
        if actor.pk != user.pk and not services.manages_whole_account(actor, user):
            raise self.not_allowed(as_user, username)
        try:
            key = services.create_token(actor, user)
        except NotInScope:
            raise self.not_allowed(as_user, username) from None
        self.stdout.write(key)

    @staticmethod
    def not_allowed(as_user: str | None, username: str) -> CommandError:
        return CommandError(
            _("用户“%(actor)s”无权管理用户“%(u)s”") % {"actor": as_user, "u": username}
        )
