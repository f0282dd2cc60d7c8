"""Chinese working days (DESIGN 3.1 item 6): State Council holidays off, make-up days on."""

import datetime as dt

from dangjian.core.dates import add_working_days, is_working_day, working_days_between

D = dt.date


def test_it_counts_make_up_days_and_skips_the_national_day_holiday():
    # 2025: 9-28 (Sunday) and 10-11 (Saturday) are make-up working days; 10-1..10-8 off.
    assert is_working_day(D(2025, 9, 28))
    assert not is_working_day(D(2025, 10, 1))
    assert is_working_day(D(2025, 10, 11))
    # 公示 of 5 working days starting Monday 9-29: 9-29, 9-30, 10-9, 10-10, 10-11.
    assert add_working_days(D(2025, 9, 28), 5) == D(2025, 10, 11)
    assert working_days_between(D(2025, 9, 29), D(2025, 10, 11)) == 5
    assert working_days_between(D(2025, 9, 29), D(2025, 10, 10)) == 4


def test_it_crosses_the_spring_festival():
    # 2025-01-26 (Sunday) is a make-up day, 1-28..2-4 the holiday.
    assert add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)


def test_it_counts_both_ends_and_nothing_for_an_empty_range():
    assert working_days_between(D(2024, 5, 13), D(2024, 5, 17)) == 5  # Monday..Friday
    assert working_days_between(D(2024, 5, 17), D(2024, 5, 13)) == 0
    assert add_working_days(D(2024, 5, 13), 0) == D(2024, 5, 13)


def test_it_falls_back_to_monday_to_friday_outside_the_known_years():
    friday = D(2030, 1, 4)
    assert add_working_days(friday, 1) == D(2030, 1, 7)
    assert not is_working_day(D(2030, 1, 5))
    assert working_days_between(D(2030, 1, 1), D(2030, 1, 31)) == 23
