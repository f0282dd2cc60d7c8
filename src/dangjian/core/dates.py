"""Calendar arithmetic for Party-work rules: months and years are calendar units, a
month-end date clamps (2024-02-29 plus one year is 2025-02-28), never 30/365 days."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years of age on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def born_after_for_max_age(day: dt.date, max_age: int) -> dt.date:
    """Earliest birth date of someone whose age on `day` is at most `max_age`."""
    return add_years(day, -(max_age + 1)) + dt.timedelta(days=1)


def is_working_day(day: dt.date) -> bool:
    """A Chinese working day: the State Council's holidays are off and its make-up days
    (调休, often a Saturday or Sunday) are on, per the `chinesecalendar` package. That
    package only knows the years it ships (announcements come a year at a time); outside
    them this falls back to Monday-Friday, so a deadline there may be off by a holiday
    until the package is upgraded."""
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (`day` itself not counted; n=0 gives `day`).
    A 公示 of N working days starting on `start` ends on
    `add_working_days(start - 1 day, N)`. Same calendar and fallback as `is_working_day`."""
    if n < 0:
        raise ValueError("n must be >= 0")
    current = day
    while n:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days d with start <= d <= end, both ends included (0 when end < start).
    Same calendar and fallback as `is_working_day`."""
    count = 0
    current = start
    while current <= end:
        if is_working_day(current):
            count += 1
        current += dt.timedelta(days=1)
    return count
