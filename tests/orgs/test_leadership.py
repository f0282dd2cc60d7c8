"""学校领导班子 (缺额 against the standard seats, party-member share, the appointments of a
period) and 阵地建设 (党员活动室 against the standards list)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.core.context import CLI
from dangjian.orgs import elections
from dangjian.orgs.models import ActivityRoom, SchoolLeader


def appoint(school, title, name, start, *, party=True, how="appointment", end=None):
    return elections.save_leader(
        CLI,
        SchoolLeader(
            school=school,
            title=title,
            holder_name=name,
            party_member=party,
            selected_by=how,
            start_on=start,
            end_on=end,
        ),
    )


def test_it_flags_vacancies_against_the_standard_and_shows_the_party_share(world, login, settings):
    settings.DANGJIAN_SCHOOL_LEADERSHIP = {"secretary": 1, "principal": 1, "vice_principal": 2}
    a = world.schools["a"]
    appoint(a, "principal", "甲校长", dt.date(2015, 9, 1), party=False)
    appoint(a, "vice_principal", "甲副校长", dt.date(2015, 9, 1))
    appoint(a, "secretary", "前书记", dt.date(2012, 9, 1), end=dt.date(2020, 9, 1))
    client = login(world, "secretary_a")
    response = client.get(reverse("school-leadership"))
    [row] = response.context["rows"]
    assert row["school"] == a
    assert [(str(label), n) for label, n in row["vacancies"]] == [
        ("党组织书记", 1),
        ("副校长", 1),
    ]
    assert row["party_pct"] == 50
    assert response.context["totals"] == {"total": 2, "party": 1}
    assert "占 50%" in response.content.decode()


def test_it_counts_the_appointments_of_a_period_from_the_records(world, login):
    a, b, x = world.schools["a"], world.schools["b"], world.schools["x"]
    appoint(a, "secretary", "甲书记", dt.date(2010, 3, 1))
    appoint(b, "vice_principal", "乙副校长", dt.date(2010, 12, 31), how="open_competition")
    appoint(
        b, "vice_principal", "非党副校长", dt.date(2010, 6, 1), party=False, how="open_competition"
    )
    appoint(x, "principal", "戊校长", dt.date(2011, 1, 1))
    client = login(world, "city_admin")
    url = reverse("school-leadership")
    changes = client.get(url, {"from": 2009, "to": 2010}).context["changes"]
    assert changes == {"secretaries": 1, "open_vice": 1, "adjusted": 2}
    changes = client.get(url, {"from": 2010, "to": 2011}).context["changes"]
    assert changes["adjusted"] == 3
    # One county's schools only.
    changes = client.get(url, {"from": 2009, "to": 2011, "org": "T-COUNTY2"}).context["changes"]
    assert changes == {"secretaries": 0, "open_vice": 0, "adjusted": 1}
    # An org outside the viewer's scope lists nothing.
    client = login(world, "secretary_a")
    response = client.get(url, {"org": "T-COUNTY2"})
    assert response.context["rows"] == []


def test_it_refuses_an_end_before_the_start_in_chinese(world):
    with pytest.raises(ValidationError, match="离任日期不能早于任职日期"):
        appoint(world.schools["a"], "principal", "某", dt.date(2020, 1, 1), end=dt.date(2019, 1, 1))


def test_it_checks_rooms_against_the_standards_list(world, login, settings):
    settings.DANGJIAN_ACTIVITY_ROOM_STANDARDS = (("place", "有固定场所"), ("flag", "有党旗"))
    a, b = world.schools["a"], world.schools["b"]
    full = elections.save_room(
        CLI, ActivityRoom(school=a, checked_on=dt.date(2025, 1, 1), items_met=["place", "flag"])
    )
    part = elections.save_room(
        CLI, ActivityRoom(school=b, checked_on=dt.date(2025, 1, 1), items_met=["place"])
    )
    with pytest.raises(ValidationError, match="未知的达标项目"):
        elections.save_room(
            CLI, ActivityRoom(school=a, checked_on=dt.date(2025, 1, 1), items_met=["tv"])
        )
    client = login(world, "county_admin")
    url = reverse("activity-room-list")
    response = client.get(url)
    assert (response.context["room_total"], response.context["room_compliant"]) == (2, 1)
    assert "有党旗" in response.content.decode()
    assert [r.pk for r in client.get(url, {"compliant": "yes"}).context["rows"]] == [full.pk]
    assert [r.pk for r in client.get(url, {"compliant": "no"}).context["rows"]] == [part.pk]
    # A new list item leaves the room that met the old list short of it.
    settings.DANGJIAN_ACTIVITY_ROOM_STANDARDS += (("books", "有学习资料"),)
    assert client.get(url).context["room_compliant"] == 0


def test_it_lists_elections_awaiting_approval_on_the_todo_list(world):
    from dangjian.core.registers import todo_items

    election = elections.create_election(
        CLI,
        org=world.orgs["ba"],
        formed_by="election",
        committee=False,
        seats=1,
        held_on=dt.date(2025, 5, 1),
    )
    items = [
        i
        for i in todo_items(world.users["secretary_a"], dt.date(2025, 6, 1))
        if i.kind == "election-approval"
    ]
    assert [i.url for i in items] == [reverse("election-detail", args=[election.pk])]
    others = todo_items(world.users["secretary_b"], dt.date(2025, 6, 1))
    assert not any(i.kind == "election-approval" for i in others)
