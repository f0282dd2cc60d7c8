"""Users, role grants, API tokens and account security (passwords, sessions, second
factor, lockouts). Admins act only inside their own subtree."""

import base64
import datetime as dt
from importlib import import_module

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from rest_framework.authtoken.models import Token

from dangjian.accounts.models import AccountSecurity, LoginSession
from dangjian.core.audit import AuditAction, record
from dangjian.core.models import RoleAssignment
from dangjian.core.roles import (
    CONFIDENTIAL_ROLES,
    DUTY_ROLES,
    PRIVILEGED_ROLES,
    ROLE_ACTIONS,
    Action,
    Role,
)
from dangjian.core.scope import (
    NotInScope,
    forget_roles,
    is_unrestricted,
    require,
    role_rows,
    scope_paths,
    scope_q,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

User = get_user_model()

RECOVERY_CODES = 10


def users_in_scope(actor, action: str = Action.MANAGE_USERS):
    """Users holding a role inside the actor's subtrees for `action` (user management, or
    account security for a 安全管理员)."""
    if is_unrestricted(actor):
        return User.objects.all()
    paths = scope_paths(actor, action)
    if not paths:
        return User.objects.none()
    ids = RoleAssignment.objects.filter(scope_q(RoleAssignment, paths)).values("user_id")
    return User.objects.filter(pk__in=ids)


def require_user(actor, user, action: str = Action.MANAGE_USERS) -> None:
    if not users_in_scope(actor, action).filter(pk=user.pk).exists():
        raise NotInScope()


def manages_whole_account(actor, user, action: str = Action.MANAGE_USERS) -> bool:
    """Password, activation, tokens and second factors act with all of an account's rights,
    so every role of the account must be the actor's to manage, and only a superuser manages
    a superuser; otherwise a county admin could take over an account that also holds
    city-wide rights."""
    if is_unrestricted(actor):
        return True
    if user.is_superuser:
        return False
    in_scope = RoleAssignment.objects.restrict(actor, action).filter(user=user)
    return not user.role_assignments.exclude(pk__in=in_scope.values("pk")).exists()


def require_whole_account(actor, user, action: str = Action.MANAGE_USERS) -> None:
    if actor.pk == user.pk:
        return
    require_user(actor, user, action)
    if not manages_whole_account(actor, user, action):
        raise NotInScope()


def account_org_path(user) -> str:
    """Where an account's audit rows belong: its outermost role, so the org's auditors see them."""
    return (
        user.role_assignments.order_by("org__path").values_list("org__path", flat=True).first()
        or ""
    )


def _record_account(actor, action: int, user, changes: dict | None = None) -> None:
    """An audit row about an account, filed where `account_org_path` puts it."""
    record(actor, action, user, changes=changes, org_path=account_org_path(user))


def _new_password(user, password: str) -> None:
    """Set a password that passes the configured validators; their messages name the field."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)


@transaction.atomic
def create_user(
    actor,
    *,
    username: str,
    password: str,
    full_name: str,
    org: Organization,
    role: str,
    member: Member | None = None,
) -> "User":
    require(actor, Action.MANAGE_USERS, org)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": [_("账号“%(u)s”已存在") % {"u": username}]})
    user = User(username=username, first_name=full_name[:150])
    _new_password(user, password)
    user.full_clean(exclude=["password"])
    user.save()
    _password_set(actor, user)
    record(
        actor, AuditAction.CREATE, user, changes={"username": [None, username]}, org_path=org.path
    )
    grant_role(actor, user, org, role, member=member)
    return user


def _holds_everywhere_below(actor, org: Organization, actions) -> bool:
    return all(
        any(org.path.startswith(path) for path in scope_paths(actor, action)) for action in actions
    )


def _check_grantable(actor, user, org: Organization, role: str) -> None:
    """No escalation: a privileged role is granted only by someone who holds every action of
    that role over the org (a 系统管理员 cannot make anyone an 审计员, nor themselves an
    管理员). With DANGJIAN_SEPARATE_DUTIES one account holds at most one administrator
    duty, and 管理员 (all duties in one) is no longer granted."""
    if (
        (role in PRIVILEGED_ROLES or role in CONFIDENTIAL_ROLES)
        and not is_unrestricted(actor)
        and not _holds_everywhere_below(actor, org, ROLE_ACTIONS[role])
    ):
        raise ValidationError({"role": [_("您无权授予该角色")]})
    if settings.DANGJIAN_SEPARATE_DUTIES and role in DUTY_ROLES:
        if role == Role.ADMIN:
            raise ValidationError(
                {"role": [_("已启用三员分立: 请分别授予系统管理员、安全管理员和审计员")]}
            )
        held = set(
            user.role_assignments.filter(role__in=DUTY_ROLES)
            .exclude(role=role)
            .values_list("role", flat=True)
        )
        if held:
            names = "、".join(str(Role(r).label) for r in sorted(held))
            raise ValidationError(
                {"role": [_("已启用三员分立: 该账号已担任%(roles)s") % {"roles": names}]}
            )


@transaction.atomic
def grant_role(
    actor, user, org: Organization, role: str, member: Member | None = None
) -> RoleAssignment:
    require(actor, Action.MANAGE_USERS, org)
    if role not in Role.values:
        raise ValidationError({"role": [_("无效的角色")]})
    _check_grantable(actor, user, org, role)
    if role == Role.MEMBER_SELF:
        if member is None:
            raise ValidationError({"member": [_("党员本人角色须关联一名党员")]})
        require(actor, Action.CHANGE, member)
        if member.user_id and member.user_id != user.pk:
            raise ValidationError({"member": [_("该党员已关联其他账号")]})
        if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
            raise ValidationError({"member": [_("该账号已关联其他党员")]})
        member.user = user
        member.save(update_fields=["user", "updated_at"])
        org = member.org
    assignment, created = RoleAssignment.objects.get_or_create(user=user, org=org, role=role)
    if created:
        record(
            actor,
            AuditAction.ROLE_GRANT,
            user,
            changes={"role": [None, role], "org": [None, org.code]},
            org_path=org.path,
        )
    forget_roles(user)
    return assignment


@transaction.atomic
def revoke_role(actor, assignment: RoleAssignment) -> None:
    require(actor, Action.MANAGE_USERS, assignment.org)
    user = assignment.user
    if assignment.role == Role.MEMBER_SELF:
        Member.objects.filter(user=user).update(user=None)
    record(
        actor,
        AuditAction.ROLE_REVOKE,
        user,
        changes={"role": [assignment.role, None], "org": [assignment.org.code, None]},
        org_path=assignment.org.path,
    )
    assignment.delete()
    forget_roles(user)


def _password_set(actor, user) -> None:
    """A password someone else chose (an administrator creating the account or resetting
    it on the web) must be replaced by its owner at the next sign-in. The command line
    (`CLI`, the demo) is the operator's own setup and is not forced."""
    by_other_person = actor.pk is not None and actor.pk != user.pk
    AccountSecurity.objects.update_or_create(
        user=user,
        defaults={"password_changed_at": timezone.now(), "must_change_password": by_other_person},
    )


@transaction.atomic
def set_password(actor, user, password: str, *, keep_session: str | None = None) -> None:
    """`keep_session`: the key of the session changing its own password, which stays
    signed in; every other session of the account ends."""
    require_whole_account(actor, user)
    _new_password(user, password)
    user.save(update_fields=["password"])
    _password_set(actor, user)
    _record_account(actor, AuditAction.PASSWORD_CHANGE, user)
    end_sessions(actor, user, keep=keep_session)


@transaction.atomic
def set_active(actor, user, active: bool) -> None:
    require_whole_account(actor, user)
    if actor.pk == user.pk:
        raise ValidationError(_("不能停用自己的账号"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    _record_account(actor, AuditAction.UPDATE, user, {"is_active": [not active, active]})
    if not active:
        end_sessions(actor, user)


@transaction.atomic
def create_token(actor, user) -> str:
    require_whole_account(actor, user)
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    _record_account(actor, AuditAction.TOKEN_CREATE, user)
    return token.key


# -- passwords ----------------------------------------------------------------------------


def password_deadline(user) -> dt.datetime:
    """When the password must be changed: at once after someone else set it, otherwise
    DANGJIAN_PASSWORD_MAX_AGE_DAYS after it was last set."""
    try:
        state = user.account_security
    except AccountSecurity.DoesNotExist:
        state = None
    if state is not None and state.must_change_password:
        return state.password_changed_at
    changed = state.password_changed_at if state is not None else user.date_joined
    return changed + dt.timedelta(days=settings.DANGJIAN_PASSWORD_MAX_AGE_DAYS)


# -- sessions -----------------------------------------------------------------------------


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def register_session(user, session_key: str, ip: str | None) -> None:
    """Remember a new signed-in session; forget this account's sessions that have outlived
    the absolute lifetime (they ended on their own)."""
    if not session_key:
        return
    stale = timezone.now() - dt.timedelta(hours=settings.DANGJIAN_SESSION_MAX_HOURS)
    LoginSession.objects.filter(user=user, started_at__lt=stale).delete()
    LoginSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "ip": ip, "started_at": timezone.now()}
    )


def forget_session(session_key: str | None) -> None:
    if session_key:
        LoginSession.objects.filter(session_key=session_key).delete()


def _session_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=settings.DANGJIAN_SESSION_MAX_HOURS)


