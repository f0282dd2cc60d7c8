import datetime as dt

from django.urls import reverse
from personas import make_id

from dangjian.members.models import Member, MemberEvent, Membership


def edit_url(member) -> str:
    return reverse("member-edit", args=[member.pk])


def current_data(member, **overrides):
    data = {
        "name": member.name,
        "sex": member.sex,
        "ethnicity": member.ethnicity,
        "id_number": "",
        "education": member.education,
        "org": member.org_id,
        "work_unit": member.work_unit_id or "",
        "person_type": member.person_type,
        "category": member.category,
        "joined_on": member.joined_on.isoformat(),
        "converted_on": member.converted_on.isoformat() if member.converted_on else "",
        "transfer_on": dt.date.today().isoformat(),
        "phone": member.phone,
        "title": member.title,
        "backbone": member.backbone,
    }
    data.update(overrides)
    return data


def test_it_edits_without_showing_the_full_id_number(world, login):
    a1 = world.members["a1"]
    response = login(world, "secretary_a").get(edit_url(a1))
    html = response.content.decode()
    assert response.status_code == 200
    assert a1.id_number not in html and a1.masked_id in html
    assert "no-store" in response["Cache-Control"]


def test_it_saves_changes_and_keeps_the_id_number_when_left_empty(world, login):
    a1 = world.members["a1"]
    response = login(world, "secretary_a").post(
        edit_url(a1), current_data(a1, phone="0951-1234567", title="高级教师")
    )
    assert response.status_code == 302
    a1.refresh_from_db()
    assert a1.phone == "0951-1234567" and a1.title == "高级教师"
    assert a1.id_number == world.members["a1"].id_number
    assert not MemberEvent.objects.filter(member=a1, kind="transferred").exists()


def test_it_records_a_transfer_when_the_org_changes(world, login):
    a1 = world.members["a1"]
    data = current_data(a1, org=world.orgs["bb"].pk, transfer_on="2021-09-01")
    response = login(world, "county_admin").post(edit_url(a1), data)
    assert response.status_code == 302
    a1.refresh_from_db()
    assert a1.org == world.orgs["bb"]
    event = MemberEvent.objects.get(member=a1, kind="transferred")
    assert event.on == dt.date(2021, 9, 1) and event.from_org == world.orgs["ba"]
    spells = list(Membership.objects.filter(member=a1).order_by("start_on"))
    assert [(s.org_id, s.end_on) for s in spells] == [
        (world.orgs["ba"].pk, dt.date(2021, 9, 1)),
        (world.orgs["bb"].pk, None),
    ]


def test_it_shows_a_service_error_on_the_form(world, login):
    a1 = world.members["a1"]
    data = current_data(a1, org=world.orgs["bb"].pk, transfer_on="2001-01-01")
    response = login(world, "county_admin").post(edit_url(a1), data)
    assert response.status_code == 200
    assert "调动日期不能早于进入原组织的日期" in response.content.decode()
    a1.refresh_from_db()
    assert a1.org == world.orgs["ba"]


def test_it_changes_the_id_number_when_given(world, login):
    a1 = world.members["a1"]
    new = make_id(a1.birth_date, 800, "male")
    response = login(world, "county_admin").post(edit_url(a1), current_data(a1, id_number=new))
    assert response.status_code == 302
    assert Member.objects.get(pk=a1.pk).id_number == new


def test_it_refuses_an_id_number_already_taken(world, login):
    a1 = world.members["a1"]
    other = world.members["b1"].id_number  # taken: the form must say so, not save
    response = login(world, "county_admin").post(edit_url(a1), current_data(a1, id_number=other))
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert Member.objects.get(pk=a1.pk).id_number == a1.id_number


def test_it_answers_404_to_users_who_may_not_change(world, login):
    a1 = world.members["a1"]
    assert login(world, "secretary_b").get(edit_url(a1)).status_code == 404
    assert login(world, "member").get(edit_url(a1)).status_code == 404
    response = login(world, "member").post(edit_url(a1), current_data(a1, phone="13900000000"))
    assert response.status_code == 404
    a1.refresh_from_db()
    assert a1.phone == ""


def test_it_does_not_let_an_organiser_move_a_member_out_of_scope(world, login):
    a1 = world.members["a1"]
    data = current_data(a1, org=world.orgs["bb"].pk)
    response = login(world, "secretary_a").post(edit_url(a1), data)
    assert response.status_code == 200
    assert response.context["form"].errors["org"]
    a1.refresh_from_db()
    assert a1.org == world.orgs["ba"]


def test_it_warns_but_saves_an_edit_that_puts_a_school_beyond_its_teacher_count(world, login):
    """甲小学 set to 3 专任教师 with 3 party-member teachers: moving a fourth teacher's work
    unit there is saved, and the message says the figures disagree (issue 21.3)."""
    from dangjian.orgs.models import School

    School.objects.filter(pk=world.schools["a"].pk).update(teacher_count=3)
    client = login(world, "county_admin")
    b1, b2 = world.members["b1"], world.members["b2"]
    page = client.post(
        edit_url(b2), current_data(b2, work_unit=world.schools["a"].pk), follow=True
    ).content.decode()
    assert "已保存党员“钱七”的信息" in page and "超过该校专任教师数" not in page  # a manager
    page = client.post(
        edit_url(b1), current_data(b1, work_unit=world.schools["a"].pk), follow=True
    ).content.decode()
    b1.refresh_from_db()
    assert b1.work_unit_id == world.schools["a"].pk
    assert "已保存党员“赵六”的信息" in page
    assert "学校“甲小学”现有党员专任教师 4 名, 超过该校专任教师数 3 名" in page
    # Saving again without changing the school or type does not repeat it.
    page = client.post(edit_url(b1), current_data(b1, title="二级教师"), follow=True)
    assert "超过该校专任教师数" not in page.content.decode()
