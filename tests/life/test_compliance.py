"""Compliance with the dated frequency rules, at its boundaries: a month whose meeting falls
on its last day, a month without one, a branch founded in the middle of a quarter, a rule
changed from a date, and the `life` statistics built from the same slots."""

import datetime as dt

import pytest
from personas import add_org

from dangjian.life import rules, services
from dangjian.life.models import FrequencyRule
from dangjian.life.stats import life_section
from dangjian.orgs.models import Organization
from dangjian.stats.engine import make_scope
from tests.life.helpers import D, meeting, rules_changed_midyear


def one_kind(path, kind, start, end, as_of):
    return rules.compliance(path, start, end, as_of, kinds=[kind], cells=True)


@pytest.mark.django_db
def test_it_loads_the_default_frequencies():
    found = {r.kind: r.frequency for r in FrequencyRule.objects.all()}
    assert found == {
        "committee": "monthly",
        "group": "monthly",
        "theme_day": "monthly",
        "general": "quarterly",
        "lecture": "quarterly",
        "life": "yearly",
        "review": "yearly",
        "talk": "yearly",
    }


def test_it_counts_a_meeting_on_the_last_day_of_its_month(world):
    ba = world.orgs["ba"]
    meeting(ba, "committee", D(2025, 4, 30))
    april = one_kind(ba.path, "committee", D(2025, 4, 1), D(2025, 4, 30), D(2025, 12, 31))
    assert (april.required, april.held) == (1, 1)
    # The first day of the next month belongs to May, which stays unheld.
    meeting(ba, "committee", D(2025, 6, 1))
    may = one_kind(ba.path, "committee", D(2025, 5, 1), D(2025, 5, 31), D(2025, 12, 31))
    assert (may.required, may.held) == (1, 0)
    assert [state for _b, _s, state in may.cells] == [rules.MISSING]


def test_it_keeps_a_missing_month_not_yet_due_until_its_last_day_passed(world):
    ba = world.orgs["ba"]
    cells = one_kind(ba.path, "committee", D(2025, 4, 1), D(2025, 4, 30), D(2025, 4, 30)).cells
    assert [state for _b, _s, state in cells] == [rules.OPEN]
    # Required once its last day is reached (the statistics as of that day count it).
    due = one_kind(ba.path, "committee", D(2025, 4, 1), D(2025, 4, 30), D(2025, 4, 30))
    assert due.required == 1
    before = one_kind(ba.path, "committee", D(2025, 4, 1), D(2025, 4, 30), D(2025, 4, 29))
    assert before.required == 0


def test_it_requires_the_quarter_of_a_branch_founded_in_its_middle(world):
    new = add_org(world.orgs["gb"], "T-NEW", "新建小学党支部", "branch", founded_on=D(2025, 5, 15))
    result = one_kind(new.path, "general", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31))
    # Q1 ended before the founding: not owed; Q2 (founded 15 May) is, and Q3, Q4.
    assert [slot.end for _b, slot, _s in result.cells] == [
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
    ]
    meeting(new, "general", D(2025, 6, 30))
    result = one_kind(new.path, "general", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31))
    assert (result.required, result.held) == (3, 1)


def test_it_refuses_a_meeting_before_the_branch_was_founded(world):
    new = add_org(world.orgs["gb"], "T-NEW2", "新建中学党支部", "branch", founded_on=D(2025, 5, 15))
    with pytest.raises(services.ValidationError) as caught:
        meeting(new, "general", D(2025, 5, 14))
    assert "成立日期" in str(caught.value)


def test_it_counts_one_slot_however_many_meetings_it_holds(world):
    ba = world.orgs["ba"]
    meeting(ba, "committee", D(2025, 4, 2))
    meeting(ba, "committee", D(2025, 4, 20))
    april = one_kind(ba.path, "committee", D(2025, 4, 1), D(2025, 4, 30), D(2025, 12, 31))
    assert (april.required, april.held) == (1, 1)


def test_it_measures_each_period_by_the_rule_of_its_time(world):
    admin = world.users["city_admin"]
    admin.is_superuser = True
    services.set_frequency(admin, kind="lecture", frequency="monthly", effective_from=D(2025, 7, 1))
    ba = world.orgs["ba"]
    year = one_kind(ba.path, "lecture", D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31))
    ends = [slot.end for _b, slot, _s in year.cells]
    # Quarterly until June, monthly from July.
    assert ends[:2] == [D(2025, 3, 31), D(2025, 6, 30)]
    assert ends[2:] == [rules.month_end(2025, m) for m in range(7, 13)]
    old = FrequencyRule.objects.get(kind="lecture", effective_from=D(2000, 1, 1))
    assert old.effective_to == D(2025, 6, 30)


