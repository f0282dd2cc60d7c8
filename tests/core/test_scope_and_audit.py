import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from personas import add_org

from dangjian.core.audit import AuditAction
from dangjian.core.models import AuditEntry
from dangjian.core.roles import Action
from dangjian.core.scope import ANY_SCOPE, NotInScope, path_q, scope_paths, scope_q
from dangjian.members import services as members
from dangjian.orgs import services as orgs
from dangjian.orgs.models import Organization


def test_it_keeps_only_the_outermost_subtree(world):
    from dangjian.accounts import services as accounts
    from dangjian.core.context import CLI

    user = world.users["secretary_a"]
    accounts.grant_role(CLI, user, world.orgs["county"], "viewer")
    user.refresh_from_db()
    assert scope_paths(user, Action.VIEW) == [world.orgs["county"].path]
    assert scope_paths(user, Action.CHANGE) == [world.orgs["ba"].path]


def test_it_refuses_writes_out_of_scope_as_not_found(world):
    secretary = world.users["secretary_a"]
    with pytest.raises(NotInScope):
        orgs.update_org(secretary, world.orgs["bb"], name="改名")
    with pytest.raises(NotInScope):
        members.update_member(secretary, world.members["b1"], name="改名")
    # Moving a member out of one's subtree is refused too.
    with pytest.raises(NotInScope):
        members.update_member(secretary, world.members["a1"], org=world.orgs["bb"])
    assert Organization.objects.get(pk=world.orgs["bb"].pk).name == "乙中学党支部"


def test_it_lets_an_organiser_edit_but_not_delete(world):
    secretary = world.users["secretary_a"]
    members.update_member(secretary, world.members["a1"], phone="13912345678")
    with pytest.raises(NotInScope):
        members.delete_member(secretary, world.members["a1"])


def test_it_writes_old_and_new_values_on_update(world):
    members.update_member(world.users["county_admin"], world.members["a1"], phone="13900001111")
    entry = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="members.member"
    ).first()
    assert entry.actor_name == "county_admin"
    assert entry.changes["phone"] == ["", "13900001111"]
    assert entry.org_path == world.orgs["ba"].path


def test_it_never_writes_a_full_id_number_into_the_audit(world):
    full = world.members["a1"].id_number
    assert not AuditEntry.objects.filter(changes__icontains=full).exists()
    for entry in AuditEntry.objects.filter(object_type="members.member"):
        assert full not in str(entry.changes)


def test_it_keeps_the_audit_append_only(world):
    entry = AuditEntry.objects.first()
    entry.object_repr = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(actor_name="x")


@pytest.mark.parametrize(
    "parent, code, name, kind, message",
    [
        ("gb", "T-G", "小组", "group", "党小组只能隶属于"),
        ("city", "T-CITY", "重复", "committee", "组织代码"),
    ],
)
def test_it_rejects_org_kind_rules(world, parent, code, name, kind, message):
    with pytest.raises(ValidationError) as exc:
        add_org(world.orgs[parent], code, name, kind, actor=world.users["city_admin"])
    assert message in str(exc.value)


def test_it_rejects_a_cycle_when_moving(world):
    admin = world.users["city_admin"]
    sub = orgs.create_org(
        admin, parent=world.orgs["county"], code="T-SUB", name="下级党委", kind="committee"
    )
    with pytest.raises(ValidationError) as exc:
        orgs.move_org(admin, world.orgs["county"], sub)
    assert "下级组织" in str(exc.value)


def test_it_requires_covering_org_inside_the_supervisor(world):
    with pytest.raises(ValidationError) as exc:
        orgs.update_school(
            world.users["city_admin"], world.schools["a"], covering_org=world.orgs["bx"]
        )
    assert "主管党组织" in str(exc.value)


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_a_models_scope_is_its_declared_path_or_its_own_method():
    """`scope_path` and `scope_q` are read from the nearest class in the MRO, so a subclass
    overrides its parent either way; a model declaring neither is refused, never open."""

    class Placed:
        scope_path = "org__path"

    class Everywhere:
        scope_path = ANY_SCOPE

    class Custom(Placed):
        @classmethod
        def scope_q(cls, paths):
            return path_q("a__path", paths) | path_q("b__path", paths)

    class Redeclared(Custom):
        scope_path = "member__org__path"

    class Undeclared:
        pass

    paths = ["0001.", "0001.0002."]
    assert scope_q(Placed, paths) == path_q("org__path", paths)
    assert scope_q(Everywhere, paths) == Q()
    assert scope_q(Custom, paths) == path_q("a__path", paths) | path_q("b__path", paths)
    assert scope_q(Redeclared, paths) == path_q("member__org__path", paths)
    with pytest.raises(AttributeError, match="Undeclared"):
        scope_q(Undeclared, paths)