def active_sessions(user):
    return LoginSession.objects.filter(user=user, started_at__gte=_session_cutoff())


def with_security_state(users):
    """Users annotated for the security page in a fixed number of queries: `has_2fa`,
    `privileged` (holds an administrator role), `session_count`."""
    return users.select_related("account_security").annotate(
        has_2fa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        privileged=Exists(
            RoleAssignment.objects.filter(user=OuterRef("pk"), role__in=PRIVILEGED_ROLES)
        ),
        session_count=Count(
            "login_sessions", filter=Q(login_sessions__started_at__gte=_session_cutoff())
        ),
    )


def end_sessions(actor, user, *, keep: str | None = None) -> int:
    """End the account's server sessions (all but `keep`): the cookies stop working at once."""
    rows = list(LoginSession.objects.filter(user=user).exclude(session_key=keep or ""))
    store = _session_store()
    for row in rows:
        store(session_key=row.session_key).delete()
    LoginSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    if rows:
        _record_account(actor, AuditAction.LOGOUT, user, {"sessions_ended": [None, len(rows)]})
    return len(rows)


@transaction.atomic
def end_sessions_of(actor, user) -> int:
    """A 安全管理员 signs an account out everywhere."""
    require_whole_account(actor, user, Action.MANAGE_SECURITY)
    return end_sessions(actor, user)


