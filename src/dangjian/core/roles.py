"""Roles are granted per organisation and cover its whole subtree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    ORGANISER = "organiser", _("组织员")
    VIEWER = "viewer", _("查看员")
    MEMBER_SELF = "member_self", _("党员本人")


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    ADD = "add", _("新增")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")
    REVEAL_ID = "reveal_id", _("查看完整身份证号")
    MANAGE_USERS = "manage_users", _("管理用户")
    AUDIT = "audit", _("查看审计日志")


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(Action.values),
    Role.ORGANISER: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
    Role.VIEWER: frozenset({Action.VIEW}),
    # member_self grants no subtree; models opt in through `self_q`.
    Role.MEMBER_SELF: frozenset(),
}
