from django.apps import AppConfig


class ExcellenceConfig(AppConfig):
    name = "dangjian.excellence"
    label = "excellence"
    verbose_name = "创先争优与示范"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu, panels, selfservice

        menu.group("excellence", _("创先争优"), order=50)
        menu.add("excellence", _("“五个好”检查"), "fivegood-list", order=10)
        menu.add("excellence", _("“五个好”检查标准"), "fivegood-checklists", order=15)
        menu.add("excellence", _("党建示范点"), "demopoint-list", order=20)
        menu.add("excellence", _("示范点三年计划"), "demopoint-tracker", order=25)
        menu.add("excellence", _("党员评星定格"), "starrating-list", order=30)
        menu.add("excellence", _("评星定格标准"), "starcriteria-list", order=35)
        menu.add("excellence", _("党员公开承诺"), "commitment-list", order=40)
        menu.add("excellence", _("先锋岗·责任区·示范窗口"), "vanguardpost-list", order=50)
        menu.add("excellence", _("先进典型"), "exemplar-list", order=60)
        menu.add("excellence", _("创先争优活动"), "campaign-list", order=70)
        from dangjian.excellence import panels as excellence_panels
        from dangjian.excellence import registers, views  # noqa: F401

        panels.add("org", "excellence", "excellence/org_panel.html", excellence_panels.org_panel)
        panels.add(
            "member", "excellence", "excellence/member_panel.html", excellence_panels.member_panel
        )

        # On the 表彰 page (assessment, a sibling app that does not import this one).
        panels.add(
            "honour", "excellence", "excellence/honour_panel.html", excellence_panels.honour_panel
        )

        selfservice.add("excellence", "excellence/me_card.html", views.me_card, order=60)
