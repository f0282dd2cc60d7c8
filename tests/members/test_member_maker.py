"""members.services._member_maker builds the same instance as `Member(**values)` (the
import's members are made by it), faster; its relations are cached as the keyword path
caches them, so reading a member's org costs no query."""

import datetime as dt

from dangjian.members.models import Member
from dangjian.members.services import MEMBER_FIELDS, _member_maker


def state(member: Member) -> dict:
    values = {f.attname: getattr(member, f.attname) for f in Member._meta.concrete_fields}
    values.pop("id_cipher")  # encrypted with a fresh nonce each time: compared decrypted
    values["id_number"] = member.id_number
    values["cached"] = dict(member._state.fields_cache)
    values["adding"] = member._state.adding
    return values


def test_it_builds_what_the_keyword_path_builds(world, django_assert_num_queries):
    org, school = world.orgs["ba"], world.schools["a"]
    full = {
        "name": "王小明",
        "sex": "male",
        "ethnicity": "回族",
        "id_number": "110101199003071234",
        "education": "bachelor",
        "person_type": "teacher",
        "backbone": "famous",
        "title": "一级教师",
        "phone": "13800000000",
        "org": org,
        "work_unit": school,
        "joined_on": dt.date(2015, 7, 1),
        "converted_on": dt.date(2016, 7, 1),
        "user": world.users["member"],
    }
    assert set(full) == set(MEMBER_FIELDS)
    cases = [
        full,
        {**full, "work_unit": None, "user": None, "converted_on": None},
        {k: v for k, v in full.items() if k in ("name", "sex", "org", "joined_on")},
        {k: v for k, v in full.items() if k not in ("id_number", "ethnicity")},
        {**full, "id_number": 110101199003071234.0},  # Excel's float, kept for the checks
        {},
    ]
    make = _member_maker()
    for values in cases:
        made, expected = make(dict(values)), Member(**values)
        assert state(made) == state(expected), values
    with django_assert_num_queries(0):
        assert make(full).org.path == org.path and make(full).work_unit.code == school.code
