"""The branch's side of the members' own pages: 信息更正申请 (on its 待办 list until
handled) and the 思想汇报 uploaded by people in the pipeline."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, Register, TodoItem, register
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.selfservice import services
from dangjian.selfservice.forms import HandleCorrectionForm
from dangjian.selfservice.models import Correction, CorrectionStatus, ThoughtReport


class CorrectionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=CorrectionStatus.choices, empty_label=_("全部")
    )

    class Meta:
        model = Correction
        fields = []


@register
class CorrectionRegister(Register):
    model = Correction
    name = "me-corrections"
    title = _("信息更正申请")
    filterset = CorrectionFilterSet
    search_fields = ("member__name", "text")
    org_paths = ("member__org__path",)
    ordering = ("-created_at", "-id")
    select_related = ("member__org",)
    list_needs_scope = True
    columns = (
        Column(_("党员"), "member.name", link="detail"),
        Column(_("党组织"), "member.org.name", css="hide-sm"),
        Column(_("项目"), "field"),
        Column(_("更正内容"), "text"),
        Column(_("状态"), "get_status_display"),
        Column(_("提交时间"), "created_at", css="text-nowrap hide-sm"),
        Column(_("处理意见"), "reply", css="hide-sm"),
    )
    form_class = HandleCorrectionForm
    empty_text = _("没有信息更正申请")

    def can_add(self, user) -> bool:
        return False  # members submit their own, from /me/

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "obj": obj}

    def update(self, actor, obj, data):
        return services.handle_correction(actor, obj, **data)

    def has(self, view: str) -> bool:
        return view in ("list", "detail", "edit")

    def todo(self, user, today):
        if not can(user, Action.CHANGE):
            return []
        rows = (
            Correction.objects.restrict(user, Action.CHANGE)
            .filter(status=CorrectionStatus.OPEN)
            .select_related("member__org")[:100]
        )
        return [
            TodoItem(
                "warning",
                gettext("%(name)s申请更正本人信息: %(f)s") % {"name": c.member.name, "f": c.field},
                reverse("me-corrections-detail", args=[c.pk]),
                None,
                "correction",
                c.member.org.path,
            )
            for c in rows
        ]


def _file_link(report: ThoughtReport) -> str:
    return report.file.url


@register
class ThoughtReportRegister(Register):
    model = ThoughtReport
    name = "me-thought-reports"
    title = _("思想汇报")
    search_fields = ("name", "title")
    org_paths = ("org__path",)
    ordering = ("-submitted_on", "-id")
    select_related = ("org", "file")
    list_needs_scope = True
    columns = (
        Column(_("姓名"), "name", link="detail"),
        Column(_("党支部"), "org.name", css="hide-sm"),
        Column(_("标题"), "title"),
        Column(_("季度"), "quarter"),
        Column(_("提交日期"), "submitted_on", css="text-nowrap"),
        Column(_("文件"), "file.name", link=_file_link, export=False),
    )
    empty_text = _("还没有思想汇报")

    def can_add(self, user) -> bool:
        return False
