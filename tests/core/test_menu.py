"""The main menu is declared by the apps (core.menu) and shows each persona only what it
may use: a group of one entry is a plain link, a group of several a dropdown."""

import pytest

from dangjian.core import menu


def _labels(response):
    return {str(entry.label) for group in response.context["menu"] for entry in group["entries"]}


def test_it_shows_the_city_admin_every_browse_and_system_entry(world, login):
    client = login(world, "city_admin")
    response = client.get("/")
    labels = _labels(response)
    assert {"组织树", "学校", "党员信息库", "发展党员", "统计分析", "审计日志"} <= labels
    html = response.content.decode()
    assert 'class="nav-link" href="/stats/"' in html or "统计分析</a>" in html
    assert "dropdown-item" in html


def test_it_shows_a_member_no_register_menus(world, login):
    client = login(world, "member")
    response = client.get("/")
    assert not {"组织树", "党员信息库", "统计分析", "审计日志"} & _labels(response)


def test_it_refuses_an_entry_in_an_undeclared_group():
    menu.add("no-such-group", "x", "home")
    try:
        with pytest.raises(LookupError):
            menu.visible(None, {"browse": True})
    finally:
        menu.entries[:] = [e for e in menu.entries if e.group != "no-such-group"]
