"""The document library and 党务公开 on the register kit. Search (`?q=`) of the library
reads names and contents (disclosure.search)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, Register, register
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.disclosure import forms as disclosure_forms
from dangjian.disclosure import services
from dangjian.disclosure.models import (
    Document,
    DocumentCategory,
    Publication,
    PublicationKind,
)


class DocumentFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=DocumentCategory.choices, empty_label=_("全部类别")
    )

    class Meta:
        model = Document
        fields = []


@register
class DocumentRegister(Register):
    model = Document
    name = "document"
    title = _("文件资料库")
    filterset = DocumentFilterSet
    search_label = _("全文检索")
    search_placeholder = _("文件名称或内容中的词语")
    org_paths = ("org__path",)
    ordering = ("org__path", "category", "title", "id")
    select_related = ("org",)
    columns = (
        Column(_("名称"), "title", link="detail"),
        Column(_("类别"), "get_category_display"),
        Column(_("党组织"), "org.name", link_to=("org-detail", "org_id"), css="hide-sm"),
        Column(_("发布或施行日期"), "issued_on", css="hide-sm"),
        Column(_("版本数"), "version_count", css="hide-sm"),
        Column(_("更新时间"), "updated_at", css="hide-sm"),
    )
    detail_columns = (
        Column(_("名称"), "title"),
        Column(_("类别"), "get_category_display"),
        Column(_("党组织"), "org.name"),
        Column(_("说明"), "description"),
        Column(_("发布或施行日期"), "issued_on"),
        Column(_("版本数"), "version_count"),
        Column(_("登记时间"), "created_at"),
    )
    form_class = disclosure_forms.DocumentEditForm
    add_url_name = "document-create"
    add_label = _("上传文件")
    empty_text = _("文件资料库还是空的")
    detail_template = "disclosure/document_detail.html"

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "instance": obj}

    def update(self, actor, obj, data):
        return services.update_document(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_document(actor, obj)

    def detail_context(self, request, obj) -> dict:
        versions = list(obj.versions.select_related("file"))
        may_change = Document.objects.restrict(request.user, Action.CHANGE).filter(pk=obj.pk)
        return {
            "versions": versions,
            "may_add_version": may_change.exists(),
            "may_publish": can(request.user, Action.ADD),
            "publications": list(obj.publications.select_related("org")),
        }


def _state(pub: Publication) -> str:
    today = timezone.localdate()
    if pub.withdrawn_on is not None:
        return gettext("已撤回")
    if pub.published_on > today:
        return gettext("待公开")
    if pub.expires_on < today:
        return gettext("已到期")
    return gettext("公开中")


class PublicationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=PublicationKind.choices, empty_label=_("全部类型")
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("live", _("公开中")), ("ended", _("已到期或撤回"))],
        empty_label=_("全部"),
        method="by_state",
    )

    class Meta:
        model = Publication
        fields = []

    def by_state(self, queryset, name, value):
        today = timezone.localdate()
        live = queryset.live(today)
        return live if value == "live" else queryset.exclude(pk__in=live.values("pk"))


@register
class PublicationRegister(Register):
    model = Publication
    name = "publication"
    title = _("党务公开")
    filterset = PublicationFilterSet
    search_fields = ("title", "body")
    search_placeholder = _("标题或内容")
    org_paths = ("org__path",)
    ordering = ("-published_on", "-id")
    select_related = ("org",)
    columns = (
        Column(_("标题"), "title", link="detail"),
        Column(_("类型"), "get_kind_display"),
        Column(_("党组织"), "org.name", link_to=("org-detail", "org_id"), css="hide-sm"),
        Column(_("公开日期"), "published_on", css="text-nowrap"),
        Column(_("截止日期"), "expires_on", css="text-nowrap hide-sm"),
        Column(
            _("状态"),
            _state,
            badge=lambda p: "success" if p.is_live(timezone.localdate()) else "secondary",
        ),
    )
    detail_columns = (
        Column(_("标题"), "title"),
        Column(_("类型"), "get_kind_display"),
        Column(_("党组织"), "org.name"),
        Column(_("公开日期"), "published_on"),
        Column(_("截止日期"), "expires_on"),
        Column(_("状态"), _state),
        Column(_("公开的文件"), "document.title"),
        Column(_("发布人"), "published_by"),
        Column(_("撤回日期"), "withdrawn_on"),
    )
    form_class = disclosure_forms.PublicationForm
    add_label = _("发布公开事项")
    empty_text = _("还没有公开事项")
    list_template = "disclosure/publications.html"
    detail_template = "disclosure/publication_detail.html"

    def form_kwargs(self, request, obj=None) -> dict:
        # "公开到党务公开" on a document's page opens this form with the document chosen.
        initial = {key: request.GET[key] for key in ("kind", "document") if key in request.GET}
        return {"user": request.user, "initial": initial}

    def form_notice(self, request, form) -> str | None:
        if not form.fields["org"].queryset.exists():
            return gettext("您没有可以发布公开事项的党组织")
        return None

    def create(self, actor, data):
        return services.publish(
            actor,
            org=data["org"],
            kind=data["kind"],
            title=data["title"],
            body=data.get("body") or "",
            published_on=data["published_on"],
            expires_on=data["expires_on"],
            document=data.get("document"),
        )

    def detail_context(self, request, obj) -> dict:
        may = Publication.objects.restrict(request.user, Action.CHANGE).filter(pk=obj.pk)
        return {"may_withdraw": obj.withdrawn_on is None and may.exists()}
