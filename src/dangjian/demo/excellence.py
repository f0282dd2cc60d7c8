"""创先争优与示范 in 示例市: the seed's figures come out of the records (INTERFACES 5): over
2009-2010 `DEMO-XIAN1` makes 10 局级 党建示范点 and recognises 50 or more 先进典型, and every
党支部 directly under `DEMO-QU` passes the "五个好" 验收 by 2010-12-31. From 2011 the
three-year plan runs (15-20 局级 a year per county, 2-3 recommended to the city, the share of
school orgs at the standard rising past 80% by the end of 2013), with yearly reviews that
take a few titles away; members are rated every December and make commitments every spring,
reviewed mid-year and at year end. The current year is left open where its dates are still
to come (applications not yet evaluated, commitments not yet reviewed).

Written in bulk through `services.load_history`, which checks the yearly caps and writes one
audit row; the star distribution is planned within the caps of `services.criteria_for`."""

import datetime as dt
import math
import random
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from dangjian.core.context import CLI
from dangjian.excellence import services
from dangjian.excellence.models import (
    Campaign,
    CheckStatus,
    Commitment,
    DemonstrationPoint,
    DemonstrationReview,
    Exemplar,
    FiveGoodCheck,
    FiveGoodChecklist,
    Fulfilment,
    Post,
    PostKind,
    StarRating,
)
from dangjian.members.models import Membership, spell_in_force
from dangjian.orgs.models import BRANCH_KINDS, Organization, OrgKind, School

SEED = 20101231 + 15
FIRST_YEAR = 2009
SEED_COUNTY = "DEMO-XIAN1"
SEED_DISTRICT = "DEMO-QU"
# Share of a county's school orgs at the standard by the end of each year (the plan: 80%
# within 2011-2013), then slowly on; the rest never reach it.
REACHED_BY = {2009: 0.07, 2010: 0.15, 2011: 0.40, 2012: 0.62, 2013: 0.82}
LATER_STEP, CEILING = 0.02, 0.93
# The counties rate their members on the platform for the last this many years.
COUNTY_RATED_YEARS = 5
COMMITMENTS = (
    "每学期上好一节公开示范课",
    "结对帮扶一名学困生, 每月家访一次",
    "带好一名青年教师, 共同备课听课",
    "主动承担班主任工作, 做到“三不让”",
    "参与社区志愿服务不少于四次",
    "牵头一项校本课题研究",
    "按时足额交纳党费, 按时参加组织生活",
    "为学校发展提出一条合理化建议",
)
EXEMPLAR_TITLES = (
    "优秀共产党员",
    "师德标兵",
    "优秀党务工作者",
    "教书育人先进个人",
    "党员示范岗标兵",
)
POST_NAMES = {
    PostKind.VANGUARD: ("教学质量先锋岗", "安全管理先锋岗", "课改先锋岗"),
    PostKind.AREA: ("年级组党员责任区", "校园环境党员责任区", "学困生帮扶责任区"),
    PostKind.WINDOW: ("招生咨询示范窗口", "后勤服务示范窗口", "家长接待示范窗口"),
}


def _day(rng: random.Random, year: int, first: tuple[int, int], last: tuple[int, int]):
    start, end = dt.date(year, *first), dt.date(year, *last)
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


