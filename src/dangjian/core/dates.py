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
