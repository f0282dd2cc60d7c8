"""Roles are granted per organisation and cover its whole subtree.

Administration can be split the way 等保 level 3 asks (三员分立): instead of one 管理员 holding
everything, a 系统管理员 manages accounts and role grants, a 安全管理员 handles account
security (lockouts, second factors, sessions) and an 审计员 reads the audit log, each of them
seeing nothing else. docs/security.md maps the duties."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    ORGANISER = "organiser", _("组织员")
    VIEWER = "viewer", _("查看员")
    MEMBER_SELF = "member_self", _("党员本人")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDITOR = "auditor", _("审计员")
    DISCIPLINE = "discipline", _("纪检")


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    ADD = "add", _("新增")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")
    REVEAL_ID = "reveal_id", _("查看完整身份证号")
    MANAGE_USERS = "manage_users", _("管理用户")
    MANAGE_SECURITY = "manage_security", _("管理账号安全")
    AUDIT = "audit", _("查看审计日志")
    DISCIPLINE = "discipline", _("查阅和办理纪检保密记录")


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    # An administrator holds every action but the discipline officers': confidential
    # discipline records are kept from administrators too (INTERFACES 8).
    Role.ADMIN: frozenset(Action.values) - {Action.DISCIPLINE},
    Role.ORGANISER: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
    Role.VIEWER: frozenset({Action.VIEW}),
    # member_self grants no subtree; models opt in through `self_q`.
    Role.MEMBER_SELF: frozenset(),
    # The three separable administrator duties: none of them reads member records.
    Role.SYSTEM_ADMIN: frozenset({Action.MANAGE_USERS}),
    Role.SECURITY_ADMIN: frozenset({Action.MANAGE_SECURITY}),
    Role.AUDITOR: frozenset({Action.AUDIT}),
    # 纪检: the confidential discipline records of the subtree and nothing else.
    Role.DISCIPLINE: frozenset({Action.DISCIPLINE}),
}

# Roles whose holders sign in with a second factor (DESIGN 7) and that only someone holding
# all of the role's actions may grant.
PRIVILEGED_ROLES: frozenset[str] = frozenset(
    {Role.ADMIN, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}
)
# With DANGJIAN_SEPARATE_DUTIES=true one account holds at most one of these.
DUTY_ROLES: frozenset[str] = PRIVILEGED_ROLES
# Roles reading what administrators may not: granted only by someone holding all of the
# role's actions over the org (in practice a superuser), so no administrator can make
# themselves a reader of the records kept from them.
CONFIDENTIAL_ROLES: frozenset[str] = frozenset({Role.DISCIPLINE})
