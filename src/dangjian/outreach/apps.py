from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "dangjian.outreach"
    label = "outreach"
    verbose_name = "结对帮扶"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu

        menu.group("outreach", _("结对帮扶"), order=60)
        menu.add("outreach", _("结对名册"), "pairing-list", order=10)
        menu.add("outreach", _("帮扶台账"), "assistance-list", order=20)
        from dangjian.outreach import registers  # noqa: F401
