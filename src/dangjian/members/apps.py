from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangjian.members"
    label = "members"
    verbose_name = "党员信息库"

    def ready(self):
        from dangjian.members import registers  # noqa: F401
