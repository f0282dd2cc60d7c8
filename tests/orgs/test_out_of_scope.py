"""Every page about an org, school, mass org or position outside the visitor's scope answers
404, as if the object did not exist, and changes nothing; an anonymous visitor is sent to log
in before anything is looked up. One table, so a new page is checked the same way."""

import pytest
from django.urls import reverse

from tests.orgs.helpers import make_mass_org, make_position


def objects_for(world, specs) -> dict:
    """`orgs:gb` and `schools:b` name objects of the shared world; `massorg:b` and
    `position:bb` one made for the test under that school or org, before any request."""
    found = {}
    for spec in specs:
        kind, key = spec.split(":")
        if spec in found:
            continue
        if kind == "massorg":
            found[spec] = make_mass_org(world.schools[key])
        elif kind == "position":
            found[spec] = make_position(world.orgs[key])
        else:
            found[spec] = getattr(world, kind)[key]
    return found


@pytest.mark.parametrize(
    "name, hidden_from_secretary_a, hidden_from_county_admin",
    [
        ("org-children", ["orgs:gb"], ["orgs:county2"]),
        ("org-edit", ["orgs:bb", "orgs:gb"], ["orgs:county2"]),
        ("org-move", ["orgs:bb"], ["orgs:bx"]),
        ("school-detail", ["schools:b"], ["schools:x"]),
        ("school-edit", ["schools:b"], ["schools:x"]),
        ("massorg-create", ["schools:b"], []),
        ("massorg-edit", ["massorg:b"], []),
        ("massorg-delete", ["massorg:b"], []),
        ("position-create", ["orgs:bb"], []),
        ("position-edit", ["position:bb"], []),
        ("position-delete", ["position:bb"], []),
    ],
)
def test_it_hides_what_lies_outside_the_scope(
    world, login, name, hidden_from_secretary_a, hidden_from_county_admin
):
    """Deletes are POST only; everything else is asked for with GET."""
    method = "post" if name.endswith("-delete") else "get"
    objects = objects_for(world, hidden_from_secretary_a + hidden_from_county_admin)
    for persona, specs in (
        ("secretary_a", hidden_from_secretary_a),
        ("county_admin", hidden_from_county_admin),
    ):
        client = login(world, persona)
        for spec in specs:
            url = reverse(name, args=[objects[spec].pk])
            assert getattr(client, method)(url).status_code == 404, (persona, url)
    for obj in objects.values():
        assert type(obj).objects.filter(pk=obj.pk).exists()


def test_it_sends_anonymous_visitors_to_login(world, login):
    pages = [
        ("org-tree", None),
        ("org-children", "orgs:city"),
        ("school-list", None),
        ("school-detail", "schools:a"),
        ("massorg-edit", "massorg:b"),
        ("position-edit", "position:bb"),
    ]
    objects = objects_for(world, [spec for _, spec in pages if spec])
    client = login(world, "anonymous")
    for name, spec in pages:
        response = client.get(reverse(name, args=[objects[spec].pk] if spec else []))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
