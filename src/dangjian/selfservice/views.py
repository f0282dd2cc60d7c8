"""`/me/`: the signed-in member's (or applicant's) own pages, made for a phone. Nothing here
takes an id from the URL: every page works on the signed-in user's own record, so another
member's data cannot be reached by changing a number."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dangjian.core import selfservice
from dangjian.core.dates import age_on
from dangjian.core.forms import form_page
from dangjian.core.models import Notification
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.members import lifecycle
from dangjian.members.lifecycle_forms import FlowingReportForm, OwnTransferForm
from dangjian.members.models import Transfer
from dangjian.recruitment.models import OPEN_STAGES, Recruit
from dangjian.selfservice import services
from dangjian.selfservice.forms import ApplicantLinkForm, CorrectionForm, ThoughtReportForm
from dangjian.selfservice.models import Correction, ThoughtReport

MILESTONES = (
    ("applied_on", _("提交入党申请")),
    ("activist_on", _("确定为入党积极分子")),
    ("candidate_on", _("确定为发展对象")),
    ("admitted_on", _("支部大会接收为预备党员")),
    ("approved_on", _("上级党委审批")),
    ("probation_end_on", _("预备期满")),
    ("converted_on", _("转为正式党员")),
)


def timeline(recruit: Recruit) -> list[dict]:
    """The person's own pipeline: the milestones reached and the next one due."""
    rows = [
        {"label": label, "on": getattr(recruit, field), "done": True}
        for field, label in MILESTONES
        if getattr(recruit, field)
    ]
    if recruit.stage in OPEN_STAGES and recruit.next_due_on:
        rows.append({"label": _("下一步期限"), "on": recruit.next_due_on, "done": False})
    return rows


def _me(request):
    member = services.own_member(request.user)
    recruit = services.own_recruit(request.user, member)
    return member, recruit


@never_cache
@login_required
def me_home(request):
    user = request.user
    today = timezone.localdate()
    member, recruit = _me(request)
    context = {
        "member": member,
        "recruit": recruit,
        "today": today,
        "notes": Notification.objects.filter(user=user, read_at__isnull=True)[:5],
    }
    if member is not None:
        context.update(
            age=age_on(member.birth_date, today),
            cards=selfservice.render_list(request, member),
            transfers=Transfer.objects.filter(member=member).select_related("from_org", "to_org")[
                :5
            ],
            open_transfer=member.transfers.open().exists(),
            letter_request=member.letter_requests.select_related("letter")
            .order_by("-requested_at", "-id")
            .first(),
            flowing=member.flowing.filter(back_on__isnull=True).first(),
            corrections=Correction.objects.filter(member=member)[:5],
            manages=can(user, Action.VIEW),
        )
    if recruit is not None:
        context["timeline"] = timeline(recruit)
    if services.writes_reports(member, recruit, today):
        context.update(
            writes_reports=True,
            report_due=services.report_due(user, today),
            reports=ThoughtReport.objects.filter(user=user).select_related("file")[:8],
            quarter_end=services.quarter_end(today),
        )
    return render(request, "selfservice/home.html", context)


def _member_or_404(request):
    member = services.own_member(request.user)
    if member is None:
        raise Http404
    return member


@login_required
def me_correction(request):
    _member_or_404(request)
    form = CorrectionForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.request_correction(request.user, **data),
        _("更正申请已提交, 党支部处理后会通知您"),
        done=reverse("me-home"),
        template="selfservice/form.html",
        context={"title": _("申请更正本人信息")},
    )


@login_required
def me_transfer(request):
    member = _member_or_404(request)
    form = OwnTransferForm(request.POST or None, member=member)

    def save(data):
        if data["out_org_name"]:
            return lifecycle.request_letter(
                request.user, member, other_org_name=data["out_org_name"], reason=data["reason"]
            )
        return lifecycle.request_transfer(
            request.user, member, to_org=data["to_org"], reason=data["reason"]
        )

    return form_page(
        request,
        form,
        save,
        lambda made: (
            _("转接申请已提交, 等待转出方审批")
            if isinstance(made, Transfer)
            else _("介绍信申请已提交, 已通知党支部为您开具")
        ),
        done=reverse("me-home"),
        template="selfservice/form.html",
        context={"title": _("申请转接组织关系")},
    )


@login_required
def me_letter_withdraw(request):
    """Withdraw one's own open request for a 介绍信: a confirmation page, then the POST."""
    member = _member_or_404(request)
    letter_request = member.letter_requests.open().first()
    if letter_request is None:
        raise Http404
    # No fields: the page itself is the confirmation; a POST (even an empty one) withdraws.
    form = forms.Form(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda data: lifecycle.withdraw_letter_request(request.user, letter_request),
        _("介绍信申请已撤回"),
        done=reverse("me-home"),
        template="selfservice/letter_withdraw.html",
        context={"title": _("撤回介绍信申请"), "letter_request": letter_request},
    )


@login_required
def me_flowing_report(request):
    member = _member_or_404(request)
    flowing = member.flowing.filter(back_on__isnull=True).first()
    if flowing is None:
        raise Http404
    form = FlowingReportForm(request.POST or None)
    del form.fields["reported_by"]
    return form_page(
        request,
        form,
        lambda data: lifecycle.report_flowing(request.user, flowing, reported_by=_("本人"), **data),
        _("活动情况已报告给党支部"),
        done=reverse("me-home"),
        template="selfservice/form.html",
        context={"title": _("报告在外参加活动情况")},
    )


@login_required
def me_report(request):
    member, recruit = _me(request)
    if not services.writes_reports(member, recruit, timezone.localdate()):
        raise Http404
    form = ThoughtReportForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda data: services.submit_thought_report(
            request.user, title=data["title"], upload=data["upload"]
        ),
        _("思想汇报已提交"),
        done=reverse("me-home"),
        template="selfservice/form.html",
        context={"title": _("提交思想汇报"), "multipart": True},
    )


@login_required
def applicant_link(request):
    """An organiser lets an existing account sign in as a person in the pipeline."""
    user = request.user
    if not can(user, Action.MANAGE_USERS):
        raise Http404
    recruits = (
        Recruit.objects.restrict(user, Action.CHANGE)
        .filter(stage__in=OPEN_STAGES[:3], account__isnull=True)
        .order_by("org__path", "name")
    )
    form = ApplicantLinkForm(request.POST or None, recruits=recruits)

    def save(data):
        account = get_user_model().objects.filter(username=data["username"]).first()
        if account is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"username": [_("账号不存在, 请先在用户管理中创建")]})
        return services.link_applicant(user, data["recruit"], account)

    return form_page(
        request,
        form,
        save,
        _("已关联账号, 对方登录后可在“我的”页面查看本人发展进程、提交思想汇报"),
        done=reverse("me-thought-reports-list"),
        template="selfservice/form.html",
        context={"title": _("关联入党申请人账号")},
    )
