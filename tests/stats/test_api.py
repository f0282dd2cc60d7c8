"""GET /api/stats/: the statistics object for an org in the caller's scope (404 outside it,
as if it did not exist), as of `date`, with changes over `from`..`to`."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from dangjian.stats.engine import statistics

URL = "/api/stats/"


def test_it_is_the_routed_stats_endpoint():
    assert reverse("api-stats-list") == URL


def test_it_defaults_to_the_root_of_the_callers_scope_and_today(world, login):
    body = login(world, "county_admin").get(URL).json()
    assert body["org"] == {"code": "T-COUNTY", "name": "测试县教体局党委"}
    assert body["as_of"] == timezone.localdate().isoformat()
    assert body == statistics(world.orgs["county"], timezone.localdate())
    assert login(world, "city_admin").get(URL).json()["org"]["code"] == "T-CITY"
    assert login(world, "secretary_b").get(URL).json()["org"]["code"] == "T-BB"


def test_it_takes_an_org_code_a_date_and_a_period(world, login):
    client = login(world, "city_admin")
    body = client.get(
        URL, {"org": "T-COUNTY", "date": "2011-01-01", "from": "2010-01-01", "to": "2010-12-31"}
    ).json()
    expected = statistics(
        world.orgs["county"], dt.date(2011, 1, 1), (dt.date(2010, 1, 1), dt.date(2010, 12, 31))
    )
    assert body == expected
    assert body["period"] == {"from": "2010-01-01", "to": "2010-12-31"}
    assert body["members"]["total"] == 7
    assert body["changes"]["joined"] == 7
    assert body["schools"] == {"total": 5, "covered": 3, "coverage": 0.6}
    # Without a period: the calendar year of the date.
    body = client.get(URL, {"org": "T-BA", "date": "2024-03-01"}).json()
    assert body["period"] == {"from": "2024-01-01", "to": "2024-12-31"}
    assert body["members"]["预备党员"] == 1


def test_it_answers_404_for_an_org_outside_the_scope_or_unknown(world, login):
    county_admin = login(world, "county_admin")
    for code in ("T-COUNTY2", "T-BX", "T-CITY", "NO-SUCH"):
        response = county_admin.get(URL, {"org": code})
        assert response.status_code == 404, code
        assert "members" not in response.json()
    secretary = login(world, "secretary_a")
    assert secretary.get(URL, {"org": "T-BA"}).status_code == 200
    assert secretary.get(URL, {"org": "T-BB"}).status_code == 404
    # A member without a view scope has no statistics at all.
    assert login(world, "member").get(URL).status_code == 404


def test_it_refuses_bad_dates(world, login):
    client = login(world, "city_admin")
    response = client.get(URL, {"date": "2024-02-30"})
    assert response.status_code == 400
    assert "date" in response.json()
    response = client.get(URL, {"from": "2024-01-01"})
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["统计期间的开始和结束日期须同时填写"]
    response = client.get(URL, {"from": "2024-12-31", "to": "2024-01-01"})
    assert response.status_code == 400


def test_it_needs_a_login_or_a_token(world, client):
    assert client.get(URL).status_code == 401
    token = Token.objects.create(user=world.users["county_admin"])
    response = client.get(URL, {"org": "T-JB"}, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["members"]["total"] == 2
