"""todo_items(): 换届 due and overdue, small branches, uncovered schools, 预备期 over."""

import datetime as dt

import pytest
from django.urls import reverse
from personas import add_member, add_org, add_user

from dangjian.core.context import CLI
from dangjian.core.dates import add_years
from dangjian.members import services as members
from dangjian.orgs import services as orgs
from dangjian.stats.todo import Item, todo_items

TODAY = dt.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def no_meeting_reminders(monkeypatch):
    """Every branch's 三会一课 reminders (tested in tests/life) would crowd these lists."""
    monkeypatch.setattr("dangjian.life.registers.todo_items", lambda user, today: [])


def org_url(world, key):
    return reverse("org-detail", args=[world.orgs[key].pk])


def test_it_lists_the_county_admins_items_most_urgent_first(world):
    items = todo_items(world.users["county_admin"], TODAY)
    assert items == [
        Item(
            "danger",
            "第一学区党总支换届已逾期(应于2023-03-01换届)",
            org_url(world, "gb"),
            dt.date(2023, 3, 1),
        ),
        Item(
            "warning",
            "王五: 预备期已满，应及时讨论转正",
            reverse("member-detail", args=[world.members["a3"].pk]),
            dt.date(2025, 3, 1),
        ),
        Item("warning", "丙丁联合党支部正式党员不足3人(现有2人)", org_url(world, "jb")),
        Item(
            "warning",
            "庚小学: 学校尚未建立党组织",
            reverse("school-detail", args=[world.schools["e"].pk]),
        ),
        Item("warning", "甲小学党支部正式党员不足3人(现有2人)", org_url(world, "ba")),
    ]


def test_it_keeps_to_the_users_scope(world):
    secretary_a = todo_items(world.users["secretary_a"], TODAY)
    assert [item.text for item in secretary_a] == [
        "王五: 预备期已满，应及时讨论转正",
        "甲小学党支部正式党员不足3人(现有2人)",
    ]
    assert todo_items(world.users["secretary_b"], TODAY) == []
    # The city sees the other county's small branch and the city's own 换届 (2026-06-01).
    city = [item.text for item in todo_items(world.users["city_admin"], dt.date(2026, 6, 2))]
    assert "测试市教育局党委换届已逾期(应于2026-06-01换届)" in city
    assert "戊小学党支部正式党员不足3人(现有2人)" in city
    assert len(city) == 7


def test_it_reminds_of_a_due_election_six_months_and_one_month_ahead(world, settings):
    settings.DANGJIAN_TERM_REMINDER_MONTHS = (6, 1)
    ba = world.orgs["ba"]

    def election_items(today):
        return [
            item
            for item in todo_items(world.users["secretary_a"], today)
            if item.url == org_url(world, "ba") and item.due
        ]

    due = dt.date(2027, 6, 1)
    assert ba.next_election_on == due
    # Six calendar months ahead, both ends included: from 2026-12-01.
    assert election_items(dt.date(2026, 11, 30)) == []
    [item] = election_items(dt.date(2026, 12, 1))
    assert (item.level, item.due) == ("info", due)
    assert item.text == "甲小学党支部将于2027-06-01任期届满, 请做好换届准备、向上级党组织请示"
    [item] = election_items(dt.date(2027, 4, 30))
    assert item.level == "info"
    # One month ahead: a warning.
    [item] = election_items(dt.date(2027, 5, 1))
    assert item.level == "warning"
    assert "不足1个月" in item.text
    [item] = election_items(due)
    assert item.level == "warning"
    [item] = election_items(due + dt.timedelta(days=1))
    assert item.level == "danger"
    # A term of one year set explicitly.
    orgs.update_org(CLI, ba, term_years=1)
    [item] = election_items(dt.date(2025, 6, 2))
    assert (item.level, item.due) == ("danger", dt.date(2025, 6, 1))


