"""Calendar arithmetic for Party-work rules, with one month-end rule for every count.

Months and years are calendar units, never 30/365 days. When the end month has no day
corresponding to the start (民法典 第二百零二条), the period ends on that month's last
day: 2024-01-31 plus one month is 2024-02-29, 2024-02-29 plus one year is 2025-02-28.
Age is the same count: one turns n on `add_years(birth, n)`, so someone born on
29 February is 18 on 28 February of a common year, the day a one-year interval from
29 February ends. Every date computation by months or years in the tree goes through
`add_months` (directly or via the functions below), so ages, intervals and the SQL age
bands built from `born_after_for_max_age` cannot disagree.
"""

import calendar
import datetime as dt

ONE_DAY = dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by calendar months; the one place that applies the month-end rule."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years of age on `day`: the largest n with add_years(birth, n) <= day."""
    years = day.year - birth.year
    if add_years(birth, years) > day:
        years -= 1
    return years


def born_after_for_max_age(day: dt.date, max_age: int) -> dt.date:
    """Earliest birth date of someone whose age on `day` is at most `max_age`: the
    smallest b with add_years(b, max_age + 1) > day. `add_years` never decreases with b,
    so the first guess is moved a day or two at most (near 29 February, where two birth
    days reach the same anniversary)."""
    n = max_age + 1
    birth = add_years(day, -n)
    while add_years(birth, n) <= day:
        birth += ONE_DAY
    while add_years(birth - ONE_DAY, n) > day:
        birth -= ONE_DAY
    return birth


def born_on_or_before_for_min_age(day: dt.date, min_age: int) -> dt.date:
    """Latest birth date of someone whose age on `day` is at least `min_age`."""
    return born_after_for_max_age(day, min_age - 1) - ONE_DAY


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
