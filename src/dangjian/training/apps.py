from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "dangjian.training"
    label = "training"
    verbose_name = "培训与学习"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu, selfservice
        from dangjian.training import views

        menu.group("training", _("培训与学习"), order=70)
        menu.add("training", _("培训班次"), "training-list", order=10)
        menu.add("training", _("培训课程"), "course-list", order=20)
        menu.add("training", _("参训记录"), "attendance-list", order=30)
        menu.add("training", _("学时统计"), "training-hours", order=40)
        menu.add("training", _("党务干部轮训"), "training-rotation", order=50)
        menu.add("training", _("双培双带与青蓝工程"), "mentorship-list", order=60)
        menu.add("training", _("党建研究"), "research-list", order=70)
        selfservice.add("training", "training/me_card.html", views.me_card, order=40)
        from dangjian.training import registers  # noqa: F401
