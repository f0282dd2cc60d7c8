"""培养联系人: one or two full members; 入党介绍人: two full members, not 预备党员, not under
留党察看 (DESIGN 6, steps 5 and 9)."""

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.context import CLI
from dangjian.recruitment import services
from dangjian.recruitment.models import PersonRole, StepPerson
from tests.recruitment.helpers import D, advance, new_recruit, step


def refused(*args, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        step(*args, **kwargs)
    return " ".join(info.value.messages)


@pytest.fixture
def activist(world):
    recruit = new_recruit(world.orgs["ba"])
    return advance(recruit, [], [], stop_before="contacts")


@pytest.fixture
def candidate(world):
    pair = [world.members["a1"], world.members["a2"]]
    return advance(new_recruit(world.orgs["ba"]), pair, pair, stop_before="introducers")


def test_it_takes_one_or_two_full_members_as_contacts(activist, world):
    a1, a2, a3 = (world.members[k] for k in ("a1", "a2", "a3"))
    assert "1至2名正式党员" in refused(activist, "contacts", D(2023, 3, 6), members=[])
    three = [a1, a2, *services.eligible_voters(world.orgs["bb"], D(2023, 3, 6))[:1]]
    assert "1至2名正式党员" in refused(activist, "contacts", D(2023, 3, 6), members=three)
    contacts = step(activist, "contacts", D(2023, 3, 6), members=[a1])
    assert [p.role for p in contacts.people.all()] == [PersonRole.CONTACT]
    step(activist, "contacts", D(2023, 6, 1), members=[a1, a2])
    assert a3.converted_on is None


def test_it_refuses_a_probationary_member_as_contact(activist, world):
    a3 = world.members["a3"]  # joined 2024-03-01, still a 预备党员
    message = refused(activist, "contacts", D(2024, 6, 1), members=[a3])
    assert "王五在2024-06-01是预备党员, 培养联系人须由正式党员担任" in message


def test_it_takes_two_full_members_as_introducers(candidate, world):
    a1, a2, a3 = (world.members[k] for k in ("a1", "a2", "a3"))
    assert "入党介绍人应为2名正式党员" in refused(
        candidate, "introducers", D(2024, 3, 10), members=[a1]
    )
    message = refused(candidate, "introducers", D(2024, 3, 10), members=[a1, a3])
    assert "预备党员, 入党介绍人须由正式党员担任" in message
    done = step(candidate, "introducers", D(2024, 3, 10), members=[a1, a2])
    assert StepPerson.objects.filter(step=done, role=PersonRole.INTRODUCER).count() == 2


def test_it_refuses_an_introducer_under_party_probation(candidate, world):
    a1, a2 = world.members["a1"], world.members["a2"]
    services.record_sanction(
        CLI, a2, kind="probation", start_on=D(2024, 1, 1), end_on=D(2025, 1, 1)
    )
    message = refused(candidate, "introducers", D(2024, 3, 10), members=[a1, a2])
    assert "李四正受留党察看处分, 不能担任入党介绍人" in message
    # Other sanctions do not bar an introducer; a 留党察看 that has ended does not either.
    services.record_sanction(CLI, a1, kind="warning", start_on=D(2024, 1, 1))
    step(candidate, "introducers", D(2025, 1, 1), members=[a1, a2])


def test_it_refuses_members_outside_the_actors_scope(world):
    recruit = new_recruit(world.orgs["ba"], actor=world.users["secretary_a"])
    advance(recruit, [], [], stop_before="contacts", actor=world.users["secretary_a"])
    with pytest.raises(ValidationError) as info:
        services.record_step(
            world.users["secretary_a"],
            recruit,
            "contacts",
            on=D(2023, 3, 6),
            members=[world.members["b1"]],
        )
    assert "所选党员不在您的管理范围内" in " ".join(info.value.messages)
