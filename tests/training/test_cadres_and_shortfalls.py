"""Who is a cadre: the seat's link to the member record on the day asked, never the name;
and the 待办 shortfall rule as one aggregate query giving the figures `rules.people` gives."""

import datetime as dt

from django.test import RequestFactory
from personas import add_member

from dangjian.core.context import CLI
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Position
from dangjian.training import rules, views
from dangjian.training.registers import shortfall_todo
from tests.training.test_training import attend, figures, seat, session

D = dt.date


def test_a_seat_typed_by_name_only_makes_no_one_a_cadre(world):
    ba, a1 = world.orgs["ba"], world.members["a1"]
    org_services.save_position(
        CLI, Position(org=ba, title="secretary", holder_name=a1.name, start_on=D(2020, 1, 1))
    )
    attend(session(ba), a1, "40")
    people = {
        p.member_id: p
        for p in rules.subtree_people(ba.path, D(2024, 12, 31), (D(2024, 1, 1), D(2024, 12, 31)))
    }
    assert people[a1.pk].cadre is False
    assert figures(ba)["cadres_meeting_hours"] == 0.0
    assert rules.is_cadre(a1, D(2024, 12, 31)) is False


def test_it_tells_two_members_of_one_name_apart_by_the_link(world):
    ba, a1 = world.orgs["ba"], world.members["a1"]
    namesake = add_member(ba, "张三", joined=D(2010, 7, 1))
    seat(ba, namesake)
    winter = session(ba)
    attend(winter, a1, "40")
    attend(winter, namesake, "56")
    people = {
        p.member_id: p
        for p in rules.subtree_people(ba.path, D(2024, 12, 31), (D(2024, 1, 1), D(2024, 12, 31)))
    }
    assert (people[a1.pk].cadre, people[namesake.pk].cadre) == (False, True)
    assert figures(ba)["cadres_meeting_hours"] == 1.0
    assert rules.is_cadre(a1, D(2024, 12, 31)) is False


def test_a_branch_member_on_the_general_branch_committee_is_a_cadre(world):
    gb, b1 = world.orgs["gb"], world.members["b1"]
    seat(gb, b1, title="organisation")
    attend(session(world.orgs["bb"]), b1, "50")
    assert figures(world.orgs["bb"])["cadres_meeting_hours"] == 0.0  # one cadre, short of 56
    today = dt.date.today()
    card = views.me_card(RequestFactory().get("/me/"), b1)
    assert card["cadre"] is True and card["target"] == 56 and today >= D(2020, 1, 1)


def test_the_ratio_takes_the_seats_held_on_the_day_asked(world):
    ba, a1, a2 = world.orgs["ba"], world.members["a1"], world.members["a2"]
    seat(ba, a1, start=D(2009, 6, 1), end=D(2012, 6, 1))
    seat(ba, a2, start=D(2012, 6, 1))
    for year in (2011, 2012, 2024):
        winter = session(ba, on=D(year, 3, 1))
        attend(winter, a1, "56")
        attend(winter, a2, "40")
    then = figures(ba, as_of=D(2011, 12, 31), period=(D(2011, 1, 1), D(2011, 12, 31)))
    assert then["cadres_meeting_hours"] == 1.0  # a1 held the seat then
    now = figures(ba)
    assert now["cadres_meeting_hours"] == 0.0  # a2 holds it now, with 40 of 56
    assert rules.is_cadre(a1, D(2011, 12, 31)) and not rules.is_cadre(a1, D(2024, 12, 31))


# -- the shortfall rule ---------------------------------------------------------------------


def _from_people(user_paths, today):
    """The rule's figures the long way: every person loaded, `Person.meets` for the year."""
    year = range(today.year, today.year + 1)
    short = {}
    for path in user_paths:
        for person in rules.subtree_people(path, today, (D(today.year, 1, 1), today)):
            if person.meets(year) is False:
                short[person.org_id] = short.get(person.org_id, 0) + 1
    return short


def test_the_shortfall_rule_gives_what_the_people_give(world, login):
    ba, bb, gb, m = world.orgs["ba"], world.orgs["bb"], world.orgs["gb"], world.members
    today = D(2026, 11, 2)
    seat(ba, m["a1"])  # a cadre: 40 is short of 56
    seat(gb, m["b1"], title="propaganda")  # a cadre on the 总支 committee, 56: met
    org_services.save_position(  # by name only: 李四 is held to 32, and meets it
        CLI, Position(org=ba, title="organisation", holder_name="李四", start_on=D(2020, 1, 1))
    )
    autumn, december = session(ba, on=D(2026, 3, 1)), session(bb, on=D(2026, 11, 20))
    attend(autumn, m["a1"], "40")
    attend(autumn, m["a2"], "20")
    attend(december, m["a2"], "12")  # 32 in the year, a session still to come counts
    attend(autumn, m["b1"], "56")
    attend(autumn, m["b2"], "31.5")
    add_member(bb, "新党员", joined=D(2026, 2, 1), converted=None)  # joined this year
    items = shortfall_todo(world.users["county_admin"], today)
    got = {item.org_path: int(item.text.split("有")[1].split("名")[0]) for item in items}
    expected = _from_people([world.orgs["county"].path], today)
    paths = {world.orgs[k].pk: world.orgs[k].path for k in ("ba", "bb", "jb")}
    assert got == {paths[org_id]: n for org_id, n in expected.items()}
    # 张三 (a cadre) and 王五; 钱七 and 孙八 (赵六 sits on the 总支 committee with 56); 周九, 吴十
    assert got == {ba.path: 2, bb.path: 2, world.orgs["jb"].path: 2}
    # The hours report (the page the item links to) lists the same people as short.
    client = login(world, "county_admin")
    for item in items:
        page = client.get(item.url)
        assert len(page.context["rows"]) == got[item.org_path], item.url
    attend(december, m["a3"], "32")
    items = shortfall_todo(world.users["county_admin"], today)
    assert [item.org_path for item in items] == [bb.path, world.orgs["jb"].path, ba.path]


def _grow(org, n):
    for i in range(n):
        add_member(org, f"党员{i}", joined=D(2015, 1, 1), converted=D(2016, 1, 1))


def test_the_shortfall_rule_takes_as_many_queries_for_many_people_as_for_few(
    world, django_assert_max_num_queries
):
    county_admin, ba = world.users["county_admin"], world.orgs["ba"]
    today = D(2026, 10, 15)
    shortfall_todo(county_admin, today)  # the user's scope, cached like on every page

    def count(size):
        _grow(ba, size)
        for member in ba.members.all()[:3]:
            seat(ba, member, title="member")
        with django_assert_max_num_queries(2) as queries:
            items = shortfall_todo(county_admin, today)
        assert items
        return len(queries)

    few = count(3)
    many = count(60)
    assert few == many
