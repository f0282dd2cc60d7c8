from django.urls import reverse
from personas import add_member

from dangjian.core.models import AuditAction
from dangjian.orgs.models import School
from tests.orgs.helpers import assert_refused, audit_rows


def codes(response):
    return [s.code for s in response.context["page"].object_list]


def school_data(world, **overrides):
    data = {
        "code": "S-NEW",
        "name": "新建小学",
        "stage": "primary",
        "ownership": "public",
        "locality": "rural",
        "supervising_org": world.orgs["county"].pk,
        "district": "测试县",
        "staff_count": "12",
        "teacher_count": "10",
        "student_count": "150",
        "covering_org": world.orgs["jb"].pk,
    }
    data.update(overrides)
    return data


def test_it_lists_the_schools_in_scope(world, login):
    response = login(world, "county_admin").get(reverse("school-list"))
    assert response.status_code == 200
    assert codes(response) == ["S-A", "S-B", "S-C", "S-D", "S-E"]
    assert response.context["totals"] == {"total": 5, "covered": 4}
    page = response.content.decode()
    assert "未覆盖" in page and "戊小学" not in page

    response = login(world, "secretary_a").get(reverse("school-list"))
    assert codes(response) == ["S-A"]


def test_it_filters_and_searches_schools(world, login):
    client = login(world, "county_admin")
    url = reverse("school-list")
    assert codes(client.get(url, {"covered": "no"})) == ["S-E"]
    assert codes(client.get(url, {"covered": "yes"})) == ["S-A", "S-B", "S-C", "S-D"]
    assert codes(client.get(url, {"q": "甲"})) == ["S-A"]
    assert codes(client.get(url, {"q": "s-d"})) == ["S-D"]
    assert codes(client.get(url, {"stage": "junior"})) == ["S-B"]
    assert codes(client.get(url, {"locality": "urban"})) == []
    assert codes(client.get(url, {"ownership": "public", "org": "T-GB"})) == ["S-A", "S-B"]
    assert codes(client.get(url, {"org": "T-JB"})) == ["S-C", "S-D"]
    assert codes(client.get(url, {"org": "T-COUNTY2"})) == []
    assert "没有符合条件的学校" in client.get(url, {"org": "T-COUNTY2"}).content.decode()


def test_it_paginates_schools(world, login, settings):
    settings.PAGE_SIZE = 2
    client = login(world, "county_admin")
    response = client.get(reverse("school-list"), {"page": 3, "covered": ""})
    assert codes(response) == ["S-E"]
    assert "?covered=&page=2" in response.content.decode()


def test_it_shows_a_school_with_its_party_teachers(world, login):
    add_member(world.orgs["ba"], "非教师", work_unit=world.schools["a"], person_type="manager")
    response = login(world, "secretary_a").get(
        reverse("school-detail", args=[world.schools["a"].pk])
    )
    assert response.status_code == 200
    assert response.context["party_teachers"] == 3
    page = response.content.decode()
    assert "党员教师占专任教师 15.0%（3 / 20）" in page
    assert "小学" in page and "公办" in page and "镇区" in page and "测试县" in page
    assert "测试县教体局党委" in page  # supervising org is named, though not linked
    assert reverse("org-detail", args=[world.orgs["county"].pk]) not in page
    assert reverse("org-detail", args=[world.orgs["ba"].pk]) in page


def test_it_creates_a_school_and_audits_it(world, login):
    client = login(world, "county_admin")
    response = client.get(reverse("school-create"))
    form = response.context["form"]
    assert {o.code for o in form.fields["supervising_org"].queryset} == {"T-COUNTY", "T-GB"}
    assert {o.code for o in form.fields["covering_org"].queryset} == {
        "T-COUNTY",
        "T-GB",
        "T-BA",
        "T-BB",
        "T-JB",
    }
    response = client.post(reverse("school-create"), school_data(world))
    school = School.objects.get(code="S-NEW")
    assert response.status_code == 302
    assert response["Location"] == reverse("school-detail", args=[school.pk])
    assert school.covering_org == world.orgs["jb"]
    assert audit_rows(school, AuditAction.CREATE).count() == 1


