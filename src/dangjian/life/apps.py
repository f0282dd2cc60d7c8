from django.apps import AppConfig


class LifeConfig(AppConfig):
    name = "dangjian.life"
    label = "life"
    verbose_name = "组织生活"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu, selfservice

        menu.group("life", _("组织生活"), order=40)
        menu.add("life", _("会议记录"), "meeting-list", order=10)
        menu.add("life", _("合规情况"), "life-compliance", order=20)
        menu.add("life", _("党小组成员"), "groupmember-list", order=25)
        menu.add("life", _("主题系列活动"), "series-list", order=30)
        menu.add("life", _("会议频次要求"), "frequency-list", order=40)
        from dangjian.life import me, registers  # noqa: F401

        selfservice.add("life-meetings", "life/me_card.html", me.card_context, order=20)
