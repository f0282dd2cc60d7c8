from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "公共机制"

    def ready(self):
        from dangjian.core import audit_views, signals  # noqa: F401
