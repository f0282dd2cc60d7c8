from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "公共机制"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu

        menu.add("system", _("审计日志"), "audit-list", needs="audit", order=40)
        from dangjian.core import audit_views, signals  # noqa: F401
