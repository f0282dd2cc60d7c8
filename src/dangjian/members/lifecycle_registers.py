"""The lifecycle registers on the kit: 组织关系转接 (`/api/transfers/`), 介绍信, 流动党员 and
党籍决定, with their 待办 items (a transfer to approve or accept, one stuck past the
介绍信's validity on both sides, a member's request for a letter, a letter without 回执, a
流动党员 without a report)."""

import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.dates import add_months
from dangjian.core.registers import Column, Register, TodoItem, register
from dangjian.core.roles import Action
from dangjian.core.scope import can, scope_paths
from dangjian.members import lifecycle
from dangjian.members.lifecycle_forms import (
    DecisionForm,
    FlowingForm,
    TransferForm,
)
from dangjian.members.models import (
    DecisionKind,
    Flowing,
    Letter,
    LetterDirection,
    LetterRequest,
    LetterRequestStatus,
    LetterStatus,
    StatusDecision,
    Transfer,
    TransferStatus,
)

ANY = _("全部")


class TransferFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=TransferStatus.choices, empty_label=ANY
    )
    open = django_filters.ChoiceFilter(
        label=_("办理情况"),
        choices=[("open", _("未办结")), ("stuck", _("超期未办结"))],
        empty_label=ANY,
        method="by_open",
    )

    class Meta:
        model = Transfer
        fields = []

    def by_open(self, queryset, name, value):
        queryset = queryset.open()
        if value == "stuck":
            queryset = queryset.filter(
                requested_on__lte=lifecycle.stuck_before(timezone.localdate())
            )
        return queryset


def _status_badge(transfer: Transfer):
    return {
        TransferStatus.REQUESTED: "warning",
        TransferStatus.APPROVED: "info",
        TransferStatus.ACCEPTED: "success",
        TransferStatus.RETURNED: "danger",
    }.get(transfer.status, "secondary")


@register
class TransferRegister(Register):
    model = Transfer
    name = "transfer"  # /api/transfers/, basename api-transfer
    title = _("组织关系转接")
    filterset = TransferFilterSet
    search_fields = ("member__name", "member__name_pinyin", "receipt_no", "batch")
    search_placeholder = _("党员姓名、回执编号或批次")
    org_paths = ("from_org__path", "to_org__path")
    ordering = ("-requested_on", "-id")
    select_related = ("member", "from_org", "to_org")
    columns = (
        Column(_("党员"), "member.name", link="detail"),
        Column(_("转出党组织"), "from_org.name"),
        Column(_("转入党组织"), "to_org.name"),
        Column(_("状态"), "get_status_display", badge=_status_badge),
        Column(_("申请日期"), "requested_on", css="text-nowrap"),
        Column(_("接收日期"), "accepted_on", css="text-nowrap hide-sm"),
        Column(_("回执编号"), "receipt_no", css="hide-sm", as_text=True),
        Column(_("批次"), "batch", html=False, as_text=True),
    )
    detail_columns = (
        Column(_("党员"), "member.name"),
        Column(_("转出党组织"), "from_org.name"),
        Column(_("转入党组织"), "to_org.name"),
        Column(_("状态"), "get_status_display"),
        Column(_("党员本人申请"), "by_member"),
        Column(_("转接原因"), "reason"),
        Column(_("申请日期"), "requested_on"),
        Column(_("转出方审批日期"), "approved_on"),
        Column(_("接收日期"), "accepted_on"),
        Column(_("回执编号"), "receipt_no"),
        Column(_("退回日期"), "returned_on"),
        Column(_("退回原因"), "return_reason"),
        Column(_("整建制转接批次"), "batch"),
    )
    form_class = TransferForm
    add_label = _("发起转接")
    empty_text = _("还没有组织关系转接")
    detail_template = "members/transfer_detail.html"
    list_template = "members/transfer_list.html"

    def can_add(self, user) -> bool:
        return can(user, Action.CHANGE)

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user}

    def form_notice(self, request, form):
        if not form.fields["member"].queryset.exists():
            return gettext("您管理的党组织中没有可转接的党员")
        return None

    def create(self, actor, data):
        return lifecycle.request_transfer(
            actor, data["member"], to_org=data["to_org"], reason=data.get("reason") or ""
        )

    def detail_context(self, request, obj) -> dict:
        user = request.user
        return {
            "may_approve": obj.status == TransferStatus.REQUESTED
            and lifecycle.may_approve(user, obj),
            "may_accept": obj.status == TransferStatus.APPROVED and lifecycle.may_accept(user, obj),
            "may_cancel": obj.is_open and lifecycle.may_cancel(user, obj),
            "stuck": obj.is_open
            and obj.requested_on <= lifecycle.stuck_before(timezone.localdate()),
        }

    def todo(self, user, today):
        paths = scope_paths(user, Action.CHANGE) or scope_paths(user, Action.ADD)
        if not paths and not getattr(user, "is_superuser", False):
            return []
        rows = (
            Transfer.objects.open()
            .restrict(user, Action.ADD)
            .select_related("member", "from_org", "to_org")
            .order_by("requested_on", "id")[:200]
        )
        stuck = lifecycle.stuck_before(today)
        items = []
        for t in rows:
            url = reverse("transfer-detail", args=[t.pk])
            due = add_months(t.requested_on, lifecycle.settings.DANGJIAN_TRANSFER_STUCK_MONTHS)
            if t.requested_on <= stuck:
                text = gettext("%(name)s的组织关系转接(%(a)s → %(b)s)已超过%(n)d个月未办结") % {
                    "name": t.member.name,
                    "a": t.from_org.name,
                    "b": t.to_org.name,
                    "n": lifecycle.settings.DANGJIAN_TRANSFER_STUCK_MONTHS,
                }
                items.append(TodoItem("danger", text, url, due, "transfer-stuck", t.from_org.path))
            elif t.status == TransferStatus.REQUESTED and lifecycle.may_approve(user, t):
                text = gettext("审批%(name)s转往%(b)s的组织关系转接") % {
                    "name": t.member.name,
                    "b": t.to_org.name,
                }
                items.append(
                    TodoItem("warning", text, url, due, "transfer-approve", t.from_org.path)
                )
            elif t.status == TransferStatus.APPROVED and lifecycle.may_accept(user, t):
                text = gettext("接收%(name)s从%(a)s转入的组织关系") % {
                    "name": t.member.name,
                    "a": t.from_org.name,
                }
                items.append(TodoItem("warning", text, url, due, "transfer-accept", t.to_org.path))
        return items


