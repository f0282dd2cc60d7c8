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
    "requests",
    [
        pytest.param(
            [
                ("secretary_a", "get", "org-children", "orgs:gb"),
                ("county_admin", "get", "org-children", "orgs:county2"),
            ],
            id="org-children",
        ),
        pytest.param(
            [
                ("secretary_a", "get", "org-edit", "orgs:bb"),
                ("secretary_a", "get", "org-edit", "orgs:gb"),
                ("county_admin", "get", "org-edit", "orgs:county2"),
            ],
            id="org-edit",
        ),
        pytest.param(
            [
                ("secretary_a", "get", "org-move", "orgs:bb"),
                ("county_admin", "get", "org-move", "orgs:bx"),
            ],
            id="org-move",
        ),
        pytest.param(
            [
                ("secretary_a", "get", "school-detail", "schools:b"),
                ("county_admin", "get", "school-detail", "schools:x"),
            ],
            id="school-detail",
        ),
        pytest.param(
            [
                ("secretary_a", "get", "school-edit", "schools:b"),
                ("county_admin", "get", "school-edit", "schools:x"),
            ],
            id="school-edit",
        ),
        pytest.param(
            [
                ("secretary_a", "get", "massorg-create", "schools:b"),
                ("secretary_a", "get", "massorg-edit", "massorg:b"),
                ("secretary_a", "post", "massorg-delete", "massorg:b"),
            ],
            id="massorg",
        ),
        pytest.param(
            [
                ("secretary_a", "get", "position-create", "orgs:bb"),
                ("secretary_a", "get", "position-edit", "position:bb"),
                ("secretary_a", "post", "position-delete", "position:bb"),
            ],
            id="position",
        ),
    ],
)
def test_it_hides_what_lies_outside_the_scope(world, login, requests):
    objects = objects_for(world, [spec for *_, spec in requests])
    for persona, method, name, spec in requests:
        url = reverse(name, args=[objects[spec].pk])
        assert getattr(login(world, persona), method)(url).status_code == 404, (persona, url)
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
