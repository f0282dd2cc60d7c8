"""Shared personas and a small hand-built city (DESIGN 3.2): every test speaks of the same
people and orgs, so a scope rule is checked against the same shape everywhere."""

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from dangjian.accounts import services as accounts
from dangjian.core.context import CLI
from dangjian.core.validators import id_check_digit
from dangjian.members import services as members
from dangjian.orgs import services as orgs

PASSWORD = "Test#Pass2026"


# 18 characters standing alone (not inside a longer run of letters and digits).
_ID_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def id_numbers_in(text: str | bytes) -> list[str]:
    """Full 公民身份号码 in a page, a file or a dump: runs of 18 standing alone whose GB 11643
    check digit is right. Hex digests and random tokens that happen to hold 18 digits in a
    row are not ID numbers; without the check one in a few hundred runs failed on them."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return [run for run in _ID_RUN.findall(text) if id_check_digit(run[:17]) == run[17].upper()]


def make_id(birth: dt.date, seq: int = 1, sex: str = "male", area: str = "640102") -> str:
    """A valid 18-digit 公民身份号码 for tests."""
    # 002-997, odd for men: never 000/001, the sequence of the templates' sample numbers
    # (640102198505010014), which the crawl test must not find among the members.
    digit = 2 + (seq * 2) % 996 + (1 if sex == "male" else 0)
    body = f"{area}{birth:%Y%m%d}{digit:03d}"
    return body + id_check_digit(body)


@dataclass
class World:
    orgs: dict = field(default_factory=dict)
    schools: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


# Never exhausted: make_id keeps the last three digits, and each test rolls its rows back.
_seq = itertools.count(1)


def add_member(
    org,
    name,
    *,
    sex="male",
    birth=dt.date(1985, 5, 1),
    joined=dt.date(2010, 7, 1),
    converted=dt.date(2011, 7, 1),
    person_type="teacher",
    education="bachelor",
    work_unit=None,
    ethnicity="汉族",
    actor=CLI,
    id_number=None,
):
    return members.create_member(
        actor,
        name=name,
        sex=sex,
        ethnicity=ethnicity,
        id_number=id_number or make_id(birth, next(_seq), sex),
        education=education,
        org=org,
        work_unit=work_unit,
        person_type=person_type,
        joined_on=joined,
        converted_on=converted,
    )


def add_org(parent, code, name, kind, *, actor=CLI, **extra):
    """An org through the service, so the tree and kind rules run as they do for a user."""
    return orgs.create_org(actor, parent=parent, code=code, name=name, kind=kind, **extra)


def add_school(code, name, supervisor, covering, **extra):
    """A small rural primary school; `extra` overrides any field of `create_school`."""
    fields = {
        "stage": "primary",
        "ownership": "public",
        "locality": "rural",
        "staff_count": 10,
        "teacher_count": 8,
        "student_count": 100,
        **extra,
    }
    return orgs.create_school(
        CLI, code=code, name=name, supervising_org=supervisor, covering_org=covering, **fields
    )


def add_user(username, org, role, *, full_name=None, member=None):
    """An account with one role, signing in with PASSWORD."""
    return accounts.create_user(
        CLI,
        username=username,
        password=PASSWORD,
        full_name=full_name or username,
        org=org,
        role=role,
        member=member,
    )


def member_row(org, name, birth, seq, **extra):
    """One row for the bulk member services (`bulk_create_members`, `import_members`)."""
    sex = extra.pop("sex", "male")
    return {
        "name": name,
        "sex": sex,
        "ethnicity": "汉族",
        "id_number": make_id(birth, seq, sex),
        "education": "bachelor",
        "org": org,
        "person_type": "teacher",
        "joined_on": dt.date(2015, 6, 28),
        "converted_on": dt.date(2016, 6, 28),
        **extra,
    }


def build_world() -> World:
    w = World()
    o = w.orgs
    # key, parent key, code, name, kind, founded on, term start
    for key, parent, code, name, kind, founded_on, term_start in (
        ("city", None, "T-CITY", "测试市教育局党委", "committee", dt.date(1990, 1, 1), dt.date(2021, 6, 1)),
        ("county", "city", "T-COUNTY", "测试县教体局党委", "committee", dt.date(1995, 1, 1), None),
        ("gb", "county", "T-GB", "第一学区党总支", "general_branch", dt.date(2009, 3, 1), dt.date(2020, 3, 1)),
        ("ba", "gb", "T-BA", "甲小学党支部", "branch", dt.date(2009, 6, 1), dt.date(2024, 6, 1)),
        ("bb", "gb", "T-BB", "乙中学党支部", "branch", dt.date(2012, 6, 1), None),
        ("jb", "county", "T-JB", "丙丁联合党支部", "joint_branch", dt.date(2010, 1, 1), None),
        ("county2", "city", "T-COUNTY2", "另一县教体局党委", "committee", None, None),
        ("bx", "county2", "T-BX", "戊小学党支部", "branch", None, None),
    ):  # fmt: skip
        o[key] = orgs.create_org(
            CLI,
            parent=o[parent] if parent else None,
            code=code,
            name=name,
            kind=kind,
            founded_on=founded_on,
            term_start=term_start,
        )
    s = w.schools

    def school(key, code, name, stage, supervisor, covering, teachers):
        s[key] = orgs.create_school(
            CLI,
            code=code,
            name=name,
            stage=stage,
            ownership="public",
            locality="town",
            supervising_org=supervisor,
            covering_org=covering,
            district="测试县",
            staff_count=teachers + 5,
            teacher_count=teachers,
            student_count=teachers * 15,
        )

    school("a", "S-A", "甲小学", "primary", o["county"], o["ba"], 20)
    school("b", "S-B", "乙中学", "junior", o["county"], o["bb"], 30)
    school("c", "S-C", "丙小学", "primary", o["county"], o["jb"], 8)
    school("d", "S-D", "丁小学", "primary", o["county"], o["jb"], 6)
    school("e", "S-E", "庚小学", "primary", o["county"], None, 5)
    school("x", "S-X", "戊小学", "primary", o["county2"], o["bx"], 10)
    m = w.members
    m["a1"] = add_member(o["ba"], "张三", work_unit=s["a"])
    m["a2"] = add_member(o["ba"], "李四", sex="female", work_unit=s["a"], ethnicity="回族")
    m["a3"] = add_member(
        o["ba"],
        "王五",
        work_unit=s["a"],
        joined=dt.date(2024, 3, 1),
        converted=None,
        birth=dt.date(1998, 2, 3),
    )
    m["b1"] = add_member(o["bb"], "赵六", work_unit=s["b"])
    m["b2"] = add_member(o["bb"], "钱七", sex="female", work_unit=s["b"], person_type="manager")
    m["b3"] = add_member(o["bb"], "孙八", work_unit=s["b"], education="college")
    m["c1"] = add_member(o["jb"], "周九", work_unit=s["c"])
    m["d1"] = add_member(o["jb"], "吴十", work_unit=s["d"], sex="female")
    m["x1"] = add_member(o["bx"], "郑一", work_unit=s["x"])
    m["x2"] = add_member(o["bx"], "冯二", work_unit=s["x"], sex="female")
    u = w.users

    def user(key, org, role, member=None):
        u[key] = add_user(key, org, role, member=member)

    user("city_admin", o["city"], "admin")
    user("county_admin", o["county"], "admin")
    user("secretary_a", o["ba"], "organiser")
    user("secretary_b", o["bb"], "organiser")
    user("member", o["ba"], "member_self", member=m["a1"])
    # 纪检 of the county: the confidential discipline records of its subtree and nothing else.
    user("discipline", o["county"], "discipline")
    User = get_user_model()
    for key in list(u):
        u[key] = User.objects.get(pk=u[key].pk)
    return w


PERSONAS = (
    "city_admin",
    "county_admin",
    "secretary_a",
    "secretary_b",
    "member",
    "discipline",
    "anonymous",
)
