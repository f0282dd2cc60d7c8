"""The home page: figures and 待办 for users with a scope, the own record for members."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from personas import add_user

from dangjian.accounts import services as accounts
from dangjian.core.context import CLI
from dangjian.core.dates import age_on
from dangjian.members import services as members
from tests.recruitment.helpers import new_recruit


def test_it_sends_anonymous_users_to_the_login_page(world, login):
    response = login(world, "anonymous").get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_the_county_admin_figures_and_todo_items(world, login):
    response = login(world, "county_admin").get(reverse("home"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert reverse("org-detail", args=[world.orgs["county"].pk]) in html
    assert "测试县教体局党委" in html
    summary = response.context["summary"]
    assert summary["members"] == 8
    assert (summary["full"], summary["probationary"]) == (7, 1)
    assert summary["coverage"] == "80.0%"
    assert summary["orgs_total"] == 5
    assert summary["teacher_ratio"] == "10.1%"
    assert '<div class="display-6" id="stat-members">8</div>' in html
    assert '<div class="display-6" id="stat-coverage">80.0%</div>' in html
    for text, url in [
        ("第一学区党总支换届已逾期", reverse("org-detail", args=[world.orgs["gb"].pk])),
        ("丙丁联合党支部正式党员不足3人", reverse("org-detail", args=[world.orgs["jb"].pk])),
        ("庚小学: 学校尚未建立党组织", reverse("school-detail", args=[world.schools["e"].pk])),
        (
            "王五: 预备期已满，应及时讨论转正",
            reverse("member-detail", args=[world.members["a3"].pk]),
        ),
    ]:
        assert text in html
        assert f'href="{url}">{text}' in html
    # Nothing from the other county.
    assert "戊小学" not in html
    assert "另一县" not in html
    assert "暂无待办事项" not in html


def test_it_shows_the_member_their_own_record(world, login):
    response = login(world, "member").get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["summary"] is None
    assert 'id="stat-cards"' not in html
    assert 'id="own-record"' in html
    today = timezone.localdate()
    years = age_on(dt.date(2011, 7, 1), today)
    for text in ["张三", "甲小学党支部", "正式党员", "2010-07-01", f"{years}年"]:
        assert text in html
    assert reverse("member-detail", args=[world.members["a1"].pk]) in html
    assert "暂无待办事项" in html
    # Nobody else's record or to-dos.
    assert "王五" not in html
    assert "李四" not in html


def test_it_shows_a_probationary_member_their_own_todo(world, login, client):
    user = add_user(
        "probie", world.orgs["ba"], "member_self", full_name="王五", member=world.members["a3"]
    )
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "预备党员" in html
    assert "预备党员不计党龄" in html
    assert "王五: 预备期已满，应及时讨论转正" in html


def test_it_shows_a_secretary_who_is_also_a_member_both(world, login, monkeypatch):
    # Outside the year's last quarter, when 培训学时 shortfalls are reminded.
    monkeypatch.setattr("dangjian.training.registers.SHORTFALL_FROM_MONTH", 13)
    # and without every branch's 三会一课 reminders (tested in tests/life).
    monkeypatch.setattr("dangjian.life.registers.todo_items", lambda user, today: [])
    accounts.grant_role(
        CLI, world.users["secretary_b"], world.orgs["bb"], "member_self", member=world.members["b1"]
    )
    response = login(world, "secretary_b").get(reverse("home"))
    html = response.content.decode()
    assert response.context["summary"]["members"] == 3
    assert 'id="own-record"' in html and "赵六" in html
    assert "暂无待办事项" in html


def test_it_lets_a_user_with_several_roots_choose(world, login):
    viewer = add_user("viewer2", world.orgs["county2"], "viewer", full_name="两县查看员")
    accounts.grant_role(CLI, viewer, world.orgs["jb"], "viewer")
    client = login(world, "anonymous")
    client.force_login(viewer)
    response = client.get(reverse("home"))
    # Roots in tree order: the joint branch (county 1) comes before county 2.
    assert [root.code for root in response.context["roots"]] == ["T-JB", "T-COUNTY2"]
    assert response.context["org"].code == "T-JB"
    html = response.content.decode()
    assert f'href="?org={world.orgs["county2"].pk}"' in html
    response = client.get(reverse("home"), {"org": world.orgs["county2"].pk})
    assert response.context["org"].code == "T-COUNTY2"
    assert response.context["summary"]["members"] == 2


def test_it_gives_404_for_an_org_outside_the_scope(world, login):
    client = login(world, "county_admin")
    assert client.get(reverse("home"), {"org": world.orgs["county2"].pk}).status_code == 404
    assert client.get(reverse("home"), {"org": "abc"}).status_code == 404
    response = client.get(reverse("home"), {"org": world.orgs["gb"].pk})
    assert response.status_code == 200
    assert response.context["summary"]["members"] == 6


def test_it_shows_the_whole_tree_to_a_superuser(world, client):
    admin = get_user_model().objects.create_superuser("root", password="Test#Pass2026")
    client.force_login(admin)
    response = client.get(reverse("home"))
    assert response.context["org"].code == "T-CITY"
    assert response.context["summary"]["members"] == 10


def test_it_says_so_when_there_is_nothing_to_do(world, login, monkeypatch):
    # Outside the year's last quarter, when 培训学时 shortfalls are reminded.
    monkeypatch.setattr("dangjian.training.registers.SHORTFALL_FROM_MONTH", 13)
    # and without every branch's 三会一课 reminders (tested in tests/life).
    monkeypatch.setattr("dangjian.life.registers.todo_items", lambda user, today: [])
    client = login(world, "secretary_b")
    html = client.get(reverse("home")).content.decode()
    assert "暂无待办事项" in html
    assert "乙中学党支部" in html
    members.record_leaving(
        CLI, world.members["b1"], kind="moved_out", on=timezone.localdate() - dt.timedelta(days=1)
    )
    html = client.get(reverse("home")).content.decode()
    assert "暂无待办事项" not in html
    assert "乙中学党支部正式党员不足3人(现有2人)" in html


def test_it_counts_the_development_pipeline_on_the_home_page(world, login):
    new_recruit(world.orgs["ba"], name="钱申请")
    html = login(world, "county_admin").get(reverse("home")).content.decode()
    assert "入党申请人 1, 积极分子 0, 发展对象 0" in html
    html = login(world, "secretary_b").get(reverse("home")).content.decode()
    assert "入党申请人 0, 积极分子 0, 发展对象 0" in html
