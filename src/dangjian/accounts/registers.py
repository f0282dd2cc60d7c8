"""Users as a register: the accounts holding a role inside the manager's subtrees, with only
those roles shown (anything else about an account is not the manager's to see)."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.forms import roles_in_scope
from dangjian.accounts.services import users_in_scope
from dangjian.core.registers import Column, Register, register
from dangjian.core.roles import Action, Role
from dangjian.core.scope import is_unrestricted

User = get_user_model()


def managed_users(actor):
    users = users_in_scope(actor)
    if not is_unrestricted(actor):
        # A superuser's rights reach beyond any subtree; only another superuser manages them.
        users = users.exclude(is_superuser=True)
    return users


class UserFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        label=_("角色"), choices=Role.choices, empty_label=_("全部角色"), method="by_role"
    )
    active = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("1", _("启用")), ("0", _("停用"))],
        empty_label=_("全部状态"),
        method="by_active",
    )

    class Meta:
        model = User
        fields = []

    def by_role(self, queryset, name, value):
        holders = roles_in_scope(self.request.user).filter(role=value).values("user_id")
        return queryset.filter(pk__in=holders)

    def by_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


def _roles(user) -> list[str]:
    return [f"{ra.get_role_display()} · {ra.org.name}" for ra in user.scoped_roles]


@register
class UserRegister(Register):
    model = User
    name = "user"
    title = _("用户与权限")
    view_action = Action.MANAGE_USERS
    filterset = UserFilterSet
    search_fields = ("username", "first_name")
    search_placeholder = _("账号或姓名")
    ordering = ("username",)
    columns = (
        Column(_("账号"), "username", link="detail"),
        Column(_("姓名"), "first_name"),
        Column(_("角色"), _roles),
        Column(_("最近登录"), "last_login", css="d-none d-md-table-cell text-nowrap"),
        Column(
            _("状态"),
            lambda u: _("启用") if u.is_active else _("停用"),
            badge=lambda u: "success" if u.is_active else "secondary",
        ),
    )
    add_url_name = "user-create"
    add_label = _("新增用户")
    empty_filtered_text = _("没有符合条件的用户")

    def queryset(self, user, action=None):
        return managed_users(user)

    def list_queryset(self, user):
        return self.queryset(user).prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=roles_in_scope(user).order_by("org__path", "role"),
                to_attr="scoped_roles",
            )
        )

    def can_add(self, user) -> bool:
        return self.may_read(user)
