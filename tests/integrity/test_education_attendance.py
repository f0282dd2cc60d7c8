"""廉政教育 attendance person by person: members of the activity's org (or below) on its
day, ticked from a list or imported from Excel (every bad row named, nothing written unless
all pass), taken off after a confirmation; the 参加人数 on the list, the detail and the API
is the count of those records, and the member's record shows what they attended and their
党纪处分."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.core.context import CLI
from dangjian.core.excel import Sheet, write_workbook
from dangjian.core.scope import NotInScope
from dangjian.integrity import services
from dangjian.integrity.forms import EducationForm
from dangjian.integrity.models import EducationAttendance


@pytest.fixture
def education(world):
    return services.create_education(
        CLI,
        org=world.orgs["ba"],
        kind="warning",
        held_on=dt.date(2024, 6, 1),
        title="警示教育大会",
        speaker="县纪委",
    )


def _xlsx(rows, headers=("姓名", "身份证号后4位")):
    content = write_workbook([Sheet(title="参加人员", headers=list(headers), rows=rows)])
    return SimpleUploadedFile(
        "attendance.xlsx",
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_it_counts_the_attendance_from_the_people_recorded(world, education, login):
    assert "attendance" not in EducationForm.base_fields  # no typed count any more
    client = login(world, "secretary_a")
    m = world.members
    page = client.get(reverse("integrity-education-attend", args=[education.pk]))
    offered = {member.pk for member in page.context["form"].fields["members"].queryset}
    assert offered == {m["a1"].pk, m["a2"].pk, m["a3"].pk}  # the branch's members only
    response = client.post(
        reverse("integrity-education-attend", args=[education.pk]),
        {"members": [m["a1"].pk, m["a2"].pk]},
    )
    assert response.status_code == 302
    listing = client.get(reverse("integrity-education-list"))
    assert [row.attendance for row in listing.context["rows"]] == [2]
    detail = client.get(reverse("integrity-education-detail", args=[education.pk]))
    body = detail.content.decode()
    assert "张三" in body and "李四" in body and "王五" not in body
    api = APIClient()
    api.force_authenticate(world.users["secretary_a"])
    data = api.get(reverse("api-integrity-education-detail", args=[education.pk])).json()
    assert data["attendance"] == 2
    # The member's record lists the activity.
    record = client.get(reverse("member-detail", args=[m["a1"].pk])).content.decode()
    assert "警示教育大会" in record and "党纪处分与廉政教育" in record


def test_it_refuses_people_outside_the_org_or_not_yet_members(world, education):
    m = world.members
    with pytest.raises(Exception) as outside:
        services.record_attendance(CLI, education, [m["b1"]])
    assert "赵六" in str(outside.value) and "当时的党员" in str(outside.value)
    early = services.create_education(
        CLI, org=world.orgs["ba"], kind="ethics", held_on=dt.date(2024, 2, 1), title="师德"
    )
    with pytest.raises(Exception, match="王五"):  # joined 2024-03-01, after the activity
        services.record_attendance(CLI, early, [m["a3"]])
    services.record_attendance(CLI, education, [m["a1"]])
    with pytest.raises(Exception, match="已登记过: 张三"):
        services.record_attendance(CLI, education, [m["a1"], m["a2"]])
    assert EducationAttendance.objects.filter(education=education).count() == 1


def test_it_imports_all_rows_or_none_naming_every_bad_one(world, education, login):
    client = login(world, "secretary_a")
    url = reverse("integrity-education-import", args=[education.pk])
    template = client.get(url + "?template=1")
    assert template.status_code == 200 and template["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    bad = _xlsx([["张三", ""], ["无此人", ""], ["赵六", ""], ["张三", ""], ["", "1234"]])
    response = client.post(url, {"upload": bad})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["upload"])
    assert "第3行" in errors and "无此人" in errors
    assert "第4行" in errors and "赵六" in errors  # another branch's member
    assert "第5行" in errors and "第2行是同一人" in errors
    assert "第6行" in errors and "不能为空" in errors
    assert not EducationAttendance.objects.filter(education=education).exists()
    good = _xlsx([["张三", ""], ["李四", ""]])
    response = client.post(url, {"upload": good})
    assert response.status_code == 302
    rows = EducationAttendance.objects.filter(education=education)
    assert {row.member.name for row in rows} == {"张三", "李四"}
    assert {row.source for row in rows} == {"import"}
    # Again: both are on the list already, nothing doubles.
    response = client.post(url, {"upload": _xlsx([["张三", ""]])})
    assert "已登记过" in " ".join(response.context["form"].errors["upload"])
    assert rows.count() == 2


def test_it_asks_before_taking_someone_off_the_list(world, education, login):
    a1 = world.members["a1"]
    services.record_attendance(CLI, education, [a1])
    client = login(world, "secretary_a")
    url = reverse("integrity-education-attendee-remove", args=[education.pk, a1.pk])
    page = client.get(url)
    assert page.status_code == 200 and "确定把张三" in page.content.decode()
    assert EducationAttendance.objects.filter(education=education).count() == 1
    assert client.post(url).status_code == 302
    assert not EducationAttendance.objects.filter(education=education).exists()
    # Another branch's secretary reaches neither the activity nor its list.
    other = login(world, "secretary_b")
    assert other.get(reverse("integrity-education-attend", args=[education.pk])).status_code == 404


def test_it_shows_a_cases_sanction_on_the_members_record(world, login):
    a1 = world.members["a1"]
    services.create_case(
        CLI,
        org=world.orgs["ba"],
        subject_name=a1.name,
        member=a1,
        matter="违规收费的秘密线索",
        received_on=dt.date(2024, 1, 5),
        checked_on=dt.date(2024, 1, 10),
        filed_on=dt.date(2024, 1, 20),
        reviewed_on=dt.date(2024, 3, 1),
        closed_on=dt.date(2024, 3, 10),
        party_outcome="serious_warning",
    )
    body = login(world, "secretary_a").get(reverse("member-detail", args=[a1.pk])).content
    body = body.decode()
    assert "严重警告" in body and "2024-03-10" in body
    assert "秘密线索" not in body  # the sanction, never the case's matter


def test_it_writes_many_with_the_same_rules(world, education):
    m = world.members
    assert services.bulk_attendance(CLI, [(education, m["a1"].pk), (education, m["a2"].pk)], "演示")
    rows = EducationAttendance.objects.filter(education=education)
    assert {row.member_id for row in rows} == {m["a1"].pk, m["a2"].pk}
    assert all(row.created_at is not None for row in rows)
    with pytest.raises(Exception, match="当时的党员"):
        services.bulk_attendance(CLI, [(education, m["b1"].pk)], "演示")
    with pytest.raises(NotInScope):
        services.bulk_attendance(world.users["secretary_b"], [(education, m["a3"].pk)], "演示")
    assert rows.count() == 2


def test_one_bad_row_among_good_ones_writes_nothing_and_is_named(world, education, login):
    client = login(world, "secretary_a")
    url = reverse("integrity-education-import", args=[education.pk])
    response = client.post(url, {"upload": _xlsx([["张三", ""], ["李四", ""], ["查无此人", ""]])})
    assert response.status_code == 200
    assert [str(p) for p in response.context["problems"]] == [
        str(p) for p in response.context["form"].errors["upload"]
    ]
    assert len(response.context["problems"]) == 1
    page = response.content.decode()
    assert "第4行" in page and "查无此人" in page and "未导入任何数据" in page
    assert not EducationAttendance.objects.filter(education=education).exists()
    # Another branch's secretary cannot reach the page at all.
    assert login(world, "secretary_b").get(url).status_code == 404
