import datetime as dt

import pytest

from dangjian.core.dates import add_months, add_years, age_on, born_after_for_max_age


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
