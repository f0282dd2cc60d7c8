import datetime as dt

from django.urls import reverse
from personas import add_member

from dangjian.core.context import CLI
from dangjian.core.dates import add_years
from dangjian.orgs import services
from dangjian.orgs.models import Position


def detail(world, login, persona, key):
    return login(world, persona).get(reverse("org-detail", args=[world.orgs[key].pk]))


def test_it_shows_a_branch_to_its_secretary(world, login):
    response = detail(world, login, "secretary_a", "ba")
    assert response.status_code == 200
    page = response.content.decode()
    assert "T-BA" in page and "党支部" in page and "2009-06-01" in page
    assert "2027-06-01" in page  # 2024-06-01 plus the default 3-year term
    assert response.context["full_count"] == 2
    assert response.context["probationary_count"] == 1
    for key in ("a1", "a2", "a3"):
        member = world.members[key]
        assert member.name in page
        assert member.masked_id in page
        assert member.id_number not in page
        assert reverse("member-detail", args=[member.pk]) in page
    assert reverse("member-list") + "?org=T-BA" in page
    assert "甲小学" in page  # covered school
    assert "正式党员不足3人，应与邻近单位成立联合党支部" in page


def test_it_hides_orgs_outside_the_scope(world, login):
    assert detail(world, login, "secretary_a", "bb").status_code == 404
    assert detail(world, login, "secretary_a", "gb").status_code == 404
    assert detail(world, login, "county_admin", "county2").status_code == 404
    assert detail(world, login, "member", "ba").status_code == 404


def test_it_sends_anonymous_visitors_to_login(world, login):
    response = detail(world, login, "anonymous", "ba")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_shows_only_visible_ancestors_in_breadcrumbs(world, login):
    response = detail(world, login, "secretary_a", "ba")
    assert response.context["ancestors"] == []
    assert "第一学区党总支" not in response.content.decode()

    response = detail(world, login, "county_admin", "ba")
    assert [a.code for a in response.context["ancestors"]] == ["T-COUNTY", "T-GB"]
    page = response.content.decode()
    assert reverse("org-detail", args=[world.orgs["gb"].pk]) in page
    assert "测试市教育局党委" not in page


def test_it_marks_an_overdue_election_red(world, login):
    response = detail(world, login, "county_admin", "gb")
    assert response.context["election_status"] == "overdue"
    page = response.content.decode()
    assert 'id="next-election" class="overdue"' in page
    assert "2023-03-01" in page


def test_it_marks_an_election_due_soon_amber(world, login, settings):
    settings.DANGJIAN_TERM_REMINDER_MONTHS = (6, 1)
    today = dt.date.today()
    services.update_org(
        CLI, world.orgs["ba"], term_start=add_years(today + dt.timedelta(days=30), -3)
    )
    response = detail(world, login, "secretary_a", "ba")
    assert response.context["election_status"] == "due"
    assert "due-soon" in response.content.decode()

    settings.DANGJIAN_TERM_REMINDER_MONTHS = (0,)
    response = detail(world, login, "secretary_a", "ba")
    assert response.context["election_status"] is None
    assert "due-soon" not in response.content.decode()


def test_it_lists_children_and_schools(world, login):
    response = detail(world, login, "county_admin", "county")
    page = response.content.decode()
    assert [c.code for c in response.context["children"]] == ["T-GB", "T-JB"]
    assert {s.code for s in response.context["supervised_schools"]} == {
        "S-A",
        "S-B",
        "S-C",
        "S-D",
        "S-E",
    }
    assert "未覆盖" in page  # 庚小学 has no party org yet
    response = detail(world, login, "county_admin", "jb")
    assert {s.code for s in response.context["covered_schools"]} == {"S-C", "S-D"}
    assert response.context["subtree_total"] == 2


def test_it_asks_a_big_branch_for_a_committee(world, login):
    bb = world.orgs["bb"]
    for name in ("甲一", "甲二", "甲三", "甲四"):
        add_member(bb, name, work_unit=world.schools["b"])
    page = detail(world, login, "secretary_b", "bb").content.decode()
    assert "正式党员7人以上的党支部应设立支部委员会" in page
    for title, holder in (("secretary", "赵六"), ("organisation", "钱七"), ("propaganda", "孙八")):
        services.save_position(CLI, Position(org=bb, title=title, holder_name=holder))
    page = detail(world, login, "secretary_b", "bb").content.decode()
    assert "正式党员7人以上的党支部应设立支部委员会" not in page
    assert "正式党员不足3人" not in page


def test_it_separates_current_leadership_from_history(world, login):
    ba = world.orgs["ba"]
    services.save_position(
        CLI,
        Position(
            org=ba,
            title="secretary",
            holder_name="老书记",
            start_on=dt.date(2018, 6, 1),
            end_on=dt.date(2024, 6, 1),
        ),
    )
    services.save_position(
        CLI,
        Position(
            org=ba,
            title="secretary",
            holder_name="新书记",
            formed_by="election",
            start_on=dt.date(2024, 6, 1),
        ),
    )
    response = detail(world, login, "secretary_a", "ba")
    assert [p.holder_name for p in response.context["current_positions"]] == ["新书记"]
    assert [p.holder_name for p in response.context["past_positions"]] == ["老书记"]
    page = response.content.decode()
    assert "历届班子" in page and "换届选举" in page


def test_it_shows_actions_only_to_those_allowed(world, login):
    ba = world.orgs["ba"]
    page = detail(world, login, "secretary_a", "ba").content.decode()
    assert reverse("org-edit", args=[ba.pk]) in page
    assert reverse("org-create", args=[ba.pk]) in page
    assert reverse("position-create", args=[ba.pk]) in page
    assert reverse("org-delete", args=[ba.pk]) not in page
    page = detail(world, login, "county_admin", "ba").content.decode()
    assert reverse("org-delete", args=[ba.pk]) in page
    assert reverse("org-move", args=[ba.pk]) in page
