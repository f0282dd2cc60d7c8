"""The lifecycle's action pages beyond the kit's: a transfer's approve / accept / return /
cancel, the whole-branch move, issuing and receiving 介绍信 (and printing one), a letter's
回执, a 流动党员's report. Each POST runs one service; the record is fetched through
`restrict()`, so another org's record is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.forms import form_page, submit
from dangjian.core.roles import Action
from dangjian.core.scope import NotInScope, can
from dangjian.members import letters, lifecycle, services
from dangjian.members.lifecycle_forms import (
    BranchTransferForm,
    DayForm,
    DeclineLetterForm,
    FlowingReportForm,
    InLetterForm,
    OutLetterForm,
    ReturnForm,
    TransferForm,
)
from dangjian.members.models import (
    Flowing,
    Letter,
    LetterDirection,
    LetterRequest,
    Transfer,
    TransferStatus,
)


def _transfer(request, pk):
    return get_object_or_404(
        Transfer.objects.restrict(request.user).select_related("member", "from_org", "to_org"),
        pk=pk,
    )


def _back(transfer):
    return redirect("transfer-detail", transfer.pk)


@login_required
def transfer_act(request, pk: int, step: str):
    """approve / accept / return / cancel: a small form (a date, a reason) for each."""
    transfer = _transfer(request, pk)
    user = request.user
    steps = {
        "approve": (DayForm, lambda d: lifecycle.approve_transfer(user, transfer, on=d["on"]),
                    _("审批同意转出"), _("已同意转出")),
        "accept": (DayForm, lambda d: lifecycle.accept_transfer(user, transfer, on=d["on"]),
                   _("接收"), _("已接收, 该党员自接收日期起计入本组织")),
        "return": (ReturnForm, lambda d: lifecycle.return_transfer(
            user, transfer, reason=d["reason"], on=d["on"]), _("退回"), _("已退回")),
        "cancel": (None, lambda d: lifecycle.cancel_transfer(user, transfer),
                   _("撤销"), _("已撤销")),
    }  # fmt: skip
    if step not in steps:
        raise Http404
    form_class, save, title, done = steps[step]
    requested = transfer.status == TransferStatus.REQUESTED
    approved = transfer.status == TransferStatus.APPROVED
    allowed = {
        "approve": lambda: requested and lifecycle.may_approve(user, transfer),
        "accept": lambda: approved and lifecycle.may_accept(user, transfer),
        "return": lambda: (
            (requested and lifecycle.may_approve(user, transfer))
            or (approved and lifecycle.may_accept(user, transfer))
        ),
        "cancel": lambda: lifecycle.may_cancel(user, transfer),
    }[step]()
    if not allowed or not transfer.is_open:
        raise Http404
    if form_class is None:
        if request.method != "POST":
            raise Http404
        saved, _result = submit(request, _NoFields(request.POST), save, done)
        return _back(transfer)
    form = form_class(request.POST or None)
    return form_page(
        request,
        form,
        save,
        done,
        done=reverse("transfer-detail", args=[transfer.pk]),
        template="members/transfer_step.html",
        context={"transfer": transfer, "title": title, "step": step},
    )


class _NoFields(DayForm):
    def __init__(self, data):
        super().__init__(data)
        del self.fields["on"]


@login_required
def transfer_create(request):
    """发起转接 (the transfer register's add page): to an org picked from the system, a
    transfer to approve and accept; to one typed outside it, the 介绍信 issued at once."""
    from dangjian.members.lifecycle_registers import TransferRegister

    reg = TransferRegister.instance
    user = request.user
    if not reg.can_add(user):
        raise Http404
    form = TransferForm(request.POST or None, user=user)

    def save(data):
        if data["out_org_name"]:
            return lifecycle.issue_letter(
                user,
                data["member"],
                number=data["letter_number"],
                other_org_name=data["out_org_name"],
                issued_on=timezone.localdate(),
                note=data.get("reason") or "",
            )
        return lifecycle.request_transfer(
            user, data["member"], to_org=data["to_org"], reason=data.get("reason") or ""
        )

    def message(made):
        if isinstance(made, Letter):
            return _("已开具介绍信, 该党员自开具日期起转出")
        return _("已发起转接, 等待转出方审批")

    return form_page(
        request,
        form,
        save,
        message,
        done=lambda made: reverse(
            "letter-detail" if isinstance(made, Letter) else "transfer-detail", args=[made.pk]
        ),
        template=reg.form_template,
        context={"register": reg, "object": None, "notice": reg.form_notice(request, form)},
    )


@login_required
def transfer_branch(request):
    if not can(request.user, Action.CHANGE):
        raise Http404
    form = BranchTransferForm(request.POST or None, user=request.user)

    def save(data):
        return lifecycle.transfer_branch(
            request.user, data["from_org"], data["to_org"], on=data["on"], reason=data["reason"]
        )

    return form_page(
        request,
        form,
        save,
        lambda done: _("已整建制转接 %(n)d 名党员") % {"n": len(done)},
        done=reverse("transfer-list"),
        template="members/transfer_branch.html",
        context={},
    )


def _open_request(request):
    """The member's request a to-do item links here with (`?request=`), shown above the
    form with the way to decline it; gone once closed, or out of the user's scope."""
    pk = request.GET.get("request", "")
    if not pk.isdigit():
        return None
    return (
        LetterRequest.objects.restrict(request.user, Action.CHANGE)
        .open()
        .select_related("member")
        .filter(pk=pk)
        .first()
    )


@login_required
def letter_issue(request):
    if not can(request.user, Action.CHANGE):
        raise Http404
    # A member's request from `/me/` links here with the member and the other side filled in;
    # issuing the letter closes the member's open request, however the form was reached.
    initial = {
        key: request.GET[key][:200]
        for key in ("member", "other_org_name", "note")
        if request.GET.get(key)
    }
    form = OutLetterForm(request.POST or None, user=request.user, initial=initial)

    def save(data):
        data = dict(data)
        return lifecycle.issue_letter(request.user, data.pop("member"), **data)

    return form_page(
        request,
        form,
        save,
        _("已开具介绍信, 该党员自开具日期起转出"),
        done=lambda letter: reverse("letter-detail", args=[letter.pk]),
        template="members/letter_form.html",
        context={"title": _("开具介绍信(转出系统外)"), "letter_request": _open_request(request)},
    )


@login_required
def letter_request_decline(request, pk: int):
    """不予开具: the branch closes a member's request with a reason the member is told; the
    form is the confirmation (GET shows it, POST declines)."""
    letter_request = get_object_or_404(
        LetterRequest.objects.restrict(request.user, Action.CHANGE)
        .open()
        .select_related("member", "org"),
        pk=pk,
    )
    form = DeclineLetterForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: lifecycle.decline_letter_request(
            request.user, letter_request, reason=data["reason"]
        ),
        _("已不予开具, 已通知该党员"),
        done=reverse("letter-list"),
        template="members/letter_request_decline.html",
        context={"title": _("不予开具介绍信"), "letter_request": letter_request},
    )


