from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "dangjian.assessment"
    label = "assessment"
    verbose_name = "责任与考核"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu

        menu.group("assessment", _("责任与考核"), order=40)
        menu.add("assessment", _("党建责任书"), "dutyletter-list", order=10)
        menu.add("assessment", _("专项督查"), "inspection-list", order=20)
        menu.add("assessment", _("整改事项"), "rectification-list", order=30)
        menu.add("assessment", _("考核评分"), "indicatorset-list", order=40)
        menu.add("assessment", _("外部测评"), "evaluation-list", order=50)
        menu.add("assessment", _("表彰"), "honour-list", order=60)
        from dangjian.assessment import registers  # noqa: F401
