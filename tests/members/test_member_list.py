import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from personas import add_member

from dangjian.core.dates import add_years
from dangjian.members import services

URL = reverse("member-list")


def names(response) -> set[str]:
    return {m.name for m in response.context["rows"]}


def test_it_redirects_anonymous_to_login(world, login):
    response = login(world, "anonymous").get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_lists_only_members_in_scope(world, login):
    response = login(world, "secretary_a").get(URL)
    assert response.status_code == 200
    assert names(response) == {"张三", "李四", "王五"}
    assert response["Cache-Control"].count("no-store") == 1


def test_a_member_without_a_view_role_gets_404_on_the_list_but_opens_their_own_record(world, login):
    """Issue 21 item 7: a list a role can never use answers 404, like any other page out of
    scope; the member's own record stays theirs to read."""
    client = login(world, "member")
    assert client.get(URL).status_code == 404
    own = client.get(reverse("member-detail", args=[world.members["a1"].pk]))
    assert own.status_code == 200 and "张三" in own.content.decode()


@pytest.mark.parametrize("text", ["zhangsan", "zs", "ZS", "张"])
def test_it_searches_by_name_and_pinyin(world, login, text):
    response = login(world, "city_admin").get(URL, {"q": text})
    assert names(response) == {"张三"}


def test_it_searches_by_the_last_four_id_characters(world, login):
    suffix = world.members["a1"].id_number[-4:]
    response = login(world, "city_admin").get(URL, {"q": suffix.lower()})
    assert names(response) == {"张三"}


def test_it_does_not_search_hidden_id_digits(world, login):
    middle = world.members["a1"].id_number[6:14]
    response = login(world, "city_admin").get(URL, {"q": middle})
    assert names(response) == set()
    assert "没有符合条件的党员" in response.content.decode()


def test_it_filters_by_category_as_of_today(world, login):
    client = login(world, "city_admin")
    assert names(client.get(URL, {"category": "probationary"})) == {"王五"}
    full = names(client.get(URL, {"category": "full"}))
    assert "王五" not in full and "张三" in full and len(full) == 9


def test_it_filters_by_org_subtree(world, login):
    response = login(world, "city_admin").get(URL, {"org": "T-GB"})
    assert names(response) == {"张三", "李四", "王五", "赵六", "钱七", "孙八"}


def test_it_finds_nothing_for_an_org_outside_scope(world, login):
    response = login(world, "secretary_a").get(URL, {"org": "T-BB"})
    assert names(response) == set()


def test_it_offers_only_orgs_in_scope_in_the_org_filter(world, login):
    response = login(world, "secretary_a").get(URL)
    codes = [code for code, _label in response.context["org_options"]]
    assert codes == ["T-BA"]


def test_it_filters_by_age_band_in_calendar_years(world, login):
    today = dt.date.today()
    turns_31_today = add_years(today, -31)
    still_30 = turns_31_today + dt.timedelta(days=1)
    for name, birth in (("甲三十一", turns_31_today), ("乙三十", still_30)):
        joined = add_years(birth, 25)
        add_member(
            world.orgs["ba"], name, birth=birth, joined=joined, converted=add_years(joined, 1)
        )
    client = login(world, "city_admin")
    assert names(client.get(URL, {"age": "31-35"})) == {"甲三十一"}
    young = names(client.get(URL, {"age": "-30"}))
    assert "乙三十" in young and "甲三十一" not in young


def test_it_filters_by_sex_person_type_and_education(world, login):
    client = login(world, "city_admin")
    assert names(client.get(URL, {"org": "T-BB", "sex": "female"})) == {"钱七"}
    assert names(client.get(URL, {"person_type": "manager"})) == {"钱七"}
    assert names(client.get(URL, {"education": "college"})) == {"孙八"}


def test_it_shows_active_members_by_default_and_all_on_request(world, login):
    services.record_leaving(
        world.users["city_admin"], world.members["b1"], kind="deceased", on=dt.date(2020, 1, 1)
    )
    client = login(world, "city_admin")
    assert "赵六" not in names(client.get(URL))
    assert "赵六" in names(client.get(URL, {"status": "all"}))
    assert names(client.get(URL, {"status": "deceased"})) == {"赵六"}


def test_it_ignores_an_invalid_filter_value(world, login):
    response = login(world, "city_admin").get(URL, {"category": "nonsense"})
    assert response.status_code == 200
    assert len(names(response)) == 10


def test_it_never_shows_a_full_id_number(world, login):
    response = login(world, "city_admin").get(URL)
    html = response.content.decode()
    assert not re.search(r"\d{17}[\dX]", html)
    for member in world.members.values():
        assert member.id_number not in html
        assert member.masked_id in html


def test_it_paginates_and_keeps_the_query(world, login, settings):
    settings.PAGE_SIZE = 3
    response = login(world, "city_admin").get(URL, {"sex": "male"})
    page = response.context["page"]
    assert page.paginator.count == 6
    assert len(response.context["rows"]) == 3
    assert re.search(r'href="\?sex=male&(amp;)?page=2"', response.content.decode())
    second = login(world, "city_admin").get(URL, {"sex": "male", "page": 2})
    assert len(second.context["rows"]) == 3
    assert not names(second) & names(response)


def test_it_runs_the_same_number_of_queries_for_more_rows(world, login):
    client = login(world, "city_admin")
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(8):
        school = list(world.schools.values())[i % 6]
        org = school.covering_org or world.orgs["ba"]
        add_member(org, f"新党员{i}", work_unit=school)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.context["rows"]) == 18
    assert len(many) == len(few)


def test_it_links_to_org_and_school_pages(world, login):
    html = login(world, "secretary_a").get(URL).content.decode()
    assert reverse("org-detail", args=[world.orgs["ba"].pk]) in html
    assert reverse("school-detail", args=[world.schools["a"].pk]) in html


def test_it_offers_add_only_to_users_who_may_add(world, login):
    assert reverse("member-create") in login(world, "secretary_a").get(URL).content.decode()
    assert reverse("member-create") not in login(world, "member").get(URL).content.decode()
