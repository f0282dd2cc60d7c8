import datetime as dt
import re

from django.urls import reverse

from dangjian.core.dates import age_on
from dangjian.core.models import AuditAction, AuditEntry
from dangjian.members import services


def detail_url(member) -> str:
    return reverse("member-detail", args=[member.pk])


def test_it_shows_a_member_in_scope(world, login):
    a1 = world.members["a1"]
    response = login(world, "secretary_a").get(detail_url(a1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "张三" in html and "甲小学党支部" in html
    assert reverse("school-detail", args=[world.schools["a"].pk]) in html
    assert a1.masked_id in html
    assert a1.id_number not in html
    assert not re.search(r"\d{17}[\dX]", html)
    assert "no-store" in response["Cache-Control"]


def test_it_answers_404_out_of_scope(world, login):
    response = login(world, "secretary_b").get(detail_url(world.members["a1"]))
    assert response.status_code == 404


def test_it_shows_a_member_their_own_record_only(world, login):
    client = login(world, "member")
    assert client.get(detail_url(world.members["a1"])).status_code == 200
    assert client.get(detail_url(world.members["a2"])).status_code == 404


def test_it_does_not_link_a_member_to_org_pages_they_cannot_open(world, login):
    html = login(world, "member").get(detail_url(world.members["a1"])).content.decode()
    assert reverse("org-detail", args=[world.orgs["ba"].pk]) not in html
    assert "甲小学党支部" in html


def test_it_shows_no_login_account_when_none_is_linked(world, login):
    html = login(world, "secretary_a").get(detail_url(world.members["a2"])).content.decode()
    assert re.search(r"登录账号</dt><dd[^>]*><span[^>]*>未关联<", html)


def test_it_shows_party_years_and_age(world, login):
    a1 = world.members["a1"]
    response = login(world, "secretary_a").get(detail_url(a1))
    today = dt.date.today()
    assert response.context["party_years"] == age_on(a1.converted_on, today)
    assert response.context["age"] == age_on(a1.birth_date, today)
    assert f"{age_on(a1.converted_on, today)}年" in response.content.decode()


def test_it_gives_no_party_years_to_a_probationary_member(world, login):
    response = login(world, "secretary_a").get(detail_url(world.members["a3"]))
    assert response.context["party_years"] is None
    assert "预备党员不计党龄" in response.content.decode()


def test_it_shows_events_spells_and_the_login_account(world, login):
    a1 = world.members["a1"]
    services.update_member(
        world.users["county_admin"], a1, org=world.orgs["bb"], transfer_on=dt.date(2020, 9, 1)
    )
    response = login(world, "county_admin").get(detail_url(a1))
    kinds = [event.kind for event in response.context["events"]]
    assert kinds == ["joined", "converted", "transferred"]
    spells = response.context["spells"]
    assert [(s.org.code, s.end_on) for s in spells] == [
        ("T-BA", dt.date(2020, 9, 1)),
        ("T-BB", None),
    ]
    html = response.content.decode()
    assert "系统内调动" in html and "2020-09-01" in html
    assert re.search(r"登录账号</dt><dd[^>]*>member<", html)


def test_it_shows_actions_only_to_users_allowed(world, login):
    a1 = world.members["a1"]
    edit = reverse("member-edit", args=[a1.pk])
    delete = reverse("member-delete", args=[a1.pk])
    reveal = reverse("member-reveal-id", args=[a1.pk])
    admin = login(world, "county_admin").get(detail_url(a1)).content.decode()
    assert edit in admin and delete in admin and reveal in admin
    organiser = login(world, "secretary_a").get(detail_url(a1)).content.decode()
    assert edit in organiser and delete not in organiser and reveal not in organiser
    own = login(world, "member").get(detail_url(a1)).content.decode()
    assert edit not in own and delete not in own and reveal not in own


def test_it_reveals_the_full_id_number_and_audits_it(world, login):
    a1 = world.members["a1"]
    url = reverse("member-reveal-id", args=[a1.pk])
    response = login(world, "city_admin").post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert a1.id_number in response.content.decode()
    assert "<html" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL_ID)
    assert entry.object_id == str(a1.pk)
    assert entry.actor == world.users["city_admin"]


def test_it_reveals_on_a_full_page_without_htmx(world, login):
    a1 = world.members["a1"]
    response = login(world, "city_admin").post(reverse("member-reveal-id", args=[a1.pk]))
    assert response.status_code == 200
    assert a1.id_number in response.content.decode()
    assert "<html" in response.content.decode()


def test_it_refuses_reveal_without_permission(world, login):
    a1 = world.members["a1"]
    url = reverse("member-reveal-id", args=[a1.pk])
    for persona in ("secretary_a", "secretary_b", "member"):
        response = login(world, persona).post(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 404
        assert a1.id_number not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL_ID).exists()


def test_it_refuses_reveal_by_get(world, login):
    url = reverse("member-reveal-id", args=[world.members["a1"].pk])
    assert login(world, "city_admin").get(url).status_code == 405
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL_ID).exists()
