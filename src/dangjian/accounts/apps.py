from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu

        menu.group("system", _("系统管理"), order=90)
        menu.add("system", _("用户与权限"), "user-list", needs="manage_users", order=10)
        menu.add("system", _("账号安全"), "security-list", needs="security", order=30)
        from dangjian.accounts import registers, signals  # noqa: F401