def test_a_kept_rule_book_gives_way_to_changed_rules(world, django_assert_num_queries):
    """`RuleBook.load` returns the book it kept (with its slots) while the rules are the
    same, one query to learn so, and a new one from the first change on."""
    year = (D(2025, 1, 1), D(2025, 12, 31))
    book = rules.RuleBook.load()
    quarterly = book.slots(*year, ["lecture"])
    with django_assert_num_queries(1):
        assert rules.RuleBook.load() is book
    admin = world.users["city_admin"]
    admin.is_superuser = True
    services.set_frequency(admin, kind="lecture", frequency="monthly", effective_from=D(2025, 7, 1))
    changed = rules.RuleBook.load()
    assert changed is not book and book.slots(*year, ["lecture"]) == quarterly
    assert len(changed.slots(*year, ["lecture"])) == len(quarterly) - 2 + 6


def test_it_lets_only_an_unrestricted_admin_change_the_rules(world):
    with pytest.raises(services.ValidationError):
        services.set_frequency(
            world.users["county_admin"],
            kind="lecture",
            frequency="monthly",
            effective_from=D(2025, 7, 1),
        )


def test_it_computes_the_life_statistics_from_the_slots_and_counts(world):
    ba, bb = world.orgs["ba"], world.orgs["bb"]
    meeting(ba, "committee", D(2025, 1, 31))
    meeting(ba, "general", D(2025, 3, 1))
    m = meeting(bb, "general", D(2025, 2, 1))
    admin = world.users["city_admin"]
    services.mark(admin, m.attendances.first(), status="present")
    scope = make_scope(world.orgs["gb"], D(2025, 3, 31), (D(2025, 1, 1), D(2025, 3, 31)))
    done = {"life": {"elections_held": 2, "terms_overdue": 1}}
    life = life_section(scope, done)["life"]
    # gb holds ba and bb: 3 monthly kinds x 3 months + 2 quarterly kinds = 11 slots each.
    assert life["required"] == 22
    assert life["held"] == 3
    assert life["compliance"] == round(3 / 22, 4)
    assert life["by_kind"]["支部党员大会"] == 2 and life["by_kind"]["支委会"] == 1
    assert set(life["by_kind"]) == {
        "支部党员大会", "支委会", "党小组会", "党课", "主题党日", "组织生活会", "民主评议党员", "谈心谈话",
    }  # fmt: skip
    # expected: ba's 3 members twice (a 支委会 without seats expects everyone), bb's 3 once.
    assert life["attendance_rate"] == round(1 / 9, 4)
    # The election figures of the other section stay.
    assert life["elections_held"] == 2 and life["terms_overdue"] == 1


def test_it_puts_missing_meetings_on_the_todo_list_before_and_after_the_deadline(world):
    from dangjian.life.registers import todo_items

    ba = world.orgs["ba"]
    meeting(ba, "committee", D(2025, 4, 3))
    items = todo_items(world.users["secretary_a"], D(2025, 4, 25))
    levels = {(i.level, i.due) for i in items}
    # March's monthly kinds passed their deadline; April's are due within the reminder days.
    assert ("danger", D(2025, 3, 31)) in levels and ("warning", D(2025, 4, 30)) in levels
    april = next(i for i in items if i.due == D(2025, 4, 30))
    assert "支委会" not in april.text and "主题党日" in april.text
    assert all(i.org_path == ba.path for i in items)
    county = todo_items(world.users["county_admin"], D(2025, 4, 25))
    # bb has recorded no meeting here yet: it is reminded all the same, of every kind.
    assert {i.org_path for i in county} >= {ba.path, world.orgs["bb"].path}
    bb_april = next(
        i for i in county if i.org_path == world.orgs["bb"].path and i.due == D(2025, 4, 30)
    )
    assert "支委会" in bb_april.text and "主题党日" in bb_april.text
    assert todo_items(world.users["member"], D(2025, 4, 25)) == []


def test_it_reminds_a_branch_that_never_recorded_a_meeting(world):
    from dangjian.life.models import Meeting
    from dangjian.life.registers import todo_items

    assert not Meeting.objects.exists()
    items = todo_items(world.users["secretary_a"], D(2025, 4, 25))
    assert {(i.level, i.due) for i in items} == {
        ("danger", D(2025, 3, 31)),
        ("warning", D(2025, 4, 30)),
    }
    assert all(i.org_path == world.orgs["ba"].path for i in items)


