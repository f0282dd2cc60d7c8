"""廉政建设: the confidentiality of the 纪检 records (every persona against every confidential
page, export, search and API route, and the audit log's own view of them), a case's outcome
on the member's record (留党察看 and votes, 开除党籍 as a dated event), petition deadlines
and the risk funnel at their boundaries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from personas import PERSONAS
from rest_framework.test import APIClient

from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry
from dangjian.core.roles import Action
from dangjian.integrity import services
from dangjian.integrity.models import Petition
from dangjian.integrity.registers import PetitionRegister
from dangjian.members.models import Member, MemberEvent
from dangjian.recruitment.models import Sanction
from dangjian.recruitment.services import eligible_voters
from dangjian.stats.engine import statistics
from tests.integrity.register_factories import FACTORIES

CONFIDENTIAL = ("petition", "case", "admonition")
SECRET = "秘密线索甲乙丙"  # a matter no page but the discipline role's may show
PETITIONER = "信访人王秘密"


@pytest.fixture
def records(world):
    """One of each confidential record in the county (ba) and one in the other county."""
    made = {}
    for key in ("ba", "bx"):
        org = world.orgs[key]
        made[("petition", key)] = services.create_petition(
            CLI,
            org=org,
            received_on=dt.date(2024, 3, 1),
            channel="visit",
            subject=SECRET,
            petitioner=PETITIONER,
        )
        made[("case", key)] = services.create_case(
            CLI, org=org, subject_name="钱被查", matter=SECRET, received_on=dt.date(2024, 3, 1)
        )
        made[("admonition", key)] = services.create_talk(
            CLI,
            org=org,
            kind="admonish",
            held_on=dt.date(2024, 3, 1),
            person_name="孙被谈",
            by_whom="纪检组长",
            matter=SECRET,
        )
    return made


def _urls(name, pk):
    return {
        "list": reverse(f"{name}-list"),
        "search": reverse(f"{name}-list") + "?q=" + SECRET[:4],
        "export": reverse(f"{name}-list") + "?export=xlsx",
        "detail": reverse(f"{name}-detail", args=[pk]),
        "edit": reverse(f"{name}-edit", args=[pk]),
        "create": reverse(f"{name}-create"),
        "api-list": reverse(f"api-{name}-list"),
        "api-search": reverse(f"api-{name}-list") + "?search=" + SECRET[:4],
        "api-detail": reverse(f"api-{name}-detail", args=[pk]),
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", CONFIDENTIAL)
def test_it_answers_only_the_discipline_role(name, persona, world, records, login):
    client = login(world, persona)
    api = APIClient()
    if persona != "anonymous":
        api.force_authenticate(world.users[persona])
    inside, outside = records[(name, "ba")], records[(name, "bx")]
    for target, obj in (("inside", inside), ("outside", outside)):
        for kind, url in _urls(name, obj.pk).items():
            is_api = kind.startswith("api")
            response = (api if is_api else client).get(url)
            status = response.status_code
            if persona == "anonymous":
                assert status == (401 if is_api else 302), (kind, status)
                continue
            reader = persona == "discipline"
            if kind in ("detail", "edit", "api-detail") and target == "outside":
                reader = False  # the county's 纪检 does not reach the other county
            if reader:
                assert status == 200, (kind, target, status)
            elif kind in ("api-list", "api-search"):
                assert status == 403, (kind, status)
            else:
                assert status == 404, (kind, target, status)
            body = response.content.decode("utf-8", "replace")
            if status != 200 or kind == "export":
                assert SECRET not in body and PETITIONER not in body


def test_it_lists_only_the_discipline_roles_subtree(world, records, login):
    client = login(world, "discipline")
    response = client.get(reverse("petition-list"))
    shown = {obj.pk for obj in response.context["rows"]}
    assert shown == {records[("petition", "ba")].pk}
    api = APIClient()
    api.force_authenticate(world.users["discipline"])
    data = api.get(reverse("api-case-list")).json()
    assert [row["id"] for row in data["results"]] == [records[("case", "ba")].pk]
    assert data["results"][0]["matter"] == SECRET


def test_it_writes_an_audit_row_for_every_read_and_export(world, records, login):
    client = login(world, "discipline")
    pk = records[("case", "ba")].pk
    before = AuditEntry.objects.count()
    client.get(reverse("case-list"))
    client.get(reverse("case-detail", args=[pk]))
    client.get(reverse("case-list") + "?export=xlsx")
    rows = list(AuditEntry.objects.order_by("pk")[before:])
    assert [row.action for row in rows] == [AuditAction.READ, AuditAction.READ, AuditAction.EXPORT]
    assert rows[1].object_id == str(pk)
    assert all(row.actor == world.users["discipline"] for row in rows)


def test_it_keeps_names_and_matters_out_of_the_audit_log(world, records, login):
    """The audit log is read by administrators and 审计员: it shows a confidential record
    by kind, date and number, never the person, the petitioner or the matter."""
    client = login(world, "discipline")
    client.get(reverse("petition-detail", args=[records[("petition", "ba")].pk]))
    services.update_case(CLI, records[("case", "ba")], matter=SECRET + "补充")
    admin = login(world, "city_admin")
    page = admin.get(reverse("audit-list"), {"page_size": 500})
    assert page.status_code == 200
    body = page.content.decode()
    for secret in (SECRET, PETITIONER, "钱被查", "孙被谈"):
        assert secret not in body
    for entry in AuditEntry.objects.filter(object_type__startswith="integrity."):
        detail = admin.get(reverse("audit-detail", args=[entry.pk])).content.decode()
        assert SECRET not in detail and PETITIONER not in detail and "钱被查" not in detail
        assert SECRET not in str(entry.changes) and "钱被查" not in entry.object_repr


def test_it_encrypts_the_petitioner_at_rest(world, records):
    petition = records[("petition", "ba")]
    stored = Petition.objects.filter(pk=petition.pk).values_list("petitioner_cipher", flat=True)
    assert PETITIONER not in stored[0]
    assert Petition.objects.get(pk=petition.pk).petitioner == PETITIONER


def test_it_keeps_the_records_from_any_restrict_call(world, records):
    """Whatever action a caller passes, only the 纪检 role gets the records."""
    for action in (Action.VIEW, Action.CHANGE, Action.AUDIT, Action.DISCIPLINE):
        assert not Petition.objects.restrict(world.users["city_admin"], action).exists()
        assert Petition.objects.restrict(world.users["discipline"], action).count() == 1


def test_it_lets_no_administrator_grant_the_discipline_role(world):
    from dangjian.accounts import services as accounts

    with pytest.raises(ValidationError):
        accounts.grant_role(
            world.users["city_admin"], world.users["city_admin"], world.orgs["city"], "discipline"
        )


def test_it_shows_the_discipline_menu_only_to_the_role(world, login):
    assert reverse("case-list") in login(world, "discipline").get("/").content.decode()
    assert reverse("case-list") not in login(world, "city_admin").get("/").content.decode()


# -- outcomes on the member's record ------------------------------------------------------


def _closed_case(world, member, outcome, closed_on, **extra):
    filed = closed_on - dt.timedelta(days=60)
    return services.create_case(
        world.users["discipline"],
        org=world.orgs["ba"],
        subject_name=member.name,
        member=member,
        matter=SECRET,
        received_on=filed - dt.timedelta(days=30),
        checked_on=filed - dt.timedelta(days=10),
        filed_on=filed,
        reviewed_on=closed_on - dt.timedelta(days=5),
        closed_on=closed_on,
        party_outcome=outcome,
        **extra,
    )


def test_it_stops_votes_from_the_first_day_of_probation_until_it_ends(world):
    member = world.members["a1"]
    start = dt.date(2024, 5, 10)
    case = _closed_case(world, member, "probation", start, probation_years=1)
    assert case.sanction.kind == "probation"
    assert case.sanction.end_on == dt.date(2025, 5, 10)
    branch = world.orgs["ba"]
    assert member in eligible_voters(branch, start - dt.timedelta(days=1))
    assert member not in eligible_voters(branch, start)
    assert member not in eligible_voters(branch, dt.date(2025, 5, 9))  # the last day
    assert member in eligible_voters(branch, dt.date(2025, 5, 10))  # the day after it ends


def test_it_asks_for_a_one_or_two_year_probation(world):
    with pytest.raises(ValidationError) as raised:
        _closed_case(world, world.members["a1"], "probation", dt.date(2024, 5, 10))
    assert "probation_years" in raised.value.message_dict


def test_it_ends_the_membership_on_expulsion(world):
    member = world.members["a2"]
    _closed_case(world, member, "expulsion", dt.date(2024, 6, 3))
    member = Member.objects.get(pk=member.pk)
    assert member.status == "expelled" and member.left_on == dt.date(2024, 6, 3)
    assert MemberEvent.objects.filter(member=member, kind="expelled", on=dt.date(2024, 6, 3))


def test_it_does_not_leak_the_reason_through_the_member_or_sanction_api(world, login):
    member = world.members["a1"]
    _closed_case(world, member, "warning", dt.date(2024, 5, 10))
    api = APIClient()
    api.force_authenticate(world.users["city_admin"])
    for url in (reverse("api-member-detail", args=[member.pk]), reverse("api-sanction-list")):
        response = api.get(url)
        assert response.status_code == 200
        assert SECRET not in response.content.decode()
    assert "纪检案件处分决定" in api.get(reverse("api-sanction-list")).content.decode()
    page = login(world, "city_admin").get(reverse("member-detail", args=[member.pk]))
    assert page.status_code == 200 and SECRET not in page.content.decode()
    assert Sanction.objects.get(member=member).note == "纪检案件处分决定"


def test_it_refuses_a_member_outside_the_cases_org(world):
    with pytest.raises(ValidationError) as raised:
        services.create_case(
            CLI,
            org=world.orgs["ba"],
            subject_name=world.members["x1"].name,
            member=world.members["x1"],
            matter=SECRET,
            received_on=dt.date(2024, 1, 1),
        )
    assert "member" in raised.value.message_dict


def test_it_refuses_a_filing_without_the_preliminary_check(world):
    with pytest.raises(ValidationError) as raised:
        services.create_case(
            CLI,
            org=world.orgs["ba"],
            subject_name="某人",
            matter=SECRET,
            received_on=dt.date(2024, 1, 1),
            filed_on=dt.date(2024, 2, 1),
        )
    assert "filed_on" in raised.value.message_dict


# -- petition deadlines -------------------------------------------------------------------


def test_it_sets_the_deadline_sixty_days_after_receipt(world):
    petition = FACTORIES["petition"](world, world.orgs["ba"], 0)
    assert petition.due_on == petition.received_on + dt.timedelta(days=60)
    with override_settings(DANGJIAN_PETITION_DAYS=30):
        other = FACTORIES["petition"](world, world.orgs["ba"], 1)
    assert other.due_on == other.received_on + dt.timedelta(days=30)


def test_it_lists_a_petition_as_overdue_from_the_day_after_its_deadline(world):
    received = dt.date(2024, 3, 1)
    petition = services.create_petition(
        CLI, org=world.orgs["ba"], received_on=received, channel="phone", subject="事项"
    )
    due = dt.date(2024, 4, 30)
    assert petition.due_on == due
    assert not petition.overdue_on(due)
    assert petition.overdue_on(due + dt.timedelta(days=1))
    reg = PetitionRegister.instance
    user = world.users["discipline"]
    assert not reg.todo(user, due)
    items = reg.todo(user, due + dt.timedelta(days=1))
    assert [item.url for item in items] == [reverse("petition-detail", args=[petition.pk])]
    assert "事项" not in items[0].text
    assert not reg.todo(world.users["city_admin"], due + dt.timedelta(days=1))
    services.update_petition(CLI, petition, resolved_on=due + dt.timedelta(days=2), result="true")
    assert not reg.todo(user, dt.date(2024, 12, 1))


def test_it_asks_for_a_result_when_a_petition_is_settled(world):
    with pytest.raises(ValidationError) as raised:
        services.create_petition(
            CLI,
            org=world.orgs["ba"],
            received_on=dt.date(2024, 3, 1),
            channel="letter",
            subject="事项",
            resolved_on=dt.date(2024, 3, 2),
        )
    assert "result" in raised.value.message_dict


# -- the funnel and the statistics --------------------------------------------------------


def _risk(world, org, found_on, confirmed_on=None):
    return services.create_risk(
        CLI,
        org=org,
        domain="finance",
        post="会计",
        description="小金库",
        level="high",
        found_on=found_on,
        confirmed_on=confirmed_on,
    )


def test_it_counts_the_funnel_over_the_period_with_both_ends(world):
    ba, bx = world.orgs["ba"], world.orgs["bx"]
    first, last = dt.date(2009, 1, 1), dt.date(2010, 12, 31)
    _risk(world, ba, dt.date(2008, 12, 31))  # before the period
    on_first = _risk(world, ba, first, dt.date(2009, 6, 1))
    on_last = _risk(world, ba, last, last)
    _risk(world, ba, dt.date(2010, 6, 1), dt.date(2011, 1, 1))  # confirmed after it
    _risk(world, bx, dt.date(2010, 6, 1), dt.date(2010, 7, 1))  # the other county
    for risk, set_on in (
        (on_first, dt.date(2009, 6, 1)),
        (on_last, last),
        (on_first, dt.date(2011, 1, 1)),
    ):
        services.create_measure(
            CLI, risk=risk, content="措施", owner="某", set_on=set_on, review_on=set_on
        )
    figures = statistics(world.orgs["county"], last, period=(first, last))["integrity"]
    assert figures["risks"] == {"found": 3, "confirmed": 2, "measures": 2}
    city = statistics(world.orgs["city"], last, period=(first, last))["integrity"]
    assert city["risks"] == {"found": 4, "confirmed": 3, "measures": 2}


def test_it_refuses_a_measure_before_the_risk_is_confirmed(world):
    risk = _risk(world, world.orgs["ba"], dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as raised:
        services.create_measure(
            CLI,
            risk=risk,
            content="措施",
            owner="某",
            set_on=dt.date(2024, 2, 1),
            review_on=dt.date(2024, 3, 1),
        )
    assert "risk" in raised.value.message_dict


def test_it_counts_petitions_and_cases_without_names(world):
    ba = world.orgs["ba"]
    first, last = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    services.create_petition(
        CLI,
        org=ba,
        received_on=dt.date(2024, 1, 1),
        channel="letter",
        subject="甲",
        resolved_on=dt.date(2024, 2, 1),
        result="true",
    )
    services.create_petition(
        CLI, org=ba, received_on=dt.date(2023, 12, 31), channel="letter", subject="乙"
    )
    _closed_case(world, world.members["a1"], "warning", dt.date(2024, 5, 10))
    services.create_case(
        CLI,
        org=ba,
        subject_name="某",
        matter="未立案",
        received_on=dt.date(2024, 1, 1),
        checked_on=dt.date(2024, 1, 10),
        closed_on=dt.date(2024, 2, 1),
    )
    services.create_case(
        CLI,
        org=ba,
        kind="assisted",
        subject_name="外",
        matter="协查",
        received_on=dt.date(2024, 1, 1),
        closed_on=dt.date(2024, 1, 20),
    )
    figures = statistics(world.orgs["county"], last, period=(first, last))["integrity"]
    assert figures == {
        "risks": {"found": 0, "confirmed": 0, "measures": 0},
        "petitions": {"received": 1, "resolved": 1},
        "cases": {"opened": 1, "closed": 1, "leads_assisted": 1, "people_sanctioned": 1},
    }


# -- the pages' forms ---------------------------------------------------------------------


def test_it_records_a_petition_and_a_case_through_the_pages(world, login):
    client = login(world, "discipline")
    form = client.get(reverse("petition-create"))
    assert form.status_code == 200
    offered = {org.code for org in form.context["form"].fields["org"].queryset}
    assert "T-BA" in offered and "T-BX" not in offered
    response = client.post(
        reverse("petition-create"),
        {
            "org": world.orgs["ba"].pk,
            "received_on": "2024-03-01",
            "channel": "online",
            "subject": "反映收费",
            "petitioner": PETITIONER,
        },
    )
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{petition.pk}/")
    assert petition.petitioner == PETITIONER and petition.due_on == dt.date(2024, 4, 30)
    member = world.members["a1"]
    response = client.post(
        reverse("case-create"),
        {
            "org": world.orgs["ba"].pk,
            "kind": "case",
            "subject_name": member.name,
            "member_id_number": member.id_number,
            "matter": SECRET,
            "received_on": "2024-01-02",
            "checked_on": "2024-01-10",
            "filed_on": "2024-01-20",
            "reviewed_on": "2024-03-01",
            "closed_on": "2024-03-10",
            "party_outcome": "serious_warning",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Sanction.objects.get(member=member).kind == "serious_warning"
    outsider = world.members["x1"]
    response = client.post(
        reverse("case-create"),
        {
            "org": world.orgs["ba"].pk,
            "kind": "case",
            "subject_name": outsider.name,
            "member_id_number": outsider.id_number,
            "matter": SECRET,
            "received_on": "2024-01-02",
        },
    )
    assert response.status_code == 200
    assert "member_id_number" in response.context["form"].errors


def test_it_shows_the_risk_funnel_on_the_list(world, login):
    risk = _risk(world, world.orgs["ba"], dt.date(2024, 1, 1), dt.date(2024, 2, 1))
    _risk(world, world.orgs["bb"], dt.date(2024, 1, 1))
    services.create_measure(
        CLI,
        risk=risk,
        content="措施",
        owner="某",
        set_on=dt.date(2024, 2, 2),
        review_on=dt.date(2024, 8, 1),
    )
    client = login(world, "county_admin")
    funnel = client.get(reverse("risk-list")).context["funnel"]
    assert (funnel["found"], funnel["confirmed"], funnel["measures"]) == (2, 1, 1)
    funnel = client.get(reverse("risk-list"), {"org": "T-BB"}).context["funnel"]
    assert (funnel["found"], funnel["confirmed"], funnel["measures"]) == (1, 0, 0)
    page = client.get(reverse("risk-detail", args=[risk.pk])).content.decode()
    assert "措施" in page and reverse("risk-measure-create") + f"?risk={risk.pk}" in page


def test_it_writes_many_with_the_same_rules_and_scope(world):
    from dangjian.core.scope import NotInScope
    from dangjian.integrity.models import Risk

    def risk(org, found_on, confirmed_on=None):
        return Risk(
            org=org,
            domain="finance",
            post="会计",
            description="小金库",
            level="low",
            found_on=found_on,
            confirmed_on=confirmed_on,
        )

    secretary = world.users["secretary_a"]
    with pytest.raises(NotInScope):
        services.bulk_create(secretary, [risk(world.orgs["bb"], dt.date(2024, 1, 1))], "批量")
    with pytest.raises(ValidationError):
        services.bulk_create(
            secretary, [risk(world.orgs["ba"], dt.date(2024, 2, 1), dt.date(2024, 1, 1))], "批量"
        )
    before = AuditEntry.objects.count()
    made = services.bulk_create(
        secretary, [risk(world.orgs["ba"], dt.date(2024, 1, i)) for i in range(1, 4)], "批量"
    )
    assert Risk.objects.filter(pk__in=[r.pk for r in made]).count() == 3
    assert AuditEntry.objects.count() == before + 1
    with pytest.raises(NotInScope):  # a confidential record only by the 纪检 role
        services.bulk_create(
            world.users["city_admin"],
            [
                Petition(
                    org=world.orgs["ba"],
                    received_on=dt.date(2024, 1, 1),
                    channel="phone",
                    subject="事",
                )
            ],
            "批量",
        )


def test_small_subtrees_counted_from_fetched_rows_agree_with_the_database(world):
    """A small subtree's `integrity` key is counted from its fetched rows (core.small_subtrees);
    every count equals the database's statement, on every org and on periods around the
    records' dates (both ends)."""
    from dangjian.integrity.stats import database_counts, fetched_counts
    from dangjian.orgs.models import Organization
    from dangjian.stats.engine import Scope

    ba, bx = world.orgs["ba"], world.orgs["bx"]
    first, last = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    _risk(world, ba, dt.date(2023, 12, 31))
    on_first = _risk(world, ba, first, dt.date(2024, 6, 1))
    on_last = _risk(world, bx, last, last)
    _risk(world, ba, dt.date(2024, 6, 1), dt.date(2025, 1, 1))
    # Two measures of one risk: the risk is still found once.
    measures = [(on_first, dt.date(2024, 6, 1)), (on_first, dt.date(2024, 7, 1))]
    for risk, set_on in [*measures, (on_last, last), (on_first, first)]:
        if set_on >= (risk.confirmed_on or set_on):
            services.create_measure(
                CLI, risk=risk, content="措施", owner="某", set_on=set_on, review_on=set_on
            )
    services.create_petition(
        CLI,
        org=ba,
        received_on=first,
        channel="letter",
        subject="甲",
        resolved_on=dt.date(2024, 2, 1),
        result="true",
    )
    services.create_petition(
        CLI,
        org=bx,
        received_on=dt.date(2023, 12, 31),
        channel="letter",
        subject="乙",
        resolved_on=first,
        result="true",
    )
    _closed_case(world, world.members["a1"], "warning", dt.date(2024, 5, 10))
    _closed_case(world, world.members["a2"], "", dt.date(2025, 1, 10))
    services.create_case(
        CLI,
        org=ba,
        subject_name="某",
        matter="未立案",
        received_on=first,
        checked_on=dt.date(2024, 1, 10),
        closed_on=dt.date(2024, 2, 1),
    )
    services.create_case(
        CLI,
        org=bx,
        kind="assisted",
        subject_name="外",
        matter="协查",
        received_on=first,
        closed_on=dt.date(2024, 1, 20),
    )
    periods = [
        (first, last),
        (dt.date(2023, 12, 31), first),
        (dt.date(2024, 2, 1), dt.date(2025, 1, 10)),
    ]
    periods += [
        (dt.date(2024, 5, 10), dt.date(2024, 5, 10)),
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ]
    seen = set()
    for org in Organization.objects.all():
        ids = tuple(
            Organization.objects.filter(path__startswith=org.path).values_list("pk", flat=True)
        )
        for period in periods:
            scope = Scope(root=org, as_of=period[1], period=period, ids=ids)
            fetched = fetched_counts(scope)
            assert fetched == database_counts(scope), (org.code, period)
            seen |= {key for key, value in fetched.items() if value}
    assert seen == set(fetched)
