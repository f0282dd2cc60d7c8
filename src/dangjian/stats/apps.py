from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "dangjian.stats"
    label = "stats"
    verbose_name = "统计与报告"
