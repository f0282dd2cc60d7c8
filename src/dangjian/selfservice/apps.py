from django.apps import AppConfig


class SelfserviceConfig(AppConfig):
    name = "dangjian.selfservice"
    label = "selfservice"
    verbose_name = "党员本人页面"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu

        menu.add("members", _("信息更正申请"), "me-corrections-list", order=60)
        menu.add("members", _("思想汇报"), "me-thought-reports-list", order=70)
        from dangjian.core import notifications
        from dangjian.selfservice import registers  # noqa: F401
        from dangjian.selfservice.services import remind_thought_reports

        notifications.add_reminder("thought-report", _("思想汇报季度提醒"), remind_thought_reports)
