"""先进典型 ↔ 表彰: an exemplar links to the approved 表彰 record it came from (a string
reference to assessment.Honour), naming the same member (a person) or the same org (a
collective); the picker offers only honours the user may see; the exemplar's page links the
honour and the honour's page (a core.panels panel registered by excellence) lists the
exemplars made from it; the demo links the exemplars that fit an approved honour."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.assessment import services as assessment
from dangjian.core.context import CLI
from dangjian.demo.excellence import link_honours
from dangjian.excellence import services
from dangjian.excellence.forms import ExemplarForm
from dangjian.excellence.models import Exemplar

ON = dt.date(2023, 7, 1)


def _honour(*, member=None, org=None, kind="excellent_member", approve=True):
    honour = assessment.nominate_honour(
        CLI,
        kind=kind,
        level="county",
        year=2023,
        member=member,
        org=org,
        awarded_by="县委",
        nominated_on=dt.date(2023, 6, 1),
    )
    if approve:
        assessment.publicise_honour(CLI, honour, start=dt.date(2023, 6, 2), end=dt.date(2023, 6, 8))
        assessment.decide_honour(CLI, honour, approve=True, on=ON)
    return honour


def _exemplar(org, *, member=None, honour=None, actor=CLI, **extra):
    return services.create_exemplar(
        actor,
        org,
        member=member,
        name=extra.pop("name", "" if member else "先进集体"),
        title="优秀共产党员",
        level="county",
        recognised_on=dt.date(2023, 7, 10),
        honour=honour,
        **extra,
    )


def _refusal(call) -> str:
    with pytest.raises(ValidationError) as refused:
        call()
    return " ".join(refused.value.message_dict["honour"])


def test_a_person_exemplar_links_only_the_same_members_approved_honour(world):
    a1, a2, ba = world.members["a1"], world.members["a2"], world.orgs["ba"]
    honour = _honour(member=a1)
    made = _exemplar(ba, member=a1, honour=honour)
    assert made.honour == honour and made.honour_text == str(honour)
    assert "同一名党员" in _refusal(lambda: _exemplar(ba, member=a2, honour=honour))
    assert "集体典型" not in _refusal(lambda: _exemplar(ba, honour=honour))
    pending = _honour(member=a2, approve=False)
    assert "尚未批准" in _refusal(lambda: _exemplar(ba, member=a2, honour=pending))
    assert Exemplar.objects.count() == 1


def test_an_org_exemplar_links_only_the_same_orgs_honour(world):
    ba, bb = world.orgs["ba"], world.orgs["bb"]
    honour = _honour(org=ba, kind="advanced_org")
    assert _exemplar(ba, honour=honour).honour == honour
    assert "与先进典型所在党组织不同" in _refusal(lambda: _exemplar(bb, honour=honour))
    assert "集体典型" in _refusal(lambda: _exemplar(ba, member=world.members["a1"], honour=honour))
    # Editing to another org's honour is refused too; the record stays as it was.
    made = _exemplar(bb, name="乙中学先进集体")
    other = _honour(org=ba, kind="advanced_org")
    with pytest.raises(ValidationError):
        services.update_exemplar(CLI, made, honour=other)
    made.refresh_from_db()
    assert made.honour is None


def test_the_picker_and_the_service_keep_to_the_users_scope(world):
    ours = _honour(member=world.members["b1"])
    theirs = _honour(member=world.members["x1"])
    _honour(member=world.members["b2"], approve=False)
    form = ExemplarForm(user=world.users["secretary_b"])
    assert list(form.fields["honour"].queryset) == [ours]
    refused = _refusal(
        lambda: _exemplar(
            world.orgs["bb"],
            member=world.members["b1"],
            honour=theirs,
            actor=world.users["secretary_b"],
        )
    )
    assert "权限范围" in refused


def test_the_pages_link_both_ways(world, login):
    a1, ba = world.members["a1"], world.orgs["ba"]
    honour = _honour(member=a1)
    made = _exemplar(ba, member=a1, honour=honour, honour_note="县委表彰文件")
    client = login(world, "secretary_a")
    page = client.get(reverse("exemplar-detail", args=[made.pk])).content.decode()
    assert reverse("honour-detail", args=[honour.pk]) in page and "县委表彰文件" in page
    page = client.get(reverse("honour-detail", args=[honour.pk])).content.decode()
    assert reverse("exemplar-detail", args=[made.pk]) in page
    # Through the form: the picker posts the honour's id.
    response = client.post(
        reverse("exemplar-edit", args=[made.pk]),
        {
            "member": a1.pk,
            "name": a1.name,
            "title": "优秀共产党员",
            "level": "county",
            "recognised_on": "2023-07-10",
            "honour": "",
            "honour_note": "只留文字",
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.honour is None and made.honour_text == "只留文字"
    page = client.get(reverse("honour-detail", args=[honour.pk])).content.decode()
    assert reverse("exemplar-detail", args=[made.pk]) not in page


def test_the_honour_page_lists_only_exemplars_the_viewer_may_see(world, login):
    honour = _honour(member=world.members["a1"])
    # Exemplar kept at the county (the member's branch lies below it).
    made = _exemplar(world.orgs["county"], member=world.members["a1"], honour=honour)
    page = login(world, "county_admin").get(reverse("honour-detail", args=[honour.pk]))
    assert reverse("exemplar-detail", args=[made.pk]) in page.content.decode()
    page = login(world, "secretary_a").get(reverse("honour-detail", args=[honour.pk]))
    assert page.status_code == 200
    assert reverse("exemplar-detail", args=[made.pk]) not in page.content.decode()


def test_deleting_the_honour_keeps_the_exemplar_and_its_note(world):
    a1 = world.members["a1"]
    honour = _honour(member=a1)
    made = _exemplar(world.orgs["ba"], member=a1, honour=honour, honour_note="2023年表彰")
    assessment.delete_honour(CLI, honour)
    made.refresh_from_db()
    assert made.honour is None and made.honour_text == "2023年表彰"


def test_the_demo_links_the_exemplars_that_fit_an_approved_honour(world):
    a1, a2, ba, bb = (world.members["a1"], world.members["a2"], world.orgs["ba"], world.orgs["bb"])
    person = _honour(member=a1)
    collective = _honour(org=ba, kind="advanced_org")
    note = "2023年“两优一先”表彰"
    day = dt.date(2023, 8, 1)
    rows = [
        Exemplar(org=ba, member_id=a1.pk, recognised_on=day, honour_note=note),
        Exemplar(org=ba, member_id=None, recognised_on=day, honour_note=note),
        Exemplar(org=ba, member_id=a2.pk, recognised_on=day, honour_note=note),  # no honour
        Exemplar(org=bb, member_id=None, recognised_on=day, honour_note=note),  # other org
        Exemplar(org=ba, member_id=a1.pk, recognised_on=day, honour_note=""),  # no claim
        Exemplar(org=ba, member_id=a1.pk, recognised_on=dt.date(2023, 6, 1), honour_note=note),
    ]
    assert link_honours(rows) == 2
    assert [r.honour_id for r in rows] == [person.pk, collective.pk, None, None, None, None]


def test_the_bulk_loader_refuses_a_link_that_does_not_fit(world):
    a1, a2, ba = world.members["a1"], world.members["a2"], world.orgs["ba"]
    honour = _honour(member=a1)
    day = dt.date(2023, 8, 1)

    def row(member):
        return Exemplar(
            org=ba, member_id=member.pk, name=member.name, title="优秀共产党员",
            level="county", recognised_on=day, honour_id=honour.pk,
        )  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        services.load_history(CLI, world.orgs["city"], {Exemplar: [row(a2)]}, "测试")
    assert "同一名党员" in str(refused.value)
    assert not Exemplar.objects.exists()
    services.load_history(CLI, world.orgs["city"], {Exemplar: [row(a1)]}, "测试")
    assert Exemplar.objects.get().honour == honour


def test_an_exemplar_starts_from_the_honours_page(world, login):
    a1 = world.members["a1"]
    honour = _honour(member=a1)
    theirs = _honour(member=world.members["x1"])
    client = login(world, "secretary_a")
    page = client.get(reverse("honour-detail", args=[honour.pk])).content.decode()
    start = f"{reverse('exemplar-create')}?honour={honour.pk}"
    assert start in page
    form = client.get(start).context["form"]
    assert form.initial["honour"] == honour.pk and form.initial["member"] == a1.pk
    assert form.initial["recognised_on"] == ON and form.initial["level"] == "county"
    # Someone else's 表彰 fills nothing.
    form = client.get(f"{reverse('exemplar-create')}?honour={theirs.pk}").context["form"]
    assert "honour" not in form.initial
