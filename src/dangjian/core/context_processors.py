from dangjian.core import menu, notifications
from dangjian.core.roles import Action
from dangjian.core.scope import can, is_member_self


def navigation(request):
    """What the navigation may show: only what the user can use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}, "menu": [], "notification_unread": 0}
    nav = {
        "browse": can(user, Action.VIEW),
        "add": can(user, Action.ADD),
        "manage_users": can(user, Action.MANAGE_USERS),
        "audit": can(user, Action.AUDIT),
        "security": can(user, Action.MANAGE_SECURITY),
        "member_self": is_member_self(user),
    }
    return {
        "nav": nav,
        "menu": menu.visible(user, nav),
        "notification_unread": notifications.unread_count(user),
    }
