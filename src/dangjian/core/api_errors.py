"""Chinese details for the REST API's errors (REST_FRAMEWORK EXCEPTION_HANDLER).

DRF's own catalogue translates most of its messages under LANGUAGE_CODE zh-hans, but not
all of them: a missing record passes Django's "No Recruit matches the given query." through,
a body that is not JSON says "JSON parse error - ..." with the parser's English reason, and a
session call without its CSRF token says "CSRF Failed: ...". The handler gives each error
class one Chinese message and uses it whenever the detail a client would read holds no
Chinese; a reason a view raised itself (always Chinese, through gettext) is kept."""

import math
import re

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOT_FOUND = _lazy("记录不存在, 或不在您的查看范围内。")


def _message(exc: exceptions.APIException, request) -> str | None:
    """The Chinese message of an error class; None for classes without one (a
    ValidationError carries field messages, translated by DRF or written by a service)."""
    if isinstance(exc, exceptions.NotFound):
        return str(_NOT_FOUND)
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("未提供身份认证信息: 请登录, 或在 Authorization 头中提供令牌。")
    if isinstance(exc, exceptions.AuthenticationFailed):
        return _("身份认证失败: 令牌无效或账号已停用。")
    if isinstance(exc, exceptions.PermissionDenied):
        if str(exc.detail).startswith("CSRF Failed"):
            return _("CSRF 校验失败: 请刷新页面后重试。")
        return _("您没有执行该操作的权限。")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("该地址不支持 %(method)s 方法。") % {"method": request.method}
    if isinstance(exc, exceptions.NotAcceptable):
        return _("无法按请求的 Accept 头回答: 本接口只回答 JSON。")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("不支持请求正文的媒体类型“%(type)s”, 请使用 JSON。") % {
            "type": request.content_type
        }
    if isinstance(exc, exceptions.ParseError):
        return _("请求正文无法解析, 请检查 JSON 格式。")
    if isinstance(exc, exceptions.Throttled):
        if exc.wait is None:
            return _("请求过于频繁, 请稍后重试。")
        return _("请求过于频繁, 请在 %(seconds)d 秒后重试。") % {"seconds": math.ceil(exc.wait)}
    return None


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        # Django's text names the model in English; DRF would pass it through. A record
        # outside the caller's scope is a 404 too (restrict), so the message says both.
        exc = exceptions.NotFound(str(_NOT_FOUND))
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    if detail is not None and not _CJK.search(str(detail)):
        message = _message(exc, context.get("request"))
        if message is not None:
            response.data["detail"] = message
    return response


# The answers any operation may give besides its own: a bad filter, page or body (400), no
# or a bad token (401), a role without the right (403), a record outside the scope or a page
# past the end (404). Documented once here, so a client (and the schema test) knows them.
_ERROR_ANSWERS = {
    "400": ("请求有误: 字段名对应错误说明的列表, 或 detail", "ValidationErrors"),
    "401": ("未提供或未通过身份认证", "ErrorDetail"),
    "403": ("没有执行该操作的权限", "ErrorDetail"),
    "404": ("记录不存在, 或不在您的查看范围内 (或页码超出范围)", "ErrorDetail"),
}
_ERROR_SCHEMAS = {
    "ErrorDetail": {
        "type": "object",
        "properties": {"detail": {"type": "string", "description": "中文说明"}},
        "required": ["detail"],
    },
    "ValidationErrors": {"type": "object", "additionalProperties": True},
}


def document_error_answers(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the error answers to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(_ERROR_SCHEMAS)
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, (description, schema) in _ERROR_ANSWERS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema}"}
                            }
                        },
                    },
                )
    return result