# -- second factor ------------------------------------------------------------------------


def second_factor_required(user, privileged: bool | None = None) -> bool:
    """Administrator roles (and superusers) must use a second factor; everyone else may.
    `privileged`: whether the user holds an administrator role, when already known."""
    if settings.DANGJIAN_REQUIRE_2FA_FOR_ALL:
        return True
    if not settings.DANGJIAN_REQUIRE_2FA_FOR_ADMINS:
        return False
    if privileged is None:
        privileged = any(role in PRIVILEGED_ROLES for role, _path in role_rows(user))
    return bool(getattr(user, "is_superuser", False)) or privileged


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_totp_key() -> str:
    return random_hex(20)


def totp_secret_text(key: str) -> str:
    """The secret as authenticator apps take it when typed in (base32)."""
    return base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")


def totp_config_url(user, key: str) -> str:
    return TOTPDevice(user=user, key=key, name=user.get_username()).config_url


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("恢复码"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def enable_totp(user, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm an authenticator app with its first code, replace any earlier one and issue
    fresh recovery codes (shown once). The confirming code cannot be used again."""
    totp = TOTP(bytes.fromhex(key))
    digits = (token or "").strip().replace(" ", "")
    if not (digits.isdigit() and len(digits) == 6 and totp.verify(int(digits), tolerance=1)):
        raise ValidationError({"token": [_("验证码不正确, 请核对手机时间后重新输入")]})
    had_one = has_second_factor(user)
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user,
        name=user.get_username(),
        key=key,
        confirmed=True,
        drift=totp.drift,
        last_t=totp.t(),
    )
    codes = _new_recovery_codes(user)
    _record_account(
        user,
        AuditAction.UPDATE,
        user,
        {"second_factor": [had_one, True], "recovery_codes": [None, len(codes)]},
    )
    return device, codes


def _clean_token(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").lower()


def verify_second_factor(user, token: str):
    """The device that accepts `token` (a 6-digit app code or a recovery code), else a
    ValidationError. A code is accepted once: TOTP refuses a time step it has seen and a
    recovery code is deleted when used. Failures slow further tries (django-otp throttling)
    and are audited; both are committed even though the caller gets an error."""
    code = _clean_token(token)
    kind = "totp" if code.isdigit() and len(code) == 6 else "recovery"
    model = TOTPDevice if kind == "totp" else StaticDevice
    throttled = False
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            allowed, _data = device.verify_is_allowed()
            if not allowed:
                throttled = True
            elif device.verify_token(code):
                _record_account(user, AuditAction.LOGIN, user, {"second_factor": [None, kind]})
                return device
        _record_account(user, AuditAction.LOGIN_FAILED, user, {"second_factor": [None, kind]})
    if throttled:
        raise ValidationError({"token": [_("尝试次数过多, 请稍候再试")]})
    raise ValidationError({"token": [_("验证码不正确或已使用过")]})


@transaction.atomic
def regenerate_recovery_codes(user) -> list[str]:
    if not has_second_factor(user):
        raise ValidationError(_("请先启用两步验证"))
    codes = _new_recovery_codes(user)
    _record_account(user, AuditAction.UPDATE, user, {"recovery_codes": [None, len(codes)]})
    return codes


def _remove_second_factor(actor, user) -> bool:
    had_one = has_second_factor(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if had_one:
        _record_account(actor, AuditAction.UPDATE, user, {"second_factor": [True, False]})
    return had_one


@transaction.atomic
def disable_second_factor(user) -> None:
    """Its owner turns an optional second factor off; a required one stays."""
    if second_factor_required(user):
        raise ValidationError(_("您的角色要求使用两步验证, 不能关闭"))
    _remove_second_factor(user, user)


@transaction.atomic
def reset_second_factor(actor, user) -> None:
    """A 安全管理员 removes a lost authenticator; the owner enrols a new one at the next
    sign-in (required roles) and every session of the account ends now."""
    require_whole_account(actor, user, Action.MANAGE_SECURITY)
    if actor.pk == user.pk:
        raise ValidationError(_("不能重置自己的两步验证"))
    _remove_second_factor(actor, user)
    end_sessions(actor, user)


# -- lockouts (django-axes) ---------------------------------------------------------------


def lockouts(usernames) -> dict[str, dt.datetime]:
    """Username -> end of its lockout, for the accounts among `usernames` locked now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    )
    return {
        row["username"]: row["last"] + settings.AXES_COOLOFF_TIME
        for row in rows
        if row["failures"] >= settings.AXES_FAILURE_LIMIT
    }


@transaction.atomic
def unlock(actor, user) -> int:
    require_whole_account(actor, user, Action.MANAGE_SECURITY)
    was_locked = user.get_username() in lockouts([user.get_username()])
    count = axes_reset(username=user.get_username())
    _record_account(actor, AuditAction.UPDATE, user, {"locked_out": [was_locked, False]})
    return count


def session_rekeyed(old_key: str | None, new_key: str | None) -> None:
    """The session of a signed-in user got a new key (after a password change or the second
    factor): keep it findable."""
    if old_key and new_key and old_key != new_key:
        LoginSession.objects.filter(session_key=old_key).update(session_key=new_key)
