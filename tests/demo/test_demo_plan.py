"""The plan of 示例市 before anything is written: seeded, and blind to today's date up to the
seed's reporting day, so the 2010 report is the same whenever the demo is loaded."""

import datetime as dt

from dangjian.demo.city import SEED
from dangjian.demo.history import Plan
from dangjian.demo.structure import SEED_DAY, build_city


def until_2010(today: dt.date):
    plan = Plan(build_city(SEED), today, SEED)
    persons = list(plan.plan_until_2010())
    plan.plan_after_2010()
    members = [
        (p.id_number, p.name, p.org.code, p.school and p.school.code, p.person_type)
        + (p.joined_on, p.converted_on, p.moved_in_on, p.education, p.ethnicity)
        for p in persons
    ]
    leavings = [(e.on, e.person.id_number, e.leaving) for e in plan.leavings_until_2010]
    later = [e for e in plan.events if e.on <= SEED_DAY]
    schools = [(s.code, s.name, s.teachers, s.unit and s.unit.code) for s in plan.city.schools]
    return members, leavings, later, schools


def test_it_plans_the_years_until_2010_the_same_whatever_today_is():
    first = until_2010(dt.date(2026, 11, 24))
    assert first == until_2010(dt.date(2031, 3, 1))
    assert first[2] == []  # nothing after the report changes what it counted
    assert len(first[0]) > 4000


def test_it_lets_the_later_history_reach_today():
    today = dt.date(2031, 3, 1)
    plan = Plan(build_city(SEED), today, SEED)
    plan.plan_until_2010()
    new = plan.plan_after_2010()
    assert max(p.joined_on for p in new) <= today
    assert max(p.joined_on for p in new).year == 2031
    assert max(e.on for e in plan.events) <= today
    assert all(p.joined_on > SEED_DAY for p in new)
