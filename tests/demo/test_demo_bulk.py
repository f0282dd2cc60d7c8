"""members.services.bulk_create_members, the demo loader's fast path: the checks of
create_member for every row, all-or-nothing, history rows and one audit row per batch."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from personas import member_row

from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry
from dangjian.members import services
from dangjian.members.models import Member, MemberEvent, Membership
from dangjian.members.services import bulk_create_members


def test_it_creates_members_with_their_history_and_one_audit_row(world):
    ba, bb = world.orgs["ba"], world.orgs["bb"]
    audits = AuditEntry.objects.count()
    created = bulk_create_members(
        CLI,
        [
            member_row(ba, "马文静", dt.date(1990, 3, 4), 501, sex="female", ethnicity="回族"),
            member_row(bb, "刘建国", dt.date(1988, 7, 9), 502, converted_on=None),
            member_row(
                bb,
                "周立新",
                dt.date(1992, 1, 2),
                503,
                joined_on=dt.date(2013, 5, 1),
                converted_on=dt.date(2014, 5, 1),
                moved_in_on=dt.date(2015, 8, 25),
            ),
        ],
        audit_note="测试批量导入",
    )
    assert [m.pk is not None for m in created] == [True, True, True]
    wen, jian, li = (Member.objects.get(pk=m.pk) for m in created)
    assert wen.name_pinyin == "mawenjing" and wen.birth_date == dt.date(1990, 3, 4)
    assert [e.kind for e in wen.events.all()] == ["joined", "converted"]
    assert [e.kind for e in jian.events.all()] == ["joined"]
    assert [(e.kind, e.on) for e in li.events.all()] == [
        ("converted", dt.date(2014, 5, 1)),
        ("moved_in", dt.date(2015, 8, 25)),
    ]
    assert Membership.objects.get(member=li).start_on == dt.date(2015, 8, 25)
    assert Membership.objects.get(member=wen).org == ba
    assert AuditEntry.objects.count() == audits + 1
    entry = AuditEntry.objects.first()
    assert entry.action == AuditAction.IMPORT and entry.actor_name == "cli"
    assert entry.changes == {"count": [None, 3], "note": [None, "测试批量导入"]}
    # Both branches hang under the 学区 党总支: the audit row sits there.
    assert entry.org_path == world.orgs["gb"].path


@pytest.mark.parametrize("copy_rows", [None, 1], ids=["bulk_create", "copy"])
def test_it_writes_nothing_and_names_every_bad_row(world, monkeypatch, copy_rows):
    """On PostgreSQL's COPY path the good first row is already sent when the bad ones are
    found: the batch is rolled back all the same."""
    if copy_rows:
        monkeypatch.setattr(services, "COPY_MIN_ROWS", copy_rows)
        monkeypatch.setattr(services, "STREAM_BATCH", 1)  # rounds of one or two members
    ba = world.orgs["ba"]
    taken = world.members["a1"].id_number
    members, events, audits = (
        Member.objects.count(),
        MemberEvent.objects.count(),
        AuditEntry.objects.count(),
    )
    spells = Membership.objects.count()
    rows = [
        member_row(ba, "好人", dt.date(1990, 1, 1), 601),
        member_row(ba, "少年", dt.date(2000, 1, 1), 602),  # 15 when joining
        {**member_row(ba, "重号", dt.date(1990, 1, 1), 603), "id_number": taken},
        member_row(world.orgs["gb"], "总支", dt.date(1991, 1, 1), 604),  # not a branch
        member_row(ba, "同号", dt.date(1990, 1, 1), 601),  # same number as row 1
        member_row(ba, "早转", dt.date(1990, 1, 1), 605, moved_in_on=dt.date(2014, 1, 1)),
    ]
    with pytest.raises(ValidationError) as caught:
        bulk_create_members(CLI, rows, audit_note="坏数据")
    messages = caught.value.messages
    assert [m.split(" ")[0] for m in messages] == ["第2条", "第3条", "第4条", "第5条", "第6条"]
    assert "入党时须年满18岁" in messages[0]
    assert "已存在" in messages[1]
    assert "党员只能编入" in messages[2]
    assert "重复" in messages[3]
    assert "转入日期不能早于入党日期" in messages[4]
    assert (
        Member.objects.count(),
        MemberEvent.objects.count(),
        Membership.objects.count() - spells,
        AuditEntry.objects.count(),
    ) == (members, events, 0, audits)


def test_it_refuses_orgs_outside_the_actors_scope(world):
    secretary = world.users["secretary_a"]
    rows = [
        member_row(world.orgs["ba"], "本支部", dt.date(1990, 1, 1), 701),
        member_row(world.orgs["bb"], "外支部", dt.date(1990, 1, 1), 702),
    ]
    with pytest.raises(ValidationError) as caught:
        bulk_create_members(secretary, rows, audit_note="越权")
    assert caught.value.messages == ["第2条 所在党组织: 所在党组织不在您的管理范围内"]
    created = bulk_create_members(secretary, rows[:1], audit_note="本支部")
    assert Member.objects.get(pk=created[0].pk).org == world.orgs["ba"]
