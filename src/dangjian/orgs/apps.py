from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    label = "orgs"
    verbose_name = "组织网络"

    def ready(self):
        from dangjian.orgs import registers  # noqa: F401
