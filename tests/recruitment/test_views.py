"""The pages: the board per branch and per committee, a person's record and printable
timeline, the step forms (the 支部大会 vote with its ballots), attachments, settings."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.recruitment.models import Attachment, Recruit, RecruitmentSettings, Sanction, Stage
from dangjian.stats.engine import statistics
from tests.recruitment.helpers import D, advance, applicant_data, new_recruit, step


def meeting_form(*ballots) -> dict:
    """The 支部大会 step form of 2024-06-03 with one ballot formset row a voter."""
    data = {
        "key": "branch_meeting",
        "on": "2024-06-03",
        "ballot-TOTAL_FORMS": str(len(ballots)),
        "ballot-INITIAL_FORMS": str(len(ballots)),
    }
    for index, ballot in enumerate(ballots):
        data.update({f"ballot-{index}-{name}": value for name, value in ballot.items()})
    return data


def post_applicant(client, world, name, birth, applied_on, **extra):
    """The applicant form of 甲小学党支部, as its secretary fills it in."""
    data = applicant_data(name, birth, world.orgs["ba"].pk, applied_on, ethnicity="汉族", **extra)
    return client.post(reverse("recruit-create"), data)


@pytest.fixture
def secretary(world, login):
    return login(world, "secretary_a")


def test_it_shows_the_board_with_stages_due_dates_and_overdue_rows(world, secretary):
    late = new_recruit(world.orgs["ba"], D(2026, 9, 1), name="逾期谈话")
    new_recruit(world.orgs["ba"], D(2026, 11, 10), name="按期谈话")
    page = secretary.get(reverse("recruit-board"))
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert "逾期谈话" in html and "按期谈话" in html
    assert 'class="table-danger"' in html and "2026-10-01" in html
    assert "有 1 人的办理期限已逾期" in html
    overdue = secretary.get(reverse("recruit-board"), {"due": "overdue"}).content.decode()
    assert "逾期谈话" in overdue and "按期谈话" not in overdue
    found = secretary.get(reverse("recruit-board"), {"q": "yqth"}).content.decode()
    assert "逾期谈话" in found and "按期谈话" not in found
    assert late.next_due_kind == "talk"


def test_it_shows_a_committee_board_for_its_subtree(world, login):
    new_recruit(world.orgs["ba"], name="甲校")
    new_recruit(world.orgs["bx"], name="戊校")
    client = login(world, "city_admin")
    html = client.get(reverse("recruit-org-board", args=[world.orgs["county"].pk])).content.decode()
    assert "甲校" in html and "戊校" not in html
    assert reverse("recruit-settings", args=[world.orgs["county"].pk]) in html


def test_it_shows_an_empty_board(world, secretary):
    assert "还没有发展党员记录" in secretary.get(reverse("recruit-board")).content.decode()


def test_it_registers_an_applicant_through_the_form(world, secretary):
    work_unit = world.schools["a"].pk
    response = post_applicant(
        secretary, world, "表单申请人", D(2001, 2, 3), "2026-10-08", work_unit=work_unit
    )
    recruit = Recruit.objects.get(name="表单申请人")
    assert response.status_code == 302 and response.url == reverse(
        "recruit-detail", args=[recruit.pk]
    )
    assert recruit.stage == Stage.APPLICANT and recruit.next_due_on == D(2026, 11, 8)


def test_it_shows_the_rule_and_the_earliest_date_on_the_form(world, secretary):
    response = post_applicant(
        secretary,
        world,
        "未成年",
        D(2009, 12, 1),
        "2026-11-01",
        education="high_school",
        person_type="student",
    )
    assert response.status_code == 200
    assert "最早可于2027-12-01递交" in response.content.decode()


def test_it_records_a_step_through_the_form(world, secretary):
    recruit = new_recruit(world.orgs["ba"], D(2026, 10, 1))
    chooser = secretary.get(reverse("recruit-step", args=[recruit.pk]))
    assert "?key=talk" in chooser.content.decode()
    form = secretary.get(reverse("recruit-step", args=[recruit.pk]), {"key": "talk"})
    assert "谈话人" in form.content.decode()
    response = secretary.post(
        reverse("recruit-step", args=[recruit.pk]),
        {"key": "talk", "on": "2026-10-09", "by": "组织委员", "note": "谈话情况良好"},
    )
    assert response.status_code == 302
    assert recruit.steps.get(key="talk").by == "组织委员"
    detail = secretary.get(reverse("recruit-detail", args=[recruit.pk])).content.decode()
    assert "(2) 党组织派人谈话" in detail and "谈话情况良好" in detail


def test_it_keeps_the_committee_steps_out_of_the_secretarys_choice(world, secretary):
    pair = [world.members["a1"], world.members["a2"]]
    recruit = advance(new_recruit(world.orgs["ba"]), pair, pair, stop_before="pre_review")
    html = secretary.get(reverse("recruit-step", args=[recruit.pk])).content.decode()
    assert "key=pre_review" not in html


def test_it_records_the_branch_meeting_with_ballots(world, secretary):
    pair = [world.members["a1"], world.members["a2"]]
    recruit = advance(new_recruit(world.orgs["ba"]), pair, pair)
    url = reverse("recruit-step", args=[recruit.pk])
    page = secretary.get(url, {"key": "branch_meeting", "on": "2024-06-03"})
    html = page.content.decode()
    assert "张三" in html and "李四" in html
    assert "预备党员, 列席" in html  # 王五 may attend, without a vote
    data = meeting_form(
        {"member": pair[0].pk, "should_attend": "on", "attended": "on", "choice": "yes"},
        {"member": pair[1].pk, "should_attend": "on", "choice": ""},
    )
    refused = secretary.post(url, data)
    assert refused.status_code == 200
    assert "应到会2人, 实到会1人, 不能进行表决" in refused.content.decode()
    data.update({"ballot-1-attended": "on", "ballot-1-choice": "yes"})
    assert secretary.post(url, data).status_code == 302
    meeting = recruit.steps.get(key="branch_meeting")
    assert (meeting.present, meeting.yes, meeting.outcome) == (2, 2, "passed")


def test_it_prints_the_timeline(world, secretary):
    pair = [world.members["a1"], world.members["a2"]]
    recruit = advance(new_recruit(world.orgs["ba"], name="时间轴"), pair, pair)
    html = secretary.get(reverse("recruit-timeline", args=[recruit.pk])).content.decode()
    assert "时间轴同志发展党员过程记录" in html
    assert "(25) 材料归档" in html and "发展对象公示" in html
    assert "2024-05-13" in html and "公示 2024-05-13 至 2024-05-17" in html
    assert "data-print" in html and "<script>" not in html


def test_it_closes_a_pipeline(world, secretary):
    recruit = new_recruit(world.orgs["ba"], D(2026, 10, 1))
    response = secretary.post(
        reverse("recruit-close", args=[recruit.pk]),
        {"on": "2026-11-01", "reason": "withdrew", "note": "本人申请"},
    )
    assert response.status_code == 302
    recruit.refresh_from_db()
    assert recruit.stage == Stage.CLOSED


def test_it_uploads_and_downloads_an_attachment(world, secretary, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    recruit = new_recruit(world.orgs["ba"])
    upload = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = secretary.post(
        reverse("recruit-attachment-add", args=[recruit.pk]),
        {"title": "入党申请书", "upload": upload},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(recruit=recruit)
    download = secretary.get(reverse("recruit-attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    other = login(world, "secretary_b")
    assert other.get(reverse("recruit-attachment", args=[attachment.pk])).status_code == 404
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    refused = login(world, "secretary_a").post(
        reverse("recruit-attachment-add", args=[recruit.pk]), {"title": "程序", "upload": bad}
    )
    assert refused.status_code == 200 and "只能上传" in refused.content.decode()


def test_it_edits_the_local_settings_of_an_org(world, login):
    client = login(world, "county_admin")
    url = reverse("recruit-settings", args=[world.orgs["county"].pk])
    form = client.get(url)
    assert 'value="5"' in form.content.decode()
    data = {
        "publicity_working_days": 7,
        "league_max_age": 28,
        "political_review_valid_months": 12,
        "meeting_after_pre_review_months": 1,
        "young_teacher_max_age": 35,
        "reminder_days": 30,
    }
    assert client.post(url, data).status_code == 302
    assert RecruitmentSettings.objects.get(org=world.orgs["county"]).publicity_working_days == 7
    assert login(world, "secretary_a").get(url).status_code == 404


def test_it_applies_a_committees_publicity_setting_to_its_branches(world, login):
    from dangjian.core.context import CLI
    from dangjian.recruitment import services

    services.save_settings(CLI, world.orgs["county"], publicity_working_days=7)
    pair = [world.members["a1"], world.members["a2"]]
    recruit = advance(new_recruit(world.orgs["ba"]), pair, pair, stop_before="publicity")
    # Seven working days from Monday 2024-05-13 end on Tuesday 2024-05-21.
    assert step(recruit, "publicity", D(2024, 5, 13)).end_on == D(2024, 5, 21)


def test_it_records_a_sanction(world, secretary):
    response = secretary.post(
        reverse("recruit-sanction-create"),
        {"member": world.members["a1"].pk, "kind": "probation", "start_on": "2026-01-05"},
    )
    assert response.status_code == 302
    assert Sanction.objects.get().member == world.members["a1"]
    assert "张三" in secretary.get(reverse("recruit-sanctions")).content.decode()


def test_it_shows_rules_and_source_figures(world, secretary):
    new_recruit(world.orgs["ba"], D(2026, 3, 1), name="青年教师", birth=D(1995, 1, 1))
    rules = secretary.get(reverse("recruit-rules")).content.decode()
    assert (
        "中国共产党发展党员工作细则(2014年)" in rules
        and "确定为发展对象须经一年以上培养教育考察" in rules
    )
    sources = secretary.get(reverse("recruit-sources"), {"year": "2026"}).content.decode()
    assert "35周岁及以下青年教师" in sources


def test_the_meeting_form_records_a_probationary_member_as_present_without_a_vote(world, secretary):
    pair = [world.members["a1"], world.members["a2"]]
    recruit = advance(new_recruit(world.orgs["ba"]), pair, pair)
    url = reverse("recruit-step", args=[recruit.pk])
    data = meeting_form(
        {"member": pair[0].pk, "should_attend": "on", "attended": "on", "choice": "yes"},
        {"member": pair[1].pk, "should_attend": "on", "attended": "on", "choice": "no"},
        {"member": world.members["a3"].pk, "attended": "on"},
    )
    response = secretary.post(url, data, follow=True)
    meeting = recruit.steps.get(key="branch_meeting")
    assert (meeting.present, meeting.yes, meeting.observers) == (2, 1, 1)
    assert meeting.outcome == "failed"
    html = response.content.decode()
    assert "表决未通过: 赞成票须超过应到会有表决权人数的半数: 赞成1票, 应到会2人, 至少须2票" in html
    assert "列席 1 人(无表决权)" in html


def test_the_board_names_the_engines_probationary_figure_as_the_dashboard_does(world, login):
    """王五 of the world is a 预备党员 who never came through the pipeline: the board's stage
    card (Recruit rows) counts 0 of them, the engine 1. The figure named 预备党员 on both
    pages is the engine's; the stage card says it counts only the pipeline."""
    client = login(world, "city_admin")
    today = timezone.localdate()
    engine = statistics(world.orgs["city"], today)["members"]["预备党员"]
    assert engine >= 1
    assert not Recruit.objects.filter(stage=Stage.PROBATIONARY).exists()
    board = client.get(reverse("recruit-board")).content.decode()
    card = re.search(r'id="probationary-members".*?fs-4[^>]*>(\d+)<', board, re.S)
    assert card and int(card.group(1)) == engine
    assert "经发展程序的预备党员" in board
    dashboard = client.get(reverse("stats-dashboard"))
    rows = {row["label"]: row["now"] for row in dashboard.context["comparison"]}
    assert rows["预备党员"] == engine
    # A committee's board: the figure of the engine for that subtree.
    county = world.orgs["county"]
    page = client.get(reverse("recruit-org-board", args=[county.pk])).content.decode()
    card = re.search(r'id="probationary-members".*?fs-4[^>]*>(\d+)<', page, re.S)
    assert int(card.group(1)) == statistics(county, today)["members"]["预备党员"]