def test_it_shows_the_rule_messages_on_a_bad_school(world, login):
    client = login(world, "county_admin")
    response = client.post(reverse("school-create"), school_data(world, teacher_count="20"))
    assert_refused(response, "专任教师数不能大于教职工数")
    response = client.post(
        reverse("school-create"), school_data(world, supervising_org=world.orgs["gb"].pk)
    )
    assert_refused(response, "覆盖学校的党组织必须在主管党组织“第一学区党总支”的下级范围内")
    assert not School.objects.filter(code="S-NEW").exists()


def test_it_offers_no_org_outside_the_scope(world, login):
    client = login(world, "county_admin")
    response = client.post(
        reverse("school-create"),
        school_data(world, supervising_org=world.orgs["county2"].pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["supervising_org"]
    assert not School.objects.filter(code="S-NEW").exists()


def test_it_explains_why_a_branch_secretary_cannot_add_a_school(world, login):
    client = login(world, "secretary_a")
    for response in (
        client.get(reverse("school-create")),
        client.post(
            reverse("school-create"),
            school_data(world, supervising_org=world.orgs["county"].pk),
        ),
    ):
        assert response.status_code == 200
        page = response.content.decode()
        assert "学校须由主管党组织(党委、党工委或党总支)新增" in page
        assert 'name="code"' not in page
    assert not School.objects.filter(code="S-NEW").exists()
    page = client.get(reverse("school-list")).content.decode()
    assert reverse("school-create") not in page
    assert login(world, "member").get(reverse("school-create")).status_code == 404


def test_it_lets_a_secretary_edit_a_school_supervised_outside_the_scope(world, login):
    school = world.schools["a"]
    client = login(world, "secretary_a")
    url = reverse("school-edit", args=[school.pk])
    form = client.get(url).context["form"]
    assert {o.code for o in form.fields["supervising_org"].queryset} == {"T-COUNTY"}
    assert {o.code for o in form.fields["covering_org"].queryset} == {"T-BA"}
    data = school_data(
        world,
        code="S-A",
        name="甲小学",
        supervising_org=world.orgs["county"].pk,
        covering_org=world.orgs["ba"].pk,
        staff_count="26",
        teacher_count="21",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.teacher_count == 21
    entry = audit_rows(school, AuditAction.UPDATE).get()
    assert entry.changes["teacher_count"] == [20, 21]


def test_it_deletes_a_school_and_audits_it(world, login):
    school = world.schools["e"]
    response = login(world, "county_admin").post(reverse("school-delete", args=[school.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("school-list")
    assert not School.objects.filter(pk=school.pk).exists()
    assert audit_rows(school, AuditAction.DELETE).count() == 1


def test_it_shows_why_a_school_cannot_be_deleted(world, login):
    school = world.schools["a"]
    response = login(world, "county_admin").post(
        reverse("school-delete", args=[school.pk]), follow=True
    )
    assert "不能删除: 有党员的工作单位是该学校" in response.content.decode()
    assert School.objects.filter(pk=school.pk).exists()


def test_it_deletes_schools_only_by_post_and_with_delete_rights(world, login):
    url = reverse("school-delete", args=[world.schools["e"].pk])
    confirm = login(world, "county_admin").get(url)
    assert confirm.status_code == 200 and "确认删除" in confirm.content.decode()
    assert School.objects.filter(pk=world.schools["e"].pk).exists()
    url_a = reverse("school-delete", args=[world.schools["a"].pk])
    assert login(world, "secretary_a").post(url_a).status_code == 404
    page = (
        login(world, "secretary_a")
        .get(reverse("school-detail", args=[world.schools["a"].pk]))
        .content.decode()
    )
    assert url_a not in page
    assert reverse("school-edit", args=[world.schools["a"].pk]) in page
    assert School.objects.filter(pk=world.schools["a"].pk).exists()
