"""Every page and API route, as every persona, shows no full ID number and carries no inline
script (the audited reveal, a POST, is the one way to a full number)."""

import io
import logging
import re
import zipfile

import pytest
from django.urls import reverse
from personas import PERSONAS, id_numbers_in
from test_every_url import (
    MODELS,
    ROUTES,
    Route,
    all_patterns,
    extra_objects,
    pattern_kwargs,
    url_for,
)

from dangjian.core.roles import Action
from dangjian.members.models import Member

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
HANDLER_ATTR = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
ZIP_TYPES = ("spreadsheetml", "wordprocessingml", "application/zip")
# Import templates carry one sample row whose made-up number belongs to nobody.
SAMPLE_ROUTES = {"data-template-members", "data-template-recruits"}
# drf-spectacular's Swagger page (a third-party template) writes its start-up script inline
# unless urls.py serves it with SpectacularSwaggerSplitView.
THIRD_PARTY_INLINE: set[str] = set()
OBJECTS_PER_ROUTE = 3


def body_text(response) -> str:
    """The text a user could read: HTML/JSON, or every part of an xlsx/docx download."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if any(t in kind for t in ZIP_TYPES):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return content.decode("utf-8", "replace")


def inline_code(html: str) -> list[str]:
    problems = []
    for tag in SCRIPT_TAG.findall(html):
        if " src=" not in tag and 'type="application/json"' not in tag:
            problems.append(tag)
    problems += HANDLER_ATTR.findall(html)
    problems += STYLE_ATTR.findall(html)
    return problems


def urls_for(world, persona):
    user = world.users.get(persona)
    for pattern in all_patterns():
        # Public pages (None) and names not yet in the table (test_every_url fails for
        # those) are crawled as plain pages.
        route = ROUTES.get(pattern.name) or Route()
        if route.post_only:
            continue
        if not pattern_kwargs(pattern):
            yield pattern.name, reverse(pattern.name)
            continue
        if user is None or route.model not in MODELS:
            continue
        _model, lookup = MODELS[route.model]
        for obj in lookup(user, route.action)[:OBJECTS_PER_ROUTE]:
            yield pattern.name, url_for(pattern, obj)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_no_full_id_number_on_any_page_or_api_route(
    persona, world, verified_login, caplog
):
    extra_objects(world)
    client = verified_login(world, persona)
    numbers = {m.id_number for m in world.members.values()}
    seen, problems = 0, []
    with caplog.at_level(logging.DEBUG):
        for name, url in urls_for(world, persona):
            for query in ("", "?search=" + next(iter(numbers))[-4:]):
                response = client.get(url + query)
                if response.status_code != 200:
                    continue
                seen += 1
                text = body_text(response)
                found = set(id_numbers_in(text)) | {n for n in numbers if n in text}
                if name in SAMPLE_ROUTES:
                    found = {n for n in found if Member.objects.with_id_numbers([n]).exists()}
                if found:
                    problems.append(f"{name} {url}{query}: {sorted(found)}")
                if (
                    "text/html" in response.get("Content-Type", "")
                    and name not in THIRD_PARTY_INLINE
                ):
                    problems += [f"{name} {url}: inline {code}" for code in inline_code(text)]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not id_numbers_in(logged), "a log line carries a full ID number"
    assert seen >= (2 if persona == "anonymous" else 10), f"{persona} reached only {seen} pages"
    assert not problems, "\n".join(problems)


def test_it_reveals_the_full_number_only_through_the_audited_post(world, verified_login):
    from dangjian.core.models import AuditAction, AuditEntry

    a1 = world.members["a1"]
    client = verified_login(world, "county_admin")
    page = client.post(reverse("member-reveal-id", args=[a1.pk]))
    assert page.status_code == 200 and a1.id_number in page.content.decode()
    api = client.post(reverse("api-member-reveal-id", args=[a1.pk]))
    assert api.json()["id_number"] == a1.id_number
    reveals = AuditEntry.objects.filter(action=AuditAction.REVEAL_ID, object_id=str(a1.pk))
    assert reveals.count() == 2
    assert set(reveals.values_list("actor_name", flat=True)) == {"county_admin"}

    secretary = verified_login(world, "secretary_a")
    assert secretary.post(reverse("member-reveal-id", args=[a1.pk])).status_code == 404
    assert secretary.post(reverse("api-member-reveal-id", args=[a1.pk])).status_code == 403
    assert reveals.count() == 2


def test_it_masks_numbers_in_log_lines():
    from dangjian.core.validators import MaskIdNumbersFilter

    record = logging.LogRecord(
        "x", logging.INFO, "", 0, "导入 %s 失败", ("11010519491231002X",), None
    )
    MaskIdNumbersFilter().filter(record)
    assert record.getMessage() == "导入 110***********002X 失败"


def test_it_keeps_the_reveal_actions_out_of_reach_of_a_get():
    for name in ("member-reveal-id", "api-member-reveal-id"):
        assert ROUTES[name].post_only and ROUTES[name].action == Action.REVEAL_ID
