"""示例市 through the pipeline: its 192 members admitted in 2009-2010 each came through the
25 steps (counted back by the `development` statistics), every demo pipeline passes the
rules when replayed step by step, and today's pipeline is alive (some deadlines missed)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dangjian.members.choices import EventKind
from dangjian.members.models import Member, MemberEvent
from dangjian.orgs.models import Organization
from dangjian.recruitment import rules as R
from dangjian.recruitment.models import Recruit, Stage
from dangjian.recruitment.stats import development_section
from dangjian.recruitment.todo import todo_items
from tests.recruitment.replay import replay

CAMPAIGN = (dt.date(2009, 1, 1), dt.date(2010, 12, 31))


@dataclass(frozen=True)
class Scope:
    path: str
    as_of: dt.date
    period: tuple


def test_it_admits_the_seed_speechs_192_through_the_pipeline(city, demo_output):
    figures = development_section(Scope(city.path, CAMPAIGN[1], CAMPAIGN), {})["development"]
    assert figures["admitted"] == 192
    assert "发展党员记录" in demo_output


def test_it_matches_every_campaign_member_with_a_pipeline(city):
    joined = MemberEvent.objects.filter(
        kind=EventKind.JOINED, on__gte=CAMPAIGN[0], on__lte=CAMPAIGN[1]
    ).values_list("member_id", flat=True)
    members = {m.pk: m for m in Member.objects.filter(pk__in=joined)}
    assert len(members) == 192
    recruits = Recruit.objects.filter(member_id__in=members)
    assert recruits.count() == 192
    for recruit in recruits:
        member = members[recruit.member_id]
        assert recruit.admitted_on == member.joined_on
        assert recruit.converted_on == member.converted_on
        assert recruit.id_number == member.id_number
        assert recruit.steps.filter(key="branch_meeting", on=member.joined_on).exists()


def test_it_writes_pipelines_that_pass_the_rules(city):
    book, local = R.RuleBook.load(), R.default_local()
    converted = dict(Member.objects.values_list("pk", "converted_on"))

    def full_on(pk, day):
        return converted.get(pk) is not None and converted[pk] <= day

    problems = []
    for recruit in Recruit.objects.prefetch_related("steps__people"):
        problems += replay(recruit, book, local, full_on)
    assert problems == []


def test_it_has_a_live_pipeline_with_missed_deadlines(city):
    today = timezone.localdate()
    figures = development_section(Scope(city.path, today, (today, today)), {})["development"]
    assert figures["入党申请人"] > 0 and figures["入党积极分子"] > 0 and figures["发展对象"] > 0
    assert Recruit.objects.open().filter(next_due_on__lt=today).exists()
    assert Recruit.objects.filter(stage=Stage.PROBATIONARY).exists()


def test_it_gives_the_demo_branch_people_at_every_early_stage(city):
    branch = Organization.objects.get(name="示例区第三中学党支部")
    stages = set(Recruit.objects.filter(org=branch).values_list("stage", flat=True))
    assert {Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE} <= stages
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="branch")
    items = todo_items(user, timezone.localdate())
    assert any(item.level == "danger" and "派人谈话" in item.text for item in items)
    assert all(item.url.startswith("/recruitment/") for item in items)
