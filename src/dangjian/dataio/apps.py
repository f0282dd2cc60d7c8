from django.apps import AppConfig


class DataioConfig(AppConfig):
    name = "dangjian.dataio"
    label = "dataio"
    verbose_name = "数据导入导出"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu

        menu.add("system", _("数据导入"), "data-home", needs="add", order=20)
