"""With DEBUG off (as in production), every error a page can end in is a Chinese page in the
app's layout with a way home; under /api/ the answer stays JSON; /favicon.ico answers."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from dangjian.core import errors


def assert_error_page(response, status: int, message: str, *, layout: bool = True):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert re.search(r'<html lang="zh-hans"', body, re.I)
    assert message in body
    assert 'href="/"' in body and "返回首页" in body
    assert 'class="navbar' in body and "bg-party" in body and "site.css" in body
    for english in ("Not Found", "Server Error", "Forbidden", "Bad Request"):
        assert english not in body
    if layout:  # base.html's own parts
        assert "学校党建网络平台和党建工作基本信息库" in body


def test_a_missing_page_is_a_chinese_404_in_the_layout(client, settings):
    assert settings.DEBUG is False
    assert_error_page(client.get("/no-such-page/"), 404, "您访问的页面不存在")


def test_a_member_of_another_school_is_a_chinese_404_for_a_branch_secretary(world, login):
    client = login(world, "secretary_a")
    other = world.members["b1"]  # 乙中学, secretary_b's branch
    response = client.get(reverse("member-detail", kwargs={"pk": other.pk}))
    assert_error_page(response, 404, "不在您的查看范围内")
    assert "赵六" not in response.content.decode()
    # The signed-in layout: the navigation a user can go on from.
    assert "退出登录" in response.content.decode()


@pytest.mark.urls("core.error_urls")
def test_permission_denied_is_a_chinese_403(world, login):
    response = login(world, "secretary_a").get("/test-forbidden/")
    assert_error_page(response, 403, "您没有执行该操作的权限")


@pytest.mark.urls("core.error_urls")
def test_a_suspicious_request_is_a_chinese_400(client):
    assert_error_page(client.get("/test-suspicious/"), 400, "无法处理该请求")


def test_a_host_outside_allowed_hosts_is_a_chinese_400(client, settings):
    settings.ALLOWED_HOSTS = ["dangjian.example"]
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert_error_page(response, 400, "无法处理该请求")


@pytest.mark.urls("core.error_urls")
def test_a_failing_page_is_a_chinese_500(world, login):
    client = login(world, "secretary_a")
    client.raise_request_exception = False
    response = client.get("/test-broken/")
    assert_error_page(response, 500, "服务器内部错误", layout=False)
    assert "favicon" in response.content.decode()


class Untouchable:
    """A request part the 500 page must not use: the session, the user (the database)."""

    def __getattr__(self, name):
        raise AssertionError(f"the 500 page touched {name}")


def test_the_500_page_needs_neither_the_database_nor_the_user(db, django_assert_num_queries):
    request = RequestFactory().get("/members/")
    request.user = Untouchable()
    request.session = Untouchable()
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert_error_page(response, 500, "服务器内部错误", layout=False)


@pytest.mark.urls("core.error_urls")
def test_the_500_page_survives_a_missing_static_manifest(client, monkeypatch):
    def no_manifest(path):
        raise ValueError(f"Missing staticfiles manifest entry for '{path}'")

    monkeypatch.setattr(errors, "static", no_manifest)
    client.raise_request_exception = False
    response = client.get("/test-broken/")
    assert_error_page(response, 500, "服务器内部错误", layout=False)
    assert 'href="/static/dangjian/site.css"' in response.content.decode()


def test_an_expired_form_is_a_chinese_csrf_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert_error_page(response, 403, "页面已过期")
    assert "重新填写并提交" in response.content.decode()


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url.endswith(".svg")
    icon = client.get(response.url)
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)


def test_every_page_links_the_icon(client):
    body = client.get(reverse("login")).content.decode()
    assert re.search(r'<link rel="icon" href="/static/dangjian/favicon[^"]*\.svg"', body)


@pytest.mark.urls("core.error_urls")
def test_api_errors_stay_json(world, login, client):
    client = login(world, "secretary_a")
    missing = client.get("/api/no-such-route/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "接口地址不存在, 或记录不在您的查看范围内。"}
    assert "接口地址不存在" in missing.content.decode()  # not \u-escaped, like DRF's answers
    other = world.members["b1"]
    record = client.get(f"/api/members/{other.pk}/")
    assert record.status_code == 404
    assert record["Content-Type"] == "application/json"
    assert "不在您的查看范围内" in record.json()["detail"]
    client.raise_request_exception = False
    broken = client.get("/api/test-broken/")
    assert broken.status_code == 500
    assert "服务器内部错误" in broken.json()["detail"]
