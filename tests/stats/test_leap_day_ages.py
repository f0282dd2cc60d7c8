"""The statistics' age bands (and the member list's age filter) are date comparisons built from `born_after_for_max_age`
(in SQL, or on fetched rows for a small subtree); both must agree with `age_on`, which
counts a 29 February birthday on 28 February in a common year (DESIGN 6)."""

import datetime as dt

import pytest
from personas import add_member

from dangjian.core.dates import age_on
from dangjian.members.models import Member
from dangjian.members.registers import AGE_BANDS as LIST_BANDS
from dangjian.members.registers import age_band_filter
from dangjian.stats.engine import (
    AGE_BANDS,
    _member_counts,
    _member_counts_fetched,
    make_scope,
    statistics,
)

BORN = dt.date(1988, 2, 29)
DAYS = [
    dt.date(2019, 2, 27),
    dt.date(2019, 2, 28),  # 31 in a common year
    dt.date(2019, 3, 1),
    dt.date(2020, 2, 28),
    dt.date(2020, 2, 29),
    dt.date(2024, 2, 28),  # 36 on the leap day itself
    dt.date(2024, 2, 29),
    dt.date(2023, 2, 28),  # 35
]


def band_of(age: int) -> str:
    for key, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return key
    raise AssertionError(age)


@pytest.mark.parametrize("day", DAYS)
def test_the_age_bands_count_a_leap_day_birth_as_age_on_does(world, day):
    branch = world.orgs["bx"]
    before = statistics(branch, day)["structure"]["age"]
    add_member(branch, "闰日生", birth=BORN, joined=dt.date(2010, 7, 1))
    after = statistics(branch, day)["structure"]["age"]
    added = {key: after[key] - before[key] for key in after}
    assert added == {key: int(key == band_of(age_on(BORN, day))) for key in after}
    for live in (False, True):
        scope = make_scope(branch, day, live=live)
        assert _member_counts(scope) == _member_counts_fetched(scope)


def test_it_moves_a_leap_day_birth_out_of_the_first_band_on_28_february(world):
    branch = world.orgs["bx"]
    day = dt.date(2019, 2, 28)
    band = statistics(branch, day)["structure"]["age"]
    add_member(branch, "闰日生", birth=BORN, joined=dt.date(2010, 7, 1))
    # 30 on 27 February, 31 on 28 February 2019 (the 31st year from 29 February ends).
    assert age_on(BORN, day - dt.timedelta(days=1)) == 30 and age_on(BORN, day) == 31
    now = statistics(branch, day)["structure"]["age"]
    assert (now["<=30"], now["31-35"]) == (band["<=30"], band["31-35"] + 1)


@pytest.mark.parametrize("day", DAYS)
def test_the_member_list_age_filter_agrees_with_age_on(world, day):
    member = add_member(world.orgs["bx"], "闰日生", birth=BORN, joined=dt.date(2010, 7, 1))
    age = age_on(BORN, day)
    found = [
        key
        for key, _label, _low, _high in LIST_BANDS
        if age_band_filter(Member.objects.filter(pk=member.pk), key, day).exists()
    ]
    assert found == [
        key
        for key, _label, low, high in LIST_BANDS
        if (low is None or age >= low) and (high is None or age <= high)
    ]
