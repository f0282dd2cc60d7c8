"""党小组 membership: dated spells (one group of the member's branch at a date), the 党小组会
of a group expecting the group's members of its day, the group's meeting counting for its
branch's slot, and the pages that assign members."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from personas import add_org

from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry
from dangjian.life import rules, services
from dangjian.life.models import GroupMembership
from tests.life.helpers import D, meeting


@pytest.fixture
def groups(world):
    ba = world.orgs["ba"]
    return (
        add_org(ba, "T-BA-G1", "甲小学第一党小组", "group"),
        add_org(ba, "T-BA-G2", "甲小学第二党小组", "group"),
    )


def roster(meeting_):
    return set(meeting_.attendances.values_list("member__name", flat=True))


def test_a_group_meeting_expects_the_groups_members_not_the_whole_branch(world, groups):
    g1, _g2 = groups
    for key in ("a1", "a2"):
        services.assign_to_group(CLI, member=world.members[key], group=g1, start_on=D(2025, 1, 1))
    held = meeting(g1, "group", D(2025, 3, 5))
    assert roster(held) == {"张三", "李四"}
    assert held.expected_count == 2
    # The branch's own meetings still expect the whole branch.
    assert roster(meeting(world.orgs["ba"], "general", D(2025, 3, 6))) == {"张三", "李四", "王五"}


def test_it_keeps_the_history_of_a_move_between_groups(world, groups):
    g1, g2 = groups
    a1, a2 = world.members["a1"], world.members["a2"]
    services.assign_to_group(CLI, member=a1, group=g1, start_on=D(2025, 1, 1))
    services.assign_to_group(CLI, member=a2, group=g1, start_on=D(2025, 1, 1))
    moved = services.assign_to_group(CLI, member=a2, group=g2, start_on=D(2025, 6, 1))
    # One group at a date: the earlier spell ends the day the new one starts, and stays.
    old = GroupMembership.objects.get(member=a2, group=g1)
    assert old.end_on == D(2025, 6, 1) and moved.end_on is None
    # A meeting entered later for a day before the move still expects her in g1.
    assert roster(meeting(g1, "group", D(2025, 5, 31))) == {"张三", "李四"}
    assert roster(meeting(g1, "group", D(2025, 6, 1))) == {"张三"}
    assert roster(meeting(g2, "group", D(2025, 6, 2))) == {"李四"}
    assert AuditEntry.objects.filter(
        object_repr__contains="李四", changes__has_key="end_on"
    ).exists()


def test_it_refuses_a_member_of_another_branch_an_earlier_date_and_the_same_group(world, groups):
    g1, _g2 = groups
    with pytest.raises(ValidationError) as caught:
        services.assign_to_group(CLI, member=world.members["b1"], group=g1, start_on=D(2025, 1, 1))
    assert "不是甲小学党支部的党员" in str(caught.value)
    a1 = world.members["a1"]
    services.assign_to_group(CLI, member=a1, group=g1, start_on=D(2025, 3, 1))
    with pytest.raises(ValidationError) as caught:
        services.assign_to_group(CLI, member=a1, group=_g2, start_on=D(2025, 2, 1))
    assert "请选择更晚的日期" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.assign_to_group(CLI, member=a1, group=g1, start_on=D(2025, 4, 1))
    assert "已在甲小学第一党小组" in str(caught.value)
    with pytest.raises(ValidationError):
        services.assign_to_group(
            CLI, member=a1, group=world.orgs["bb"], start_on=D(2025, 4, 1)
        )  # a branch is not a group


def test_leaving_a_group_ends_the_spell(world, groups):
    g1, _g2 = groups
    spell = services.assign_to_group(
        CLI, member=world.members["a1"], group=g1, start_on=D(2025, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.leave_group(CLI, spell, end_on=D(2025, 1, 1))
    services.leave_group(CLI, spell, end_on=D(2025, 2, 1))
    assert roster(meeting(g1, "group", D(2025, 1, 31))) == {"张三"}
    assert roster(meeting(g1, "group", D(2025, 2, 1))) == set()


def test_a_groups_meeting_holds_its_branchs_slot(world, groups, login):
    g1, _g2 = groups
    ba = world.orgs["ba"]
    meeting(g1, "group", D(2025, 4, 30))
    result = rules.compliance(
        ba.path, D(2025, 4, 1), D(2025, 4, 30), D(2025, 12, 31), kinds=["group"], cells=True
    )
    assert [(b["pk"], state) for b, _s, state in result.cells] == [(ba.pk, rules.HELD)]
    # The drill-down lists the group's meeting under the branch.
    page = reverse("life-compliance-cell", args=[ba.pk]) + "?month=2025-04"
    html = login(world, "secretary_a").get(page).content.decode()
    assert "甲小学第一党小组group2025-04-30" in html


def test_the_pages_assign_a_member_and_end_the_spell(world, login, groups):
    g1, _g2 = groups
    client = login(world, "secretary_a")
    form = client.get(reverse("groupmember-create") + "?group=T-BA-G1")
    assert form.status_code == 200
    html = form.content.decode()
    assert "张三" in html and "赵六" not in html
    response = client.post(
        reverse("groupmember-create") + "?group=T-BA-G1",
        {"group": g1.pk, "member": world.members["a1"].pk, "start_on": "2025-01-01"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    spell = GroupMembership.objects.get(member=world.members["a1"])
    assert spell.group == g1
    listing = client.get(reverse("groupmember-list")).content.decode()
    assert "甲小学第一党小组" in listing and "张三" in listing
    response = client.post(reverse("groupmember-edit", args=[spell.pk]), {"end_on": "2025-03-01"})
    assert response.status_code == 302
    spell.refresh_from_db()
    assert spell.end_on == D(2025, 3, 1)
    # Another branch's secretary neither sees nor changes it.
    other = login(world, "secretary_b")
    assert other.get(reverse("groupmember-detail", args=[spell.pk])).status_code == 404
    assert other.get(reverse("groupmember-edit", args=[spell.pk])).status_code == 404
