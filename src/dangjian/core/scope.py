"""`restrict(user, action)`: the one gate every queryset passes (anchor: netbox
RestrictedQuerySet). A row outside the user's subtrees is simply absent, so views answer 404
and nothing about it leaks."""

from django.db import models
from django.db.models import Q
from django.http import Http404

from dangjian.core.roles import ROLE_ACTIONS, Action, Role


class NotInScope(Http404):
    """The object is not within the actor's subtree for this action."""


def role_rows(user) -> list[tuple[str, str]]:
    """(role, org path) pairs, cached on the user object for the request."""
    cached = getattr(user, "_dangjian_roles", None)
    if cached is None:
        if getattr(user, "pk", None) is None:
            cached = []
        else:
            cached = list(user.role_assignments.values_list("role", "org__path"))
        user._dangjian_roles = cached
    return cached


def forget_roles(user) -> None:
    if hasattr(user, "_dangjian_roles"):
        del user._dangjian_roles


def scope_paths(user, action: str) -> list[str]:
    """Minimal list of subtree roots where `user` may do `action` (nested ones dropped)."""
    paths = sorted({path for role, path in role_rows(user) if action in ROLE_ACTIONS[role]})
    roots: list[str] = []
    for path in paths:
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return roots


def is_member_self(user) -> bool:
    return any(role == Role.MEMBER_SELF for role, _ in role_rows(user))


def is_unrestricted(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def can(user, action: str) -> bool:
    """Whether the user may do `action` anywhere (for navigation)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_unrestricted(user) or bool(scope_paths(user, action))


def path_q(field: str, paths: list[str]) -> Q:
    q = Q()
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


# `scope_path = ANY_SCOPE`: a row every holder of the action (anywhere) may see, such as a
# city-wide reference table.
ANY_SCOPE = "*"


def scope_q(model, paths: list[str]) -> Q:
    """The rows of `model` inside any of `paths`: the model's own `scope_q(paths)` where it
    needs more than one lookup, else its declared `scope_path` (the lookup of the org path
    that places a row, e.g. "org__path") under the paths, or every row for `ANY_SCOPE`. A
    model that declares neither is an error, never silently open. The class nearest in the
    MRO decides, so a subclass's declaration overrides a parent's method and the reverse."""
    for cls in model.__mro__:
        if "scope_q" in vars(cls):
            return model.scope_q(paths)
        if "scope_path" in vars(cls):
            field = vars(cls)["scope_path"]
            return Q() if field == ANY_SCOPE else path_q(field, paths)
    raise AttributeError(f"{model.__name__} declares neither scope_path nor scope_q")


class RestrictedQuerySetMixin:
    """Models using this declare `scope_path` (or define `scope_q(paths) -> Q`; see
    `scope_q`) and may define `self_q(user) -> Q`."""

    def restrict(self, user, action: str = Action.VIEW):
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        if not getattr(user, "is_active", True):
            return self.none()
        if is_unrestricted(user):
            return self
        paths = scope_paths(user, action)
        q = scope_q(self.model, paths) if paths else None
        if action == Action.VIEW and is_member_self(user) and hasattr(self.model, "self_q"):
            own = self.model.self_q(user)
            q = own if q is None else (q | own)
        if q is None:
            return self.none()
        return self.filter(q)


class RestrictedQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    pass


def require(user, action: str, obj) -> None:
    """Raise NotInScope unless `obj` is within the user's scope for `action`."""
    model = type(obj)
    if not model._default_manager.all().restrict(user, action).filter(pk=obj.pk).exists():
        raise NotInScope()
