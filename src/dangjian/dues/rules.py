"""The dues rules as functions of data: which band of the dated rate table a base falls
in, what a month is due, which months a payment may cover, when arrears warrant the
6-month warning. The numbers come from the rate table (DuesRate) and settings, never
from constants here."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from dangjian.core.dates import add_months
from dangjian.dues.models import FLAT_CATEGORIES, DuesRate, RateCategory
from dangjian.members.choices import PersonType

CENT = Decimal("0.01")

# The 2008 rules (中组发〔2008〕3号, 《关于中国共产党党费收缴、使用和管理的规定》), loaded by
# the initial migration as the first rate table: (category, upper bound incl., percent, flat).
RULES_2008_FROM = dt.date(2008, 4, 1)
RULES_2008_SOURCE = "中组部《关于中国共产党党费收缴、使用和管理的规定》(2008)"
RULES_2008 = (
    (RateCategory.SALARIED, "3000.00", "0.5", None),
    (RateCategory.SALARIED, "5000.00", "1.0", None),
    (RateCategory.SALARIED, "10000.00", "1.5", None),
    (RateCategory.SALARIED, None, "2.0", None),
    (RateCategory.RETIRED, "5000.00", "0.5", None),
    (RateCategory.RETIRED, None, "1.0", None),
    (RateCategory.STUDENT, None, None, "0.20"),
    (RateCategory.UNEMPLOYED, None, None, "0.20"),
)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(first: dt.date, last: dt.date) -> int:
    """Whole calendar months from `first`'s month to `last`'s month."""
    return (last.year - first.year) * 12 + last.month - first.month


def month_range(first: dt.date, last: dt.date):
    month = month_of(first)
    while month <= last:
        yield month
        month = add_months(month, 1)


def default_category(person_type: str) -> str:
    if person_type == PersonType.STUDENT:
        return RateCategory.STUDENT
    if person_type == PersonType.RETIRED:
        return RateCategory.RETIRED
    return RateCategory.SALARIED


def yuan(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Band:
    category: str
    upper: Decimal | None
    percent: Decimal | None
    flat: Decimal | None

    def due(self, base: Decimal) -> Decimal:
        if self.flat is not None:
            return yuan(self.flat)
        return yuan(Decimal(base) * self.percent / 100)


class RateTable:
    """The rate table loaded once (a few rows), for computing many months."""

    def __init__(self, rows=None):
        rows = list(DuesRate.objects.all() if rows is None else rows)
        self.tables: dict[dt.date, dict[str, list[Band]]] = {}
        for row in rows:
            bands = self.tables.setdefault(row.valid_from, {}).setdefault(row.category, [])
            bands.append(Band(row.category, row.upper, row.percent, row.flat))
        for table in self.tables.values():
            for bands in table.values():
                bands.sort(key=lambda b: (b.upper is None, b.upper or 0))
        self.starts = sorted(self.tables)

    def band(self, month: dt.date, category: str, base: Decimal) -> Band | None:
        """The band for `base` in the table in force in `month`; None before any table."""
        table = None
        key = (month.year, month.month)
        for start in self.starts:
            if (start.year, start.month) <= key:  # a table starting within the month applies
                table = self.tables[start]
        if table is None:
            return None
        for band in table.get(category, []):
            if band.flat is not None or band.upper is None or Decimal(base) <= band.upper:
                return band
        return None

    def due(self, month: dt.date, category: str, base: Decimal) -> Decimal | None:
        band = self.band(month, category, base)
        return None if band is None else band.due(base)


def needs_base(category: str) -> bool:
    return category not in FLAT_CATEGORIES


def backpay_months() -> int:
    return settings.DANGJIAN_DUES_BACKPAY_MONTHS


def prepay_months() -> int:
    return settings.DANGJIAN_DUES_PREPAY_MONTHS


def warning_months() -> int:
    return settings.DANGJIAN_DUES_WARNING_MONTHS


def centre_threshold() -> Decimal:
    return Decimal(settings.DANGJIAN_DUES_CENTRE_THRESHOLD)


def handup_share() -> Decimal:
    return Decimal(settings.DANGJIAN_DUES_HANDUP_PERCENT) / 100


def earliest_payable(paid_on: dt.date) -> dt.date:
    """The first month a payment made on `paid_on` may still cover (back-pay limit)."""
    return add_months(month_of(paid_on), -backpay_months())


def latest_payable(paid_on: dt.date) -> dt.date:
    return add_months(month_of(paid_on), prepay_months())


def warning_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The completed months that must all be unpaid for the warning: the N months before
    `today`'s month (a month is late once it is over)."""
    last = add_months(month_of(today), -1)
    return add_months(last, -(warning_months() - 1)), last
