from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    label = "orgs"
    verbose_name = "组织网络"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu

        menu.group("orgs", _("组织网络"), order=10)
        menu.add("orgs", _("组织树"), "org-tree", order=10)
        menu.add("orgs", _("组织名册"), "org-list", order=20)
        menu.add("orgs", _("学校"), "school-list", order=30)
        menu.add("orgs", _("换届选举"), "election-list", order=40)
        menu.add("orgs", _("学校领导班子"), "school-leadership", order=50)
        menu.add("orgs", _("阵地建设"), "activity-room-list", order=60)
        from dangjian.orgs import election_registers, registers  # noqa: F401
