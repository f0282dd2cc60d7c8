"""Users, role grants and API tokens. Admins act only inside their own subtree."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from dangjian.core.audit import AuditAction, record
from dangjian.core.models import RoleAssignment
from dangjian.core.roles import Action, Role
from dangjian.core.scope import NotInScope, forget_roles, is_unrestricted, require, scope_paths
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

User = get_user_model()


def users_in_scope(actor):
    """Users holding a role inside the actor's user-management subtrees."""
    if is_unrestricted(actor):
        return User.objects.all()
    paths = scope_paths(actor, Action.MANAGE_USERS)
    if not paths:
        return User.objects.none()
    ids = RoleAssignment.objects.filter(RoleAssignment.scope_q(paths)).values("user_id")
    return User.objects.filter(pk__in=ids)


def require_user(actor, user) -> None:
    if not users_in_scope(actor).filter(pk=user.pk).exists():
        raise NotInScope()


def manages_whole_account(actor, user) -> bool:
    """Password, activation and tokens act with all of an account's rights, so every role of
    the account must be the actor's to manage, and only a superuser manages a superuser;
    otherwise a county admin could take over an account that also holds city-wide rights."""
    if is_unrestricted(actor):
        return True
    if user.is_superuser:
        return False
    in_scope = RoleAssignment.objects.restrict(actor, Action.MANAGE_USERS).filter(user=user)
    return not user.role_assignments.exclude(pk__in=in_scope.values("pk")).exists()


def require_whole_account(actor, user) -> None:
    if actor.pk == user.pk:
        return
    require_user(actor, user)
    if not manages_whole_account(actor, user):
        raise NotInScope()


def account_org_path(user) -> str:
    """Where an account's audit rows belong: its outermost role, so the org's auditors see them."""
    return (
        user.role_assignments.order_by("org__path").values_list("org__path", flat=True).first()
        or ""
    )


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
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record(
        actor, AuditAction.CREATE, user, changes={"username": [None, username]}, org_path=org.path
    )
    grant_role(actor, user, org, role, member=member)
    return user


@transaction.atomic
def grant_role(
    actor, user, org: Organization, role: str, member: Member | None = None
) -> RoleAssignment:
    require(actor, Action.MANAGE_USERS, org)
    if role not in Role.values:
        raise ValidationError({"role": [_("无效的角色")]})
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


@transaction.atomic
def set_password(actor, user, password: str) -> None:
    require_whole_account(actor, user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor, AuditAction.PASSWORD_CHANGE, user, org_path=account_org_path(user))


@transaction.atomic
def set_active(actor, user, active: bool) -> None:
    require_whole_account(actor, user)
    if actor.pk == user.pk:
        raise ValidationError(_("不能停用自己的账号"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        actor,
        AuditAction.UPDATE,
        user,
        changes={"is_active": [not active, active]},
        org_path=account_org_path(user),
    )


@transaction.atomic
def create_token(actor, user) -> str:
    require_whole_account(actor, user)
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    record(actor, AuditAction.TOKEN_CREATE, user, org_path=account_org_path(user))
    return token.key
