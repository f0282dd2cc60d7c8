from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "dangjian.recruitment"
    label = "recruitment"
    verbose_name = "发展党员"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu

        menu.add("members", _("发展党员"), "recruit-board", order=20)
        menu.add("members", _("发展党员名册"), "recruit-list", order=30)
        from dangjian.orgs import electorate
        from dangjian.recruitment import registers  # noqa: F401
        from dangjian.recruitment.electorate import electorate_of

        electorate.provide(electorate_of)

        from dangjian.core.excel import register_importer
        from dangjian.recruitment.excel import RECRUIT_IMPORTER, RECRUIT_TEMPLATE, export_subtree

        register_importer(RECRUIT_TEMPLATE.name, RECRUIT_IMPORTER, export_subtree)
