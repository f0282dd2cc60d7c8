"""The shape of 示例市 (regions, party orgs, schools), planned in memory before anything is
written. Only the seeded generator decides it, never today's date, so every run builds the
same city and the 2010 report reads the same on every machine."""

import datetime as dt
import random
from dataclasses import dataclass, field

from dangjian.demo import names
from dangjian.orgs.models import Locality, OrgKind, SchoolStage

SEED_DAY = dt.date(2010, 12, 31)  # the seed speech's reporting date
CAMPAIGN_START = dt.date(2009, 1, 1)  # "2009年以来": the two years the speech reports on
CN = names.CHINESE_NUMBERS


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


@dataclass(eq=False)
class Region:
    """The city bureau, the district or a county: its ID-number area code and 回族 share."""

    key: str
    code: str  # org code prefix: DEMO, DEMO-QU, DEMO-XIAN1, ...
    name: str
    area: str
    hui_share: float
    committee: "OrgSpec | None" = None
    office: "OrgSpec | None" = None  # 机关党支部 of the bureau


@dataclass(eq=False)
class OrgSpec:
    code: str
    name: str
    kind: str
    parent: "OrgSpec | None"
    founded_on: dt.date
    region: Region
    appointed: bool = False  # first committee formed by 考察任命 (seed: 12 学区, 2 高中)
    schools: list["SchoolSpec"] = field(default_factory=list)  # schools it covers
    # Where members of its schools are kept: itself, or a 党总支's 党支部 by 教研组.
    branches: list["OrgSpec"] = field(default_factory=list)
    area_org: "OrgSpec | None" = None  # the 学区 党总支 (or bureau) above it
    obj: object = None  # the Organization once written
    terms: list[dt.date] = field(default_factory=list)  # 换届 dates, the last is current
    secretary: object = None  # the current secretary (a Person) once chosen
    # Each term's 班子 as chosen: (start, end or None, formed_by, [(title, Person)]).
    term_seats: list = field(default_factory=list)

    @property
    def holds_members(self) -> bool:
        return self.kind in (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)


@dataclass(eq=False)
class SchoolSpec:
    code: str
    name: str
    stage: str
    locality: str
    region: Region
    teachers: int
    staff: int
    students: int
    supervisor: OrgSpec
    unit: OrgSpec | None = None  # covering org
    obj: object = None

    @property
    def has_students_of_age(self) -> bool:
        """Schools whose pupils may reach 18 (入党 at 18 or older)."""
        return self.stage in (SchoolStage.SENIOR, SchoolStage.COMPLETE, SchoolStage.VOCATIONAL)


@dataclass
class City:
    root: OrgSpec
    regions: list[Region]
    orgs: list[OrgSpec]  # parents before children
    schools: list[SchoolSpec]

    def org(self, code: str) -> OrgSpec:
        return next(org for org in self.orgs if org.code == code)


STUDENTS_PER_TEACHER = {
    SchoolStage.PRIMARY: (12, 17),
    SchoolStage.JUNIOR: (11, 14),
    SchoolStage.SENIOR: (13, 16),
    SchoolStage.COMPLETE: (13, 15),
    SchoolStage.NINE_YEAR: (12, 15),
    SchoolStage.VOCATIONAL: (14, 19),
    SchoolStage.SPECIAL: (3, 5),
}


