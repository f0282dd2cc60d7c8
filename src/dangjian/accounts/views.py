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
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from dangjian.accounts import services
from dangjian.accounts.forms import (
    GrantForm,
    LoginForm,
    OwnPasswordForm,
    SecurityFilterForm,
    SetPasswordForm,
    TokenForm,
    UserCreateForm,
    member_label,
    member_options,
    roles_in_scope,
)
from dangjian.accounts.middleware import forget_password_deadline, pending_step, safe_next
from dangjian.accounts.registers import managed_users
from dangjian.core.forms import apply_service_errors
from dangjian.core.registers.views import audit_history
from dangjian.core.roles import Action, Role
from dangjian.core.scope import can, forget_roles, is_unrestricted
from dangjian.core.signin import qr_svg
from dangjian.core.views import paginate, query_without_page
from dangjian.members.models import Member

User = get_user_model()

login = LoginView.as_view(
    template_name="registration/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
logout = LogoutView.as_view()


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in while the account is locked: the login page with the
    reason, the same whether or not the account exists."""
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked_out": True,
            "lockout_minutes": settings.DANGJIAN_LOCKOUT_MINUTES,
            "next": request.POST.get("next", ""),
        },
        status=429,
    )


def _rekey(request, change) -> None:
    """Run `change` (which gives the session a new key) and keep the session registered."""
    old = request.session.session_key
    change()
    services.session_rekeyed(old, request.session.session_key)


@login_required
@never_cache
def password_change(request):
    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password(
                request.user,
                request.user,
                form.cleaned_data["new_password1"],
                keep_session=request.session.session_key,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            _rekey(request, lambda: update_session_auth_hash(request, request.user))
            forget_password_deadline(request.session)
            return redirect("password_change_done")
    return render(
        request,
        "registration/password_change_form.html",
        {"form": form, "forced": pending_step(request) == "password"},
    )


@login_required
def password_change_done(request):
    return render(request, "registration/password_change_done.html")


def _manager(request):
    if not can(request.user, Action.MANAGE_USERS):
        raise Http404
    return request.user


def _get_user(actor, pk: int, *, whole_account: bool = False):
    user = get_object_or_404(managed_users(actor), pk=pk)
    if whole_account and not services.manages_whole_account(actor, user):
        raise Http404
    return user


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
            "history": audit_history(actor, target),
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
    return _user_form(request, form, _("新增用户"), _("创建账号"), reverse("user-list"))


def _user_form(request, form, title: str, submit: str, back: str = "", target=None):
    """The one form page of account management; back to the account's page by default."""
    back = back or reverse("user-detail", args=[target.pk])
    context = {"form": form, "target": target, "title": title, "submit": submit, "back": back}
    return render(request, "accounts/user_form.html", context)


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
    return _user_form(request, form, _("授予角色"), _("授予"), target=target)


@login_required
@require_POST
def user_revoke(request, pk: int):
    actor = _manager(request)
    assignment = get_object_or_404(
        roles_in_scope(actor).filter(user__in=managed_users(actor)).select_related("user"),
        pk=pk,
    )
    target = assignment.user
    services.revoke_role(actor, assignment)
    forget_roles(actor)
    messages.success(request, _("已撤销角色"))
    if can(actor, Action.MANAGE_USERS):
        if managed_users(actor).filter(pk=target.pk).exists():
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
        own = target.pk == actor.pk
        try:
            services.set_password(
                actor,
                target,
                form.cleaned_data["password"],
                keep_session=request.session.session_key if own else None,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if own:
                _rekey(request, lambda: update_session_auth_hash(request, target))
                forget_password_deadline(request.session)
            messages.success(request, _("已重设账号“%(u)s”的密码") % {"u": target.username})
            return redirect("user-detail", pk=target.pk)
    return _user_form(request, form, _("重设密码"), _("保存新密码"), target=target)


# -- second factor (TOTP and recovery codes) ----------------------------------------------

SETUP_KEY = "dj_otp_setup_key"


def _codes_page(request, codes: list[str]):
    return render(request, "accounts/otp_codes.html", {"codes": codes})


@login_required
@never_cache
def otp_manage(request):
    user = request.user
    return render(
        request,
        "accounts/otp_manage.html",
        {
            "enabled": services.has_second_factor(user),
            "required": services.second_factor_required(user),
            "codes_left": services.recovery_codes_left(user),
            "device": services.totp_device(user),
        },
    )


@login_required
@never_cache
def otp_setup(request):
    """Enrol an authenticator app: a fresh secret (kept in the session until confirmed),
    shown as a QR code and as text, confirmed with the app's first code."""
    user = request.user
    key = request.session.get(SETUP_KEY)
    if key is None or request.method == "GET":
        key = services.new_totp_key()
        request.session[SETUP_KEY] = key
    form = TokenForm(request.POST or None)
    form.fields["token"].help_text = _("输入身份验证器应用显示的6位数字")
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.enable_totp(user, key, form.cleaned_data["token"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            del request.session[SETUP_KEY]
            _rekey(request, request.session.cycle_key)
            otp_login(request, device)
            messages.success(request, _("两步验证已启用"))
            return _codes_page(request, codes)
    url = services.totp_config_url(user, key)
    secret = services.totp_secret_text(key)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            # Drawn here: no outside service sees the secret.
            "qr": qr_svg(url, box_size=14),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": services.second_factor_required(user),
            "replacing": services.has_second_factor(user),
            "next": safe_next(request, ""),
        },
    )


@login_required
@never_cache
def otp_verify(request):
    """The second step of signing in."""
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return redirect(safe_next(request, settings.LOGIN_REDIRECT_URL))
    enabled = services.has_second_factor(user)
    form = TokenForm(request.POST or None)
    if enabled and request.method == "POST" and form.is_valid():
        try:
            device = services.verify_second_factor(user, form.cleaned_data["token"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            _rekey(request, request.session.cycle_key)
            otp_login(request, device)
            left = services.recovery_codes_left(user)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request,
                    _("您使用了恢复码, 还剩%(n)d个; 请尽快重新生成恢复码") % {"n": left},
                )
            return redirect(safe_next(request, settings.LOGIN_REDIRECT_URL))
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "enabled": enabled, "next": safe_next(request, "")},
    )


@login_required
@never_cache
@require_POST
def otp_recovery(request):
    try:
        codes = services.regenerate_recovery_codes(request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("otp-manage")
    return _codes_page(request, codes)


@login_required
@require_POST
def otp_disable(request):
    try:
        services.disable_second_factor(request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已关闭两步验证"))
    return redirect("otp-manage")


# -- account security (安全管理员) ---------------------------------------------------------


def _security_officer(request):
    if not can(request.user, Action.MANAGE_SECURITY):
        raise Http404
    return request.user


def _security_users(actor):
    users = services.users_in_scope(actor, Action.MANAGE_SECURITY)
    if not is_unrestricted(actor):
        users = users.exclude(is_superuser=True)
    return users


def _security_target(actor, pk: int):
    user = get_object_or_404(_security_users(actor), pk=pk)
    if not services.manages_whole_account(actor, user, Action.MANAGE_SECURITY):
        raise Http404
    return user


@login_required
@never_cache
def security_list(request):
    actor = _security_officer(request)
    form = SecurityFilterForm(request.GET or None)
    users = _security_users(actor).order_by("username")
    only_locked = False
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
        if text:
            users = users.filter(Q(username__icontains=text) | Q(first_name__icontains=text))
        only_locked = form.cleaned_data["locked"]
    if only_locked:
        locked = services.lockouts(users.values_list("username", flat=True))
        users = users.filter(username__in=list(locked))
    page = paginate(request, services.with_security_state(users))
    rows = list(page.object_list)
    locked = services.lockouts(u.username for u in rows)
    now = timezone.now()
    for user in rows:
        user.locked_until = locked.get(user.username)
        user.needs_2fa = services.second_factor_required(user, user.privileged)
        user.password_expired = services.password_deadline(user) <= now
        user.whole_account = services.manages_whole_account(actor, user, Action.MANAGE_SECURITY)
    return render(
        request,
        "accounts/security_list.html",
        {"form": form, "page": page, "rows": rows, "query": query_without_page(request)},
    )


def _security_action(request, pk: int, action, done: str):
    actor = _security_officer(request)
    target = _security_target(actor, pk)
    try:
        action(actor, target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"u": target.username})
    return redirect("security-list")


@login_required
@require_POST
def security_unlock(request, pk: int):
    return _security_action(request, pk, services.unlock, _("已解除账号“%(u)s”的锁定"))


@login_required
@require_POST
def security_reset_otp(request, pk: int):
    return _security_action(
        request, pk, services.reset_second_factor, _("已重置账号“%(u)s”的两步验证")
    )


@login_required
@require_POST
def security_end_sessions(request, pk: int):
    return _security_action(
        request, pk, services.end_sessions_of, _("已结束账号“%(u)s”的全部登录会话")
    )
