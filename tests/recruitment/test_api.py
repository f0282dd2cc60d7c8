"""REST API of the pipeline: list and detail within scope, a new applicant, and recording a
step with the same checks as the pages (a refusal names the rule and the earliest date)."""

import pytest
from django.urls import reverse
from personas import add_user

from tests.recruitment.helpers import D, advance, api_talk, applicant_data, new_recruit


@pytest.fixture
def ours(world):
    return new_recruit(world.orgs["ba"], name="甲校申请人")


@pytest.fixture
def theirs(world):
    return new_recruit(world.orgs["bb"], name="乙校申请人")


def test_it_lists_only_the_callers_people_with_masked_ids(world, login, ours, theirs):
    client = login(world, "secretary_a")
    body = client.get(reverse("api-recruit-list")).json()
    assert [row["name"] for row in body["results"]] == ["甲校申请人"]
    row = body["results"][0]
    assert row["id_number"] == ours.masked_id and "*" in row["id_number"]
    assert row["stage"] == "applicant" and row["org"] == "T-BA"
    county = login(world, "county_admin").get(reverse("api-recruit-list"), {"org": "T-BB"})
    assert [row["name"] for row in county.json()["results"]] == ["乙校申请人"]


def test_it_shows_the_steps_in_the_detail(world, login, ours):
    client = login(world, "secretary_a")
    body = client.get(reverse("api-recruit-detail", args=[ours.pk])).json()
    assert [s["key"] for s in body["steps"]] == ["application"]
    assert body["steps"][0]["name"] == "(1) 递交入党申请书"
    assert body["steps"][0]["rule_set"] == "2014"


def test_it_records_a_step_and_refuses_one_too_early(world, login, ours):
    client = login(world, "secretary_a")
    url = reverse("api-recruit-steps", args=[ours.pk])
    created = client.post(url, {"key": "talk", "on": "2023-01-20"}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["key"] == "talk"
    client.post(
        url,
        {"key": "activist", "on": "2023-03-01", "method": "league"},
        content_type="application/json",
    )
    client.post(
        url, {"key": "activist_filing", "on": "2023-03-05"}, content_type="application/json"
    )
    contacts = client.post(
        url,
        {"key": "contacts", "on": "2023-03-06", "members": [world.members["a1"].pk]},
        content_type="application/json",
    )
    assert contacts.status_code == 201
    early = client.post(
        url, {"key": "candidate", "on": "2024-02-29"}, content_type="application/json"
    )
    assert early.status_code == 400
    assert "确定为发展对象须经一年以上培养教育考察，最早可于2024-03-01确定" in early.json()["on"][0]


def test_it_records_a_vote(world, login):
    pair = [world.members["a1"], world.members["a2"]]
    recruit = advance(new_recruit(world.orgs["ba"]), pair, pair)
    client = login(world, "secretary_a")
    response = client.post(
        reverse("api-recruit-steps", args=[recruit.pk]),
        {
            "key": "branch_meeting",
            "on": "2024-06-03",
            "ballots": [{"member": m.pk, "attended": True, "choice": "yes"} for m in pair],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["present"], response.json()["yes"]) == (2, 2)
    assert response.json()["outcome"] == "passed"


def test_it_creates_an_applicant(world, login):
    client = login(world, "secretary_a")
    response = client.post(
        reverse("api-recruit-list"),
        applicant_data(
            "新申请人", D(2000, 1, 2), "T-BA", "2026-03-01", sex="female", work_unit="S-A"
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["next_due_on"] == "2026-04-01"
    outside = client.post(
        reverse("api-recruit-list"),
        applicant_data("越权", D(2000, 1, 3), "T-BB", "2026-03-01", sex="female"),
        content_type="application/json",
    )
    assert outside.status_code == 400 and "org" in outside.json()


def test_it_answers_403_to_a_viewer_who_may_not_record(world, client, ours):
    viewer = add_user("viewer_a", world.orgs["ba"], "viewer", full_name="查看")
    client.force_login(viewer)
    assert client.get(reverse("api-recruit-detail", args=[ours.pk])).status_code == 200
    assert api_talk(client, ours).status_code == 403
    assert not ours.steps.filter(key="talk").exists()


def test_it_refuses_anonymous_callers(client, ours):
    assert client.get(reverse("api-recruit-list")).status_code == 401


def test_it_records_a_failed_vote_with_an_observer(world, login):
    pair = [world.members["a1"], world.members["a2"]]
    recruit = advance(new_recruit(world.orgs["ba"]), pair, pair)
    client = login(world, "secretary_a")
    ballots = [
        {"member": pair[0].pk, "attended": True, "choice": "yes"},
        {"member": pair[1].pk, "attended": True, "choice": "no"},
        {"member": world.members["a3"].pk, "attended": True},  # 预备党员: 列席
    ]
    response = client.post(
        reverse("api-recruit-steps", args=[recruit.pk]),
        {"key": "branch_meeting", "on": "2024-06-03", "ballots": ballots},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["present"], body["yes"], body["observers"]) == (2, 1, 1)
    assert body["outcome"] == "failed"
    assert body["outcome_reason"] == (
        "赞成票须超过应到会有表决权人数的半数: 赞成1票, 应到会2人, 至少须2票"
    )
    later = login(world, "county_admin").post(  # the 上级党委 records the talk
        reverse("api-recruit-steps", args=[recruit.pk]),
        {"key": "committee_talk", "on": "2024-06-10"},
        content_type="application/json",
    )
    assert later.status_code == 400
    assert "支部大会表决未通过(第15步, 2024-06-03: " in str(later.json())
