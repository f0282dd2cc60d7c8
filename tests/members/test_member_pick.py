"""The member picker (members/pick.py): a form offers the chosen member and the first
PICK_LIMIT others, never every member in scope; the search fetches the matches in scope."""

import re

from django.urls import reverse
from personas import add_member

from dangjian.members import pick
from dangjian.members.models import Member


def options(html: str) -> list[str]:
    select = re.search(r'<select name="member".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)"', select)


def test_a_form_draws_a_page_of_members_and_the_chosen_one(world, login, monkeypatch):
    monkeypatch.setattr(pick, "PICK_LIMIT", 3)
    for i in range(5):
        add_member(world.orgs["ba"], f"成员{i}")
    client = login(world, "county_admin")
    in_scope = pick.pickable(world.users["county_admin"])
    assert in_scope.count() > 5
    page = client.get(reverse("transfer-create")).content.decode()
    shown = options(page)
    assert shown[0] == "" and len(shown) == 4  # the empty choice and three members
    assert 'name="pick_q"' in page and reverse("member-pick") in page
    # A member beyond the first page, chosen and sent back with an error, stays chosen.
    last = in_scope.last()
    assert str(last.pk) not in shown
    response = client.post(reverse("transfer-create"), {"member": last.pk})
    assert response.status_code == 200
    again = options(response.content.decode())
    assert again[1] == str(last.pk) and len(again) == 5
    assert f'<option value="{last.pk}" selected>' in response.content.decode()


def test_the_search_finds_members_in_scope_by_name_and_pinyin(world, login):
    zhang = Member.objects.get(name="张三")
    client = login(world, "secretary_a")
    for text in ("张", "zhangsan", "zs"):
        found = client.get(reverse("member-pick"), {"pick_q": text}).content.decode()
        assert f'<option value="{zhang.pk}">张三 ({zhang.org.name})</option>' in found, text
    nothing = client.get(reverse("member-pick"), {"pick_q": "不存在的人"}).content.decode()
    assert "没有匹配的党员" in nothing and re.findall(r'value="\d+"', nothing) == []
    # Another branch's secretary does not find them.
    other = login(world, "secretary_b").get(reverse("member-pick"), {"pick_q": "张三"})
    assert f'value="{zhang.pk}"' not in other.content.decode()