class _Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.orgs: list[OrgSpec] = []
        self.schools: list[SchoolSpec] = []
        self.regions: list[Region] = []
        self._villages: set[str] = set()
        self._school_seq: dict[str, int] = {}
        self._branch_seq: dict[str, int] = {}

    # -- primitives ---------------------------------------------------------------------

    def day(self, first: str, last: str) -> dt.date:
        return day_between(self.rng, dt.date.fromisoformat(first), dt.date.fromisoformat(last))

    def org(self, code, name, kind, parent, founded_on, region, **extra) -> OrgSpec:
        spec = OrgSpec(code, name, kind, parent, founded_on, region, **extra)
        if spec.holds_members:
            spec.branches = [spec]
        spec.area_org = parent
        self.orgs.append(spec)
        return spec

    def school(self, region, prefix, name, stage, locality, teachers, supervisor) -> SchoolSpec:
        rng = self.rng
        seq = self._school_seq.get(prefix, 0) + 1
        self._school_seq[prefix] = seq
        low, high = STUDENTS_PER_TEACHER[stage]
        if locality == Locality.RURAL and stage == SchoolStage.PRIMARY:
            low, high = 6, 12
        staff = teachers + round(teachers * rng.uniform(0.06, 0.18)) + rng.randint(1, 3)
        spec = SchoolSpec(
            code=f"{prefix}{seq:03d}",
            name=name,
            stage=stage,
            locality=locality,
            region=region,
            teachers=teachers,
            staff=staff,
            students=teachers * rng.randint(low, high) + rng.randint(0, 9),
            supervisor=supervisor,
        )
        self.schools.append(spec)
        return spec

    def town_schools(self, region, prefix, area, town_name, *, juniors, nine_years, sizes):
        """A town's 中学, 九年制学校 and 中心小学 (teachers drawn from `sizes`, in that
        order), each with a 党支部 of its own under the 学区党总支 `area`."""
        rng = self.rng
        for stage, school_names, (low, high), share_old, old_from in (
            (SchoolStage.JUNIOR, juniors, sizes[0], 0.6, "1995-01-01"),
            (SchoolStage.NINE_YEAR, nine_years, sizes[1], 0.4, "2000-01-01"),
            (SchoolStage.PRIMARY, [f"{town_name}中心小学"], sizes[2], 0.5, "1998-01-01"),
        ):
            for school_name in school_names:
                school = self.school(
                    region, prefix, school_name, stage, Locality.TOWN, rng.randint(low, high), area
                )
                self.single(school, area, self.older_or_campaign(share_old, old_from))

    def branch_code(self, prefix: str) -> str:
        seq = self._branch_seq.get(prefix, 0) + 1
        self._branch_seq[prefix] = seq
        return f"{prefix}{seq:03d}" if prefix.endswith("-B") else f"{prefix}{seq:02d}"

    def single(self, school: SchoolSpec, parent: OrgSpec, founded_on: dt.date) -> OrgSpec:
        """One school, one 党支部."""
        branch = self.org(
            self.branch_code(f"{school.region.code}-B"),
            f"{school.name}党支部",
            OrgKind.BRANCH,
            parent,
            founded_on,
            school.region,
        )
        branch.schools = [school]
        school.unit = branch
        return branch

    def joint(
        self, schools: list[SchoolSpec], parent: OrgSpec, name: str, founded_on: dt.date
    ) -> OrgSpec:
        """Small schools, each with fewer than 3 full members, share a 联合党支部 (at most 5)."""
        assert 2 <= len(schools) <= 5
        branch = self.org(
            self.branch_code(f"{schools[0].region.code}-L"),
            name,
            OrgKind.JOINT_BRANCH,
            parent,
            founded_on,
            schools[0].region,
        )
        branch.schools = list(schools)
        for school in schools:
            school.unit = branch
        return branch

    def senior_unit(
        self, school: SchoolSpec, code: str, parent: OrgSpec, founded_on, appointed: bool
    ) -> OrgSpec:
        """A big secondary school: a 党总支 over 党支部 by 教研组, with 党小组 by subject."""
        general = self.org(
            code,
            f"{school.name}党总支",
            OrgKind.GENERAL_BRANCH,
            parent,
            founded_on,
            school.region,
            appointed=appointed,
        )
        general.schools = [school]
        school.unit = general
        for suffix, branch_name, groups in names.SENIOR_BRANCHES:
            branch = self.org(
                f"{code}-{suffix}",
                f"{school.name}{branch_name}",
                OrgKind.BRANCH,
                general,
                founded_on,
                school.region,
            )
            general.branches.append(branch)
            for number, group_name in enumerate(groups, start=1):
                self.org(
                    f"{code}-{suffix}-G{number}",
                    f"{school.name}{group_name}",
                    OrgKind.GROUP,
                    branch,
                    founded_on + dt.timedelta(days=self.rng.randint(0, 60)),
                    school.region,
                )
        return general

    def village(self) -> str:
        while True:
            name = self.rng.choice(names.VILLAGE_FIRST) + self.rng.choice(names.VILLAGE_SECOND)
            if name[0] != name[1] and name not in self._villages:
                self._villages.add(name)
                return name

    def older_or_campaign(self, share_old: float, old_from: str) -> dt.date:
        """Many branches date from the 2009-2010 campaign ("首次实现了党组织对学校的全覆盖")."""
        if self.rng.random() < share_old:
            return self.day(old_from, "2008-12-31")
        return self.day("2009-01-01", "2010-11-30")


