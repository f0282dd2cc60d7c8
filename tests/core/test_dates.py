import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.dates import (
    add_months,
    add_years,
    age_on,
    born_after_for_max_age,
    born_on_or_before_for_min_age,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
        (dt.date(2024, 11, 15), 3, dt.date(2025, 2, 15)),
    ],
)
def test_it_adds_calendar_months_clamping_month_ends(day, months, expected):
    assert add_months(day, months) == expected


def test_it_adds_calendar_years_from_a_leap_day():
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


def test_it_counts_full_years_of_age():
    assert age_on(dt.date(1990, 6, 15), dt.date(2025, 6, 14)) == 34
    assert age_on(dt.date(1990, 6, 15), dt.date(2025, 6, 15)) == 35


@pytest.mark.parametrize("day", [dt.date(2025, 2, 28), dt.date(2024, 2, 29), dt.date(2010, 12, 31)])
def test_it_gives_the_earliest_birth_date_for_a_maximum_age(day):
    cutoff = born_after_for_max_age(day, 35)
    assert age_on(cutoff, day) == 35
    assert age_on(cutoff - dt.timedelta(days=1), day) == 36


# --- one month-end rule for every count (民法典 第二百零二条) -----------------------------

D = dt.date
dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))


def test_it_makes_someone_born_on_29_february_18_on_28_february_of_a_common_year():
    born = D(2008, 2, 29)
    assert age_on(born, D(2026, 2, 27)) == 17
    assert age_on(born, D(2026, 2, 28)) == 18
    assert age_on(born, D(2026, 3, 1)) == 18
    # The same day a one-year interval from 29 February ends.
    assert add_years(born, 18) == D(2026, 2, 28)
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)


def test_it_keeps_29_february_from_leap_year_to_leap_year():
    born = D(2008, 2, 29)
    assert add_years(born, 4) == D(2012, 2, 29)
    assert age_on(born, D(2028, 2, 28)) == 19
    assert age_on(born, D(2028, 2, 29)) == 20
    assert add_months(D(2024, 2, 29), 48) == D(2028, 2, 29)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 5, 31), -1, D(2025, 4, 30)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), -12, D(2023, 2, 28)),
    ],
)
def test_it_ends_a_month_count_on_the_last_day_when_the_day_is_missing(day, months, expected):
    assert add_months(day, months) == expected


def test_it_gives_the_age_bounds_around_a_leap_day_birth():
    # On 2026-02-28, whoever was born on 2008-02-29 is 18, one born on 2008-03-01 is 17.
    assert born_after_for_max_age(D(2026, 2, 28), 17) == D(2008, 3, 1)
    assert born_on_or_before_for_min_age(D(2026, 2, 28), 18) == D(2008, 2, 29)
    # On 2024-02-29 (leap), someone born on 2006-02-28 is 18 already, 2006-03-01 not yet.
    assert born_after_for_max_age(D(2024, 2, 29), 17) == D(2006, 3, 1)


@given(birth=dates, day=dates)
def test_age_and_the_one_year_interval_agree(birth, day):
    """Age n on `day` exactly when the n-th anniversary by `add_years` has come and the
    (n+1)-th has not: age and interval use the same month-end rule everywhere."""
    if birth > day:
        return
    age = age_on(birth, day)
    assert add_years(birth, age) <= day < add_years(birth, age + 1)
    assert age_on(birth, add_years(birth, age)) == age


@given(day=dates, age=st.integers(min_value=0, max_value=90), birth=dates)
def test_the_birth_date_bounds_agree_with_age(day, age, birth):
    if day.year - age - 2 < 1900:
        return
    cut = born_after_for_max_age(day, age)
    assert age_on(cut, day) <= age < age_on(cut - dt.timedelta(days=1), day)
    assert (age_on(birth, day) <= age) == (birth >= cut)
    latest = born_on_or_before_for_min_age(day, age)
    assert (age_on(birth, day) >= age) == (birth <= latest)


@given(day=dates, months=st.integers(min_value=-600, max_value=600))
def test_a_month_count_keeps_the_day_or_ends_the_month(day, months):
    if not 1901 <= day.year + months // 12 <= 2099:
        return
    moved = add_months(day, months)
    last = calendar.monthrange(moved.year, moved.month)[1]
    assert moved.day == day.day or (moved.day == last and day.day > last)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
