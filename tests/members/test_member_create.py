import datetime as dt

from django.urls import reverse
from personas import make_id

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.members.models import Member, MemberEvent, Membership
from dangjian.orgs.models import School

URL = reverse("member-create")


def id_ending_in_x(birth=dt.date(1990, 1, 1), sex="male") -> str:
    for seq in range(500, 1000):
        number = make_id(birth, seq, sex)
        if number.endswith("X"):
            return number
    raise AssertionError("no X check digit in range")


def form_data(world, **overrides):
    data = {
        "name": "刘新",
        "sex": "male",
        "ethnicity": "汉族",
        "id_number": make_id(dt.date(1990, 1, 1), 700, "male"),
        "education": "bachelor",
        "org": world.orgs["ba"].pk,
        "work_unit": world.schools["a"].pk,
        "person_type": "teacher",
        "category": "full",
        "joined_on": "2015-07-01",
        "converted_on": "2016-07-01",
        "phone": "13800000000",
        "title": "一级教师",
        "backbone": "skilled",
    }
    data.update(overrides)
    return data


def test_it_creates_a_member(world, login):
    data = form_data(world)
    response = login(world, "secretary_a").post(URL, data)
    member = Member.objects.get(name="刘新")
    assert response.status_code == 302
    assert response["Location"] == reverse("member-detail", args=[member.pk])
    assert member.org == world.orgs["ba"] and member.work_unit == world.schools["a"]
    assert member.backbone == "skilled" and member.converted_on == dt.date(2016, 7, 1)
    assert [e.kind for e in MemberEvent.objects.filter(member=member)] == ["joined", "converted"]
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(member.pk)).exists()


def test_it_accepts_a_lower_case_x(world, login):
    number = id_ending_in_x()
    data = form_data(world, id_number=number.lower())
    response = login(world, "secretary_a").post(URL, data)
    assert response.status_code == 302
    assert Member.objects.get(name="刘新").id_number == number


def test_it_rejects_a_wrong_check_digit(world, login):
    good = make_id(dt.date(1990, 1, 1), 700, "male")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = login(world, "secretary_a").post(URL, form_data(world, id_number=bad))
    assert response.status_code == 200
    assert "公民身份号码校验位错误" in response.content.decode()
    assert not Member.objects.filter(name="刘新").exists()


def test_it_rejects_a_sex_that_disagrees_with_the_id(world, login):
    response = login(world, "secretary_a").post(URL, form_data(world, sex="female"))
    assert response.status_code == 200
    assert "性别与公民身份号码不符" in response.content.decode()
    assert not Member.objects.filter(name="刘新").exists()


def test_it_rejects_a_birth_date_that_disagrees_with_the_id(world, login):
    response = login(world, "secretary_a").post(URL, form_data(world, birth_date="1990-01-02"))
    assert "出生日期与公民身份号码不符" in response.content.decode()
    assert not Member.objects.filter(name="刘新").exists()


def test_it_checks_the_category_against_the_conversion_date(world, login):
    client = login(world, "secretary_a")
    response = client.post(URL, form_data(world, category="probationary"))
    assert "预备党员不能填写转正日期" in response.content.decode()
    response = client.post(URL, form_data(world, converted_on=""))
    assert "正式党员必须填写转正日期" in response.content.decode()
    assert not Member.objects.filter(name="刘新").exists()


def test_it_puts_the_service_duplicate_error_on_the_form(world, login):
    taken = world.members["a2"].id_number
    data = form_data(world, id_number=taken, sex="female")
    response = login(world, "secretary_a").post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert not Member.objects.filter(name="刘新").exists()


def test_it_records_a_transfer_in_from_outside(world, login):
    data = form_data(world, moved_in_on="2020-03-01")
    login(world, "secretary_a").post(URL, data)
    member = Member.objects.get(name="刘新")
    assert MemberEvent.objects.filter(member=member, kind="moved_in", on="2020-03-01").exists()
    spell = Membership.objects.get(member=member)
    assert spell.start_on == dt.date(2020, 3, 1)


def test_it_offers_only_branches_the_user_may_add_to(world, login):
    response = login(world, "secretary_a").get(URL)
    assert list(response.context["form"].fields["org"].queryset) == [world.orgs["ba"]]
    response = login(world, "county_admin").get(URL)
    orgs = set(response.context["form"].fields["org"].queryset.values_list("code", flat=True))
    assert orgs == {"T-BA", "T-BB", "T-JB"}
    schools = response.context["form"].fields["work_unit"].queryset
    assert set(schools.values_list("code", flat=True)) == {"S-A", "S-B", "S-C", "S-D", "S-E"}


def test_it_refuses_an_org_outside_scope(world, login):
    data = form_data(world, org=world.orgs["bb"].pk)
    response = login(world, "secretary_a").post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors["org"]
    assert not Member.objects.filter(name="刘新").exists()


def test_it_preselects_the_org_from_the_query(world, login):
    client = login(world, "county_admin")
    response = client.get(URL, {"org": world.orgs["bb"].pk})
    assert response.context["form"]["org"].value() == world.orgs["bb"].pk
    response = login(world, "secretary_a").get(URL, {"org": world.orgs["bb"].pk})
    assert response.context["form"]["org"].value() is None


def test_it_answers_404_to_users_who_may_not_add(world, login):
    assert login(world, "member").get(URL).status_code == 404
    assert login(world, "member").post(URL, form_data(world)).status_code == 404


def test_it_warns_but_saves_a_teacher_beyond_the_schools_teacher_count(world, login):
    """甲小学 set to 3 专任教师, 3 of them party members already: a fourth is saved and the
    message after saving says the figures disagree."""
    School.objects.filter(pk=world.schools["a"].pk).update(teacher_count=3)
    client = login(world, "secretary_a")
    response = client.post(URL, form_data(world), follow=True)
    assert Member.objects.filter(name="刘新").exists()
    page = response.content.decode()
    assert "已新增党员“刘新”" in page
    assert "学校“甲小学”现有党员专任教师 4 名, 超过该校专任教师数 3 名" in page
    other = form_data(
        world, name="刘管", person_type="manager", id_number=make_id(dt.date(1990, 1, 2), 701)
    )
    page = client.post(URL, other, follow=True).content.decode()
    assert "已新增党员“刘管”" in page and "超过该校专任教师数" not in page
