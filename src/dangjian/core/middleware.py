"""Request-wide mechanisms: where a request comes from (for the audit), session lifetimes,
and no caching of pages that carry personal data."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from dangjian.core.context import reset_origin, set_origin

# Session keys (seconds since the epoch): when the sign-in happened and when the session
# was last used.
STARTED_KEY = "dj_started"
SEEN_KEY = "dj_seen"
# The last-use stamp is refreshed at most this often, so a busy page does not write the
# session row on every request; the idle limit is therefore exact to within this margin.
SEEN_RESOLUTION = 60


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_origin(client_ip(request), request.headers.get("X-Request-ID"))
        try:
            response = self.get_response(request)
        finally:
            reset_origin(token)
        return response


def stamp_session(session, now: float | None = None) -> None:
    """Start the clocks of a fresh sign-in (called on login)."""
    now = timezone.now().timestamp() if now is None else now
    session[STARTED_KEY] = now
    session[SEEN_KEY] = now


def session_expiry_reason(session, now: float) -> str | None:
    """'idle' or 'absolute' when the signed-in session has run out, else None."""
    started, seen = session.get(STARTED_KEY), session.get(SEEN_KEY)
    if started is None or seen is None:
        return None
    if now - seen > settings.DANGJIAN_SESSION_IDLE_MINUTES * 60:
        return "idle"
    if now - started > settings.DANGJIAN_SESSION_MAX_HOURS * 3600:
        return "absolute"
    return None


class SessionTimeoutMiddleware:
    """Idle timeout and absolute lifetime of a signed-in session (DESIGN 7, 等保: 登录连接超时
    自动退出). An expired session is ended on the server (logout flushes it), so an old cookie
    is worth nothing; the request then continues as anonymous and meets the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = timezone.now().timestamp()
            reason = session_expiry_reason(session, now)
            if reason is not None:
                logout(request)
                messages.info(
                    request,
                    _("您已超过%(n)d分钟未操作, 请重新登录")
                    % {"n": settings.DANGJIAN_SESSION_IDLE_MINUTES}
                    if reason == "idle"
                    else _("登录已超过%(n)d小时, 请重新登录")
                    % {"n": settings.DANGJIAN_SESSION_MAX_HOURS},
                )
                if request.headers.get("HX-Request"):
                    # A fragment request would swap the login page into the page: reload.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = settings.LOGIN_URL
                    return response
            elif session.get(STARTED_KEY) is None:
                stamp_session(session, now)
            elif now - session[SEEN_KEY] >= SEEN_RESOLUTION:
                session[SEEN_KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user: nearly every page
    and API answer carries personal data, and a shared computer's browser cache or an
    intermediate proxy must not keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
