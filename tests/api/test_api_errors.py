"""Every error detail the API answers is Chinese (core/api_errors.py), DRF's own and
Django's "No X matches the given query." included; a reason a view gives is kept."""

import re

import pytest
from rest_framework import exceptions
from rest_framework.test import APIClient, APIRequestFactory

from dangjian.core.api_errors import exception_handler

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")


def detail_of(response) -> str:
    detail = response.json()["detail"]
    assert CHINESE.search(detail), detail
    return detail


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.users["secretary_a"])
    return client


def test_a_missing_or_hidden_record_is_a_chinese_404(api, world):
    for url in ("/api/recruits/999999/", f"/api/members/{world.members['b1'].pk}/"):
        response = api.get(url)
        assert response.status_code == 404
        assert detail_of(response) == "记录不存在, 或不在您的查看范围内。"


def test_401_and_403_are_chinese_and_keep_the_views_own_reason(world):
    anonymous = APIClient()
    response = anonymous.get("/api/members/")
    assert response.status_code == 401 and not ENGLISH_WORD.search(detail_of(response))
    response = anonymous.get("/api/members/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401 and not ENGLISH_WORD.search(detail_of(response))
    member = APIClient()
    member.force_authenticate(world.users["member"])
    response = member.post("/api/recruits/", {}, format="json")
    assert response.status_code == 403
    assert detail_of(response) == "您没有登记入党申请人的权限"
    # A session call without its CSRF token: DRF's text carries Django's English reason.
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(world.users["secretary_a"])
    response = session.post("/api/recruits/", {}, format="json")
    assert response.status_code == 403
    assert detail_of(response) == "CSRF 校验失败: 请刷新页面后重试。"


def test_405_406_415_and_a_body_that_is_not_json_are_chinese(api):
    response = api.delete("/api/members/")
    assert response.status_code == 405 and "DELETE" in detail_of(response)
    response = api.get("/api/members/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 406
    detail_of(response)
    response = api.post("/api/recruits/", "name=x", content_type="text/plain")
    assert response.status_code == 415 and "text/plain" in detail_of(response)
    response = api.post("/api/recruits/", "{bad", content_type="application/json")
    assert response.status_code == 400
    assert not ENGLISH_WORD.search(detail_of(response).replace("JSON", ""))


def test_a_validation_error_names_each_field_in_chinese(api):
    response = api.post("/api/recruits/", {"name": "", "applied_on": "soon"}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert {"name", "applied_on", "sex", "org"} <= set(errors)
    for messages in errors.values():
        assert all(CHINESE.search(message) for message in messages), messages


def test_a_throttled_call_says_how_long_to_wait():
    request = APIRequestFactory().get("/api/members/")
    response = exception_handler(exceptions.Throttled(wait=2.2), {"request": request})
    assert response.status_code == 429
    detail = str(response.data["detail"])
    assert CHINESE.search(detail) and "3" in detail and not ENGLISH_WORD.search(detail)
