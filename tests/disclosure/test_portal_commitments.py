"""党员公开承诺 on the public portal: shown (anonymous, no login) only while excellence holds
it public, that is both the member and the branch agree; one-sided consent, an unpublished
commitment or a withdrawn consent never shows; an org's page shows its own subtree only;
the page is searchable and paginated and carries no ID number or phone."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry, Notification
from dangjian.core.scope import NotInScope
from dangjian.disclosure import views
from dangjian.excellence import services
from dangjian.excellence.models import Commitment

TODAY = dt.date.today()


def _commit(member, text, **agreed):
    return services.make_commitment(
        CLI, member, year=TODAY.year, text=text, made_on=TODAY, **agreed
    )


def _page(client, code="T-BA", **query):
    response = client.get(reverse("portal-commitments", args=[code]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_only_commitments_both_agreed_appear_to_an_anonymous_visitor(world, client):
    a1, a2, a3 = (world.members[k] for k in ("a1", "a2", "a3"))
    _commit(a1, "双方同意的承诺", member_agreed=True, branch_agreed=True)
    _commit(a2, "仅本人同意的承诺", member_agreed=True)
    _commit(a3, "仅支部同意的承诺", branch_agreed=True)
    _commit(a1, "未同意公开的承诺")
    page = _page(client)
    assert "双方同意的承诺" in page and "张三" in page
    for hidden in ("仅本人同意的承诺", "仅支部同意的承诺", "未同意公开的承诺"):
        assert hidden not in page
    # No ID number or phone of the member reaches the page.
    assert a1.id_number not in page
    org_page = client.get(reverse("portal-org", args=["T-BA"])).content.decode()
    assert reverse("portal-commitments", args=["T-BA"]) in org_page


def test_a_published_row_with_a_consent_cleared_behind_the_service_never_shows(world, client):
    """The portal reads the consent flags too, not only the publication date."""
    made = _commit(world.members["a1"], "被改动的承诺", member_agreed=True, branch_agreed=True)
    Commitment.objects.filter(pk=made.pk).update(branch_agreed=False)
    assert "被改动的承诺" not in _page(client)


def test_the_member_withdrawing_consent_takes_it_off_the_portal(world, client):
    member_user = world.users["member"]  # the account of a1
    made = _commit(world.members["a1"], "上好每一节课", branch_agreed=True)
    assert "上好每一节课" not in _page(client)
    services.set_member_consent(member_user, made, agreed=True)
    made.refresh_from_db()
    assert made.published_on == TODAY
    assert "上好每一节课" in _page(client)
    assert AuditEntry.objects.filter(object_id=str(made.pk), actor=member_user).exists()
    # Withdrawn through the /me/ page's button.
    client.force_login(member_user)
    response = client.post(reverse("commitment-consent", args=[made.pk]), {"agree": "0"})
    assert response.status_code == 302
    client.logout()
    made.refresh_from_db()
    assert not made.member_agreed and made.published_on is None
    assert "上好每一节课" not in _page(client)
    # The branch withdrawing its consent does the same.
    services.set_member_consent(member_user, made, agreed=True)
    assert "上好每一节课" in _page(client)
    services.update_commitment(CLI, made, branch_agreed=False)
    assert "上好每一节课" not in _page(client)


def test_the_branch_changing_the_text_takes_the_members_consent_back(world, client):
    """The member agreed to publish one text: an edited text leaves the portal until they
    agree again, and they are told."""
    member_user = world.users["member"]
    made = _commit(world.members["a1"], "上好每一节课", branch_agreed=True, member_agreed=True)
    assert "上好每一节课" in _page(client)
    services.update_commitment(CLI, made, text="上好每一节课, 带好一个徒弟", member_agreed=True)
    made.refresh_from_db()
    assert not made.member_agreed and made.published_on is None
    assert "带好一个徒弟" not in _page(client)
    assert Notification.objects.filter(user=member_user, text__contains="重新确认").exists()
    services.set_member_consent(member_user, made, agreed=True)
    assert "带好一个徒弟" in _page(client)
    # An edit that keeps the text keeps the consent.
    services.update_commitment(CLI, made, text="上好每一节课, 带好一个徒弟 ")
    made.refresh_from_db()
    assert made.member_agreed and made.published_on is not None


def test_only_the_member_gives_their_own_consent(world, client):
    other = _commit(world.members["a2"], "李四的承诺", branch_agreed=True)
    with pytest.raises(NotInScope):
        services.set_member_consent(world.users["member"], other, agreed=True)
    with pytest.raises(NotInScope):
        services.set_member_consent(world.users["secretary_a"], other, agreed=True)
    client.force_login(world.users["member"])
    response = client.post(reverse("commitment-consent", args=[other.pk]), {"agree": "1"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.member_agreed and other.published_on is None


def test_a_text_with_a_phone_or_id_number_is_never_published(world):
    a1 = world.members["a1"]
    with pytest.raises(ValidationError) as refused:
        _commit(a1, "有事请打13912345678", member_agreed=True, branch_agreed=True)
    assert "手机号" in str(refused.value)
    assert not Commitment.objects.exists()
    made = _commit(a1, f"身份证{a1.id_number}", branch_agreed=True)  # kept, not public
    with pytest.raises(ValidationError):
        services.set_member_consent(world.users["member"], made, agreed=True)
    made.refresh_from_db()
    assert made.published_on is None and not made.member_agreed


def test_an_orgs_page_shows_its_own_subtree_only(world, client):
    _commit(world.members["a1"], "甲小学的承诺", member_agreed=True, branch_agreed=True)
    _commit(world.members["x1"], "另一县的承诺", member_agreed=True, branch_agreed=True)
    county = _page(client, "T-COUNTY")
    assert "甲小学的承诺" in county and "另一县的承诺" not in county
    assert "甲小学的承诺" not in _page(client, "T-BB")
    assert "另一县的承诺" in _page(client, "T-COUNTY2")
    assert "甲小学的承诺" in _page(client, "T-CITY")


def test_the_page_is_searchable_by_name_and_text_and_paginated(world, client, settings):
    settings.PAGE_SIZE = 2
    for key, text in (("a1", "带好毕业班"), ("a2", "家访全覆盖"), ("a3", "读书十本")):
        _commit(world.members[key], text, member_agreed=True, branch_agreed=True)
    assert "家访全覆盖" in _page(client, q="家访")
    assert "带好毕业班" not in _page(client, q="家访")
    by_name = _page(client, q="王五")
    assert "读书十本" in by_name and "家访全覆盖" not in by_name
    assert "带好毕业班" not in _page(client, year=TODAY.year - 1)
    first, second = _page(client), _page(client, page=2)
    shown = [t for t in ("带好毕业班", "家访全覆盖", "读书十本") if t in first]
    assert len(shown) == 2
    assert all(t in second for t in ("带好毕业班", "家访全覆盖", "读书十本") if t not in shown)


def test_the_page_is_served_on_its_date_and_cached_publicly(world, client, monkeypatch):
    _commit(world.members["a1"], "今天公开的承诺", member_agreed=True, branch_agreed=True)
    monkeypatch.setattr(views, "_today", lambda: TODAY - dt.timedelta(days=1))
    assert "今天公开的承诺" not in _page(client)  # not yet public the day before
    monkeypatch.setattr(views, "_today", lambda: TODAY)
    response = client.get(reverse("portal-commitments", args=["T-BA"]))
    assert "public" in response["Cache-Control"]
    assert client.get(reverse("portal-commitments", args=["NOPE"])).status_code == 404
