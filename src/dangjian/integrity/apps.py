from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "dangjian.integrity"
    label = "integrity"
    verbose_name = "廉政建设"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu
        from dangjian.core.roles import Action
        from dangjian.core.scope import can

        def discipline(user) -> bool:
            return can(user, Action.DISCIPLINE)

        menu.group("integrity", _("廉政建设"), order=60)
        menu.add("integrity", _("廉政风险防控"), "risk-list", order=10)
        menu.add("integrity", _("防控措施"), "risk-measure-list", order=20)
        menu.add("integrity", _("廉政教育"), "integrity-education-list", order=30)
        menu.add("integrity", _("信访"), "petition-list", order=40, needs=discipline)
        menu.add("integrity", _("线索和案件"), "case-list", order=50, needs=discipline)
        menu.add("integrity", _("诫勉和提醒谈话"), "admonition-list", order=60, needs=discipline)
        from dangjian.core import panels
        from dangjian.integrity import registers  # noqa: F401
        from dangjian.integrity.panels import member_panel

        panels.add("member", "integrity", "integrity/member_panel.html", member_panel, order=80)