class LetterFilterSet(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(
        label=_("方向"), choices=LetterDirection.choices, empty_label=ANY
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=LetterStatus.choices, empty_label=ANY
    )

    class Meta:
        model = Letter
        fields = []


@register
class LetterRegister(Register):
    model = Letter
    name = "letter"
    title = _("组织关系介绍信")
    filterset = LetterFilterSet
    search_fields = ("number", "member__name", "other_org_name")
    search_placeholder = _("编号、党员姓名或对方党组织")
    org_paths = ("org__path",)
    ordering = ("-issued_on", "-id")
    select_related = ("member", "org")
    columns = (
        Column(_("编号"), "number", link="detail", as_text=True),
        Column(_("方向"), "get_direction_display"),
        Column(_("党员"), "member.name"),
        Column(_("本方党组织"), "org.name", css="hide-sm"),
        Column(_("对方党组织"), "other_org_name"),
        Column(_("开具日期"), "issued_on", css="text-nowrap"),
        Column(_("有效期至"), "valid_until", css="text-nowrap hide-sm"),
        Column(_("状态"), "get_status_display"),
        Column(_("回执日期"), "receipt_on", css="text-nowrap hide-sm"),
    )
    add_url_name = "letter-issue"
    add_label = _("开具介绍信")
    empty_text = _("还没有介绍信")
    detail_template = "members/letter_detail.html"

    def can_add(self, user) -> bool:
        return can(user, Action.CHANGE)

    def detail_context(self, request, obj) -> dict:
        may = Letter.objects.restrict(request.user, Action.CHANGE).filter(pk=obj.pk).exists()
        issued = obj.direction == LetterDirection.OUT and obj.status == LetterStatus.ISSUED
        return {"may_receipt": may and issued, "may_print": obj.direction == LetterDirection.OUT}

    def todo(self, user, today):
        rows = (
            Letter.objects.restrict(user, Action.CHANGE)
            .filter(
                direction=LetterDirection.OUT,
                status=LetterStatus.ISSUED,
                valid_until__lt=today,
            )
            .select_related("member", "org")[:100]
        )
        asked = (
            LetterRequest.objects.restrict(user, Action.CHANGE)
            .open()
            .select_related("member", "org")
            .order_by("requested_at", "id")[:100]
        )
        requests = [
            TodoItem(
                "warning",
                gettext("待开具介绍信: %(name)s 转往 %(to)s")
                % {"name": r.member.name, "to": r.other_org_name},
                lifecycle.letter_issue_url(r),
                None,
                "letter-request",
                r.org.path,
            )
            for r in asked
        ]
        return requests + [
            TodoItem(
                "warning",
                gettext("介绍信 %(no)s(%(name)s)已过有效期仍未收到回执")
                % {"no": letter.number, "name": letter.member.name},
                reverse("letter-detail", args=[letter.pk]),
                letter.valid_until,
                "letter-receipt",
                letter.org.path,
            )
            for letter in rows
        ]


class LetterRequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=LetterRequestStatus.choices, empty_label=ANY
    )

    class Meta:
        model = LetterRequest
        fields = []


