from django.apps import AppConfig
from django.db.models.signals import post_save


class StatsConfig(AppConfig):
    name = "dangjian.stats"
    label = "stats"
    verbose_name = "统计与报告"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu

        menu.group("stats", _("统计分析"), order=80)
        menu.add("stats", _("统计分析"), "stats-dashboard")
        from dangjian.core.models import AuditEntry
        from dangjian.stats.tasks import request_warming

        post_save.connect(request_warming, sender=AuditEntry, dispatch_uid="stats-warming")
