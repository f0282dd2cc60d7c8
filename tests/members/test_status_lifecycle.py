"""介绍信 across systems, 流动党员 and 党籍 decisions: each counted exactly as of its date."""

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from personas import make_id

from dangjian.core.context import CLI
from dangjian.members import lifecycle
from dangjian.members.models import Member, MemberEvent
from dangjian.stats.engine import statistics


def members_at(org, day) -> int:
    return statistics(org, day, live=True)["members"]["total"]


def test_it_suspends_at_six_months_lost_contact_to_the_day(world):
    ba, a1 = world.orgs["ba"], world.members["a1"]
    lost = dt.date(2025, 1, 31)
    assert lifecycle.suspend_earliest(lost) == dt.date(2025, 7, 31)
    with pytest.raises(ValidationError) as refused:
        lifecycle.decide(CLI, a1, kind="suspended", on=dt.date(2025, 7, 30), lost_since=lost)
    assert "失去联系满6个月" in str(refused.value)
    before = members_at(ba, dt.date(2025, 7, 30))
    decision = lifecycle.decide(
        CLI,
        a1,
        kind="suspended",
        on=dt.date(2025, 7, 31),
        lost_since=lost,
        document_no="党发[2025]1号",
    )
    assert decision.lost_since == lost
    assert Member.objects.get(pk=a1.pk).status == "suspended"
    assert members_at(ba, dt.date(2025, 7, 30)) == before
    assert members_at(ba, dt.date(2025, 7, 31)) == before - 1
    changes = statistics(
        ba, dt.date(2025, 7, 31), (dt.date(2025, 7, 31), dt.date(2025, 7, 31)), live=True
    )
    assert changes["changes"]["left"] == 1


def test_it_restores_within_two_years_only(world):
    ba, a1, a2 = world.orgs["ba"], world.members["a1"], world.members["a2"]
    lifecycle.decide(
        CLI, a1, kind="suspended", on=dt.date(2023, 1, 10), lost_since=dt.date(2022, 6, 1)
    )
    with pytest.raises(ValidationError):
        lifecycle.decide(CLI, a1, kind="restored", on=dt.date(2025, 1, 11))
    lifecycle.decide(
        CLI, a2, kind="suspended", on=dt.date(2024, 3, 1), lost_since=dt.date(2023, 8, 1)
    )
    lifecycle.decide(CLI, a2, kind="restored", on=dt.date(2025, 1, 15))
    assert Member.objects.get(pk=a2.pk).status == "active"
    assert members_at(ba, dt.date(2025, 1, 14)) == members_at(ba, dt.date(2025, 1, 15)) - 1
    # Two years on, still unreachable: 除名 without counting the member as leaving twice.
    lifecycle.decide(CLI, a1, kind="lapsed", on=dt.date(2025, 1, 11))
    assert Member.objects.get(pk=a1.pk).status == "lapsed"
    assert MemberEvent.objects.filter(member=a1, kind__in=["suspended", "lapsed"]).count() == 1


@pytest.mark.parametrize("kind", ["lapsed", "expelled", "deceased"])
def test_it_records_leaving_decisions_as_dated_events(world, kind):
    bb, b1 = world.orgs["bb"], world.members["b1"]
    on = dt.date(2025, 4, 30)
    before = members_at(bb, on)
    lifecycle.decide(CLI, b1, kind=kind, on=on, reason="支部大会决定")
    assert MemberEvent.objects.get(member=b1, kind=kind).on == on
    assert members_at(bb, on - dt.timedelta(days=1)) == before
    assert members_at(bb, on) == before - 1


def test_it_issues_an_outgoing_letter_and_voids_an_unused_one(world, login):
    bb, b1, b2 = world.orgs["bb"], world.members["b1"], world.members["b2"]
    on = dt.date(2025, 6, 1)
    before = members_at(bb, on)
    letter = lifecycle.issue_letter(
        CLI, b1, number="JS-001", other_org_name="某省某中学党支部", issued_on=on
    )
    assert letter.valid_until == dt.date(2025, 9, 1)
    assert members_at(bb, on) == before - 1 and members_at(bb, on - dt.timedelta(days=1)) == before
    with pytest.raises(ValidationError):
        lifecycle.issue_letter(CLI, b2, number="JS-001", other_org_name="x", issued_on=on)
    response = login(world, "secretary_b").get(reverse("letter-print", args=[letter.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "中国共产党党员组织关系介绍信" in text and "回执" in text and "JS-001" in text
    assert "某省某中学党支部" in text and b1.masked_id in text  # no reveal right: the mask
    lifecycle.confirm_receipt(CLI, letter, on=dt.date(2025, 6, 20))
    letter.refresh_from_db()
    assert letter.status == "receipted"
    unused = lifecycle.issue_letter(CLI, b2, number="JS-002", other_org_name="外县", issued_on=on)
    lifecycle.void_letter(CLI, unused)
    assert Member.objects.get(pk=b2.pk).status == "active"
    assert members_at(bb, on) == before - 1  # only b1 left, b2 never did


def test_it_brings_a_member_in_with_an_incoming_letter(world):
    ba = world.orgs["ba"]
    received = dt.date(2025, 10, 8)
    before = members_at(ba, received)
    letter = lifecycle.receive_letter(
        CLI,
        number="WS-9",
        other_org_name="邻省某小学党支部",
        issued_on=dt.date(2025, 10, 1),
        valid_until=None,
        received_on=received,
        org=ba,
        member_fields={
            "name": "转入者",
            "sex": "female",
            "ethnicity": "汉族",
            "id_number": make_id(dt.date(1990, 1, 1), 901, "female"),
            "education": "bachelor",
            "person_type": "teacher",
            "joined_on": dt.date(2015, 7, 1),
            "converted_on": dt.date(2016, 7, 1),
        },
    )
    assert letter.member.status == "active" and letter.receipt_on == received
    assert members_at(ba, received) == before + 1
    assert members_at(ba, received - dt.timedelta(days=1)) == before


def test_it_keeps_a_flowing_member_counted_where_they_belong(world, settings):
    a1, ba = world.members["a1"], world.orgs["ba"]
    today = dt.date.today()
    before = members_at(ba, today)
    with pytest.raises(ValidationError):
        lifecycle.register_flowing(
            CLI,
            a1,
            out_on=dt.date(2025, 1, 31),
            expected_back_on=dt.date(2025, 7, 30),
            destination="深圳",
        )
    flowing = lifecycle.register_flowing(
        CLI,
        a1,
        out_on=dt.date(2025, 1, 31),
        expected_back_on=dt.date(2025, 7, 31),
        destination="深圳市南山区",
        card_no="LD-1",
        card_issued_on=dt.date(2025, 2, 1),
    )
    lifecycle.report_flowing(
        world.users["member"], flowing, on=dt.date(2025, 3, 1), content="参加流入地党支部主题党日"
    )
    assert flowing.reports.count() == 1
    assert members_at(ba, today) == before