def test_it_counts_full_members_of_a_branch_as_of_today(world):
    secretary_a = world.users["secretary_a"]
    ba_item = "甲小学党支部正式党员不足3人(现有2人)"
    # 王五 converts: three full members, the warning goes, and so does the probation item.
    members.update_member(CLI, world.members["a3"], converted_on=dt.date(2025, 3, 1))
    texts = [item.text for item in todo_items(secretary_a, TODAY)]
    assert texts == []
    # Before 王五's 转正 the branch had two.
    texts = [item.text for item in todo_items(secretary_a, dt.date(2025, 2, 28))]
    assert texts == [ba_item]
    # A member who left does not count.
    members.record_leaving(CLI, world.members["a1"], kind="moved_out", on=dt.date(2025, 5, 1))
    assert [item.text for item in todo_items(secretary_a, dt.date(2025, 4, 30))] == []
    assert [item.text for item in todo_items(secretary_a, dt.date(2025, 5, 1))] == [ba_item]


def test_it_skips_dissolved_orgs_and_groups(world):
    county_admin = world.users["county_admin"]
    add_org(world.orgs["ba"], "T-GRP", "第一党小组", "group")
    add_org(world.orgs["gb"], "T-TMP", "培训班临时党支部", "temporary_branch")
    temp = add_org(
        world.orgs["gb"], "T-NEWJB", "新联合党支部", "joint_branch", founded_on=dt.date(2025, 1, 1)
    )
    texts = [item.text for item in todo_items(county_admin, TODAY)]
    assert "新联合党支部正式党员不足3人(现有0人)" in texts
    # 临时党支部 are exempt from the 3-member rule, and 党小组 are not branches.
    assert not any("培训班临时党支部" in text for text in texts)
    assert not any("第一党小组" in text for text in texts)
    orgs.update_org(CLI, temp, dissolved_on=dt.date(2025, 6, 1))
    orgs.update_org(CLI, world.orgs["gb"], dissolved_on=dt.date(2025, 6, 1))
    texts = [item.text for item in todo_items(county_admin, TODAY)]
    assert not any("新联合党支部" in text or "第一学区" in text for text in texts)


def test_it_gives_a_probationary_member_their_own_item(world):
    probie = add_user(
        "probie", world.orgs["ba"], "member_self", full_name="王五", member=world.members["a3"]
    )
    items = todo_items(probie, TODAY)
    assert [(item.level, item.text, item.due) for item in items] == [
        ("warning", "王五: 预备期已满，应及时讨论转正", dt.date(2025, 3, 1))
    ]
    # The day before the year is up there is nothing yet.
    assert todo_items(probie, dt.date(2025, 2, 28)) == []
    assert todo_items(world.users["member"], TODAY) == []


def test_it_uses_a_constant_number_of_queries(world, django_assert_max_num_queries):
    admin = world.users["city_admin"]
    todo_items(admin, TODAY)  # roles are cached on the user after this
    # One query per rule of every module (elections awaiting approval, two of 责任与考核,
    # 廉政风险 reviews, two of 党费, 转接, 培训学时, 创先争优...), plus recruitment's reminder
    # setting and 组织生活's branches in use: a fixed number, whatever the rows.
    with django_assert_max_num_queries(18):
        before = todo_items(admin, TODAY)
    for i in range(10):
        branch = add_org(
            world.orgs["county2"],
            f"T-N{i}",
            f"新支部{i}",
            "branch",
            term_start=add_years(TODAY, -4),
        )
        add_member(branch, f"新党员{i}", joined=dt.date(2024, 1, 2), converted=None)
    # One query per rule of every module (elections awaiting approval, two of 责任与考核,
    # 廉政风险 reviews, two of 党费, 转接, 培训学时, 创先争优...), plus recruitment's reminder
    # setting and 组织生活's branches in use: a fixed number, whatever the rows.
    with django_assert_max_num_queries(18):
        after = todo_items(admin, TODAY)
    assert len(after) == len(before) + 30