def _district(b: _Builder, root: OrgSpec) -> Region:
    rng = b.rng
    region = Region("QU", "DEMO-QU", "示例区", "640502", hui_share=0.14)
    b.regions.append(region)
    qu = b.org("DEMO-QU", "示例区教体局党委", OrgKind.COMMITTEE, root, dt.date(2004, 5, 20), region)
    region.committee = qu
    prefix = "QU-"

    for number, code in ((1, "YZ"), (2, "EZ")):
        school = b.school(
            region,
            prefix,
            f"示例区第{CN[number]}中学",
            SchoolStage.SENIOR,
            Locality.URBAN,
            rng.randint(170, 210),
            qu,
        )
        b.senior_unit(
            school, f"DEMO-QU-{code}", qu, b.day("2009-03-01", "2010-09-30"), appointed=True
        )
    for number in (3, 4, 5):
        school = b.school(
            region,
            prefix,
            f"示例区第{CN[number]}中学",
            SchoolStage.JUNIOR,
            Locality.URBAN,
            rng.randint(90, 130),
            qu,
        )
        b.single(school, qu, b.day("1992-01-01", "2006-12-31"))
    for name, stage, low, high in (
        ("示例区职业技术学校", SchoolStage.VOCATIONAL, 130, 160),
        ("示例区特殊教育学校", SchoolStage.SPECIAL, 22, 32),
        ("示例区第七小学", SchoolStage.PRIMARY, 60, 100),
    ):
        school = b.school(region, prefix, name, stage, Locality.URBAN, rng.randint(low, high), qu)
        b.single(school, qu, b.day("1995-01-01", "2007-12-31"))

    def area(code: str, name: str) -> OrgSpec:
        return b.org(
            f"DEMO-QU-{code}",
            f"示例区{name}学区党总支",
            OrgKind.GENERAL_BRANCH,
            qu,
            b.day("2009-02-01", "2010-10-31"),
            region,
            appointed=True,
        )

    (gulou_code, gulou), (wenchang_code, wenchang) = names.DISTRICT_URBAN_AREAS
    gulou_area = area(gulou_code, gulou)
    for number in (1, 2, 3, 4, 5, 6):
        school = b.school(
            region,
            prefix,
            f"示例区第{CN[number]}小学",
            SchoolStage.PRIMARY,
            Locality.URBAN,
            rng.randint(60, 110),
            gulou_area,
        )
        b.single(school, gulou_area, b.day("1993-01-01", "2008-12-31"))
    wenchang_area = area(wenchang_code, wenchang)
    school = b.school(
        region,
        prefix,
        "示例区第六中学",
        SchoolStage.JUNIOR,
        Locality.URBAN,
        rng.randint(80, 110),
        wenchang_area,
    )
    b.single(school, wenchang_area, b.day("1996-01-01", "2008-12-31"))
    for number in (8, 9, 10, 11, 12):
        school = b.school(
            region,
            prefix,
            f"示例区第{CN[number]}小学",
            SchoolStage.PRIMARY,
            Locality.URBAN,
            rng.randint(55, 100),
            wenchang_area,
        )
        b.single(school, wenchang_area, b.older_or_campaign(0.7, "1998-01-01"))

    for code, town in names.DISTRICT_TOWNS:
        town_name = town + names.DISTRICT_TOWN_SUFFIX.get(town, "镇")
        gb = area(code, town)
        b.town_schools(
            region,
            prefix,
            gb,
            town_name,
            juniors=[f"示例区{town}中学"] if town in names.DISTRICT_JUNIOR_TOWNS else [],
            nine_years=[
                f"示例区{s}九年制学校" for s, home in names.DISTRICT_NINE_YEAR if home == town
            ],
            sizes=((45, 80), (40, 70), (28, 45)),
        )
        count, groups = names.DISTRICT_VILLAGES[town]
        small = [
            b.school(
                region,
                prefix,
                f"{town_name}{b.village()}小学",
                SchoolStage.PRIMARY,
                Locality.RURAL,
                rng.randint(5, 11),
                gb,
            )
            for _ in range(sum(groups))
        ]
        for _ in range(count - sum(groups)):
            school = b.school(
                region,
                prefix,
                f"{town_name}{b.village()}小学",
                SchoolStage.PRIMARY,
                Locality.RURAL,
                rng.randint(12, 24),
                gb,
            )
            b.single(school, gb, b.older_or_campaign(0.25, "2003-01-01"))
        start = 0
        for number, size in enumerate(groups, start=1):
            b.joint(
                small[start : start + size],
                gb,
                f"{town_name}第{CN[number]}联合党支部",
                b.day("2009-03-01", "2010-11-30"),
            )
            start += size
    return region


