"""The "五个好" checklist's versions: city administrators create a dated version and edit
its sub-items as text lines per criterion; each of the five criteria needs an item; a
version a check was made against is locked (refused, its copy offered); others read the
versions but cannot set them; checks use the version in force on their date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry
from dangjian.excellence import services
from dangjian.excellence.models import FIVE_GOOD_CRITERIA, FiveGoodChecklist

KEYS = [key for key, _label in FIVE_GOOD_CRITERIA]
DAY = dt.date(2024, 9, 1)


def _items(**override):
    items = {key: f"{key}细目一\n{key}细目二" for key in KEYS}
    items.update(override)
    return items


def _form(name="2024版", day=DAY, **override):
    data = {"name": name, "effective_from": day.isoformat()}
    data.update({f"items_{key}": text for key, text in _items(**override).items()})
    return data


def _check(org, day):
    return services.submit_check(CLI, org, self_checked_on=day, answers={})


def test_a_city_administrator_creates_a_version_that_later_checks_use(world):
    original = FiveGoodChecklist.objects.in_force(DAY)
    made = services.create_checklist(
        world.users["city_admin"],
        name="2024版“五个好”标准",
        effective_from=DAY,
        items=_items(leadership="  班子团结  \n\n书记抓党建"),
    )
    assert made.items[:2] == [
        {"criterion": "leadership", "text": "班子团结"},
        {"criterion": "leadership", "text": "书记抓党建"},
    ]
    assert [label for label, rows in made.grouped()] == [str(lb) for _k, lb in FIVE_GOOD_CRITERIA]
    assert AuditEntry.objects.filter(
        object_type="excellence.fivegoodchecklist", object_id=made.pk
    ).exists()
    assert _check(world.orgs["ba"], DAY - dt.timedelta(days=1)).checklist == original
    assert _check(world.orgs["bb"], DAY).checklist == made


def test_each_of_the_five_criteria_needs_an_item(world):
    with pytest.raises(ValidationError) as refused:
        services.create_checklist(
            CLI, name="缺项", effective_from=DAY, items=_items(results="  \n ", reputation="")
        )
    errors = refused.value.message_dict
    assert "“工作业绩好”至少要有一项检查细目" in errors["items_results"]
    assert "“群众反映好”至少要有一项检查细目" in errors["items_reputation"]
    assert "items_leadership" not in errors
    with pytest.raises(ValidationError) as refused:
        services.create_checklist(CLI, name="", effective_from=DAY, items=_items(other="x"))
    assert {"name", "items"} <= set(refused.value.message_dict)
    assert not FiveGoodChecklist.objects.filter(effective_from=DAY).exists()


def test_a_version_may_not_reach_back_under_checks_already_made(world):
    _check(world.orgs["ba"], DAY)
    with pytest.raises(ValidationError) as refused:
        services.create_checklist(CLI, name="倒签", effective_from=DAY, items=_items())
    assert "已有党组织按原标准自查" in str(refused.value)
    later = DAY + dt.timedelta(days=1)
    assert services.create_checklist(CLI, name="新版", effective_from=later, items=_items())
    with pytest.raises(ValidationError) as refused:
        services.create_checklist(CLI, name="同日", effective_from=later, items=_items())
    assert "该日已有施行的检查标准" in str(refused.value)


def test_a_version_used_by_a_check_is_locked(world):
    made = services.create_checklist(CLI, name="2024版", effective_from=DAY, items=_items())
    services.update_checklist(
        CLI, made, name="2024版(修订)", effective_from=DAY, items=_items(mechanism="制度健全")
    )
    made.refresh_from_db()
    assert made.name == "2024版(修订)" and {"criterion": "mechanism", "text": "制度健全"} in (
        made.items
    )
    _check(world.orgs["ba"], DAY)
    with pytest.raises(ValidationError) as refused:
        services.update_checklist(CLI, made, name="改", effective_from=DAY, items=_items())
    assert "不能再修改" in str(refused.value)
    made.refresh_from_db()
    assert made.name == "2024版(修订)"


def test_only_a_city_administrator_sets_versions(world, login):
    with pytest.raises(ValidationError) as refused:
        services.create_checklist(
            world.users["county_admin"], name="县里的", effective_from=DAY, items=_items()
        )
    assert "只有市级管理员" in str(refused.value)
    version = FiveGoodChecklist.objects.get()
    client = login(world, "county_admin")
    page = client.get(reverse("fivegood-checklists"))
    assert page.status_code == 200 and version.name in page.content.decode()
    assert reverse("fivegood-checklist-create") not in page.content.decode()
    for url in (
        reverse("fivegood-checklist-create"),
        reverse("fivegood-checklist-edit", args=[version.pk]),
        reverse("fivegood-checklist-copy", args=[version.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, _form()).status_code == 404
    assert FiveGoodChecklist.objects.count() == 1
    assert login(world, "anonymous").get(reverse("fivegood-checklists")).status_code == 302


def test_the_pages_create_edit_lock_and_copy(world, login):
    client = login(world, "city_admin")
    page = client.get(reverse("fivegood-checklist-create"))
    assert page.status_code == 200
    # The new version starts from the latest one's items.
    assert FiveGoodChecklist.objects.get().items[0]["text"] in page.content.decode()
    bad = client.post(reverse("fivegood-checklist-create"), _form(results=""))
    assert bad.status_code == 200 and "至少要有一项检查细目" in bad.content.decode()
    assert client.post(reverse("fivegood-checklist-create"), _form()).status_code == 302
    made = FiveGoodChecklist.objects.get(effective_from=DAY)
    edit = reverse("fivegood-checklist-edit", args=[made.pk])
    assert client.post(edit, _form(name="2024版改", members="党员队伍稳定")).status_code == 302
    made.refresh_from_db()
    assert made.name == "2024版改"
    assert [i["text"] for i in made.items if i["criterion"] == "members"] == ["党员队伍稳定"]
    _check(world.orgs["ba"], DAY)
    copy_url = reverse("fivegood-checklist-copy", args=[made.pk])
    locked = client.get(edit)
    assert locked.status_code == 302 and locked["Location"] == copy_url
    locked = client.post(edit, _form(name="偷改"), follow=True)
    assert "不能再修改" in locked.content.decode()
    made.refresh_from_db()
    assert made.name == "2024版改"
    copied = client.post(copy_url, _form(name="2025版", day=dt.date(2025, 1, 1)))
    assert copied.status_code == 302
    assert FiveGoodChecklist.objects.filter(name="2025版").exists()
    listed = client.get(reverse("fivegood-checklists")).content.decode()
    assert "2025版" in listed and edit not in listed