class _Loader:
    def __init__(self, today: dt.date):
        self.today = today
        self.rng = random.Random(SEED)
        self.records: dict = defaultdict(list)
        self.root = Organization.objects.get(depth=1, code="DEMO")
        self.orgs = list(
            Organization.objects.filter(path__startswith=self.root.path).order_by("path")
        )
        self.by_path = {o.path: o for o in self.orgs}
        self.counties = [o for o in self.orgs if o.depth == 2 and o.kind == OrgKind.COMMITTEE]
        covering = set(
            School.objects.exclude(covering_org=None).values_list("covering_org_id", flat=True)
        )
        self.school_orgs = [o for o in self.orgs if o.pk in covering]
        self.years = range(FIRST_YEAR, today.year + 1)

    def county_of(self, org):
        return self.by_path.get(org.path[: Organization.steplen * 2])

    def past(self, day: dt.date) -> dt.date | None:
        return day if day <= self.today else None

    # -- "五个好" ---------------------------------------------------------------------------

    def five_good(self):
        checklist = FiveGoodChecklist.objects.in_force(dt.date(FIRST_YEAR, 1, 1))
        n = len(checklist.items)
        rng = self.rng
        district = next(c for c in self.counties if c.code == SEED_DISTRICT)

        def check(org, year, status, reviewed=True):
            checked = _day(rng, year, (3, 1), (10, 31))
            if checked > self.today:
                return
            met = n if status != CheckStatus.RETURNED else n - rng.randint(1, 2)
            answers = {
                str(i): {
                    "met": i < met,
                    "evidence": _("见支部工作台账第%(n)d项") % {"n": i + 1} if i < met else "",
                }
                for i in range(n)
            }
            reviewed_on = checked + dt.timedelta(days=rng.randint(10, 40))
            if not reviewed or reviewed_on > self.today:
                status, reviewed_on = CheckStatus.SUBMITTED, None
            self.records[FiveGoodCheck].append(
                FiveGoodCheck(
                    org=org,
                    checklist=checklist,
                    year=year,
                    self_checked_on=checked,
                    answers=answers,
                    summary=_("对照“五个好”标准逐项自查"),
                    status=status,
                    reviewed_on=reviewed_on,
                    review_note=_("验收合格")
                    if status == CheckStatus.PASSED
                    else _("部分细目未达标, 退回整改"),
                )
            )
            return status

        for org in self.orgs:
            if org.kind not in BRANCH_KINDS:
                continue
            direct_district = (
                org.kind == OrgKind.BRANCH and org.path[: -Organization.steplen] == district.path
            )
            if direct_district:
                # The seed: every branch directly under the district passed by 2010.
                if rng.random() < 0.3:
                    check(org, 2009, CheckStatus.RETURNED)
                check(org, 2010, CheckStatus.PASSED)
            start = rng.randint(2011, 2013)
            for year in range(start, self.today.year + 1, 3):
                status = CheckStatus.PASSED if rng.random() < 0.85 else CheckStatus.RETURNED
                check(org, year, status, reviewed=year < self.today.year or rng.random() < 0.6)

    # -- 党建示范点 -------------------------------------------------------------------------

    def points(self):
        rng = self.rng
        plan_end = max(REACHED_BY)
        by_county = defaultdict(list)
        for org in self.school_orgs:
            county = self.county_of(org)
            if county is not None and org.depth > 2:
                by_county[county.pk].append(org)
        for county in self.counties:
            orgs = sorted(by_county[county.pk], key=lambda o: o.path)
            rng.shuffle(orgs)
            total, placed = len(orgs), 0
            at_standard_by_year: dict[int, list] = defaultdict(list)
            for year in self.years:
                share = REACHED_BY.get(year) or min(
                    CEILING, REACHED_BY[plan_end] + LATER_STEP * (year - plan_end)
                )
                goal = math.ceil(share * total)
                for org in orgs[placed:goal]:
                    if year > FIRST_YEAR and rng.random() < 0.2:
                        self._point(org, year - 1, passed=False)
                    point = self._point(org, year, passed=True)
                    if point is not None and point.evaluated_on is not None:
                        at_standard_by_year[year].append(point)
                placed = max(placed, goal)
            # A few applications that fail and are not tried again.
            for org in orgs[placed : placed + 3]:
                self._point(org, rng.choice(list(self.years)), passed=False)
            self._select(county, at_standard_by_year)

    def _point(self, org, year, *, passed: bool):
        rng = self.rng
        applied = _day(rng, year, (3, 1), (5, 31))
        if applied > self.today:
            return None
        evaluated = self.past(_day(rng, year, (6, 1), (9, 30)))
        score = rng.randint(855, 985) / 10 if passed else rng.randint(700, 845) / 10
        standard = services.standard_score()
        point = DemonstrationPoint(
            org=org,
            applied_on=applied,
            application=_("对照示范点标准, 申报%(year)d年党建示范点") % {"year": year},
            evaluated_on=evaluated,
            score=score if evaluated else None,
            standard_score=standard if evaluated else None,
            meets_standard=bool(evaluated) and score >= standard,
        )
        self.records[DemonstrationPoint].append(point)
        return point

    def _select(self, county, at_standard_by_year):
        rng = self.rng
        waiting: list = []
        titled: list = []
        for year in self.years:
            waiting += at_standard_by_year.get(year, [])
            # Reviews of the titles held before this year, in December.
            reviewed_on = dt.date(year, 12, 10)
            if reviewed_on <= self.today:
                for point in list(titled):
                    kept = rng.random() >= 0.03
                    self.records[DemonstrationReview].append(
                        DemonstrationReview(
                            point=point,
                            year=year,
                            reviewed_on=reviewed_on,
                            kept=kept,
                            note="" if kept else _("年度复核未达到示范点标准"),
                        )
                    )
                    if not kept:
                        point.revoked_on, point.revoke_reason = (
                            reviewed_on,
                            _("年度复核未达到示范点标准"),
                        )
                        titled.remove(point)
            bureau_on = dt.date(year, 12, 20)
            if bureau_on > self.today:
                continue
            if year < 2011:
                n = 5 if county.code == SEED_COUNTY else rng.randint(3, 6)
            else:
                n = rng.randint(15, 20)
            chosen = [p for p in waiting if not p.revoked_on][:n]
            for point in chosen:
                waiting.remove(point)
                point.bureau, point.bureau_on = county, bureau_on
            for point in chosen[: rng.randint(2, 3) if year >= 2011 else 1]:
                point.city_on = bureau_on + dt.timedelta(days=5)
            titled += chosen

    # -- members: star ratings and commitments ---------------------------------------------

    def members(self):
        """The district has rated and recorded commitments on the platform since 2009; the
        counties moved their 评星定格 onto it COUNTY_RATED_YEARS years ago (their earlier
        years are on paper) and their commitments this year. The branches' members of each
        year come from one read of the spells, not one query per year."""
        rng = self.rng
        district = next(c for c in self.counties if c.code == SEED_DISTRICT)
        everyone = {o.pk for o in self.orgs if o.kind in BRANCH_KINDS}
        in_district = {
            o.pk for o in self.orgs if o.pk in everyone and o.path.startswith(district.path)
        }
        counties_from = self.today.year - COUNTY_RATED_YEARS
        spells = list(
            Membership.objects.filter(org_id__in=everyone)
            .filter(Q(end_on__isnull=True) | Q(end_on__gt=dt.date(FIRST_YEAR, 12, 31)))
            .order_by("org_id", "member_id")
            .values_list("member_id", "org_id", "start_on", "end_on")
        )
        for year in self.years:
            counties_rate = counties_from <= year
            counties_commit = year == self.today.year
            branch_ids = everyone if counties_rate or counties_commit else in_district
            day = min(dt.date(year, 12, 31), self.today)
            by_org = defaultdict(list)
            for member_id, org_id, start_on, end_on in spells:
                # spell_in_force(day), over the rows read once
                if start_on <= day and (end_on is None or end_on > day) and org_id in branch_ids:
                    by_org[org_id].append(member_id)
            criteria = services.criteria_for(year)
            rated_on = dt.date(year, 12, rng.randint(20, 28))
            for org_id, people in by_org.items():
                district_branch = org_id in in_district
                if district_branch or counties_commit:
                    self._commitments(org_id, people, year)
                if rated_on <= self.today and (district_branch or counties_rate):
                    self._ratings(org_id, people, year, rated_on, criteria)

    def _ratings(self, org_id, people, year, rated_on, criteria):
        rng = self.rng
        n = len(people)
        five = services.star_cap(criteria, 5, n)
        four = services.star_cap(criteria, 4, n)
        five = rng.randint(0, five) if five is not None else 0
        four = rng.randint(four // 2, four) if four is not None else 0
        order = list(people)
        rng.shuffle(order)
        for i, member_id in enumerate(order):
            if i < five:
                stars = 5
            elif i < five + four:
                stars = 4
            else:
                stars = rng.choices((3, 2, 1), (90, 9, 1))[0]
            # Plain values, no model instance per row (services.insert_rows).
            self.records[StarRating].append(
                {
                    "member_id": member_id,
                    "org_id": org_id,
                    "year": year,
                    "self_stars": min(5, stars + rng.choice((0, 0, 1))),
                    "peer_stars": stars,
                    "stars": stars,
                    "rated_on": rated_on,
                }
            )

    def _commitments(self, org_id, people, year):
        rng = self.rng
        made_on = _day(rng, year, (2, 20), (3, 20))
        if made_on > self.today:
            return
        mid = self.past(dt.date(year, 7, 10))
        final = self.past(dt.date(year, 12, 15))
        mid_note = _("按计划推进") if mid else ""
        outcomes = (Fulfilment.FULFILLED, Fulfilment.PARTLY, Fulfilment.UNFULFILLED)
        labels = {f: str(f.label) if final else "" for f in outcomes}
        for member_id in people:
            if rng.random() < 0.08:
                continue  # not everyone's commitment is on record
            agreed = rng.random() < 0.9
            fulfilment = Fulfilment.PENDING
            if final:
                fulfilment = rng.choices(outcomes, (85, 12, 3))[0]
            self.records[Commitment].append(
                {
                    "member_id": member_id,
                    "org_id": org_id,
                    "year": year,
                    "text": rng.choice(COMMITMENTS),
                    "made_on": made_on,
                    "member_agreed": agreed,
                    "branch_agreed": agreed,
                    "published_on": made_on + dt.timedelta(days=7) if agreed else None,
                    "mid_note": mid_note,
                    "mid_reviewed_on": mid,
                    "fulfilment": fulfilment,
                    "final_note": labels.get(fulfilment, ""),
                    "final_reviewed_on": final,
                }
            )

    # -- posts, exemplars, campaigns --------------------------------------------------------

    def posts_and_exemplars(self):
        rng = self.rng
        members_of = defaultdict(list)
        spells = Membership.objects.filter(spell_in_force(dt.date(2010, 12, 31)))
        for member_id, org_id in spells.order_by("member_id").values_list("member_id", "org_id"):
            members_of[org_id].append(member_id)
        branches = [o for o in self.orgs if o.kind in BRANCH_KINDS]
        for org in branches:
            for _i in range(rng.randint(1, 3)):
                kind = rng.choice(list(PostKind))
                start = _day(rng, rng.randint(2009, 2012), (1, 1), (12, 31))
                ended = (
                    _day(rng, rng.randint(2013, 2020), (1, 1), (12, 31))
                    if rng.random() < 0.3
                    else None
                )
                self.records[Post].append(
                    Post(
                        org=org,
                        kind=kind,
                        name=rng.choice(POST_NAMES[kind]),
                        holder_name=_("%(org)s党员") % {"org": org.name[:4]},
                        start_on=start,
                        end_on=self.past(ended) if ended else None,
                        covers=_("本校相关岗位和区域"),
                    )
                )
        for county in self.counties:
            inside = [o for o in branches if o.path.startswith(county.path)]
            for year in self.years:
                if year in (2009, 2010):
                    n = 28 if county.code == SEED_COUNTY else rng.randint(8, 15)
                else:
                    n = rng.randint(6, 14)
                for _i in range(n):
                    org = rng.choice(inside)
                    recognised = self.past(_day(rng, year, (6, 20), (12, 20)))
                    if recognised is None:
                        continue
                    people = members_of.get(org.pk) or []
                    member_id = rng.choice(people) if people and rng.random() < 0.8 else None
                    title = rng.choice(EXEMPLAR_TITLES)
                    published = self.past(recognised + dt.timedelta(days=rng.randint(3, 30)))
                    self.records[Exemplar].append(
                        Exemplar(
                            org=org,
                            member_id=member_id,
                            name=_("%(org)s先进集体") % {"org": org.name}
                            if member_id is None
                            else "",
                            title=title,
                            level=rng.choices(
                                ("school", "county", "city", "province"), (30, 45, 20, 5)
                            )[0],
                            recognised_on=recognised,
                            story=_(
                                "立足岗位, 爱岗敬业, 在教育教学和服务师生中发挥了先锋模范作用。"
                            ),
                            honour_note=_("%(year)d年“两优一先”表彰") % {"year": year}
                            if rng.random() < 0.5
                            else "",
                            published_on=published if rng.random() < 0.7 else None,
                        )
                    )
        for county in self.counties:
            self.records[Campaign].append(
                Campaign(
                    org=county,
                    name="四比三优两满意",
                    start_on=dt.date(2009, 3, 1),
                    end_on=dt.date(2010, 12, 31),
                    content=_(
                        "比师德、比能力、比业绩、比奉献; 优质服务、优良作风、优异成绩; 学生满意、家长满意"
                    ),
                )
            )
            for year in range(2011, self.today.year + 1):
                if rng.random() < 0.5:
                    self.records[Campaign].append(
                        Campaign(
                            org=county,
                            name=_("%(year)d年创先争优活动") % {"year": year},
                            start_on=dt.date(year, 3, 1),
                            end_on=self.past(dt.date(year, 12, 31)),
                            content=_("党员示范岗创建、公开承诺践诺、评星定格"),
                        )
                    )

    def named_exemplars(self):
        """An exemplar with a member takes the member's name."""
        member_ids = {e.member_id for e in self.records[Exemplar] if e.member_id}
        from dangjian.members.models import Member

        names = dict(Member.objects.filter(pk__in=member_ids).values_list("pk", "name"))
        for exemplar in self.records[Exemplar]:
            if exemplar.member_id:
                exemplar.name = names[exemplar.member_id]


def link_honours(exemplars: list[Exemplar]) -> int:
    """An exemplar said to come from a year's "两优一先" 表彰 is linked to that 表彰 record
    where assessment's demo approved one that fits: the same member's 优秀共产党员 or
    优秀党务工作者 of the year (a person), the same branch's 先进基层党组织 (a collective),
    decided by the day it was recognised. Nothing is drawn at random, so the other figures
    stay as they were; the note stays as typed. Returns how many were linked."""
    from dangjian.assessment.models import Honour, HonourKind, HonourStatus

    wanted = [e for e in exemplars if e.honour_note and "两优一先" in e.honour_note]
    if not wanted:
        return 0
    honours = Honour.objects.filter(
        status=HonourStatus.APPROVED,
        kind__in=(
            HonourKind.EXCELLENT_MEMBER,
            HonourKind.EXCELLENT_WORKER,
            HonourKind.ADVANCED_ORG,
        ),
        year__in={e.recognised_on.year for e in wanted},
    ).values_list("pk", "year", "member_id", "org_id", "decided_on")
    by_member, by_org = {}, {}
    for pk, year, member_id, org_id, decided_on in honours.order_by("decided_on", "pk"):
        if member_id:
            by_member.setdefault((member_id, year), (pk, decided_on))
        else:
            by_org.setdefault((org_id, year), (pk, decided_on))
    linked = 0
    for exemplar in wanted:
        year = exemplar.recognised_on.year
        found = (
            by_member.get((exemplar.member_id, year))
            if exemplar.member_id
            else by_org.get((exemplar.org_id, year))
        )
        if found and found[1] <= exemplar.recognised_on:
            exemplar.honour_id = found[0]
            linked += 1
    return linked


def load(today: dt.date) -> dict[str, int]:
    loader = _Loader(today)
    loader.five_good()
    loader.points()
    loader.members()
    loader.posts_and_exemplars()
    loader.named_exemplars()
    link_honours(loader.records[Exemplar])
    return services.load_history(
        CLI, loader.root, dict(loader.records), _("示例市演示数据: 创先争优与示范")
    )
