from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "dangjian.disclosure"
    label = "disclosure"
    verbose_name = "党务公开与文件资料"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from dangjian.core import menu, panels

        menu.group("disclosure", _("党务公开"), order=45)
        menu.add("disclosure", _("公开事项"), "publication-list", order=10)
        menu.add("disclosure", _("文件资料库"), "document-list", order=20)
        menu.add("disclosure", _("党务公开网页"), "portal", order=30)
        from dangjian.disclosure import registers, views  # noqa: F401

        # "Publish to 党务公开" on the pages of the records other modules keep.
        template = "disclosure/source_panel.html"
        panels.add("meeting", "disclosure", template, views.source_panel("meeting"), order=90)
        panels.add("exemplar", "disclosure", template, views.source_panel("exemplar"), order=90)
