"""组织关系转接 inside the system: counted at the old org up to the day before acceptance and
at the new one from it, never both, never neither; returned transfers change nothing; a
whole branch moves at once; stuck ones are on both sides' 待办; everyone concerned is told."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.core.context import CLI
from dangjian.core.models import Notification
from dangjian.core.registers import todo_items
from dangjian.core.scope import NotInScope
from dangjian.members import lifecycle
from dangjian.members.models import Member, MemberEvent, Membership, Transfer
from dangjian.stats.engine import statistics


def members_at(org, day) -> int:
    return statistics(org, day, live=True)["members"]["total"]


def move(member, to_org, on, actor=CLI):
    transfer = lifecycle.request_transfer(actor, member, to_org=to_org, on=on)
    lifecycle.approve_transfer(actor, transfer, on=on)
    return lifecycle.accept_transfer(actor, transfer, on=on)


@pytest.mark.parametrize("on", [dt.date(2025, 1, 31), dt.date(2025, 2, 1)])
def test_it_counts_a_transfer_once_on_each_date_at_a_month_boundary(world, on):
    o = world.orgs
    a1 = world.members["a1"]
    days = [on - dt.timedelta(days=1), on, on + dt.timedelta(days=1)]
    before = {day: (members_at(o["ba"], day), members_at(o["bb"], day)) for day in days}
    city = {day: members_at(o["city"], day) for day in days}
    move(a1, o["bb"], on)
    day_before, _day, _after = days
    assert members_at(o["ba"], day_before) == before[day_before][0]
    assert members_at(o["bb"], day_before) == before[day_before][1]
    for day in days[1:]:
        # Counted at the new org from the accepted date, and no longer at the old one.
        assert members_at(o["ba"], day) == before[day][0] - 1
        assert members_at(o["bb"], day) == before[day][1] + 1
    for day in days:
        assert members_at(o["city"], day) == city[day]  # nothing lost, nothing twice
    spells = list(Membership.objects.filter(member=a1).order_by("start_on"))
    assert [(s.org_id, s.end_on) for s in spells] == [(o["ba"].pk, on), (o["bb"].pk, None)]
    event = MemberEvent.objects.get(member=a1, kind="transferred")
    assert (event.on, event.from_org_id, event.org_id) == (on, o["ba"].pk, o["bb"].pk)
    changes = statistics(o["ba"], on, (on, on), live=True)["changes"]
    assert changes["moved_out"] == 1


def test_it_leaves_a_returned_transfer_member_where_they_were(world):
    o, a2 = world.orgs, world.members["a2"]
    today = dt.date.today()
    before = (members_at(o["ba"], today), members_at(o["bb"], today))
    spells = list(Membership.objects.filter(member=a2).values_list("org_id", "start_on", "end_on"))
    transfer = lifecycle.request_transfer(CLI, a2, to_org=o["bb"])
    lifecycle.approve_transfer(CLI, transfer)
    with pytest.raises(ValidationError):
        lifecycle.return_transfer(CLI, transfer, reason="  ")
    lifecycle.return_transfer(CLI, transfer, reason="接收方无此人员编制")
    transfer.refresh_from_db()
    a2.refresh_from_db()
    assert transfer.status == "returned" and transfer.return_reason == "接收方无此人员编制"
    assert a2.org == o["ba"] and a2.status == "active"
    assert (
        list(Membership.objects.filter(member=a2).values_list("org_id", "start_on", "end_on"))
        == spells
    )
    assert not MemberEvent.objects.filter(member=a2, kind="transferred").exists()
    assert (members_at(o["ba"], today), members_at(o["bb"], today)) == before
    with pytest.raises(ValidationError):
        lifecycle.accept_transfer(CLI, transfer)


def test_it_takes_the_steps_in_order_and_by_the_right_side(world):
    o, w = world.orgs, world
    a1 = w.members["a1"]
    # The member asks on their own; the branch secretary cannot approve (the 总支 level does).
    transfer = lifecycle.request_transfer(w.users["member"], a1, to_org=o["bb"])
    assert transfer.by_member and transfer.status == "requested"
    with pytest.raises(NotInScope):
        lifecycle.approve_transfer(w.users["secretary_a"], transfer)
    with pytest.raises(ValidationError):
        lifecycle.accept_transfer(w.users["secretary_b"], transfer)  # not approved yet
    lifecycle.approve_transfer(w.users["county_admin"], transfer)
    with pytest.raises(NotInScope):
        lifecycle.accept_transfer(w.users["secretary_a"], transfer)  # the sender cannot accept
    lifecycle.accept_transfer(w.users["secretary_b"], transfer)
    transfer.refresh_from_db()
    assert transfer.status == "accepted" and transfer.receipt_no.startswith("HZ")
    assert Member.objects.get(pk=a1.pk).org == o["bb"]
    # A second open transfer of the same member is refused, as is one to the same org.
    with pytest.raises(ValidationError):
        lifecycle.request_transfer(CLI, a1, to_org=o["bb"])


def test_it_sets_the_approving_level(world, settings):
    settings.DANGJIAN_TRANSFER_APPROVE_LEVELS_UP = 0
    transfer = lifecycle.request_transfer(CLI, world.members["a1"], to_org=world.orgs["bb"])
    assert lifecycle.approving_org(world.orgs["ba"]) == world.orgs["ba"]
    lifecycle.approve_transfer(world.users["secretary_a"], transfer)
    assert Transfer.objects.get(pk=transfer.pk).status == "approved"


def test_it_refuses_acceptance_before_approval_or_in_the_future(world):
    transfer = lifecycle.request_transfer(
        CLI, world.members["a1"], to_org=world.orgs["bb"], on=dt.date(2025, 3, 10)
    )
    with pytest.raises(ValidationError):
        lifecycle.approve_transfer(CLI, transfer, on=dt.date(2025, 3, 9))
    lifecycle.approve_transfer(CLI, transfer, on=dt.date(2025, 3, 12))
    with pytest.raises(ValidationError):
        lifecycle.accept_transfer(CLI, transfer, on=dt.date(2025, 3, 11))
    with pytest.raises(ValidationError):
        lifecycle.accept_transfer(CLI, transfer, on=dt.date.today() + dt.timedelta(days=1))


def test_it_moves_a_whole_branch_at_once(world):
    o = world.orgs
    on = dt.date(2025, 9, 1)
    moving = set(Member.objects.filter(org=o["ba"], status="active").values_list("pk", flat=True))
    before_ba = members_at(o["ba"], on)
    before_bb = members_at(o["bb"], on)
    city = members_at(o["city"], on)
    with pytest.raises(NotInScope):
        lifecycle.transfer_branch(world.users["secretary_a"], o["ba"], o["bb"], on=on)
    done = lifecycle.transfer_branch(
        world.users["county_admin"], o["ba"], o["bb"], on=on, reason="两校合并"
    )
    assert {t.member_id for t in done} == moving and len({t.batch for t in done}) == 1
    assert all(t.status == "accepted" and t.accepted_on == on for t in done)
    assert members_at(o["ba"], on) == 0
    assert members_at(o["bb"], on) == before_bb + before_ba
    assert members_at(o["ba"], on - dt.timedelta(days=1)) == before_ba
    assert members_at(o["city"], on) == city
    assert Transfer.objects.filter(batch=done[0].batch).count() == len(moving)


def test_it_puts_a_stuck_transfer_on_both_sides_todo(world):
    o, w = world.orgs, world
    today = dt.date.today()
    requested = today.replace(day=1) - dt.timedelta(days=120)
    transfer = lifecycle.request_transfer(CLI, w.members["a1"], to_org=o["bx"], on=requested)
    sending = [i for i in todo_items(w.users["secretary_a"], today) if i.kind == "transfer-stuck"]
    assert [i.url for i in sending] == [reverse("transfer-detail", args=[transfer.pk])]
    # The receiving side: the other county's admin has no user in the world; make one.
    from personas import add_user

    receiver = add_user("rx", o["county2"], "organiser")
    receiving = [i for i in todo_items(receiver, today) if i.kind == "transfer-stuck"]
    assert len(receiving) == 1
    # Not yet stuck the day before the set time.
    fresh = lifecycle.request_transfer(
        CLI,
        w.members["b1"],
        to_org=o["bx"],
        on=lifecycle.stuck_before(today) + dt.timedelta(days=1),
    )
    assert fresh.pk not in {
        int(i.url.rstrip("/").split("/")[-1])
        for i in todo_items(receiver, today)
        if i.kind == "transfer-stuck"
    }


def test_it_notifies_the_people_concerned(world, login):
    w = world
    transfer = lifecycle.request_transfer(w.users["member"], w.members["a1"], to_org=w.orgs["bb"])
    # The approvers: the county admin holds the nearest writing role above the 总支.
    assert Notification.objects.filter(user=w.users["county_admin"]).count() == 1
    lifecycle.approve_transfer(w.users["county_admin"], transfer)
    assert Notification.objects.filter(user=w.users["secretary_b"]).count() == 1
    lifecycle.accept_transfer(w.users["secretary_b"], transfer)
    assert Notification.objects.filter(user=w.users["secretary_a"]).count() == 1
    assert Notification.objects.filter(user=w.users["member"]).count() == 2
    page = login(w, "secretary_b").get(reverse("home")).content.decode()
    assert "text-bg-warning" in page and reverse("notification-list") in page


def test_it_runs_the_steps_from_the_pages(world, login):
    w, o = world, world.orgs
    client = login(w, "secretary_a")
    response = client.post(
        reverse("transfer-create"),
        {"member": w.members["a2"].pk, "to_org": "T-BB", "reason": "调动"},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get(member=w.members["a2"])
    detail = reverse("transfer-detail", args=[transfer.pk])
    assert "审批同意转出" not in client.get(detail).content.decode()
    county = login(w, "county_admin")
    assert "审批同意转出" in county.get(detail).content.decode()
    county.post(
        reverse("transfer-approve", args=[transfer.pk]), {"on": dt.date.today().isoformat()}
    )
    other = login(w, "secretary_b")
    assert other.get(reverse("transfer-accept", args=[transfer.pk])).status_code == 200
    other.post(reverse("transfer-accept", args=[transfer.pk]), {"on": dt.date.today().isoformat()})
    assert Member.objects.get(pk=w.members["a2"].pk).org == o["bb"]
    api = other.get(reverse("api-transfer-list")).json()
    assert [row["status"] for row in api["results"]] == ["accepted"]
