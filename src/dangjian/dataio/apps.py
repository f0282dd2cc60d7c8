from django.apps import AppConfig


class DataioConfig(AppConfig):
    name = "dangjian.dataio"
    label = "dataio"
    verbose_name = "数据导入导出"