@login_required
def letter_receive(request):
    if not can(request.user, Action.ADD):
        raise Http404
    form = InLetterForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: lifecycle.receive_letter(request.user, **form.service_kwargs()),
        _("已登记转入, 回执已记录"),
        done=lambda letter: reverse("letter-detail", args=[letter.pk]),
        template="members/letter_form.html",
        context={"title": _("登记收到的介绍信(从系统外转入)")},
    )


@login_required
def letter_receipt(request, pk: int):
    letter = get_object_or_404(Letter.objects.restrict(request.user, Action.CHANGE), pk=pk)
    form = DayForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: lifecycle.confirm_receipt(request.user, letter, on=data["on"]),
        _("已记录回执"),
        done=reverse("letter-detail", args=[letter.pk]),
        template="members/letter_form.html",
        context={"title": _("确认收到回执"), "letter": letter},
    )


@login_required
@require_POST
def letter_void(request, pk: int):
    letter = get_object_or_404(Letter.objects.restrict(request.user, Action.CHANGE), pk=pk)
    from django.core.exceptions import ValidationError

    try:
        lifecycle.void_letter(request.user, letter)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("介绍信已作废, 该党员未转出"))
    return redirect("letter-detail", letter.pk)


@login_required
def letter_print(request, pk: int):
    letter = get_object_or_404(
        Letter.objects.restrict(request.user).select_related("member", "org"),
        pk=pk,
        direction=LetterDirection.OUT,
    )
    number = None
    # The official letter carries the full number only when asked for (?full_id=1), as an
    # export does (INTERFACES 7), and only for those who may reveal it: audited.
    if request.GET.get("full_id") == "1":
        try:
            number = services.reveal_id_number(request.user, letter.member)
        except NotInScope:
            number = None
    content = letters.letter_docx(letter, id_number=number)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="letter-{letter.pk}.docx"'
    return response


@login_required
def flowing_report(request, pk: int):
    flowing = get_object_or_404(Flowing.objects.restrict(request.user, Action.CHANGE), pk=pk)
    form = FlowingReportForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: lifecycle.report_flowing(request.user, flowing, **data),
        _("已登记活动情况"),
        done=reverse("flowing-detail", args=[flowing.pk]),
        template="members/letter_form.html",
        context={"title": _("登记流动党员活动情况"), "flowing": flowing},
    )
