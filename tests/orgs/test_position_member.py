"""A 班子 seat links to its holder's member record: set by the seat form and the service,
by the approval of an election (from the candidates), and, for the seats already there, by
the migration's name match where it names one member only."""

import datetime as dt
import importlib

from django.apps import apps
from django.urls import reverse
from personas import add_member, add_org

from dangjian.core.context import CLI
from dangjian.orgs import services
from dangjian.orgs.models import Position
from tests.orgs.test_elections import HELD, ballot, branch, new_election, rows_of  # noqa: F401
from tests.orgs.test_positions import POSITION_FORM

link_by_name = importlib.import_module("dangjian.orgs.migrations.0004_position_member").link_by_name


def test_it_links_the_seat_chosen_on_the_form_and_fills_in_the_name(world, login):
    ba, a2 = world.orgs["ba"], world.members["a2"]
    client = login(world, "secretary_a")
    url = reverse("position-create", args=[ba.pk])
    form = client.get(url).context["form"]
    assert a2 in form.fields["member"].queryset
    assert world.members["b1"] not in form.fields["member"].queryset  # another branch
    response = client.post(url, dict(POSITION_FORM, holder_name="", member=a2.pk))
    assert response.status_code == 302
    position = Position.objects.get(org=ba)
    assert (position.member, position.holder_name) == (a2, "李四")


def test_it_refuses_a_name_other_than_the_chosen_member_s_and_a_seat_with_neither(world, login):
    ba, a2 = world.orgs["ba"], world.members["a2"]
    client = login(world, "secretary_a")
    url = reverse("position-create", args=[ba.pk])
    response = client.post(url, dict(POSITION_FORM, holder_name="张三", member=a2.pk))
    assert response.status_code == 200
    assert "姓名与所选党员不一致" in response.content.decode()
    response = client.post(url, dict(POSITION_FORM, holder_name=""))
    assert "请选择党员或填写姓名" in response.content.decode()
    assert not Position.objects.filter(org=ba).exists()


def test_it_keeps_a_seat_typed_by_name_unlinked(world, login):
    client = login(world, "secretary_a")
    response = client.post(reverse("position-create", args=[world.orgs["ba"].pk]), POSITION_FORM)
    assert response.status_code == 302
    assert Position.objects.get(org=world.orgs["ba"]).member is None


def test_it_links_the_elected_to_their_member_records_on_approval(branch):  # noqa: F811
    from dangjian.orgs import elections

    election = new_election(branch, seats=5)
    ballot(election, rows_of(branch.voters[:6], [9, 9, 9, 9, 9, 1]))
    elections.approve_election(CLI, election, approved_on=dt.date(2025, 3, 20))
    seats = Position.objects.filter(org=branch).current(HELD)
    assert {(p.holder_name, p.member_id) for p in seats} == {
        (m.name, m.pk) for m in branch.voters[:5]
    }


def _unlinked(org, name):
    return Position.objects.create(org=org, title="secretary", holder_name=name)


def test_the_migration_links_existing_seats_by_name_where_one_member_answers(world):
    ba, bb, gb = world.orgs["ba"], world.orgs["bb"], world.orgs["gb"]
    in_org = _unlinked(ba, "张三")
    twice = _unlinked(bb, "同名")
    add_member(bb, "同名")
    add_member(bb, "同名")
    in_branch = _unlinked(gb, "赵六")  # a 党总支's committee sits in its branches
    nobody = _unlinked(ba, "无此人")
    moved = _unlinked(ba, "孙八")  # 孙八 of 乙中学 was once in 甲小学: a spell there
    from dangjian.members import services as member_services

    member_services.update_member(CLI, world.members["b3"], org=ba, transfer_on=dt.date(2020, 1, 1))
    member_services.update_member(CLI, world.members["b3"], org=bb, transfer_on=dt.date(2022, 1, 1))
    also_in_gb = add_org(gb, "T-GB2", "第二支部", "branch")
    add_member(also_in_gb, "张三")  # a second 张三 under the 总支 does not trouble 甲小学's
    link_by_name(apps, None)
    found = {p.pk: p.member_id for p in Position.objects.all()}
    assert found[in_org.pk] == world.members["a1"].pk
    assert found[twice.pk] is None
    assert found[in_branch.pk] == world.members["b1"].pk
    assert found[nobody.pk] is None
    assert found[moved.pk] == world.members["b3"].pk


def test_the_service_fills_the_name_from_the_member(world):
    seat = services.save_position(
        CLI, Position(org=world.orgs["ba"], title="secretary", member=world.members["a1"])
    )
    assert seat.holder_name == "张三"
