"""Deadlines on the to-do list of the branch and of the approving committee."""

from dangjian.recruitment.todo import todo_items
from tests.recruitment.helpers import D, new_recruit, step


def test_it_lists_due_and_overdue_items_for_branch_and_committee(world):
    late = new_recruit(world.orgs["ba"], D(2026, 9, 1), name="逾期谈话")
    soon = new_recruit(world.orgs["ba"], D(2026, 11, 1), name="即将谈话")
    done = new_recruit(world.orgs["ba"], D(2026, 11, 1), name="已谈话")
    step(done, "talk", D(2026, 11, 5))
    new_recruit(world.orgs["bb"], D(2026, 9, 1), name="乙校逾期")
    today = D(2026, 11, 20)
    secretary = todo_items(world.users["secretary_a"], today)
    assert [(i.level, i.due) for i in secretary] == [
        ("danger", D(2026, 10, 1)),
        ("warning", D(2026, 12, 1)),
    ]
    assert secretary[0].text == "逾期谈话: 应于2026-10-01前派人谈话(已逾期)"
    assert secretary[0].url == f"/recruitment/{late.pk}/"
    assert "即将谈话" in secretary[1].text and soon.pk
    county = todo_items(world.users["county_admin"], today)
    assert len(county) == 3
    # Each item names its branch, so the full 待办 list can group and filter it by org.
    assert {i.org_path for i in county} == {world.orgs["ba"].path, world.orgs["bb"].path}
    assert todo_items(world.users["member"], today) == []
