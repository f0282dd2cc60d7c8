"""After the password, a signed-in session passes two more gates before it reaches any page:
the second factor (required for administrator roles, and for anyone who enrolled one) and a
password that has not expired or been set by someone else. Until then only the page that
completes the step (and logout) answers; everything else redirects there (the API answers
403)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from dangjian.accounts import services

PASSWORD_DEADLINE_KEY = "dj_password_deadline"
ALWAYS_OPEN = {"login", "logout", "healthz", "favicon"}
STEP_PAGES = {
    "otp_verify": ("otp-verify", {"otp-verify"}),
    "otp_setup": ("otp-setup", {"otp-setup"}),
    "password": ("password_change", {"password_change", "password_change_done"}),
}


def pending_step(request) -> str | None:
    """'otp_verify', 'otp_setup' or 'password' when the session must complete that step."""
    user = request.user
    if not user.is_authenticated:
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and not is_verified():
        if services.has_second_factor(user):
            return "otp_verify"
        if services.second_factor_required(user):
            return "otp_setup"
    deadline = request.session.get(PASSWORD_DEADLINE_KEY)
    if deadline is None:
        deadline = services.password_deadline(user).timestamp()
        request.session[PASSWORD_DEADLINE_KEY] = deadline
    if timezone.now().timestamp() >= deadline:
        return "password"
    return None


def forget_password_deadline(session) -> None:
    session.pop(PASSWORD_DEADLINE_KEY, None)


def safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = pending_step(request) if request.user.is_authenticated else None
        if step is not None:
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            page, open_names = STEP_PAGES[step]
            if name not in ALWAYS_OPEN and name not in open_names:
                return self.refuse(request, step, page)
        return self.get_response(request)

    @staticmethod
    def refuse(request, step: str, page: str):
        # The docs page is a browser page: it is sent to the setup page like any other.
        if request.path_info.startswith("/api/") and request.path_info != reverse("api-docs"):
            message = (
                _("密码已过期或须修改, 请先在网页上修改密码")
                if step == "password"
                else _("请先在网页上完成两步验证")
            )
            return JsonResponse(
                {"detail": message}, status=403, json_dumps_params={"ensure_ascii": False}
            )
        url = reverse(page)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
            if step == "password" and not request.headers.get("HX-Request"):
                messages.warning(request, _("您的密码已过期或由管理员设置, 请修改密码后继续使用"))
        response = HttpResponseRedirect(url)
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = url
        return response
