"""Believable people for 示例市: names (Faker zh_CN, 回族 surnames where the region has them),
valid 18-digit ID numbers that agree with sex and birth date, mobiles, schooling, titles."""

import datetime as dt
import random
from dataclasses import dataclass, field

from faker import Faker

from dangjian.core.dates import add_years, age_on
from dangjian.core.validators import id_check_digit
from dangjian.demo import names
from dangjian.demo.structure import OrgSpec, Region, SchoolSpec
from dangjian.members.choices import HAN, Backbone, Education, PersonType, Sex

# Statutory retirement ages used for the demo's history (teachers and cadres; women
# workers retire at 50).
RETIREMENT_AGE = {Sex.MALE: 60, Sex.FEMALE: 55}
FEMALE_WORKER_RETIREMENT_AGE = 50


@dataclass(eq=False)
class Person:
    """A member as planned, and (once written) the record and its current state."""

    name: str
    sex: str
    ethnicity: str
    id_number: str
    birth: dt.date
    education: str
    person_type: str
    org: OrgSpec
    school: SchoolSpec | None
    joined_on: dt.date
    converted_on: dt.date | None
    moved_in_on: dt.date | None = None
    phone: str = ""
    title: str = ""
    backbone: str = ""
    promising: bool = False  # a 骨干 candidate: more likely to hold a 骨干类别
    # state during the history
    member: object = None
    left_on: dt.date | None = None
    spells: list = field(default_factory=list)  # [org spec, start, end or None]

    @property
    def start_on(self) -> dt.date:
        return self.moved_in_on or self.joined_on

    @property
    def active(self) -> bool:
        return self.left_on is None

    def retirement_day(self) -> dt.date:
        years = RETIREMENT_AGE[self.sex]
        if self.sex == Sex.FEMALE and self.person_type == PersonType.WORKER:
            years = FEMALE_WORKER_RETIREMENT_AGE
        return add_years(self.birth, years)

    def full_on(self, day: dt.date) -> bool:
        return self.converted_on is not None and self.converted_on <= day

    def org_on(self, day: dt.date) -> OrgSpec | None:
        for org, start, end in self.spells:
            if start <= day and (end is None or end > day):
                return org
        return None

    def row(self) -> dict:
        return {
            "name": self.name,
            "sex": self.sex,
            "ethnicity": self.ethnicity,
            "id_number": self.id_number,
            "education": self.education,
            "org": self.org.obj,
            "work_unit": self.school.obj if self.school else None,
            "person_type": self.person_type,
            "joined_on": self.joined_on,
            "converted_on": self.converted_on,
            "moved_in_on": self.moved_in_on,
            "phone": self.phone,
            "title": self.title,
            "backbone": self.backbone,
        }


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class PersonMaker:
    def __init__(self, rng: random.Random, seed: int):
        self.rng = rng
        self.faker = Faker("zh_CN")
        self.faker.seed_instance(seed)
        self._ids: set[str] = set()

    def ethnicity(self, region: Region) -> str:
        roll = self.rng.random()
        if roll < region.hui_share:
            return "回族"
        if roll < region.hui_share + 0.012:
            return self.rng.choice(names.OTHER_MINORITIES)
        return HAN

    def name(self, sex: str, ethnicity: str) -> str:
        faker = self.faker
        surname = faker.last_name()
        if ethnicity == "回族" and self.rng.random() < 0.7:
            surname = self.rng.choice(names.HUI_SURNAMES)
        given = faker.first_name_male if sex == Sex.MALE else faker.first_name_female
        first = given()
        if len(first) == 1 and self.rng.random() < 0.45:
            second = given()
            if len(second) == 1 and second != first:
                first += second
        return surname + first

    def id_number(self, area: str, birth: dt.date, sex: str) -> str:
        """GB 11643: area, birth date, sequence (odd for men), check character."""
        while True:
            sequence = self.rng.randrange(0, 500) * 2 + (1 if sex == Sex.MALE else 0)
            body = f"{area}{birth:%Y%m%d}{sequence:03d}"
            number = body + id_check_digit(body)
            if number not in self._ids:
                self._ids.add(number)
                return number

    def phone(self) -> str:
        return self.rng.choice(names.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def education(self, person_type: str, birth: dt.date, school: SchoolSpec | None) -> str:
        rng = self.rng
        if person_type == PersonType.WORKER:
            return weighted(
                rng,
                (
                    (Education.HIGH_SCHOOL, 5),
                    (Education.SECONDARY_VOCATIONAL, 3),
                    (Education.JUNIOR_OR_BELOW, 2),
                ),
            )
        if birth.year < 1960:
            return weighted(
                rng,
                (
                    (Education.SECONDARY_VOCATIONAL, 4),
                    (Education.COLLEGE, 4),
                    (Education.BACHELOR, 2),
                    (Education.HIGH_SCHOOL, 1),
                ),
            )
        senior = school is not None and school.has_students_of_age
        if birth.year < 1975:
            return weighted(
                rng,
                (
                    (Education.BACHELOR, 8 if senior else 5),
                    (Education.COLLEGE, 1 if senior else 4),
                    (Education.SECONDARY_VOCATIONAL, 0 if senior else 1),
                    (Education.POSTGRADUATE, 1),
                ),
            )
        return weighted(
            rng,
            (
                (Education.BACHELOR, 8),
                (Education.COLLEGE, 1 if senior else 2),
                (Education.POSTGRADUATE, 2 if senior else 1),
            ),
        )

    def title(self, person_type: str, age: int) -> str:
        rng = self.rng
        if person_type in (PersonType.TEACHER, PersonType.MANAGER, PersonType.RETIRED):
            for minimum, titles in names.TEACHER_TITLES_BY_AGE:
                if age >= minimum:
                    return weighted(rng, titles)
        if person_type == PersonType.SUPPORT:
            return weighted(rng, names.SUPPORT_TITLES)
        if person_type == PersonType.WORKER:
            return weighted(rng, names.WORKER_TITLES)
        return ""

    def backbone(self, person_type: str, age: int, promising: bool = False) -> str:
        """The seed's gradient 教学能手 → 学科带头人 → 骨干教师 → 名优教师; 名优 is rare."""
        if person_type != PersonType.TEACHER or age < 27:
            return Backbone.NONE
        boost = 2 if promising else 1
        return weighted(
            self.rng,
            (
                (Backbone.NONE, 70),
                (Backbone.SKILLED, 12 * boost),
                (Backbone.SUBJECT_LEADER, 7 * boost),
                (Backbone.BACKBONE, 9 * boost),
                (Backbone.FAMOUS, 2 if age >= 35 else 0),
            ),
        )

    def person(
        self,
        *,
        region: Region,
        org: OrgSpec,
        school: SchoolSpec | None,
        person_type: str,
        sex: str,
        birth: dt.date,
        joined_on: dt.date,
        converted_on: dt.date | None,
        moved_in_on: dt.date | None = None,
        promising: bool = False,
    ) -> Person:
        """Titles and 骨干类别 are set later (`finish`), as they stand today."""
        ethnicity = self.ethnicity(region)
        education = self.education(person_type, birth, school)
        if person_type == PersonType.STUDENT:
            education = (
                Education.SECONDARY_VOCATIONAL
                if school and school.stage == "vocational"
                else Education.HIGH_SCHOOL
            )
        return Person(
            name=self.name(sex, ethnicity),
            sex=sex,
            ethnicity=ethnicity,
            id_number=self.id_number(region.area, birth, sex),
            birth=birth,
            education=education,
            person_type=person_type,
            org=org,
            school=school,
            joined_on=joined_on,
            converted_on=converted_on,
            moved_in_on=moved_in_on,
            phone=self.phone() if self.rng.random() < 0.93 else "",
            promising=promising,
        )

    def finish(self, person: Person, on: dt.date) -> None:
        if person.person_type == PersonType.STUDENT:
            return
        age = age_on(person.birth, on)
        person.title = self.title(person.person_type, age)
        person.backbone = self.backbone(person.person_type, age, person.promising)
