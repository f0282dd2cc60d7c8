"""The pages Django shows when a request fails (handler400/403/404/500 in urls.py and
CSRF_FAILURE_VIEW): Chinese, in the app's layout, with a way back home, instead of Django's
bare English ones. A path under /api/ keeps answering JSON with a Chinese detail, as the API's
own errors do (core/api_errors.py), so a client never has to parse an HTML page.

The 500 page is rendered without the request: context processors and the navigation query the
database, which may be what failed; its asset links fall back to the unhashed names when the
static manifest itself is missing (whitenoise serves both)."""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
# Chinese as is, like the API's own answers (DRF's UNICODE_JSON).
_JSON = {"ensure_ascii": False}


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _page(request, status: int, title: str, message: str, hint: str = ""):
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status, json_dumps_params=_JSON)
    context = {"status": status, "title": title, "message": message, "hint": hint}
    return render(request, "errors/page.html", context, status=status)


def bad_request(request, exception=None):
    return _page(
        request,
        400,
        _("请求无效"),
        _("无法处理该请求: 请求的格式或来源不被接受。"),
        _("请从首页重新进入; 如果一再出现, 请联系系统管理员。"),
    )


def permission_denied(request, exception=None):
    return _page(
        request,
        403,
        _("没有权限"),
        _("您没有执行该操作的权限。"),
        _("如需此权限, 请联系您所在单位的系统管理员。"),
    )


def page_not_found(request, exception=None):
    if _is_api(request):
        detail = _("接口地址不存在, 或记录不在您的查看范围内。")
        return JsonResponse({"detail": detail}, status=404, json_dumps_params=_JSON)
    return _page(
        request,
        404,
        _("页面不存在"),
        _("您访问的页面不存在, 或不在您的查看范围内。"),
        _("请检查地址是否正确, 或从首页重新进入。"),
    )


def csrf_failure(request, reason=""):
    """Usually a form left open past the session, or opened before signing in elsewhere:
    the token it carries is no longer the browser's."""
    return _page(
        request,
        403,
        _("页面已过期"),
        _("页面已过期或安全校验未通过, 表单没有提交。"),
        _("请刷新页面 (或返回上一页后刷新), 重新填写并提交。"),
    )


def _asset(path: str) -> str:
    try:
        return static(path)
    except Exception:  # a missing manifest (or entry) must not break the error page
        return settings.STATIC_URL + path


def server_error(request):
    message = _("服务器内部错误, 请稍后重试; 如果一再出现, 请联系系统管理员。")
    if _is_api(request):
        return JsonResponse({"detail": message}, status=500, json_dumps_params=_JSON)
    context = {
        "message": message,
        "css": [_asset("vendor/bootstrap/bootstrap.min.css"), _asset("dangjian/site.css")],
        "icon": _asset("dangjian/favicon.svg"),
    }
    try:
        body = loader.get_template("errors/500.html").render(context)
    except Exception:
        logger.exception("the 500 page failed to render")
        body = (
            '<!doctype html><html lang="zh-Hans"><meta charset="utf-8">'
            f"<title>{_('服务器错误')}</title><h1>{_('服务器错误')}</h1>"
            f'<p>{message}</p><p><a href="/">{_("返回首页")}</a></p></html>'
        )
    return HttpResponse(body, status=500)


def favicon(request):
    """Browsers and tools ask for /favicon.ico whatever the page links; the icon's static
    URL carries the manifest's hash, so the answer is a temporary redirect."""
    return HttpResponseRedirect(_asset("dangjian/favicon.svg"))
