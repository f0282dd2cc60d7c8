from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from dangjian.accounts import registers, signals  # noqa: F401