@pytest.mark.parametrize("day", [dt.date(2025, 4, 19), dt.date(2025, 4, 20)])
def test_it_warns_from_the_reminder_day_on(world, settings, day):
    from dangjian.life.registers import todo_items

    settings.DANGJIAN_LIFE_REMINDER_DAYS = 10
    meeting(world.orgs["ba"], "general", D(2025, 1, 5))
    items = todo_items(world.users["secretary_a"], day)
    warned = any(i.level == "warning" and i.due == D(2025, 4, 30) for i in items)
    assert warned == (day >= D(2025, 4, 20))


def test_the_statistics_count_what_the_cells_give(world):
    """`compliance` without cells (the statistics) counts from the sorted founding and
    dissolution dates and the held slots instead of visiting every (branch, slot) pair:
    the same two figures as the cells, on branches founded and dissolved on slot ends and
    the day after, never founded, dissolved before founded (older data), a 党小组's
    meeting, a rule changed mid-year so that two slots share a first day (January's
    monthly one and the first quarter), and days before, on and after slot ends."""
    rules_changed_midyear(world)
    gb, ba, bb = world.orgs["gb"], world.orgs["ba"], world.orgs["bb"]
    made = [
        add_org(gb, f"T-C{i}", f"测试党支部{i}", "branch", founded_on=founded)
        for i, founded in enumerate(
            (D(2025, 3, 31), D(2025, 4, 1), D(2024, 12, 31), D(2025, 6, 30), None, D(2025, 1, 1))
        )
    ]
    Organization.objects.filter(pk=made[0].pk).update(dissolved_on=D(2025, 9, 30))
    Organization.objects.filter(pk=made[1].pk).update(dissolved_on=D(2025, 10, 1))
    Organization.objects.filter(pk=made[4].pk).update(dissolved_on=D(2025, 5, 31))
    # Dissolved before it was founded: owes nothing, as the cells say.
    Organization.objects.filter(pk=made[5].pk).update(
        founded_on=D(2025, 8, 1), dissolved_on=D(2025, 2, 1)
    )
    group = add_org(ba, "T-BA-G9", "甲小学测试党小组", "group")
    meeting(ba, "lecture", D(2025, 1, 15))  # January's monthly slot and Q1 share 1 January
    meeting(bb, "lecture", D(2025, 2, 20))  # Q1 only
    meeting(group, "group", D(2025, 4, 30))
    meeting(made[0], "general", D(2025, 4, 1))
    meeting(made[2], "committee", D(2025, 3, 31))
    meeting(made[3], "theme_day", D(2025, 7, 1))
    meeting(ba, "general", D(2024, 12, 31))
    compared = []
    for path in (world.orgs["city"].path, gb.path, ba.path, made[3].path):
        for start, end in ((D(2025, 1, 1), D(2025, 12, 31)), (D(2024, 7, 1), D(2025, 6, 30))):
            for as_of in (D(2025, 1, 30), D(2025, 1, 31), D(2025, 3, 31), D(2025, 6, 29), end):
                for kinds in (None, ["lecture"], ["general", "group"]):
                    cells = rules.compliance(path, start, end, as_of, kinds=kinds, cells=True)
                    counted = rules.compliance(path, start, end, as_of, kinds=kinds)
                    assert (counted.required, counted.held) == (cells.required, cells.held), (
                        path, start, end, as_of, kinds,
                    )  # fmt: skip
                    compared.append((cells.required, cells.held))
    # The comparison is not empty: slots owed and held in many combinations.
    assert len(set(compared)) > 20 and all(held <= required for required, held in compared)
    # January's monthly 党课 and the first quarter's share their first day; ba's meeting of
    # 15 January holds both, as the cells say.
    first_quarter = rules.RuleBook.load().slots(D(2025, 1, 1), D(2025, 3, 31), ["lecture"])
    assert [(s.start, s.end) for s in first_quarter] == [
        (D(2025, 1, 1), D(2025, 1, 31)),
        (D(2025, 1, 1), D(2025, 3, 31)),
    ]
    counted = rules.compliance(
        ba.path, D(2025, 1, 1), D(2025, 3, 31), D(2025, 3, 31), kinds=["lecture"]
    )
    assert (counted.required, counted.held) == (2, 2)
