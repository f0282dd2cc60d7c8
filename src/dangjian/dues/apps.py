from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dangjian.dues"
    label = "dues"
    verbose_name = "党费"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu, selfservice

        menu.group("dues", _("党费"), order=40)
        menu.add("dues", _("党费台账"), "dues-list", order=10)
        menu.add("dues", _("交纳记录"), "duespayment-list", order=20)
        menu.add("dues", _("党费基数"), "duesbase-list", order=30)
        menu.add("dues", _("减免审批"), "duesreduction-list", order=40)
        menu.add("dues", _("党费汇总"), "dues-totals", order=50)
        from dangjian.dues import registers  # noqa: F401
        from dangjian.dues.views import me_card

        selfservice.add("dues", "dues/me_card.html", me_card, order=40)