def _request_badge(letter_request: LetterRequest) -> str:
    return {
        LetterRequestStatus.OPEN: "warning",
        LetterRequestStatus.ISSUED: "success",
        LetterRequestStatus.DECLINED: "danger",
    }.get(letter_request.status, "secondary")


@register
class LetterRequestRegister(Register):
    """Members' requests for a 介绍信 (made on `/me/`), open and closed: the open ones are
    on the branch's 待办 list; this is their history, with how each was closed."""

    model = LetterRequest
    name = "letter-request"  # /api/letter-requests/
    title = _("介绍信申请")
    filterset = LetterRequestFilterSet
    search_fields = ("member__name", "member__name_pinyin", "other_org_name")
    search_placeholder = _("党员姓名或接收单位")
    org_paths = ("org__path",)
    ordering = ("-requested_at", "-id")
    select_related = ("member", "org", "letter")
    list_needs_scope = True
    columns = (
        Column(_("党员"), "member.name", link="detail"),
        Column(_("所在党组织"), "org.name", css="hide-sm"),
        Column(_("系统外接收单位"), "other_org_name"),
        Column(_("申请时间"), "requested_at", css="text-nowrap"),
        Column(_("状态"), "get_status_display", badge=_request_badge),
        Column(_("办结日期"), "closed_on", css="text-nowrap hide-sm"),
        Column(_("介绍信编号"), "letter.number", css="hide-sm", as_text=True),
    )
    detail_columns = (
        Column(_("党员"), "member.name"),
        Column(_("所在党组织"), "org.name"),
        Column(_("系统外接收单位"), "other_org_name"),
        Column(_("转接原因"), "reason"),
        Column(_("申请时间"), "requested_at"),
        Column(_("状态"), "get_status_display"),
        Column(_("办结日期"), "closed_on"),
        Column(_("开具的介绍信"), "letter.number"),
        Column(_("不予开具的原因"), "decline_reason"),
    )
    empty_text = _("还没有党员申请介绍信")
    detail_template = "members/letter_request_detail.html"

    def can_add(self, user) -> bool:
        return False  # members ask on /me/; the branch answers by issuing or declining

    def detail_context(self, request, obj) -> dict:
        may = obj.is_open and lifecycle.may_decline(request.user, obj)
        return {"may_answer": may, "issue_url": lifecycle.letter_issue_url(obj) if may else ""}


def _flowing_state(flowing: Flowing) -> str:
    return gettext("已返回") if flowing.back_on else gettext("在外")


class FlowingFilterSet(django_filters.FilterSet):
    away = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("away", _("在外")), ("back", _("已返回"))],
        empty_label=ANY,
        method="by_away",
    )

    class Meta:
        model = Flowing
        fields = []

    def by_away(self, queryset, name, value):
        return queryset.filter(back_on__isnull=(value == "away"))


