"""Rule sets are data chosen by each step's date: a revision (the 细则 was revised in 2026)
is a new row, and no code changes."""

import copy

import pytest
from django.core.exceptions import ValidationError

from dangjian.recruitment import rules as R
from dangjian.recruitment.models import RuleSet
from tests.recruitment.helpers import D, new_recruit, step


@pytest.fixture
def revised(db):
    """A test revision from 2026-05-01 with one changed number: two years as 积极分子."""
    base = RuleSet.objects.get(code="2014")
    data = copy.deepcopy(base.rules)
    for entry in data["intervals"]:
        if entry["step"] == "candidate":
            entry["min"] = 2
            entry["rule"] = "确定为发展对象须经两年以上培养教育考察"
    return RuleSet.objects.create(
        code="2026-test",
        name="中国共产党发展党员工作细则(测试修订)",
        effective_from=D(2026, 5, 1),
        rules=data,
    )


def activist(world, name):
    recruit = new_recruit(world.orgs["ba"], D(2025, 1, 10), name=name)
    step(recruit, "talk", D(2025, 1, 20))
    step(recruit, "activist", D(2025, 4, 1), method="league")
    step(recruit, "activist_filing", D(2025, 4, 2))
    step(recruit, "contacts", D(2025, 4, 2), members=[world.members["a1"]])
    return recruit


def test_it_has_the_2014_rules_built_in(db):
    rules = R.RuleBook.load().on(D(2020, 1, 1))
    assert rules.rule_set.code == "2014"
    assert len([s for s in rules.steps.values() if s.no]) == 25
    assert rules.min_age == 18 and rules.introducers == 2


def test_it_checks_each_step_against_the_rule_set_in_force_on_its_date(world, revised):
    before = activist(world, "甲")
    done = step(before, "candidate", D(2026, 4, 30))  # a year is enough under 2014 rules
    assert done.rule_set.code == "2014"
    after = activist(world, "乙")
    with pytest.raises(ValidationError) as info:
        step(after, "candidate", D(2026, 5, 1))
    assert "确定为发展对象须经两年以上培养教育考察，最早可于2027-04-01确定" in " ".join(
        info.value.messages
    )
    review = step(after, "review", D(2026, 5, 2))
    assert review.rule_set.code == "2026-test"


def test_it_falls_back_to_the_earliest_rule_set_for_history(db):
    book = R.RuleBook.load()
    assert book.on(D(2009, 6, 1)).rule_set.code == "2014"
