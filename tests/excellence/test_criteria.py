"""评星定格标准: a year's set is created and edited by the city's administrators only, kept
as it was once a rating of its year was decided (copy it for a new year), checked with
Chinese messages and audited; the pages offer exactly that."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from personas import add_member

from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry
from dangjian.excellence import services
from dangjian.excellence.models import StarCriteria

MEANINGS = {str(n): f"{n}星含义" for n in range(1, 6)}


def _make(year=2024, **extra):
    data = {"items": "政治素质\n履职尽责", "meanings": MEANINGS, "caps": {"5": 20, "4": 30}}
    data.update(extra)
    return services.create_star_criteria(CLI, year=year, **data)


def _rate(world, year=2024):
    person = add_member(world.orgs["ba"], "评星测试")
    return services.rate_member(CLI, person, year=year, stars=3, rated_on=dt.date(year, 12, 20))


def test_only_the_city_administrator_sets_the_criteria(world):
    with pytest.raises(ValidationError) as refused:
        services.create_star_criteria(
            world.users["county_admin"], year=2024, items="政治素质", meanings={}, caps={}
        )
    assert "市级管理员" in str(refused.value)
    assert services.may_set_criteria(world.users["city_admin"])
    criteria = services.create_star_criteria(
        world.users["city_admin"], year=2024, items="政治素质", meanings={}, caps={"5": 15}
    )
    entry = AuditEntry.objects.get(object_type="excellence.starcriteria", object_id=criteria.pk)
    assert entry.actor == world.users["city_admin"]


def test_it_checks_the_content_in_chinese(world):
    with pytest.raises(ValidationError) as refused:
        _make(items="  ", caps={"5": 120, "4": "abc"})
    errors = refused.value.message_dict
    assert "请填写评定项目" in errors["items"][0]
    assert "0到100" in errors["cap_5"][0] and "0到100" in errors["cap_4"][0]
    with pytest.raises(ValidationError) as refused:
        _make(caps={"5": 60, "4": 50})
    assert "合计不能超过100%" in refused.value.message_dict["cap_4"][0]
    _make()
    with pytest.raises(ValidationError) as refused:
        _make()
    assert "已有评星定格标准" in refused.value.message_dict["year"][0]


def test_a_used_set_is_kept_and_copied_for_a_new_year(world):
    criteria = _make()
    services.update_star_criteria(
        CLI, criteria, items="政治素质", meanings=MEANINGS, caps={"5": 10}
    )  # unused: may change
    _rate(world)
    with pytest.raises(ValidationError) as refused:
        services.update_star_criteria(CLI, criteria, items="改", meanings=MEANINGS, caps={})
    assert "不能再修改" in str(refused.value)
    criteria.refresh_from_db()
    assert criteria.items == "政治素质" and criteria.caps == {"5": 10}
    copy = services.copy_star_criteria(CLI, criteria, year=2025)
    assert (copy.year, copy.items, copy.caps) == (2025, "政治素质", {"5": 10})
    services.update_star_criteria(CLI, copy, items="新项目", meanings=MEANINGS, caps={})


def test_a_year_already_rated_under_the_defaults_gets_no_new_set(world):
    _rate(world, 2023)
    with pytest.raises(ValidationError) as refused:
        _make(year=2023)
    assert "已有党员按原标准评定星级" in refused.value.message_dict["year"][0]


def _form(year=None, **caps):
    data = {"items": "政治素质\n作用发挥"}
    if year is not None:
        data["year"] = str(year)
    for n in range(1, 6):
        data[f"meaning_{n}"] = f"{n}星"
        data[f"cap_{n}"] = str(caps.get(f"cap_{n}", ""))
    return data


def test_the_pages_create_edit_and_copy(world, login):
    client = login(world, "city_admin")
    assert client.get(reverse("starcriteria-list")).status_code == 200
    page = client.get(reverse("starcriteria-create"))
    assert page.status_code == 200 and "meaning_5" in page.content.decode()
    bad = client.post(reverse("starcriteria-create"), _form(2024, cap_5=150))
    assert bad.status_code == 200 and "cap_5" in bad.context["form"].errors
    done = client.post(reverse("starcriteria-create"), _form(2024, cap_5=20))
    assert done.status_code == 302
    criteria = StarCriteria.objects.get(year=2024)
    assert criteria.caps == {"5": 20} and criteria.meanings["3"] == "3星"
    edit = reverse("starcriteria-edit", args=[criteria.pk])
    assert client.post(edit, _form(cap_5=10, cap_4=30)).status_code == 302
    criteria.refresh_from_db()
    assert criteria.caps == {"5": 10, "4": 30}
    _rate(world)
    # Used now: the edit page sends to the copy page, and nothing changes.
    refused = client.post(edit, _form(cap_5=5))
    assert refused.status_code == 302 and refused.url == reverse(
        "starcriteria-copy", args=[criteria.pk]
    )
    criteria.refresh_from_db()
    assert criteria.caps == {"5": 10, "4": 30}
    copied = client.post(reverse("starcriteria-copy", args=[criteria.pk]), {"year": "2025"})
    assert copied.status_code == 302
    assert StarCriteria.objects.get(year=2025).caps == {"5": 10, "4": 30}
    listed = client.get(reverse("starcriteria-list")).content.decode()
    assert (
        "2025年评星定格标准" in listed
        and reverse("starcriteria-edit", args=[criteria.pk]) not in listed
    )


def test_others_read_the_criteria_but_cannot_set_them(world, login):
    criteria = _make()
    client = login(world, "county_admin")
    page = client.get(reverse("starcriteria-list"))
    assert page.status_code == 200 and "2024年评星定格标准" in page.content.decode()
    assert reverse("starcriteria-create") not in page.content.decode()
    for url in (
        reverse("starcriteria-create"),
        reverse("starcriteria-edit", args=[criteria.pk]),
        reverse("starcriteria-copy", args=[criteria.pk]),
    ):
        assert client.get(url).status_code == 404
    assert login(world, "anonymous").get(reverse("starcriteria-list")).status_code == 302


def test_the_bulk_insert_writes_instances_and_plain_rows_alike(world):
    """services.insert_rows (the demo's writer): dicts get the fields' defaults, lazy
    labels become text, JSON is prepared, dates adapted, created_at stamped."""
    from dangjian.excellence.models import (
        CheckStatus,
        Commitment,
        FiveGoodCheck,
        FiveGoodChecklist,
        Fulfilment,
    )

    member, org = world.members["a1"], world.orgs["ba"]
    services.insert_rows(
        Commitment,
        [
            {
                "member_id": member.pk,
                "org_id": org.pk,
                "year": 2024,
                "text": "上好示范课",
                "made_on": dt.date(2024, 3, 1),
                "fulfilment": Fulfilment.FULFILLED,
                "final_note": Fulfilment.FULFILLED.label,
            }
        ],
    )
    made = Commitment.objects.get(member=member)
    assert (made.made_on, made.final_note, made.member_agreed) == (
        dt.date(2024, 3, 1),
        "已兑现",
        False,
    )
    assert made.created_at is not None and made.published_on is None
    checklist = FiveGoodChecklist.objects.in_force(dt.date(2024, 1, 1))
    services.insert_rows(
        FiveGoodCheck,
        [
            FiveGoodCheck(
                org=org,
                checklist=checklist,
                year=2024,
                self_checked_on=dt.date(2024, 4, 1),
                answers={"0": {"met": True, "evidence": "台账"}},
                status=CheckStatus.PASSED,
            )
        ],
    )
    check = FiveGoodCheck.objects.get(org=org)
    assert check.answers == {"0": {"met": True, "evidence": "台账"}}
    assert check.status == CheckStatus.PASSED
