"""One test walks every URL pattern and API route as every persona (anchor: netbox
ViewTestCases): anonymous → login (pages) or 401 (API); an object out of the persona's scope
for the route's action → 404; in scope → 200. A new URL without an entry here fails the test,
so no page escapes the scope check."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from personas import PERSONAS
from uploadfiles import pdf_upload

from dangjian.accounts.services import users_in_scope
from dangjian.core import uploads
from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry, RoleAssignment, StoredFile
from dangjian.core.roles import Action
from dangjian.core.scope import can, is_unrestricted
from dangjian.dataio.models import ImportJob
from dangjian.disclosure.models import Document, DocumentVersion, Publication
from dangjian.dues.models import DuesBase, DuesMonth, DuesPayment, DuesReduction
from dangjian.members.models import Member
from dangjian.orgs import services as org_services
from dangjian.orgs.models import MassOrganization, Organization, Position, School
from dangjian.recruitment import services as recruitment_services
from dangjian.recruitment.models import Attachment, Recruit, RuleSet, Sanction, Step
from tests.dues.register_factories import FACTORIES as DUES_FACTORIES


@dataclass(frozen=True)
class Route:
    action: str = Action.VIEW
    model: str | None = None  # what the URL's object kwarg names
    post_only: bool = False
    # For routes without an object: which capability the persona needs (else 404).
    needs: str | None = None
    # Status for an object the persona can see but may not act on (the API says 403).
    denied: int = 404
    # Only for unrestricted users (superusers: no persona is one), else 404.
    unrestricted_only: bool = False


# name -> Route. Object kwargs are looked up in MODELS by the Route's model.
ROUTES = {
    "healthz": None,  # public
    "favicon": None,  # public, a redirect to the static icon
    "stored-file": Route(model="storedfile"),
    "login": None,  # public
    "logout": Route(post_only=True),
    "password_change": Route(),
    "password_change_done": Route(),
    "home": Route(),
    "todo-list": Route(),
    "todo-xlsx": Route(),
    "stats-dashboard": Route(needs=Action.VIEW),
    "stats-dashboard-xlsx": Route(needs=Action.VIEW),
    "stats-tables": Route(needs=Action.VIEW),
    "stats-tables-xlsx": Route(needs=Action.VIEW),
    "stats-report": Route(needs=Action.VIEW),
    "stats-report-docx": Route(needs=Action.VIEW),
    "org-tree": Route(needs=Action.VIEW),
    "org-list": Route(needs=Action.VIEW),
    "org-children": Route(model="org"),
    "org-detail": Route(model="org"),
    "org-create": Route(Action.ADD, "org"),
    "org-edit": Route(Action.CHANGE, "org"),
    "org-move": Route(Action.CHANGE, "org"),
    "org-delete": Route(Action.DELETE, "org", post_only=True),
    "position-create": Route(Action.CHANGE, "org"),
    "position-edit": Route(Action.CHANGE, "position"),
    "position-delete": Route(Action.DELETE, "position", post_only=True),
    "school-list": Route(),
    "school-detail": Route(model="school"),
    "school-create": Route(Action.ADD, needs=Action.ADD),
    "school-edit": Route(Action.CHANGE, "school"),
    "school-delete": Route(Action.DELETE, "school", post_only=True),
    "massorg-create": Route(Action.CHANGE, "school"),
    "massorg-edit": Route(Action.CHANGE, "massorg"),
    "massorg-delete": Route(Action.CHANGE, "massorg", post_only=True),
    "member-list": Route(needs=Action.VIEW),
    "member-detail": Route(model="member"),
    "member-create": Route(Action.ADD, needs=Action.ADD),
    "member-edit": Route(Action.CHANGE, "member"),
    "member-leave": Route(Action.CHANGE, "member"),
    "member-restore": Route(Action.CHANGE, "member"),
    "member-delete": Route(Action.DELETE, "member", post_only=True),
    "member-reveal-id": Route(Action.REVEAL_ID, "member", post_only=True),
    "user-list": Route(Action.MANAGE_USERS, needs=Action.MANAGE_USERS),
    "user-create": Route(Action.MANAGE_USERS, needs=Action.MANAGE_USERS),
    "user-detail": Route(Action.MANAGE_USERS, "user"),
    "user-grant": Route(Action.MANAGE_USERS, "user"),
    "user-password": Route(Action.MANAGE_USERS, "user"),
    "user-activate": Route(Action.MANAGE_USERS, "user", post_only=True),
    "user-revoke": Route(Action.MANAGE_USERS, "role", post_only=True),
    "otp-manage": Route(),
    "otp-setup": Route(),
    "otp-verify": Route(),
    "otp-recovery": Route(post_only=True),
    "otp-disable": Route(post_only=True),
    "security-list": Route(Action.MANAGE_SECURITY, needs=Action.MANAGE_SECURITY),
    "security-unlock": Route(Action.MANAGE_SECURITY, "security_user", post_only=True),
    "security-reset-otp": Route(Action.MANAGE_SECURITY, "security_user", post_only=True),
    "security-end-sessions": Route(Action.MANAGE_SECURITY, "security_user", post_only=True),
    "audit-list": Route(Action.AUDIT, needs=Action.AUDIT),
    "audit-detail": Route(Action.AUDIT, "audit"),
    "api-root": Route(),
    "api-schema": Route(),
    "api-docs": Route(),
    "api-org-list": Route(),
    "api-org-detail": Route(model="org"),
    "api-school-list": Route(),
    "api-school-detail": Route(model="school"),
    "api-member-list": Route(),
    "api-stats-list": Route(needs=Action.VIEW),
    "api-member-detail": Route(model="member"),
    "api-member-reveal-id": Route(Action.REVEAL_ID, "member", post_only=True, denied=403),
    "data-home": Route(Action.ADD, needs=Action.ADD),
    "data-template-orgs": Route(Action.ADD, needs=Action.ADD),
    "data-template-schools": Route(Action.ADD, needs=Action.ADD),
    "data-template-members": Route(Action.ADD, needs=Action.ADD),
    "data-import-orgs": Route(Action.ADD, needs=Action.ADD),
    "data-import-schools": Route(Action.ADD, needs=Action.ADD),
    "data-import-members": Route(Action.ADD, needs=Action.ADD),
    "data-job": Route(model="importjob"),
    "data-job-progress": Route(model="importjob"),
    "data-job-report": Route(model="importjob"),
    "data-job-confirm": Route(Action.CHANGE, "importjob", post_only=True),
    "data-export-orgs": Route(),
    "data-export-schools": Route(),
    "data-export-members": Route(),
    "recruit-board": Route(needs=Action.VIEW),
    "recruit-list": Route(),
    "recruit-org-board": Route(model="org"),
    "recruit-settings": Route(Action.CHANGE, "org"),
    "recruit-create": Route(Action.ADD, needs=Action.ADD),
    "recruit-sources": Route(),
    "recruit-rules": Route(),
    "recruit-rules-load": Route(unrestricted_only=True),
    "recruit-rules-export": Route(model="ruleset"),
    "recruit-sanctions": Route(),
    "recruit-sanction-create": Route(Action.CHANGE, needs=Action.CHANGE),
    "recruit-sanction-detail": Route(model="sanction"),
    "recruit-detail": Route(model="recruit"),
    "recruit-timeline": Route(model="recruit"),
    "recruit-edit": Route(Action.CHANGE, "recruit"),
    "recruit-step": Route(Action.CHANGE, "recruit"),
    "recruit-close": Route(Action.CHANGE, "recruit"),
    "recruit-delete": Route(Action.DELETE, "recruit", post_only=True),
    "recruit-documents": Route(model="recruit"),
    "recruit-attachment-add": Route(Action.CHANGE, "recruit"),
    "recruit-step-delete": Route(Action.DELETE, "step", post_only=True),
    "recruit-attachment": Route(model="attachment"),
    "recruit-attachment-delete": Route(Action.CHANGE, "attachment", post_only=True),
    "api-recruit-list": Route(),
    "api-recruit-detail": Route(model="recruit"),
    "api-recruit-steps": Route(Action.CHANGE, "recruit", post_only=True, denied=403),
    "api-sanction-list": Route(),
    "api-sanction-detail": Route(model="sanction"),
    # 党费
    "dues-list": Route(),
    "dues-detail": Route(model="duesmonth"),
    "duespayment-list": Route(),
    "duespayment-create": Route(Action.ADD, needs=Action.ADD),
    "duespayment-detail": Route(model="duespayment"),
    "duespayment-delete": Route(Action.DELETE, "duespayment", post_only=True),
    "duesbase-list": Route(),
    "duesbase-create": Route(Action.ADD, needs=Action.ADD),
    "duesbase-detail": Route(model="duesbase"),
    "duesbase-edit": Route(Action.CHANGE, "duesbase"),
    "duesbase-delete": Route(Action.DELETE, "duesbase", post_only=True),
    "dues-base-import": Route(Action.CHANGE, needs=Action.CHANGE),
    "duesreduction-list": Route(),
    "duesreduction-create": Route(Action.ADD, needs=Action.ADD),
    "duesreduction-detail": Route(model="duesreduction"),
    "duesreduction-delete": Route(Action.DELETE, "duesreduction", post_only=True),
    "dues-reduction-decide": Route(Action.CHANGE, "duesreduction", post_only=True),
    "dues-voluntary": Route(Action.ADD, needs=Action.ADD),
    "dues-totals": Route(needs=Action.VIEW),
    "dues-rates": Route(needs=Action.VIEW),
    "dues-member": Route(model="member"),
    "dues-statement": Route(model="member"),
    "dues-receipt": Route(model="duespayment"),
    "api-dues-list": Route(),
    "api-dues-detail": Route(model="duesmonth"),
    "api-duespayment-list": Route(),
    "api-duespayment-detail": Route(model="duespayment"),
    # 党务公开 and the document library; the portal is public
    "document-list": Route(),
    "document-create": Route(Action.ADD, needs=Action.ADD),
    "document-detail": Route(model="document"),
    "document-edit": Route(Action.CHANGE, "document"),
    "document-delete": Route(Action.DELETE, "document", post_only=True),
    "document-version-add": Route(Action.CHANGE, "document"),
    "document-version": Route(model="documentversion"),
    "api-document-list": Route(),
    "api-document-detail": Route(model="document"),
    "publication-list": Route(),
    "publication-create": Route(Action.ADD, needs=Action.ADD),
    "publication-detail": Route(model="publication"),
    "publication-dues": Route(Action.ADD, needs=Action.ADD),
    "publication-withdraw": Route(Action.CHANGE, "publication", post_only=True),
    "portal": None,
    "portal-org": None,
    "portal-publication": None,
    "portal-file": None,
}


def scoped(model):
    return lambda user, action: model.objects.all().restrict(user, action)


MODELS = {
    "org": (Organization, scoped(Organization)),
    "school": (School, scoped(School)),
    "member": (Member, scoped(Member)),
    "position": (Position, scoped(Position)),
    "massorg": (MassOrganization, scoped(MassOrganization)),
    "role": (RoleAssignment, scoped(RoleAssignment)),
    "audit": (AuditEntry, scoped(AuditEntry)),
    "user": (get_user_model(), lambda user, action: users_in_scope(user)),
    "importjob": (ImportJob, scoped(ImportJob)),
    "recruit": (Recruit, scoped(Recruit)),
    "step": (Step, scoped(Step)),
    "attachment": (Attachment, scoped(Attachment)),
    "ruleset": (RuleSet, scoped(RuleSet)),
    "sanction": (Sanction, scoped(Sanction)),
    "duesmonth": (DuesMonth, scoped(DuesMonth)),
    "duespayment": (DuesPayment, scoped(DuesPayment)),
    "duesbase": (DuesBase, scoped(DuesBase)),
    "duesreduction": (DuesReduction, scoped(DuesReduction)),
    "document": (Document, scoped(Document)),
    "documentversion": (DocumentVersion, scoped(DocumentVersion)),
    "publication": (Publication, scoped(Publication)),
    "security_user": (get_user_model(), lambda user, action: users_in_scope(user, action)),
    "storedfile": (
        StoredFile,
        lambda user, action: StoredFile.objects.filter(
            pk__in=[f.pk for f in StoredFile.objects.all() if uploads.may_read(user, f)]
        ),
    ),
}


def all_patterns(patterns=None, prefix=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from all_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            if "format" in pattern.pattern.regex.groupindex:
                continue  # DRF's .json suffix twins of the same views
            if prefix.startswith("static") or str(pattern.pattern).startswith("static"):
                continue
            yield pattern


def test_it_has_a_route_entry_for_every_url_pattern():
    names = {p.name for p in all_patterns()}
    assert None not in names, "every URL pattern needs a name"
    missing = names - set(ROUTES)
    assert not missing, f"add these URL names to ROUTES: {sorted(missing)}"
    stale = set(ROUTES) - names
    assert not stale, f"ROUTES names no longer in urls: {sorted(stale)}"


def extra_objects(world):
    """Objects the shared world lacks, one in each county."""
    for org in (world.orgs["ba"], world.orgs["bx"]):
        org_services.save_position(
            CLI,
            Position(org=org, title="secretary", holder_name="书记", start_on=dt.date(2024, 1, 1)),
        )
    for school in (world.schools["a"], world.schools["x"]):
        org_services.save_mass_org(CLI, MassOrganization(school=school, kind="union"))
    for org in (world.orgs["ba"], world.orgs["bx"]):
        uploads.save(CLI, pdf_upload(), org_path=org.path)
    for member in (world.members["a1"], world.members["x1"]):
        recruitment_services.record_sanction(
            CLI, member, kind="warning", start_on=dt.date(2024, 1, 1)
        )
    for org in (world.orgs["ba"], world.orgs["bx"]):
        for name, make in DUES_FACTORIES.items():
            make(world, org, 0 if name != "dues" else 1)


def pattern_kwargs(pattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def url_for(pattern, obj) -> str:
    kwargs = {name: obj.pk for name in pattern_kwargs(pattern)}
    return reverse(pattern.name, kwargs=kwargs)


def is_chinese_404_page(response) -> bool:
    """Out of scope looks like missing: the Chinese page in the layout, with a way home."""
    body = response.content.decode()
    return (
        'lang="zh-Hans"' in body
        and "您访问的页面不存在" in body
        and 'href="/"' in body
        and "Not Found" not in body
    )


def call(client, route, url):
    if route.post_only:
        return client.post(url)
    return client.get(url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_every_url_for_every_persona(persona, world, login):
    extra_objects(world)
    client = login(world, persona)
    user = world.users.get(persona)
    problems = []
    for pattern in all_patterns():
        route = ROUTES[pattern.name]
        if route is None:
            continue
        is_api = pattern.name.startswith("api-")
        if pattern_kwargs(pattern):
            model, lookup = MODELS[route.model]
            if user is None:
                targets = [(model.objects.first(), None)]
            else:
                allowed = lookup(user, route.action)
                seen = lookup(user, Action.VIEW)
                others = model.objects.exclude(pk__in=allowed.values("pk"))
                targets = [
                    (allowed.first(), 200),
                    (others.filter(pk__in=seen.values("pk")).first(), route.denied),
                    (others.exclude(pk__in=seen.values("pk")).first(), 404),
                ]
        else:
            expected = 200
            if user is not None and route.needs and not can(user, route.needs):
                expected = 404
            if user is not None and route.unrestricted_only and not is_unrestricted(user):
                expected = 404
            targets = [(None, None if user is None else expected)]
        for obj, expected in targets:
            if pattern_kwargs(pattern) and obj is None:
                continue
            url = url_for(pattern, obj) if obj is not None else reverse(pattern.name)
            if route.post_only and expected == 200:
                continue  # destructive in scope: covered by each view's own tests
            response = call(client, route, url)
            status = response.status_code
            if user is None:
                ok = (
                    status == 401
                    if is_api
                    else (status == 302 and "/accounts/login/" in response.url)
                )
                if pattern.name == "logout":
                    ok = status in (200, 302)
            else:
                ok = status == expected or (expected == 200 and status == 302 and route.post_only)
                if ok and status == 404 and not is_api and not is_chinese_404_page(response):
                    problems.append(f"{pattern.name} {url} → 404 without the Chinese page")
            if not ok:
                problems.append(
                    f"{pattern.name} {url} → {status}, expected {expected or 'login/401'}"
                )
    assert not problems, f"{persona}:\n" + "\n".join(problems)
