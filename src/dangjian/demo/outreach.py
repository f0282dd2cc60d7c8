"""结对帮扶 of 示例市 (INTERFACES 5), written through the outreach services in two batches.

Over 2009-2010 the ledger holds what the seed speech counts, and nothing the statistics
could miscount: 帮扶 money of 86,200 yuan in all, spread over the city's village, family and
student pairings; 一中 (示例一县第一中学) gave 500 books, waived 12 students' fees (4,800
yuan) and won grants of 3,000 yuan for 3; 二中 took grain and oil worth 3,500 yuan to old
party members and ran 2 trainings; the county (`DEMO-XIAN1`) paired 30 couples of 60
schools "捆绑式". From 2011 the pairings go on with yearly entries and gaps (some pairings
give nothing in a year, some end), so current pages have something to show."""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from dangjian.core.context import CLI
from dangjian.demo.structure import City, day_between
from dangjian.orgs.models import BRANCH_KINDS, Locality
from dangjian.outreach import services
from dangjian.outreach.models import Assistance, AssistanceKind, Pairing, PairingKind

SEED = 20101231 + 17
CAMPAIGN = (dt.date(2009, 1, 1), dt.date(2010, 12, 31))
COUNTY_CODE = "DEMO-XIAN1"
YIZHONG_CODE = "DEMO-XIAN1-YZ"  # 示例一县第一中学党总支
ERZHONG_NAME = "示例一县第二中学"
MONEY_2009_2010 = Decimal("86200.00")
SCHOOL_PAIRS = 30
VILLAGES = ("东关村", "西沟村", "南梁村", "北坡村", "石岗村", "柳树湾村", "红星村", "马家庄村")
PLANS = (
    _("送教下乡, 结对帮扶困难学生, 慰问困难党员"),
    _("捐资助学, 每学期走访一次"),
    _("组织党员教师支教, 捐赠图书和教学用品"),
)


@dataclass(frozen=True)
class Loaded:
    pairings: int
    entries: int


