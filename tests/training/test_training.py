"""培训与学习: hours summed across courses and imports against the targets at their
boundaries, cadres found by their seats, rotation coverage when a cadre changes post
mid-cycle, 业余党校 hours reaching the pipeline's 集中培训 rule at exactly 24, scope, the
待办 shortfalls and the `/me/` card."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from personas import add_member

from dangjian.core.context import CLI
from dangjian.core.scope import NotInScope
from dangjian.members import services as member_services
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Position
from dangjian.recruitment import rules as R
from dangjian.recruitment.models import Stage
from dangjian.stats.engine import make_scope
from dangjian.training import rules, services, views
from dangjian.training.models import Attendance
from dangjian.training.registers import shortfall_todo
from dangjian.training.stats import training_section
from tests.recruitment.helpers import advance, full_members, new_recruit

D = dt.date
YEAR_2024 = (D(2024, 1, 1), D(2024, 12, 31))
MAY_2024 = D(2024, 5, 1)
SEATED = D(2020, 1, 1)
END_2024 = D(2024, 12, 31)


def session(org, on=MAY_2024, hours="60", kind="study"):
    course = services.save_course(
        CLI, org=org, title="党课", kind=kind, level="county", hours=Decimal(hours)
    )
    return services.save_training(CLI, course=course, org=org, on=on, hours=Decimal(hours))


def attend(training, member, hours):
    return services.record_attendance(CLI, training, [member], hours=Decimal(hours))


def imported(training, member, hours):
    row = services.AttendanceRow(training.pk, member.pk, Decimal(hours))
    return services.record_attendance_batch(CLI, [row], note="导入")


def seat(org, member, start=SEATED, end=None, title="secretary"):
    return org_services.save_position(
        CLI, Position(org=org, title=title, member=member, start_on=start, end_on=end)
    )


def figures(org, as_of=END_2024, period=YEAR_2024):
    return training_section(make_scope(org, as_of, period), {})["training"]


def test_it_sums_hours_across_courses_and_imports_against_32(world):
    ba, m = world.orgs["ba"], world.members
    winter, online = session(ba), session(ba, on=D(2024, 12, 1), kind="online")
    attend(winter, m["a1"], "16")
    imported(online, m["a1"], "16")  # 16 + 16 = 32: met
    attend(winter, m["a2"], "16")
    imported(online, m["a2"], "15.5")  # 31.5: short
    attend(winter, m["a3"], "2")  # joined 2024-03-01: 2024 is not counted for them
    result = figures(ba)
    assert result["members_meeting_hours"] == 0.5
    assert result["hours_total"] == 65.5
    people = {p.name: p for p in rules.subtree_people(ba.path, D(2024, 12, 31), YEAR_2024)}
    assert people["张三"].hours[2024] == Decimal(32)
    assert people["王五"].meets(range(2024, 2025)) is None


def test_it_counts_only_the_period_years_and_every_one_of_them(world):
    ba, a1 = world.orgs["ba"], world.members["a1"]
    attend(session(ba, on=D(2023, 12, 31)), a1, "40")
    attend(session(ba, on=D(2024, 1, 1)), a1, "31")
    two_years = (D(2023, 1, 1), D(2024, 12, 31))
    assert figures(world.orgs["ba"], period=two_years)["members_meeting_hours"] == 0.0
    attend(session(ba, on=D(2024, 12, 31)), a1, "1")
    assert figures(ba, period=two_years)["members_meeting_hours"] == 0.5  # a2 has none
    assert figures(ba, period=(D(2024, 6, 1), D(2024, 6, 30)))["hours_total"] == 0.0


def test_it_holds_secretaries_and_committee_members_to_56(world, settings):
    ba, m = world.orgs["ba"], world.members
    seat(ba, m["a1"])
    seat(ba, m["a2"], title="organisation")
    seat(
        ba, m["a1"], start=D(2015, 1, 1), end=D(2019, 1, 1), title="member"
    )  # an old seat changes nothing
    winter = session(ba)
    attend(winter, m["a1"], "56")
    attend(winter, m["a2"], "55.9")
    result = figures(ba)
    assert result["cadres_meeting_hours"] == 0.5
    assert result["members_meeting_hours"] == 1.0
    settings.DANGJIAN_TRAINING_CADRE_HOURS = 55
    assert figures(ba)["cadres_meeting_hours"] == 1.0


def test_it_keeps_a_cadre_covered_after_a_change_of_post_mid_cycle(world, settings):
    settings.DANGJIAN_TRAINING_CYCLE_START = D(2018, 1, 1)  # cycles 2024-01-01..2026-12-31
    ba, bb, county = world.orgs["ba"], world.orgs["bb"], world.orgs["county"]
    a1, b1 = world.members["a1"], world.members["b1"]
    seat(ba, a1, start=D(2023, 1, 1), end=D(2025, 3, 1))
    attend(session(county, on=D(2024, 5, 1), kind="rotation"), a1, "32")
    member_services.update_member(CLI, a1, org=bb, transfer_on=D(2025, 3, 1))
    seat(bb, a1, start=D(2025, 3, 1))
    seat(bb, b1, start=D(2020, 1, 1), title="propaganda")
    attend(session(county, on=D(2023, 12, 31), kind="rotation"), b1, "32")  # last cycle
    result = figures(county, as_of=D(2025, 12, 31), period=(D(2025, 1, 1), D(2025, 12, 31)))
    assert result["rotation_coverage"] == 0.5
    assert figures(bb, as_of=D(2025, 12, 31))["rotation_coverage"] == 0.5
    assert figures(ba, as_of=D(2025, 12, 31))["rotation_coverage"] == 0.0  # nobody seated
    assert rules.cycle_of(D(2024, 1, 1)) == (D(2024, 1, 1), D(2026, 12, 31))
    assert rules.cycle_of(D(2023, 12, 31)) == (D(2021, 1, 1), D(2023, 12, 31))
    assert rules.cycle_of(D(2017, 12, 31)) == (D(2015, 1, 1), D(2017, 12, 31))


@pytest.fixture
def candidate(world):
    ba = world.orgs["ba"]
    old = full_members(ba, 4)
    recruit = new_recruit(ba)
    return advance(recruit, old[:1], old[1:3], stop_before="training")


@pytest.mark.parametrize(("second", "met"), [("8", True), ("7.5", False)])
def test_it_feeds_party_school_hours_to_the_pipeline_rule_at_exactly_24(
    world, candidate, second, met
):
    assert candidate.stage == Stage.CANDIDATE
    ba = world.orgs["ba"]
    school = session(ba, on=D(2024, 4, 10), hours="16", kind="party_school")
    services.record_attendance(CLI, school, recruits=[candidate])
    later = session(ba, on=D(2024, 4, 20), hours="8", kind="party_school")
    services.record_attendance(CLI, later, recruits=[candidate], hours=Decimal(second))
    steps = list(candidate.steps.filter(key="training"))
    assert sorted(step.hours for step in steps) == sorted([Decimal(16), Decimal(second)])
    hours, days = R.training_totals(candidate.steps.all())
    assert R.training_met(R.RuleBook.load().on(D(2024, 5, 1)), hours, days) is met


def test_it_takes_party_school_hours_back_from_the_pipeline(world, candidate):
    school = session(world.orgs["ba"], on=D(2024, 4, 10), hours="24", kind="party_school")
    (entry,) = services.record_attendance(CLI, school, recruits=[candidate])
    services.delete_attendance(CLI, entry)
    assert not candidate.steps.filter(key="training").exists()


def test_it_refuses_recruits_outside_the_party_school(world, candidate):
    with pytest.raises(ValidationError) as caught:
        services.record_attendance(CLI, session(world.orgs["ba"]), recruits=[candidate])
    assert "业余党校" in str(caught.value)


def test_it_refuses_hours_beyond_the_session_and_the_same_person_twice(world):
    winter = session(world.orgs["ba"], hours="8")
    with pytest.raises(ValidationError):
        attend(winter, world.members["a1"], "8.5")
    attend(winter, world.members["a1"], "8")
    with pytest.raises(ValidationError) as caught:
        attend(winter, world.members["a1"], "8")
    assert "已登记过" in str(caught.value)
    with pytest.raises(ValidationError):
        imported(winter, world.members["a1"], "8")


def test_it_keeps_attendance_to_the_secretary_s_subtree(world):
    winter = session(world.orgs["ba"])
    with pytest.raises(NotInScope):
        services.record_attendance(world.users["secretary_b"], winter, [world.members["b1"]])
    with pytest.raises(ValidationError) as caught:
        services.record_attendance(world.users["secretary_a"], winter, [world.members["b1"]])
    assert "不在您的管理范围内" in str(caught.value)
    with pytest.raises(ValidationError):
        services.record_attendance_batch(
            world.users["secretary_a"],
            [services.AttendanceRow(winter.pk, world.members["b1"].pk, Decimal(1))],
            note="导入",
        )


def test_it_shows_a_member_their_own_attendance_only(world, login):
    winter = session(world.orgs["ba"])
    attend(winter, world.members["a1"], "4")
    attend(winter, world.members["a2"], "4")
    client = login(world, "member")
    names = [row["name"] for row in client.get(reverse("api-attendance-list")).json()["results"]]
    assert names == ["张三"]
    assert client.get(reverse("training-hours")).status_code == 404
    assert login(world, "secretary_a").get(reverse("training-hours")).status_code == 200


def test_it_reports_hours_per_person_and_branch_with_an_export(world, login):
    winter = session(world.orgs["ba"], on=D(2024, 3, 1))
    attend(winter, world.members["a1"], "40")
    client = login(world, "county_admin")
    page = client.get(reverse("training-hours") + "?org=T-BA&year=2024")
    rows = {row["name"]: row for row in page.context["rows"]}
    assert rows["张三"]["met"] is True and rows["李四"]["short"] == 32
    assert client.get(reverse("training-hours") + "?org=T-BX").status_code == 404
    export = client.get(reverse("training-hours") + "?org=T-BA&year=2024&export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_lists_shortfalls_in_the_last_quarter_only(world):
    secretary = world.users["secretary_a"]
    attend(session(world.orgs["ba"], on=D(2026, 3, 1)), world.members["a1"], "32")
    assert shortfall_todo(secretary, D(2026, 9, 30)) == []
    items = shortfall_todo(secretary, D(2026, 10, 1))
    assert [item.org_path for item in items] == [world.orgs["ba"].path]
    assert "2名党员" in items[0].text  # 李四 and 王五; 张三 has 32


def test_it_gives_the_me_card_this_year_s_hours_against_the_target(world):
    today = dt.date.today()
    a1 = world.members["a1"]
    request = RequestFactory().get("/me/")
    card = views.me_card(request, a1)
    assert card["hours"] == 0 and card["target"] == 32 and card["cadre"] is False
    attend(session(world.orgs["ba"], on=today), a1, "20")
    seat(world.orgs["ba"], a1)
    card = views.me_card(request, a1)
    assert (card["hours"], card["target"], card["short"], card["met"]) == (20, 56, 36, False)
    assert card["rotated"] is False and [s.hours for s in card["sessions"]] == [20]
    assert Attendance.objects.filter(member=a1).count() == 1
    html = render_to_string("training/me_card.html", card)
    assert "20 / 56 学时" in html and "尚缺 36 学时" in html and "尚未参加" in html


def _xlsx(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.core.excel import Sheet, write_workbook

    content = write_workbook([Sheet(title="参训", headers=["姓名", "学时"], rows=rows)])
    return SimpleUploadedFile("参训.xlsx", content)


def test_it_imports_attendance_from_excel_reporting_every_bad_row(world, login):
    winter = session(world.orgs["ba"], hours="16")
    client = login(world, "secretary_a")
    url = reverse("training-import", args=[winter.pk])
    answer = client.post(url, {"upload": _xlsx([["张三", 16], ["赵六", 8], ["李四", 20]])})
    errors = [str(p) for p in answer.context["problems"]]  # the register kit's import page
    assert any("第3行" in e and "赵六" in e for e in errors)  # bb's member: not in ba
    assert any("第4行" in e and "不超过本期学时" in e for e in errors)
    assert not Attendance.objects.filter(training=winter).exists()
    answer = client.post(url, {"upload": _xlsx([["张三", 16], ["李四", None]])})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("training-detail", args=[winter.pk])
    hours = dict(Attendance.objects.filter(training=winter).values_list("member__name", "hours"))
    assert hours == {"张三": Decimal(16), "李四": Decimal(16)}


def test_the_import_lists_every_kind_of_bad_row_and_offers_its_template(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.core.excel import Sheet, write_workbook
    from dangjian.training.excel import ATTENDANCE_TEMPLATE

    ba = world.orgs["ba"]
    twin = add_member(ba, "张三")  # a second 张三 in ba: the ID suffix tells them apart
    winter = session(ba, hours="16")
    attend(winter, world.members["a2"], "8")
    client = login(world, "secretary_a")
    url = reverse("training-import", args=[winter.pk])
    download = client.get(url + "?template=1")
    assert download.status_code == 200 and download["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    headers = ["姓名", "身份证号后4位", "学时"]
    rows = [
        ["张三", None, 4],  # 2: two 张三
        ["李四", None, 4],  # 3: already recorded
        [None, None, 4],  # 4: no name
        ["王五", None, "四"],  # 5: not a number
        ["王五", None, 2],  # 6: fine
        ["王五", None, 2],  # 7: twice in the file
    ]
    content = write_workbook([Sheet(title="参训", headers=headers, rows=rows)])
    answer = client.post(url, {"upload": SimpleUploadedFile("参训.xlsx", content)})
    problems = {p.row: str(p) for p in answer.context["problems"]}
    assert set(problems) == {2, 3, 4, 5, 7}
    assert "请填写身份证号后4位" in problems[2] and "已登记过" in problems[3]
    assert "不能为空" in problems[4] and "应为数字" in problems[5] and "已登记过" in problems[7]
    assert list(Attendance.objects.filter(training=winter).values_list("member", flat=True)) == [
        world.members["a2"].pk
    ]
    suffix = twin.id_suffix
    content = write_workbook(
        [Sheet(title="参训", headers=headers, rows=[["张三", suffix, 4], ["王五", None, None]])]
    )
    answer = client.post(url, {"upload": SimpleUploadedFile("参训.xlsx", content)})
    assert answer.status_code == 302
    hours = dict(Attendance.objects.filter(training=winter).values_list("member", "hours"))
    assert hours == {
        world.members["a2"].pk: Decimal(8),
        twin.pk: Decimal(4),
        world.members["a3"].pk: Decimal(16),
    }
    assert ATTENDANCE_TEMPLATE.headers == headers


def test_the_session_form_says_where_courses_come_from_when_there_are_none(world, login):
    """A branch with no course in its scope is told to add one first, not shown an empty
    choice; once there is one, the hint goes."""
    client = login(world, "secretary_a")
    url = reverse("training-create")
    assert "请先在“培训课程”中新增课程" in client.get(url).content.decode()
    session(world.orgs["ba"])
    assert "请先在“培训课程”中新增课程" not in client.get(url).content.decode()
