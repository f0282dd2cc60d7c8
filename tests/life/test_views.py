"""The meeting pages: a meeting entered through the kit's form gets its roster; marking by
hand; the compliance grid, its drill-down and export; a series' progress; the API."""

import io

import openpyxl
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.core.context import CLI
from dangjian.life import services
from dangjian.life.models import Attendance, Meeting
from tests.life.helpers import D, meeting


def test_it_creates_a_meeting_with_its_roster_from_the_page(world, login):
    client = login(world, "secretary_a")
    response = client.post(
        reverse("meeting-create"),
        {
            "org": world.orgs["ba"].pk,
            "kind": "lecture",
            "title": "春季党课",
            "held_on": "2025-03-10",
            "speaker": "张书记",
            "topic": "学习党章",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Meeting.objects.get(title="春季党课")
    assert created.expected_count == 3
    names = set(created.attendances.values_list("member__name", flat=True))
    assert names == {"张三", "李四", "王五"}


def test_it_asks_a_lecture_for_speaker_and_topic(world, login):
    client = login(world, "secretary_a")
    response = client.post(
        reverse("meeting-create"),
        {"org": world.orgs["ba"].pk, "kind": "lecture", "title": "党课", "held_on": "2025-03-10"},
    )
    assert response.status_code == 200 and "党课须填写主讲人和题目" in response.content.decode()


def _seat(org, *, member=None, holder_name="", title="secretary"):
    from dangjian.orgs import services as orgs
    from dangjian.orgs.models import Position

    return orgs.save_position(
        CLI,
        Position(
            org=org,
            title=title,
            member=member,
            holder_name=holder_name or member.name,
            start_on=D(2024, 1, 1),
        ),
    )


def test_it_expects_the_committee_at_a_committee_meeting(world):
    _seat(world.orgs["ba"], member=world.members["a2"])
    committee = meeting(world.orgs["ba"], "committee", D(2025, 3, 5))
    assert list(committee.attendances.values_list("member__name", flat=True)) == ["李四"]


def test_it_finds_the_committee_by_the_seat_s_member_link_never_by_name(world, login):
    """A seat typed by name only (no member link) is not matched to the member of that
    name: the 支委会 expects the linked seat holders and its page names the unlinked one."""
    ba = world.orgs["ba"]
    _seat(ba, member=world.members["a1"])
    _seat(ba, holder_name="李四", title="organisation")  # 李四 is a2's name: not matched
    committee = meeting(ba, "committee", D(2025, 3, 5))
    assert list(committee.attendances.values_list("member__name", flat=True)) == ["张三"]
    assert services.unlinked_seats(ba, D(2025, 3, 5)) == ["李四"]
    page = login(world, "secretary_a").get(reverse("meeting-detail", args=[committee.pk]))
    assert "未关联党员档案, 未列入应到名单: 李四" in page.content.decode()
    general = login(world, "secretary_a").get(
        reverse("meeting-detail", args=[meeting(ba, "general", D(2025, 3, 6)).pk])
    )
    assert "未关联党员档案" not in general.content.decode()


def test_it_expects_every_member_when_no_seat_is_linked(world):
    ba = world.orgs["ba"]
    _seat(ba, holder_name="外来书记")
    committee = meeting(ba, "committee", D(2025, 3, 5))
    assert committee.expected_count == 3


def test_it_marks_by_hand_and_records_an_observer(world, login):
    m = meeting(world.orgs["ba"], "general", D(2025, 3, 1))
    client = login(world, "secretary_a")
    row = m.attendances.get(member=world.members["a2"])
    response = client.post(
        reverse("attendance-mark", args=[row.pk]), {"status": "absent", "reason": "sick"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.reason) == ("absent", "sick")
    # A member from elsewhere in the county attends without being expected (列席).
    county = login(world, "county_admin")
    county.post(reverse("meeting-observer", args=[m.pk]), {"member": world.members["b1"].pk})
    observer = Attendance.objects.get(meeting=m, member=world.members["b1"])
    assert observer.status == "observer"
    m.refresh_from_db()
    assert m.expected_count == 3  # 列席 is not expected
    page = county.get(reverse("meeting-detail", args=[m.pk])).content.decode()
    assert "病假" in page and "列席" in page


def test_it_shows_the_grid_with_drill_down_and_export(world, login):
    ba = world.orgs["ba"]
    meeting(ba, "committee", D(2025, 1, 31))
    client = login(world, "county_admin")
    page = client.get(reverse("life-compliance"), {"org": "T-GB", "year": 2025})
    assert page.status_code == 200
    names = [branch["name"] for branch, _cells in page.context["rows"]]
    assert names == ["甲小学党支部", "乙中学党支部"]
    first = page.context["rows"][0][1][0]
    assert first[:4] == (1, "missing", 1, 3)
    cell = client.get(reverse("life-compliance-cell", args=[ba.pk]), {"month": "2025-1"})
    assert cell.status_code == 200
    states = {s["label"]: s["state"] for s in cell.context["slots"]}
    assert states["支委会"] == "held" and states["主题党日"] == "missing"
    export = client.get(reverse("life-compliance"), {"org": "T-GB", "year": 2025, "export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][:3] == ("T-BA", "甲小学党支部", "1/3 未召开")
    # Another county's branch is not reachable.
    other = client.get(reverse("life-compliance-cell", args=[world.orgs["bx"].pk]))
    assert other.status_code == 404
    assert client.get(reverse("life-compliance"), {"org": "T-BX"}).status_code == 404


def test_it_tracks_a_series_per_branch(world, login):
    series = services.create_series(
        CLI,
        org=world.orgs["county"],
        name="六个一",
        start_on=D(2025, 3, 1),
        end_on=D(2025, 7, 1),
        items=[("上一次党课", "lecture"), ("开展一次主题党日", "theme_day")],
    )
    first, second = series.items.order_by("position")
    meeting(world.orgs["ba"], "lecture", D(2025, 4, 1), series_item=first)
    meeting(world.orgs["ba"], "theme_day", D(2025, 4, 2), series_item=second)
    meeting(world.orgs["bb"], "lecture", D(2025, 4, 1), series_item=first)
    client = login(world, "secretary_a")
    page = client.get(reverse("series-detail", args=[series.pk]))
    assert page.status_code == 200
    assert [(b["name"], done) for b, _c, done in page.context["progress"]] == [
        ("甲小学党支部", True)
    ]
    county = login(world, "county_admin").get(reverse("series-detail", args=[series.pk]))
    assert county.context["complete"] == 1 and county.context["branches"] == 3
    late = services.ValidationError
    try:
        meeting(world.orgs["ba"], "lecture", D(2025, 8, 1), series_item=first)
    except late as exc:
        assert "活动期间" in str(exc)
    else:
        raise AssertionError("a meeting after the series ended was accepted")


def test_it_lists_meetings_in_the_api_within_scope(world):
    a = meeting(world.orgs["ba"], "general", D(2025, 3, 1))
    x = meeting(world.orgs["bx"], "general", D(2025, 3, 1))
    api = APIClient()
    api.force_authenticate(world.users["county_admin"])
    ids = {r["id"] for r in api.get("/api/meetings/").json()["results"]}
    assert a.pk in ids and x.pk not in ids
    assert api.get(f"/api/meetings/{x.pk}/").status_code == 404
    row = api.get(f"/api/meetings/{a.pk}/").json()
    assert (row["org"], row["kind_display"], row["expected_count"]) == ("T-BA", "支部党员大会", 3)
    filtered = api.get("/api/meetings/", {"org": "T-BB"}).json()
    assert filtered["count"] == 0
    # A member reads the meetings they were expected at (their own pages use them).
    api.force_authenticate(world.users["member"])
    assert [r["id"] for r in api.get("/api/meetings/").json()["results"]] == [a.pk]


def test_it_keeps_photos_and_attachments_through_the_upload_store(world, login):
    from uploadfiles import jpeg_with_exif, pdf_upload

    m = meeting(world.orgs["ba"], "theme_day", D(2025, 3, 1))
    client = login(world, "secretary_a")
    url = reverse("meeting-file-add", args=[m.pk])
    assert client.post(url, {"file": jpeg_with_exif()}).status_code == 302
    assert client.post(url, {"file": pdf_upload()}).status_code == 302
    names = sorted(f.name for f in m.files.all())
    assert len(names) == 2 and "合影.jpg" in names
    photo = m.files.get(kind="image")
    assert client.get(photo.url).status_code == 200
    # Another branch's secretary can neither read nor add.
    other = login(world, "secretary_b")
    assert other.get(photo.url).status_code == 404
    assert other.post(url, {"file": pdf_upload()}).status_code == 404
    mine = login(world, "secretary_a")
    done = mine.post(reverse("meeting-file-delete", args=[m.pk]), {"file": str(photo.pk)})
    assert done.status_code == 302 and m.files.count() == 1
