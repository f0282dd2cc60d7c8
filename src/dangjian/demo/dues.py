"""党费 of 示例市: a base for every active member for this year, and last year while this
one is young (salaried,
retired and student bands alike), monthly payments with realistic gaps (late back-pay, a
few members in arrears, some over six months so the branches' 待办 list has the warning),
voluntary one-offs (one of 1,000 yuan to the Centre) and reductions, one still awaiting
approval. Written in bulk through dues.services (the same rules, one audit row)."""

import datetime as dt
import random
from decimal import Decimal

from django.utils.translation import gettext as _

from dangjian.core.context import CLI
from dangjian.core.dates import add_months
from dangjian.dues import rules as R
from dangjian.dues import services
from dangjian.dues.models import DuesBase
from dangjian.members.choices import PersonType, Status
from dangjian.members.models import Member

SALARY = {
    PersonType.TEACHER: (2800, 9800),
    PersonType.MANAGER: (3500, 12000),
    PersonType.SUPPORT: (2600, 6000),
    PersonType.WORKER: (2200, 4500),
    PersonType.OTHER: (2500, 6000),
    PersonType.RETIRED: (2600, 7000),
}


def load(today: dt.date, seed: int, branch_name: str) -> int:
    rng = random.Random(seed)
    # Enough history for the 6-month warning: last year too while this year is young.
    years = (today.year,) if today.month >= 9 else (today.year - 1, today.year)
    first_month = dt.date(years[0], 1, 1)
    this_month = R.month_of(today)
    members = list(
        Member.objects.filter(status=Status.ACTIVE, joined_on__lt=add_months(this_month, 1))
        .select_related("org")
        .only("pk", "joined_on", "person_type", "org__path", "org__name", "status", "left_on")
        .order_by("pk")
    )
    table = R.RateTable()
    bases, payments = [], []
    laggards = set(rng.sample(range(len(members)), k=min(len(members), 60)))
    # The demo branch has one member over six months in arrears, so its 待办 shows it.
    in_branch = [i for i, m in enumerate(members) if m.org.name == branch_name]
    if in_branch:
        laggards.add(in_branch[-1])
    seq = 0
    for index, member in enumerate(members):
        category = R.default_category(member.person_type)
        low_high = SALARY.get(member.person_type)
        salary = Decimal(0)
        if R.needs_base(category) and low_high:
            salary = Decimal(rng.randrange(low_high[0], low_high[1], 50))
        dues = {}
        for year in years:
            if member.joined_on.year > year:
                continue
            if R.needs_base(category) and year != years[0]:
                salary += Decimal(rng.choice((0, 100, 200, 300)))  # a yearly rise
            bases.append(DuesBase(member=member, year=year, category=category, base=salary))
            for month in services.ledger_months(member, year):
                dues[month] = table.due(month, category, salary)
        # Arrears: a laggard stops paying 7-9 months ago; others now and then pay late.
        stop = add_months(this_month, -rng.randint(7, 9)) if index in laggards else None
        for month, due in sorted(dues.items()):
            if not due or month > this_month or (stop is not None and month >= stop):
                continue
            if month == this_month and rng.random() < 0.5:
                continue  # this month's dues not yet collected everywhere
            late = rng.random()
            if late < 0.03 and month < add_months(this_month, -3):
                continue  # never paid: an old gap
            delay = 2 if late < 0.08 else 0
            paid_on = add_months(month, delay).replace(day=rng.randint(5, 25))
            paid_on = max(min(paid_on, today), member.joined_on)
            seq += 1
            payments.append(
                {
                    "member": member,
                    "month": month,
                    "amount": due,
                    "paid_on": paid_on,
                    "method": "transfer" if rng.random() < 0.6 else "cash",
                    "receipt_no": f"DF{paid_on:%Y%m%d}-D{seq:06d}",
                }
            )
        del dues
    note = _("示例市演示数据: %(a)d—%(b)d年党费") % {"a": years[0], "b": years[-1]}
    written = services.bulk_load(CLI, bases, payments, note=note)
    _extras(rng, members, today, first_month)
    return written


def _extras(rng, members, today, first_month) -> None:
    """A few voluntary payments (one of 1,000 yuan) and reductions, through the services."""
    salaried = [m for m in members if m.person_type == PersonType.TEACHER]
    if len(salaried) < 6:
        return
    chosen = rng.sample(salaried, 6)
    for member, amount in zip(chosen[:3], ("200.00", "500.00", "1000.00"), strict=True):
        services.record_voluntary(
            CLI, member, amount=amount, paid_on=today - dt.timedelta(days=40), method="transfer"
        )
    retired = [m for m in members if m.person_type == PersonType.RETIRED] or chosen[3:]
    start = R.month_of(today - dt.timedelta(days=120))
    approved = services.propose_reduction(
        CLI,
        retired[0],
        kind="exempt",
        first_month=max(start, first_month),
        last_month=add_months(start, 5),
        reason=_("身患重病, 生活困难"),
    )
    services.decide_reduction(CLI, approved, approve=True, note=_("同意免交6个月"))
    services.propose_reduction(
        CLI,
        chosen[4],
        kind="reduce",
        first_month=R.month_of(today),
        last_month=add_months(R.month_of(today), 5),
        monthly_amount="10.00",
        reason=_("家庭遭遇变故, 收入减少"),
    )