def _money_split(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    """`parts` amounts in hundreds of yuan adding up to `total` exactly."""
    hundreds = int(total / 100)
    cuts = sorted(rng.sample(range(1, hundreds), parts - 1))
    bounds = [0, *cuts, hundreds]
    return [Decimal((bounds[i + 1] - bounds[i]) * 100) for i in range(parts)]


def load(city: City, today: dt.date) -> Loaded:
    rng = random.Random(SEED)
    branches = [
        spec
        for spec in city.orgs
        if spec.kind in BRANCH_KINDS and spec.founded_on <= dt.date(2009, 6, 30) and spec.obj
    ]
    county = city.org(COUNTY_CODE)
    yizhong = city.org(YIZHONG_CODE)
    pairings: list[Pairing] = []

    # Branches paired with a village, a family or a needy student from 2009 on.
    helpers = rng.sample(branches, min(len(branches), 60))
    for index, spec in enumerate(helpers):
        kind = (PairingKind.VILLAGE, PairingKind.FAMILY, PairingKind.STUDENT)[index % 3]
        partner = {
            PairingKind.VILLAGE: VILLAGES[index % len(VILLAGES)],
            PairingKind.FAMILY: _("困难党员家庭%(n)d户") % {"n": 1 + index % 4},
            PairingKind.STUDENT: _("困难学生%(n)d名") % {"n": 1 + index % 5},
        }[kind]
        started = day_between(rng, dt.date(2009, 1, 5), dt.date(2009, 6, 30))
        ended = None
        if rng.random() < 0.3:
            ended = day_between(rng, dt.date(2013, 1, 1), min(today, dt.date(2022, 12, 31)))
        pairings.append(
            Pairing(
                org=spec.obj,
                kind=kind,
                partner_name=partner,
                started_on=started,
                ended_on=ended,
                responsible=spec.secretary.name if spec.secretary else spec.name,
                plan=str(PLANS[index % len(PLANS)]),
            )
        )
    # 一中's own pairing (books, fees, grants) and 二中's with the old party members.
    yizhong_pair = Pairing(
        org=yizhong.obj,
        kind=PairingKind.STUDENT,
        partner_name=_("农村困难学生"),
        started_on=dt.date(2009, 2, 20),
        responsible=yizhong.secretary.name if yizhong.secretary else yizhong.name,
        plan=str(_("捐赠图书, 减免困难学生学费, 争取助学金")),
    )
    erzhong_spec = next(s for s in city.schools if s.name == ERZHONG_NAME).unit
    erzhong_pair = Pairing(
        org=erzhong_spec.obj,
        kind=PairingKind.FAMILY,
        partner_name=_("老党员、困难党员"),
        started_on=dt.date(2009, 3, 1),
        responsible=erzhong_spec.secretary.name if erzhong_spec.secretary else erzhong_spec.name,
        plan=str(_("节日慰问老党员, 为村级党员开展培训")),
    )
    pairings += [yizhong_pair, erzhong_pair]

    # The county's "捆绑式" pairs: a town or urban school with a rural one, 60 schools.
    schools = [s for s in city.schools if s.region is county.region and s.unit and s.obj]
    strong = sorted(
        (s for s in schools if s.locality != Locality.RURAL),
        key=lambda s: (-s.teachers, s.code),
    )
    weak = [s for s in schools if s.locality == Locality.RURAL]
    rng.shuffle(weak)
    strong += sorted(weak[SCHOOL_PAIRS:], key=lambda s: (-s.teachers, s.code))
    bundled = []
    for helper, partner in zip(strong[:SCHOOL_PAIRS], weak[:SCHOOL_PAIRS], strict=True):
        pair = Pairing(
            org=helper.unit.obj,
            kind=PairingKind.BUNDLED,
            school=helper.obj,
            partner_school=partner.obj,
            started_on=day_between(rng, dt.date(2009, 3, 1), dt.date(2010, 9, 1)),
            responsible=helper.unit.secretary.name if helper.unit.secretary else helper.name,
            plan=str(_("捆绑式发展: 管理共享、教研共进、师资交流、质量共评")),
        )
        pairings.append(pair)
        bundled.append(pair)
    pairings = services.record_pairings_batch(CLI, pairings, note=_("示例市演示数据: 结对帮扶"))

    entries: list[Assistance] = []

    def add(pair, kind, on, description, amount=None, quantity=None):
        entries.append(
            Assistance(
                pairing=pair,
                kind=kind,
                on=on,
                amount=amount,
                quantity=quantity,
                description=str(description),
            )
        )

    # 2009-2010: the speech's figures exactly.
    givers = [p for p in pairings[: len(helpers)] if p.kind != PairingKind.STUDENT]
    gifts = rng.sample(givers, min(len(givers), 34))
    for pair, amount in zip(gifts, _money_split(rng, MONEY_2009_2010, len(gifts)), strict=True):
        on = day_between(rng, max(pair.started_on, dt.date(2009, 6, 1)), dt.date(2010, 12, 20))
        add(pair, AssistanceKind.MONEY, on, _("帮扶资金"), amount=amount)
    add(
        yizhong_pair,
        AssistanceKind.BOOKS,
        dt.date(2009, 4, 23),
        _("向农村学校捐赠图书"),
        quantity=500,
    )
    add(
        yizhong_pair,
        AssistanceKind.TUITION,
        dt.date(2009, 9, 1),
        _("减免困难学生学费"),
        amount=Decimal("2800.00"),
        quantity=7,
    )
    add(
        yizhong_pair,
        AssistanceKind.TUITION,
        dt.date(2010, 9, 1),
        _("减免困难学生学费"),
        amount=Decimal("2000.00"),
        quantity=5,
    )
    add(
        yizhong_pair,
        AssistanceKind.GRANT,
        dt.date(2010, 11, 15),
        _("为困难学生争取助学金"),
        amount=Decimal("3000.00"),
        quantity=3,
    )
    add(
        erzhong_pair,
        AssistanceKind.GOODS,
        dt.date(2010, 1, 28),
        _("春节前为老党员送去米面油"),
        amount=Decimal("3500.00"),
    )
    for on in (dt.date(2009, 11, 12), dt.date(2010, 12, 3)):
        add(erzhong_pair, AssistanceKind.TRAINING, on, _("为村级党员开展实用技术培训"), quantity=40)
    for pair in bundled:
        add(
            pair,
            AssistanceKind.VISIT,
            day_between(rng, pair.started_on, CAMPAIGN[1]),
            _("两校互访, 同课异构"),
        )

    # From 2011: yearly entries with gaps, until today.
    for year in range(2011, today.year + 1):
        last = min(today, dt.date(year, 12, 31))
        for pair in pairings:
            if pair.ended_on and pair.ended_on < dt.date(year, 1, 1):
                continue
            end = min(last, pair.ended_on or last)
            if rng.random() < 0.35 or end < dt.date(year, 1, 1):
                continue  # nothing recorded this year
            on = day_between(rng, dt.date(year, 1, 1), end)
            if pair.kind == PairingKind.BUNDLED:
                if rng.random() < 0.5:
                    add(
                        pair,
                        AssistanceKind.TRAINING,
                        on,
                        _("送教下乡、联合教研"),
                        quantity=rng.randint(15, 60),
                    )
                else:
                    add(
                        pair, AssistanceKind.BOOKS, on, _("捐赠图书"), quantity=rng.randint(20, 200)
                    )
            elif pair.kind == PairingKind.STUDENT:
                n = rng.randint(1, 6)
                add(
                    pair,
                    AssistanceKind.TUITION,
                    on,
                    _("减免困难学生学费"),
                    amount=Decimal(400 * n),
                    quantity=n,
                )
            elif rng.random() < 0.6:
                add(
                    pair,
                    AssistanceKind.MONEY,
                    on,
                    _("帮扶资金"),
                    amount=Decimal(rng.randint(5, 40) * 100),
                )
            else:
                add(
                    pair,
                    AssistanceKind.GOODS,
                    on,
                    _("节日慰问物资"),
                    amount=Decimal(rng.randint(3, 25) * 100),
                )
            if rng.random() < 0.15:
                n = rng.randint(1, 3)
                add(
                    pair,
                    AssistanceKind.GRANT,
                    on,
                    _("争取助学金"),
                    amount=Decimal(1000 * n),
                    quantity=n,
                )
    written = services.record_assistance_batch(CLI, entries, note=_("示例市演示数据: 帮扶台账"))
    return Loaded(len(pairings), written)
