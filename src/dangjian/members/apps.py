from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangjian.members"
    label = "members"
    verbose_name = "党员信息库"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu

        menu.group("members", _("党员"), order=20)
        menu.add("members", _("党员信息库"), "member-list", order=10)
        from dangjian.members import registers  # noqa: F401
