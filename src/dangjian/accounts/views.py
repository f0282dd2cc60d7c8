"""Sign-in, one's own password, and user management.

A manager sees only users holding a role inside the manager's own subtrees, and only those
roles; anything else is 404 so that nothing about other counties leaks. Actions on the whole
account (password, activation) need every role of the account to be the manager's to manage:
otherwise a county admin could take over an account that also holds city-wide rights."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts import services
from dangjian.accounts.forms import (
    GrantForm,
    LoginForm,
    OwnPasswordForm,
    SetPasswordForm,
    UserCreateForm,
    UserFilterForm,
    member_label,
    member_options,
    roles_in_scope,
)
from dangjian.core.forms import apply_service_errors
from dangjian.core.models import AuditEntry
from dangjian.core.roles import Action, Role
from dangjian.core.scope import can, forget_roles, is_unrestricted
from dangjian.core.views import paginate, query_without_page
from dangjian.members.models import Member

User = get_user_model()

login = LoginView.as_view(
    template_name="registration/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
logout = LogoutView.as_view()


@login_required
def password_change(request):
    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password(request.user, request.user, form.cleaned_data["new_password1"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            return redirect("password_change_done")
    return render(request, "registration/password_change_form.html", {"form": form})


@login_required
def password_change_done(request):
    return render(request, "registration/password_change_done.html")


def _manager(request):
    if not can(request.user, Action.MANAGE_USERS):
        raise Http404
    return request.user


def _managed_users(actor):
    users = services.users_in_scope(actor)
    if not is_unrestricted(actor):
        # A superuser's rights reach beyond any subtree; only another superuser manages them.
        users = users.exclude(is_superuser=True)
    return users


def _get_user(actor, pk: int, *, whole_account: bool = False):
    user = get_object_or_404(_managed_users(actor), pk=pk)
    if whole_account and not services.manages_whole_account(actor, user):
        raise Http404
    return user


@login_required
def user_list(request):
    actor = _manager(request)
    form = UserFilterForm(request.GET or None)
    users = _managed_users(actor)
    if form.is_valid():
        data = form.cleaned_data
        text = data["q"].strip()
        if text:
            users = users.filter(Q(username__icontains=text) | Q(first_name__icontains=text))
        if data["role"]:
            holders = roles_in_scope(actor).filter(role=data["role"]).values("user_id")
            users = users.filter(pk__in=holders)
        if data["active"]:
            users = users.filter(is_active=data["active"] == "1")
    users = users.order_by("username").prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=roles_in_scope(actor).order_by("org__path", "role"),
            to_attr="scoped_roles",
        )
    )
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": paginate(request, users), "query": query_without_page(request)},
    )


@login_required
def user_detail(request, pk: int):
    actor = _manager(request)
    target = _get_user(actor, pk)
    roles = list(roles_in_scope(actor).filter(user=target).order_by("org__path", "role"))
    other_roles = target.role_assignments.count() - len(roles)
    member = (
        Member.objects.restrict(actor, Action.VIEW)
        .filter(user=target)
        .select_related("org")
        .first()
    )
    entries = []
    if can(actor, Action.AUDIT):
        entries = list(
            AuditEntry.objects.restrict(actor, Action.AUDIT).filter(
                object_type=User._meta.label_lower, object_id=str(target.pk)
            )[:10]
        )
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "roles": roles,
            "other_roles": other_roles,
            "whole_account": services.manages_whole_account(actor, target),
            "is_self": target.pk == actor.pk,
            "member": member,
            "entries": entries,
            "can_audit": can(actor, Action.AUDIT),
            "user_type": User._meta.label_lower,
        },
    )


def _member_options(request, actor):
    """The <option>s of the member select for a search typed into the role form (htmx asks
    the form's own URL, so the options share the form's scope)."""
    members = member_options(actor, request.GET.get("member_search", "").strip())
    return render(
        request,
        "accounts/_member_options.html",
        {"options": [(m.pk, member_label(m)) for m in members]},
    )


def _wants_member_options(request) -> bool:
    return request.method == "GET" and request.htmx and "member_search" in request.GET


def _role_form_values(data) -> tuple:
    member = data["member"] if data["role"] == Role.MEMBER_SELF else None
    return data["org"], data["role"], member


@login_required
def user_create(request):
    actor = _manager(request)
    if _wants_member_options(request):
        return _member_options(request, actor)
    form = UserCreateForm(request.POST or None, actor=actor)
    form.set_options_url(request.path)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org, role, member = _role_form_values(data)
        try:
            user = services.create_user(
                actor,
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                org=org,
                role=role,
                member=member,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已创建账号“%(u)s”") % {"u": user.username})
            return redirect("user-detail", pk=user.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "title": _("新增用户"),
            "submit": _("创建账号"),
            "back": reverse("user-list"),
        },
    )


@login_required
def user_grant(request, pk: int):
    actor = _manager(request)
    target = _get_user(actor, pk)
    if _wants_member_options(request):
        return _member_options(request, actor)
    form = GrantForm(request.POST or None, actor=actor)
    form.set_options_url(request.path)
    if request.method == "POST" and form.is_valid():
        org, role, member = _role_form_values(form.cleaned_data)
        if member is not None and Member.objects.filter(user=target).exclude(pk=member.pk).exists():
            form.add_error("member", _("该账号已关联其他党员,请先撤销其党员本人角色"))
        else:
            try:
                services.grant_role(actor, target, org, role, member=member)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已授予角色"))
                return redirect("user-detail", pk=target.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": target,
            "title": _("授予角色"),
            "submit": _("授予"),
            "back": reverse("user-detail", args=[target.pk]),
        },
    )


@login_required
@require_POST
def user_revoke(request, pk: int):
    actor = _manager(request)
    assignment = get_object_or_404(
        roles_in_scope(actor).filter(user__in=_managed_users(actor)).select_related("user"),
        pk=pk,
    )
    target = assignment.user
    services.revoke_role(actor, assignment)
    forget_roles(actor)
    messages.success(request, _("已撤销角色"))
    if can(actor, Action.MANAGE_USERS):
        if _managed_users(actor).filter(pk=target.pk).exists():
            return redirect("user-detail", pk=target.pk)
        return redirect("user-list")
    return redirect(settings.LOGIN_REDIRECT_URL)


@login_required
@require_POST
def user_activate(request, pk: int):
    actor = _manager(request)
    target = _get_user(actor, pk, whole_account=True)
    try:
        services.set_active(actor, target, not target.is_active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if target.is_active:
            messages.success(request, _("账号已启用"))
        else:
            messages.success(request, _("账号已停用"))
    return redirect("user-detail", pk=target.pk)


@login_required
def user_password(request, pk: int):
    actor = _manager(request)
    target = _get_user(actor, pk, whole_account=True)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password(actor, target, form.cleaned_data["password"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if target.pk == actor.pk:
                update_session_auth_hash(request, target)
            messages.success(request, _("已重设账号“%(u)s”的密码") % {"u": target.username})
            return redirect("user-detail", pk=target.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": target,
            "title": _("重设密码"),
            "submit": _("保存新密码"),
            "back": reverse("user-detail", args=[target.pk]),
        },
    )