def _county(
    b: _Builder,
    root: OrgSpec,
    key: str,
    name: str,
    area: str,
    *,
    hui_share: float,
    founded_on: dt.date,
    juniors: int,
    nine_years: int,
    primaries: int,
    uncovered: int,
    late_joint_year: int,
) -> Region:
    """A county bureau: 直属 schools in the county town, one 学区 per 乡镇, most schools
    covered; `uncovered` small ones not yet in 2010, two of which get a 联合党支部 in
    `late_joint_year`."""
    rng = b.rng
    region = Region(key, f"DEMO-{key}", name, area, hui_share=hui_share)
    b.regions.append(region)
    code = f"DEMO-{key}"
    prefix = f"{key[0]}{key[-1]}-"
    committee = b.org(code, f"{name}教体局党委", OrgKind.COMMITTEE, root, founded_on, region)
    region.committee = committee
    region.office = b.org(
        f"{code}-JG",
        f"{name}教体局机关党支部",
        OrgKind.BRANCH,
        committee,
        b.day("1999-01-01", "2006-12-31"),
        region,
    )
    school = b.school(
        region,
        prefix,
        f"{name}第一中学",
        SchoolStage.COMPLETE,
        Locality.URBAN,
        rng.randint(150, 190),
        committee,
    )
    b.senior_unit(
        school, f"{code}-YZ", committee, b.day("2009-01-01", "2010-08-31"), appointed=True
    )
    for school_name, stage, low, high in (
        (f"{name}职业技术教育中心", SchoolStage.VOCATIONAL, 90, 130),
        (f"{name}特殊教育学校", SchoolStage.SPECIAL, 15, 25),
        (f"{name}第二中学", SchoolStage.JUNIOR, 70, 110),
        (f"{name}第三中学", SchoolStage.JUNIOR, 70, 110),
        (f"{name}第一小学", SchoolStage.PRIMARY, 50, 90),
        (f"{name}第二小学", SchoolStage.PRIMARY, 50, 90),
        (f"{name}第三小学", SchoolStage.PRIMARY, 50, 90),
        (f"{name}第四小学", SchoolStage.PRIMARY, 50, 90),
    ):
        school = b.school(
            region, prefix, school_name, stage, Locality.URBAN, rng.randint(low, high), committee
        )
        b.single(school, committee, b.older_or_campaign(0.7, "1994-01-01"))

    towns = names.COUNTY_TOWNS[key]
    villages_total = primaries - 4 - len(towns)
    per_town = [villages_total // len(towns)] * len(towns)
    for index in range(villages_total % len(towns)):
        per_town[index] += 1
    for _ in range(3 * len(towns)):
        give, take = rng.randrange(len(towns)), rng.randrange(len(towns))
        if per_town[give] > 12:
            per_town[give] -= 1
            per_town[take] += 1
    late_town = rng.randrange(len(towns))
    # Which towns keep uncovered schools: two in `late_town` (covered later), the rest spread.
    uncovered_towns = [late_town, late_town] + rng.sample(
        [i for i in range(len(towns)) if i != late_town], uncovered - 2
    )

    for index, town_name in enumerate(towns):
        town = town_name[:-1]
        gb = b.org(
            f"{code}-XQ{index + 1:02d}",
            f"{name}{town}学区党总支",
            OrgKind.GENERAL_BRANCH,
            committee,
            b.day("2006-01-01", "2010-06-30"),
            region,
        )
        b.town_schools(
            region,
            prefix,
            gb,
            town_name,
            juniors=[f"{name}{town}中学"] if index < juniors - 2 else [],
            nine_years=[f"{name}{town}九年制学校"] if index >= len(towns) - nine_years else [],
            sizes=((40, 75), (35, 65), (25, 45)),
        )
        small: list[SchoolSpec] = []
        for _ in range(per_town[index]):
            teachers = rng.randint(4, 11) if rng.random() < 0.45 else rng.randint(12, 24)
            school = b.school(
                region,
                prefix,
                f"{town_name}{b.village()}小学",
                SchoolStage.PRIMARY,
                Locality.RURAL,
                teachers,
                gb,
            )
            if teachers < 12:
                small.append(school)
            else:
                b.single(school, gb, b.older_or_campaign(0.35, "2001-01-01"))
        rng.shuffle(small)
        left_out = small[: uncovered_towns.count(index)]
        small = small[len(left_out) :]
        groups: list[list[SchoolSpec]] = []
        while small:
            size = rng.choices((2, 3, 4, 5), weights=(3, 4, 2, 1))[0]
            if len(small) - size == 1:
                size += 1 if size < 5 else -1
            groups.append(small[:size])
            small = small[size:]
        if groups and len(groups[-1]) == 1:
            lone = groups.pop()
            if groups and len(groups[-1]) < 5:
                groups[-1].extend(lone)
            else:
                left_out.extend(lone)
        for number, group in enumerate(groups, start=1):
            b.joint(
                group,
                gb,
                f"{town_name}第{CN[number]}联合党支部",
                b.older_or_campaign(0.3, "2005-01-01"),
            )
        if index == late_town and len(left_out) >= 2:
            b.joint(
                left_out[:2],
                gb,
                f"{town_name}第{CN[len(groups) + 1]}联合党支部",
                b.day(f"{late_joint_year}-03-01", f"{late_joint_year}-10-31"),
            )
    return region


def build_city(seed: int) -> City:
    rng = random.Random(seed)
    b = _Builder(rng)
    city_region = Region("CITY", "DEMO", "示例市", "640501", hui_share=0.12)
    b.regions.append(city_region)
    root = b.org(
        "DEMO",
        "示例市教育局党委",
        OrgKind.COMMITTEE,
        None,
        dt.date(2004, 3, 15),
        city_region,
    )
    city_region.committee = root
    city_region.office = b.org(
        "DEMO-JG", "示例市教育局机关党支部", OrgKind.BRANCH, root, dt.date(2004, 6, 1), city_region
    )
    _district(b, root)
    _county(
        b,
        root,
        "XIAN1",
        "示例一县",
        "640521",
        hui_share=0.2,
        founded_on=dt.date(1998, 4, 10),
        juniors=9,
        nine_years=5,
        primaries=160,
        uncovered=4,
        late_joint_year=2018,
    )
    _county(
        b,
        root,
        "XIAN2",
        "示例二县",
        "640522",
        hui_share=0.45,
        founded_on=dt.date(1999, 6, 18),
        juniors=8,
        nine_years=5,
        primaries=154,
        uncovered=4,
        late_joint_year=2016,
    )
    return City(root=root, regions=b.regions, orgs=b.orgs, schools=b.schools)
