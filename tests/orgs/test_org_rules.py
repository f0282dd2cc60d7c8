import datetime as dt

from dangjian.core.dates import add_months
from dangjian.orgs import rules


def messages(kind, full, total, seats):
    return [
        m
        for _, m in rules.branch_hints(kind, full_members=full, members=total, current_seats=seats)
    ]


def test_it_warns_a_branch_with_fewer_than_three_full_members():
    assert messages("branch", 2, 5, 0) == ["正式党员不足3人，应与邻近单位成立联合党支部"]
    assert messages("branch", 3, 3, 0) == []
    assert rules.branch_hints("branch", full_members=2, members=2, current_seats=0)[0][0] == (
        "warning"
    )


def test_it_asks_for_a_committee_from_seven_full_members():
    assert messages("branch", 7, 7, 2) == ["正式党员7人以上的党支部应设立支部委员会"]
    assert messages("branch", 7, 7, 3) == []
    assert messages("branch", 6, 9, 0) == []
    assert messages("joint_branch", 8, 8, 1) == ["正式党员7人以上的党支部应设立支部委员会"]


def test_it_suggests_splitting_above_fifty_members():
    assert messages("branch", 50, 50, 5) == []
    assert messages("branch", 49, 51, 5) == ["党员人数超过50人的党支部一般应分设"]


def test_it_gives_no_branch_hints_to_committees_and_groups():
    assert messages("committee", 0, 80, 0) == []
    assert messages("general_branch", 1, 60, 0) == []
    assert messages("group", 1, 1, 0) == []


def test_it_classifies_the_election_date():
    today = dt.date(2026, 11, 24)
    assert rules.election_status(None, today, 6) is None
    assert rules.election_status(dt.date(2026, 11, 23), today, 6) == "overdue"
    assert rules.election_status(today, today, 6) == "due"
    assert rules.election_status(add_months(today, 6), today, 6) == "due"
    assert rules.election_status(add_months(today, 6) + dt.timedelta(days=1), today, 6) is None
