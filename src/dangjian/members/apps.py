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
        menu.add("members", _("组织关系转接"), "transfer-list", order=20)
        menu.add("members", _("组织关系介绍信"), "letter-list", order=30)
        menu.add("members", _("介绍信申请"), "letter-request-list", order=35)
        menu.add("members", _("流动党员"), "flowing-list", order=40)
        menu.add("members", _("党籍决定"), "decision-list", order=50)
        from dangjian.members import lifecycle_registers, registers  # noqa: F401
