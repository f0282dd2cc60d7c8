"""Every write path of the member services keeps the spells' copy of the counted member
attributes equal to the members (tests/mirror.py), so the statistics read from the copy
are the live join's figures."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from mirror import assert_exact, figure_differences, mirror_differences
from personas import build_world, make_id, member_row

from dangjian.core.context import CLI
from dangjian.members import services
from dangjian.members.models import Member, Membership
from dangjian.stats import triggers

D = dt.date


def test_it_catches_a_stale_copy(world):
    """The check itself can fail: a copy left behind shows in both comparisons."""
    assert_exact()
    a2 = world.members["a2"]
    Membership.objects.filter(member=a2).update(
        sex="male", education="college", joined_on=D(2001, 7, 1)
    )
    found = {name for _pk, name, _c, _m in mirror_differences()}
    assert found == {"sex", "education", "joined_on"}
    assert ("T-BA", D(2024, 6, 30), "statistics") in figure_differences()
    Member.objects.filter(pk=world.members["b1"].pk).update(person_type="manager")
    assert ("T-COUNTY", D(2024, 6, 30), "breakdown") in figure_differences()


def test_the_single_record_services_keep_the_copy(world):
    ba, bb, bx = world.orgs["ba"], world.orgs["bb"], world.orgs["bx"]
    schools = world.schools
    member = services.create_member(
        CLI,
        name="马文静",
        sex="female",
        ethnicity="回族",
        id_number=make_id(D(1990, 3, 4), 801, "female"),
        education="postgraduate",
        org=ba,
        work_unit=schools["a"],
        person_type="manager",
        joined_on=D(2015, 6, 1),
        converted_on=None,
        backbone="famous",
    )
    assert_exact()
    # Every mirrored attribute changes (the birth date through the ID number).
    member = services.update_member(
        CLI,
        member,
        sex="male",
        ethnicity="汉族",
        id_number=make_id(D(1992, 8, 9), 802, "male"),
        education="college",
        work_unit=schools["b"],
        person_type="teacher",
        converted_on=D(2016, 6, 1),
        backbone="",
    )
    assert member.birth_date == D(1992, 8, 9)
    assert_exact()
    # A transfer closes the spell and opens another; later changes reach both.
    member = services.update_member(CLI, member, org=bb, transfer_on=D(2020, 3, 1))
    member = services.update_member(CLI, member, education="bachelor", backbone="skilled")
    assert member.spells.count() == 2
    assert_exact()
    # A transfer on the spell's first day moves the spell; the 入党日期 moves the first one.
    member = services.update_member(CLI, member, org=bx, transfer_on=D(2020, 3, 1))
    member = services.update_member(CLI, member, joined_on=D(2014, 6, 1), converted_on=None)
    assert_exact()
    member = services.record_leaving(CLI, member, kind="suspended", on=D(2022, 1, 1))
    member = services.update_member(CLI, member, education="high_school")
    assert_exact()
    member = services.restore(CLI, member, on=D(2023, 5, 1), org=ba)
    member = services.update_member(CLI, member, person_type="retired", work_unit=None)
    assert member.spells.count() == 3
    assert_exact()
    services.delete_member(CLI, member)
    assert_exact()


@pytest.mark.parametrize("copy_rows", [None, 1], ids=["bulk_create", "copy"])
def test_the_bulk_services_and_the_import_keep_the_copy(world, monkeypatch, copy_rows):
    """Both the ORM path and (on PostgreSQL) the COPY path of the bulk writers."""
    if copy_rows:
        monkeypatch.setattr(services, "COPY_MIN_ROWS", copy_rows)
        monkeypatch.setattr(services, "STREAM_BATCH", 1)  # rounds of one or two members
    ba, bb, bx = world.orgs["ba"], world.orgs["bb"], world.orgs["bx"]
    schools = world.schools
    created = services.bulk_create_members(
        CLI,
        [
            member_row(ba, "马文静", D(1990, 3, 4), 811, sex="female", ethnicity="回族"),
            member_row(bb, "刘建国", D(1988, 7, 9), 812, converted_on=None, work_unit=schools["b"]),
            member_row(
                bx,
                "周立新",
                D(1992, 1, 2),
                813,
                backbone="backbone",
                education="college",
                moved_in_on=D(2017, 8, 25),
            ),
        ],
        audit_note="批量",
    )
    assert_exact()
    wen, jian, li = (Member.objects.select_related("org").get(pk=m.pk) for m in created)
    a1 = Member.objects.select_related("org").get(pk=world.members["a1"].pk)
    changed = services.bulk_update_members(
        CLI,
        [
            (wen, {"education": "postgraduate", "person_type": "retired", "org": bb}),
            (jian, {"converted_on": D(2016, 12, 1), "work_unit": schools["a"]}),
            (li, {"joined_on": D(2015, 1, 1), "ethnicity": "壮族", "backbone": ""}),
            (a1, {"ethnicity": "满族", "org": bx}),
        ],
        transfer_on=D(2021, 9, 1),
    )
    assert changed == 4
    assert_exact()
    b1 = Member.objects.select_related("org").get(pk=world.members["b1"].pk)
    created, matched, changed = services.import_members(
        CLI,
        creates=[member_row(ba, "吴小明", D(1996, 2, 2), 814, converted_on=None)],
        updates=[(b1, {"education": "college", "person_type": "manager"})],
        source="members.xlsx",
        sha256="0" * 64,
        checked=False,
    )
    assert (created, matched, changed) == (1, 1, 1)
    assert_exact()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_fills_the_joined_on_copy_and_goes_back():
    """members 0009 adds the spells' copy of the 入党日期 and fills it from the members; the
    way back drops it; the change counter's triggers on the spells survive both ways."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    build_world()
    before = triggers.installed(connection)
    assert "members_membership" in before

    def columns():
        with connection.cursor() as cursor:
            return {
                c.name
                for c in connection.introspection.get_table_description(
                    cursor, "members_membership"
                )
            }

    try:
        executor.migrate([("members", "0008_letter_requests")])
        assert "joined_on" not in columns()
        assert "members_membership" in triggers.installed(connection)
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        assert "joined_on" in columns()
        assert Membership.objects.filter(joined_on__isnull=True).count() == 0
        assert Membership.objects.exists()
        assert mirror_differences() == []
        assert triggers.installed(connection) == before
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
