"""The full 待办 list (/todo/): grouped by kind, filtered by kind and org subtree, paged,
exported; the home page links to it."""

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.stats.todo import grouped, todo_items


def test_items_are_grouped_by_kind_with_counts_orgs_and_first_due(world):
    items = todo_items(world.users["county_admin"], timezone.localdate())
    groups = {group.kind: group for group in grouped(items)}
    assert sum(group.count for group in groups.values()) == len(items)
    small = groups["small-branch"]
    assert small.label == "正式党员不足3人"
    assert small.count == small.orgs == 2  # 甲小学党支部, 丙丁联合党支部
    overdue = groups["election-overdue"]
    assert overdue.label == "换届已逾期"
    assert overdue.first_due == min(i.due for i in items if i.kind == "election-overdue")
    assert groups["uncovered-school"].count == 1


def test_the_home_page_shows_the_groups_and_links_to_the_full_list(world, login):
    html = login(world, "county_admin").get(reverse("home")).content.decode()
    assert 'id="todo-groups"' in html
    assert f'href="{reverse("todo-list")}?kind=small-branch">正式党员不足3人</a>' in html
    assert f'id="todo-all" href="{reverse("todo-list")}"' in html


def test_the_full_list_filters_by_kind_and_org_subtree(world, login):
    client = login(world, "county_admin")
    url = reverse("todo-list")
    response = client.get(url, {"kind": "small-branch"})
    assert response.status_code == 200
    texts = [item.text for item in response.context["page"].object_list]
    assert sorted(texts) == [
        "丙丁联合党支部正式党员不足3人(现有2人)",
        "甲小学党支部正式党员不足3人(现有2人)",
    ]
    # 第一学区党总支's subtree holds 甲小学 but not 丙丁联合党支部.
    response = client.get(url, {"kind": "small-branch", "org": world.orgs["gb"].code})
    texts = [item.text for item in response.context["page"].object_list]
    assert texts == ["甲小学党支部正式党员不足3人(现有2人)"]
    response = client.get(url, {"kind": "no-such-kind"})
    assert "没有符合筛选条件的待办事项" in response.content.decode()


def test_an_org_outside_the_scope_is_not_found(world, login):
    client = login(world, "secretary_a")
    assert client.get(reverse("todo-list"), {"org": world.orgs["county"].code}).status_code == 404


def test_the_full_list_pages_every_item(world, login, settings):
    settings.PAGE_SIZE = 2
    client = login(world, "county_admin")
    total = len(todo_items(world.users["county_admin"], timezone.localdate()))
    assert total > 2
    seen = []
    page = 1
    while True:
        response = client.get(reverse("todo-list"), {"page": page})
        seen += [item.text for item in response.context["page"].object_list]
        if not response.context["page"].has_next():
            break
        page += 1
    assert len(seen) == total == len(set(seen))
    assert "下一页" in client.get(reverse("todo-list")).content.decode()


def test_the_empty_list_says_so(world, login, monkeypatch):
    # Outside the year's last quarter, when 培训学时 shortfalls are reminded.
    monkeypatch.setattr("dangjian.training.registers.SHORTFALL_FROM_MONTH", 13)
    # and without every branch's 三会一课 reminders (tested in tests/life).
    monkeypatch.setattr("dangjian.life.registers.todo_items", lambda user, today: [])
    html = login(world, "secretary_b").get(reverse("todo-list")).content.decode()
    assert "暂无待办事项" in html


def test_the_export_opens_with_every_filtered_item(world, login):
    client = login(world, "county_admin")
    response = client.get(reverse("todo-xlsx"), {"kind": "small-branch"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("类别", "紧急程度", "事项", "期限")
    assert sorted(row[2] for row in rows[1:]) == [
        "丙丁联合党支部正式党员不足3人(现有2人)",
        "甲小学党支部正式党员不足3人(现有2人)",
    ]
    assert {row[0] for row in rows[1:]} == {"正式党员不足3人"}
