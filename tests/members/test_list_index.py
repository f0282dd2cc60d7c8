"""The member list's index (members.0010): on PostgreSQL the (org, status) index carries
the columns the list filters, searches and orders by, so a search's count and a page's ids
are read from the index alone; SQLite keeps the model's plain index."""

import re

import pytest
from django.db import connection

from dangjian.members.models import Member

COVERED = {
    "person_type",
    "sex",
    "education",
    "converted_on",
    "birth_date",
    "name",
    "name_pinyin",
    "name_initials",
    "id_suffix",
    "id",
}


@pytest.mark.django_db
def test_the_org_status_index_covers_the_list():
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Member._meta.db_table)
    index = found["member_org_status"]
    assert index["columns"][:2] == ["org_id", "status"] and index["index"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'member_org_status'")
            (definition,) = cursor.fetchone()
        included = definition.split("INCLUDE (", 1)[1].rstrip(")").split(", ")
        assert set(included) == COVERED


@pytest.mark.django_db
def test_the_list_filters_read_only_covered_columns():
    """A filter or search added to the member list must be covered too, or the count of a
    province-wide search reads the member table again (docs/performance.md)."""
    from dangjian.members.registers import MemberRegister

    queryset = Member.objects.search("王").filter(person_type="teacher")
    for params in (
        {"category": "full"},
        {"age": "41-45"},
        {"sex": "female"},
        {"education": "bachelor"},
    ):
        queryset, _f = MemberRegister.instance.filter(queryset, params, None)
    where = str(queryset.query).split(" WHERE ", 1)[1]
    named = set(re.findall(r'"members_member"\."(\w+)"', where))
    assert {"name", "person_type", "converted_on", "birth_date", "sex", "education"} <= named
    assert named <= COVERED | {"org_id", "status"}, named - COVERED