@register
class FlowingRegister(Register):
    model = Flowing
    name = "flowing"
    title = _("流动党员")
    filterset = FlowingFilterSet
    search_fields = ("member__name", "destination", "card_no")
    search_placeholder = _("姓名、流入地或活动证编号")
    org_paths = ("member__org__path",)
    ordering = ("-out_on", "-id")
    select_related = ("member__org",)
    columns = (
        Column(_("党员"), "member.name", link="detail"),
        Column(_("所在党组织"), "member.org.name", css="hide-sm"),
        Column(_("外出日期"), "out_on", css="text-nowrap"),
        Column(_("流入地"), "destination"),
        Column(_("活动证编号"), "card_no", css="hide-sm", as_text=True),
        Column(_("状态"), _flowing_state),
        Column(_("返回日期"), "back_on", css="text-nowrap hide-sm"),
    )
    detail_columns = (
        Column(_("党员"), "member.name"),
        Column(_("所在党组织"), "member.org.name"),
        Column(_("外出日期"), "out_on"),
        Column(_("预计返回日期"), "expected_back_on"),
        Column(_("流入地"), "destination"),
        Column(_("外出工作单位或住址"), "workplace"),
        Column(_("联系方式"), "contact"),
        Column(_("流动党员活动证编号"), "card_no"),
        Column(_("活动证发放日期"), "card_issued_on"),
        Column(_("返回日期"), "back_on"),
    )
    form_class = FlowingForm
    add_label = _("登记流动党员")
    empty_text = _("没有流动党员")
    detail_template = "members/flowing_detail.html"

    def can_add(self, user) -> bool:
        return can(user, Action.CHANGE)

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "obj": obj}

    def create(self, actor, data):
        data = dict(data)
        return lifecycle.register_flowing(actor, data.pop("member"), **data)

    def update(self, actor, obj, data):
        return lifecycle.update_flowing(actor, obj, **data)

    def delete(self, actor, obj):
        lifecycle.delete_flowing(actor, obj)

    def detail_context(self, request, obj) -> dict:
        may = Flowing.objects.restrict(request.user, Action.CHANGE).filter(pk=obj.pk).exists()
        return {"reports": obj.reports.all(), "may_report": may}

    def todo(self, user, today):
        """在外 members with no participation reported in the last three months."""
        since = add_months(today, -3)
        rows = (
            Flowing.objects.restrict(user, Action.CHANGE)
            .filter(back_on__isnull=True, out_on__lte=since)
            .exclude(reports__on__gte=since)
            .select_related("member__org")
            .distinct()[:100]
        )
        return [
            TodoItem(
                "info",
                gettext("流动党员%(name)s近3个月没有活动情况反馈") % {"name": f.member.name},
                reverse("flowing-detail", args=[f.pk]),
                None,
                "flowing-report",
                f.member.org.path,
            )
            for f in rows
        ]


@register
class DecisionRegister(Register):
    model = StatusDecision
    name = "decision"
    title = _("党籍决定")
    filterset = None
    search_fields = ("member__name", "document_no")
    search_placeholder = _("党员姓名或文号")
    org_paths = ("org__path",)
    ordering = ("-on", "-id")
    select_related = ("member", "org")
    columns = (
        Column(_("党员"), "member.name", link="detail"),
        Column(_("党组织"), "org.name", css="hide-sm"),
        Column(_("决定"), "get_kind_display"),
        Column(_("日期"), "on", css="text-nowrap"),
        Column(_("失去联系起始日期"), "lost_since", css="text-nowrap hide-sm"),
        Column(_("决定文号"), "document_no", as_text=True),
        Column(_("事由"), "reason", css="hide-sm"),
    )
    form_class = DecisionForm
    add_label = _("登记党籍决定")
    empty_text = _("还没有党籍决定")

    def can_add(self, user) -> bool:
        return can(user, Action.CHANGE)

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user}

    def create(self, actor, data):
        data = dict(data)
        return lifecycle.decide(actor, data.pop("member"), **data)

    def todo(self, user, today):
        """停止党籍 two years on: restore or 按自行脱党除名."""
        rows = (
            StatusDecision.objects.restrict(user, Action.CHANGE)
            .filter(kind=DecisionKind.SUSPENDED, member__status="suspended")
            .filter(on__lte=add_months(today, -24))
            .select_related("member", "org")[:100]
        )
        return [
            TodoItem(
                "warning",
                gettext("%(name)s停止党籍已满二年, 请作出恢复党籍或除名的决定")
                % {"name": d.member.name},
                reverse("decision-detail", args=[d.pk]),
                None,
                "decision-lapse",
                d.org.path,
            )
            for d in rows
        ]
