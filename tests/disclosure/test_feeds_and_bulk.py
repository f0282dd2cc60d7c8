"""党务公开 fed from the other modules: a 组织生活 meeting and a 先进典型 are published from
their own pages through the publish service (dated, audited, refused with an ID number or a
phone); the portal's front page lists the 发展对象公示 in progress; the library loads many
documents at once with the same checks."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry, StoredFile
from dangjian.core.scope import NotInScope
from dangjian.disclosure import services, views
from dangjian.disclosure.models import Document, Publication
from dangjian.disclosure.services import LibraryEntry
from dangjian.excellence import services as excellence
from tests.dues.helpers import docx_bytes
from tests.life.helpers import meeting
from tests.recruitment.helpers import advance, full_members, new_recruit

D = dt.date


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day):
        monkeypatch.setattr(views, "_today", lambda: day)
        monkeypatch.setattr(services, "_today", lambda: day)

    return set_day


def _exemplar(org):
    return excellence.create_exemplar(
        CLI,
        org,
        name="王老师",
        title="优秀共产党员",
        level="county",
        recognised_on=D(2024, 7, 1),
        story="扎根乡村学校二十年。",
    )


def test_a_meeting_is_published_from_its_page(world, login):
    held = meeting(world.orgs["ba"], kind="lecture", held_on=D(2025, 3, 1), place="会议室")
    client = login(world, "secretary_a")
    page = client.get(reverse("meeting-detail", args=[held.pk])).content.decode()
    url = reverse("publication-from-meeting", args=[held.pk])
    assert url in page  # the section disclosure adds to the meeting's page
    form = client.get(url)
    assert form.status_code == 200
    draft = form.context["form"]
    assert "党章学习" in draft.fields["body"].initial and "会议室" in draft.fields["body"].initial
    today = dt.date.today()
    response = client.post(
        url,
        {
            "title": draft.fields["title"].initial,
            "body": draft.fields["body"].initial,
            "published_on": today.isoformat(),
            "expires_on": (today + dt.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    publication = Publication.objects.get(source_type="meeting", source_id=held.pk)
    assert publication.kind == "activity" and publication.org == world.orgs["ba"]
    assert AuditEntry.objects.filter(object_id=str(publication.pk), action=1).exists()
    page = client.get(reverse("meeting-detail", args=[held.pk])).content.decode()
    assert publication.title in page and "公开中" in page
    portal = client.get(reverse("portal-org", args=["T-BA"])).content.decode()
    assert publication.title in portal


def test_publishing_a_record_refuses_an_id_number_or_a_phone(world, login):
    exemplar = _exemplar(world.orgs["ba"])
    client = login(world, "secretary_a")
    url = reverse("publication-from-exemplar", args=[exemplar.pk])
    assert url in client.get(reverse("exemplar-detail", args=[exemplar.pk])).content.decode()
    today = dt.date.today()
    response = client.post(
        url,
        {
            "title": "优秀共产党员王老师",
            "body": "联系电话 13912345678",
            "published_on": today.isoformat(),
            "expires_on": today.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "身份证号码或手机号码" in response.content.decode()
    assert not Publication.objects.exists()
    publication = services.publish_record(
        CLI,
        "exemplar",
        exemplar,
        title="优秀共产党员王老师",
        body="扎根乡村学校二十年。",
        published_on=today,
        expires_on=today,
    )
    assert publication.kind == "exemplar" and publication.source_id == exemplar.pk


def test_only_those_who_may_publish_for_the_org_get_the_button_or_the_page(world, login):
    held = meeting(world.orgs["ba"])
    url = reverse("publication-from-meeting", args=[held.pk])
    other = login(world, "secretary_b")
    assert other.get(url).status_code == 404
    assert login(world, "member").get(url).status_code in (302, 404)
    assert login(world, "anonymous").get(url).status_code == 302
    with pytest.raises(NotInScope):
        services.publish_record(
            world.users["secretary_b"],
            "meeting",
            held,
            title="t",
            published_on=dt.date.today(),
            expires_on=dt.date.today(),
        )


def test_the_front_page_lists_the_candidates_in_publicity(world, client, on_day):
    ba = world.orgs["ba"]
    pair = full_members(ba, 2)
    recruit = new_recruit(ba, name="钱公示", phone="13912345678")
    advance(recruit, pair, pair, stop_before="pre_review")  # 公示 2024-05-13 .. 05-17
    on_day(D(2024, 5, 14))
    page = client.get(reverse("portal")).content.decode()
    assert "钱公示" in page and reverse("portal-org", args=["T-BA"]) in page
    assert "13912345678" not in page
    on_day(D(2024, 5, 18))
    assert "钱公示" not in client.get(reverse("portal")).content.decode()


def _entries(world, n=3):
    content = docx_bytes("第一条 党支部每月相对固定一天开展主题党日。")
    return [
        LibraryEntry(
            org=world.orgs[key],
            category="rules",
            title=f"{world.orgs[key].name}主题党日制度",
            filename="主题党日制度.docx",
            content=content,
        )
        for key in ("ba", "bb", "gb")[:n]
    ]


def test_the_library_loads_many_documents_at_once(world):
    before = AuditEntry.objects.count()
    documents = services.bulk_load_documents(
        CLI, _entries(world), org=world.orgs["county"], note="批量"
    )
    assert len(documents) == 3 and StoredFile.objects.count() == 3
    assert AuditEntry.objects.count() - before == 2  # the files' batch and the documents'
    found = Document.objects.search("主题党日")
    assert found.count() == 3
    assert set(Document.objects.search("开展主题").values_list("org__code", flat=True)) == {
        "T-BA",
        "T-BB",
        "T-GB",
    }
    version = documents[0].versions.get()
    assert version.number == 1 and "主题党日" in version.text
    assert version.file.org_path == world.orgs["ba"].path  # each org reads its own copy
    assert len({d.versions.get().file.relpath for d in documents}) == 3


def test_the_bulk_load_refuses_bad_input_and_writes_nothing(world):
    bad = _entries(world)
    bad[1] = LibraryEntry(
        org=world.orgs["bb"], category="rules", title="假文件", filename="x.docx", content=b"abc"
    )
    with pytest.raises(ValidationError):
        services.bulk_load_documents(CLI, bad, org=world.orgs["county"], note="批量")
    untitled = _entries(world)
    untitled[0] = LibraryEntry(
        org=world.orgs["ba"], category="rules", title=" ", filename="x.docx", content=b"abc"
    )
    with pytest.raises(ValidationError):
        services.bulk_load_documents(CLI, untitled, org=world.orgs["county"], note="批量")
    with pytest.raises(NotInScope):
        services.bulk_load_documents(
            world.users["secretary_a"], _entries(world), org=world.orgs["gb"], note="批量"
        )
    with pytest.raises(ValidationError):  # an org outside the subtree named for the batch
        services.bulk_load_documents(CLI, _entries(world), org=world.orgs["ba"], note="批量")
    assert not Document.objects.exists() and not StoredFile.objects.exists()
