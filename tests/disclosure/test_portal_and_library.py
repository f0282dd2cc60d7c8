"""党务公开 and the document library: the portal shows only what is published and in force
(a 公示 only during its period), never an ID number or phone; search finds a word inside an
uploaded .docx; everything is scoped."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from uploadfiles import docx_upload, pdf_upload

from dangjian.core.context import CLI
from dangjian.core.roles import Action
from dangjian.disclosure import services, views
from dangjian.disclosure.models import Document
from tests.dues.helpers import docx_bytes
from tests.recruitment.helpers import advance, full_members, new_recruit

D = dt.date


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day):
        monkeypatch.setattr(views, "_today", lambda: day)
        monkeypatch.setattr(services, "_today", lambda: day)

    return set_day


def _notice(org, title, start, end, body="请全体党员参加"):
    return services.publish(
        CLI, org=org, kind="notice", title=title, body=body, published_on=start, expires_on=end
    )


def test_it_shows_a_publication_only_from_its_date_to_its_expiry(world, client, on_day):
    on_day(D(2026, 3, 1))
    ba = world.orgs["ba"]
    live = _notice(ba, "三月主题党日通知", D(2026, 3, 1), D(2026, 3, 31))
    _notice(ba, "四月通知", D(2026, 4, 1), D(2026, 4, 30))
    withdrawn = _notice(ba, "已撤回的通知", D(2026, 3, 1), D(2026, 3, 31))
    services.withdraw(CLI, withdrawn)
    page = client.get(reverse("portal-org", args=["T-BA"])).content.decode()
    assert "三月主题党日通知" in page
    assert "四月通知" not in page and "已撤回的通知" not in page
    url = reverse("portal-publication", args=["T-BA", live.pk])
    assert client.get(url).status_code == 200
    on_day(D(2026, 4, 1))
    assert client.get(url).status_code == 404  # expired
    assert "四月通知" in client.get(reverse("portal-org", args=["T-BA"])).content.decode()
    # The county's page shows its subtree's publications; another county's does not.
    assert "四月通知" in client.get(reverse("portal-org", args=["T-COUNTY"])).content.decode()
    assert "四月通知" not in client.get(reverse("portal-org", args=["T-COUNTY2"])).content.decode()


def test_it_serves_the_portal_without_login_and_lets_it_be_cached(world, client, on_day):
    on_day(D(2026, 3, 1))
    response = client.get(reverse("portal"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert client.get(reverse("portal-org", args=["NOPE"])).status_code == 404


def test_it_refuses_to_publish_an_id_number_or_a_mobile_number(world):
    today = dt.date.today()
    for body in ("身份证 110105194912310029", "联系电话 13912345678"):
        with pytest.raises(ValidationError) as error:
            _notice(world.orgs["ba"], "通知", today, today, body=body)
        assert "身份证号码或手机号码" in str(error.value)


def test_it_shows_the_candidate_publicity_only_during_its_period(world, client, on_day):
    ba = world.orgs["ba"]
    pair = full_members(ba, 2)
    recruit = new_recruit(ba, name="钱公示", phone="13912345678")
    advance(recruit, pair, pair, stop_before="pre_review")  # 公示 2024-05-13 .. 05-17
    url = reverse("portal-org", args=["T-BA"])
    for day, shown in (
        (D(2024, 5, 12), False),
        (D(2024, 5, 13), True),
        (D(2024, 5, 17), True),
        (D(2024, 5, 18), False),
    ):
        on_day(day)
        page = client.get(url).content.decode()
        assert ("钱公示" in page) is shown, day
        assert "13912345678" not in page and recruit.id_number not in page


def test_it_publishes_dues_totals_and_members_only_when_chosen(world):
    from tests.dues.helpers import dues_member

    today = dt.date.today()
    dues_member(world.orgs["ba"], joined=D(today.year, 1, 1), name="甲党员")
    args = {
        "org": world.orgs["ba"],
        "first_month": D(today.year, 1, 1),
        "last_month": D(today.year, 1, 1),
        "published_on": today,
        "expires_on": today,
    }
    totals = services.publish_dues(CLI, **args)
    assert "应交40.00元" in totals.body and "甲党员" not in totals.body
    named = services.publish_dues(CLI, per_person=True, **args)
    assert "甲党员: 40.00 / 0.00" in named.body


def test_it_finds_a_word_inside_an_uploaded_docx(world):
    content = docx_bytes("为加强党费收缴管理,", "支部每月十五日前收缴党员交纳的党费。")
    document = services.create_document(
        CLI,
        org=world.orgs["ba"],
        category="rules",
        title="支部工作制度",
        upload=SimpleUploadedFile("制度.docx", content),
    )
    other = services.create_document(
        CLI, org=world.orgs["bb"], category="laws", title="另一份", upload=docx_upload()
    )
    found = Document.objects.all().search("收缴党员交纳")  # a phrase inside the body
    assert list(found) == [document]
    assert list(Document.objects.all().search("党费")) == [document]  # two characters
    assert list(Document.objects.all().search("三会一课")) == [other]
    assert list(Document.objects.all().search("支部工作制度")) == [document]  # the name
    assert not Document.objects.all().search("不存在的词语").exists()
    # A new version replaces what is searched.
    services.add_version(CLI, document, docx_upload(text="组织生活会制度"), "修订")
    document.refresh_from_db()
    assert document.version_count == 2
    assert list(Document.objects.all().search("组织生活会")) == [document]
    assert not Document.objects.all().search("收缴党员交纳").exists()


def test_it_searches_only_within_scope_on_the_page_and_the_api(world, login):
    for key in ("ba", "bb"):
        services.create_document(
            CLI,
            org=world.orgs[key],
            category="materials",
            title=f"{key}资料",
            upload=docx_upload(text="民主评议党员工作方案"),
        )
    client = login(world, "secretary_a")
    response = client.get(reverse("document-list"), {"q": "民主评议"})
    assert [d.title for d in response.context["rows"]] == ["ba资料"]
    api = client.get(reverse("api-document-list"), {"search": "民主评议"}).json()
    assert [d["title"] for d in api["results"]] == ["ba资料"]


def test_it_keeps_a_pdf_and_refuses_other_files(world):
    document = services.create_document(
        CLI, org=world.orgs["ba"], category="laws", title="条例", upload=pdf_upload()
    )
    assert document.versions.get().file.kind == "pdf"
    with pytest.raises(ValidationError):
        services.create_document(
            CLI,
            org=world.orgs["ba"],
            category="laws",
            title="图片",
            upload=SimpleUploadedFile("x.txt", b"plain text"),
        )


def test_it_serves_a_published_document_to_anyone_only_while_published(world, client, on_day):
    on_day(D(2026, 3, 1))
    document = services.create_document(
        CLI, org=world.orgs["ba"], category="rules", title="三会一课制度", upload=docx_upload()
    )
    version = document.versions.get()
    assert client.get(reverse("document-version", args=[version.pk])).status_code == 302
    pub = services.publish(
        CLI,
        org=world.orgs["ba"],
        kind="document",
        title="公开三会一课制度",
        published_on=D(2026, 3, 1),
        expires_on=D(2026, 3, 10),
        document=document,
    )
    url = reverse("portal-file", args=["T-BA", pub.pk])
    assert client.get(url).status_code == 200
    on_day(D(2026, 3, 11))
    assert client.get(url).status_code == 404


def test_it_keeps_publishing_within_the_publishers_scope(world):
    from dangjian.core.scope import NotInScope

    today = dt.date.today()
    with pytest.raises(NotInScope):
        services.publish(
            world.users["secretary_a"],
            org=world.orgs["bb"],
            kind="notice",
            title="越权",
            published_on=today,
            expires_on=today,
        )
    assert not Document.objects.restrict(world.users["member"], Action.VIEW).exists()
