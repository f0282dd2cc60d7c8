import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from personas import add_user

from dangjian.accounts import services as accounts
from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry, RoleAssignment
from dangjian.members.models import Member

User = get_user_model()


def outsider(world, username="outsider"):
    """A user scoped only to the other county."""
    return add_user(username, world.orgs["county2"], "organiser", full_name="外县组织员")


def create_form(username, full_name, password, **fields) -> dict:
    """What the user-create form posts: the password typed twice, then the role fields."""
    return {
        "username": username,
        "full_name": full_name,
        "password": password,
        "password2": password,
        **fields,
    }


def listed(response) -> set[str]:
    return {u.username for u in response.context["page"].object_list}


def test_it_lists_only_users_in_the_county_admins_scope(world, login):
    outsider(world)
    response = login(world, "county_admin").get(reverse("user-list"))
    assert response.status_code == 200
    names = listed(response)
    assert {"county_admin", "secretary_a", "secretary_b", "member"} <= names
    assert "outsider" not in names
    assert "city_admin" not in names
    assert "甲小学党支部" in response.content.decode()


def test_it_lists_every_user_for_the_city_admin(world, login):
    outsider(world)
    names = listed(login(world, "city_admin").get(reverse("user-list")))
    assert {"city_admin", "county_admin", "secretary_a", "outsider"} <= names


def test_it_searches_and_filters_users(world, login):
    client = login(world, "county_admin")
    assert listed(client.get(reverse("user-list"), {"q": "secretary"})) == {
        "secretary_a",
        "secretary_b",
    }
    assert listed(client.get(reverse("user-list"), {"role": "member_self"})) == {"member"}
    accounts.set_active(CLI, world.users["secretary_b"], False)
    assert listed(client.get(reverse("user-list"), {"active": "0"})) == {"secretary_b"}


@pytest.mark.parametrize("persona", ["secretary_a", "secretary_b", "member"])
def test_it_hides_user_pages_from_non_managers(world, login, persona):
    client = login(world, persona)
    target = world.users["secretary_a"]
    role = RoleAssignment.objects.get(user=target)
    for url in (
        reverse("user-list"),
        reverse("user-create"),
        reverse("user-detail", args=[target.pk]),
        reverse("user-grant", args=[target.pk]),
        reverse("user-password", args=[target.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("user-activate", args=[target.pk])).status_code == 404
    assert client.post(reverse("user-revoke", args=[role.pk])).status_code == 404
    assert RoleAssignment.objects.filter(pk=role.pk).exists()


def test_it_sends_anonymous_visitors_to_login(client, world):
    response = client.get(reverse("user-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_answers_404_for_users_outside_the_county(world, login):
    other = outsider(world)
    client = login(world, "county_admin")
    for name in ("user-detail", "user-grant", "user-password"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("user-detail", args=[world.users["city_admin"].pk])).status_code == 404
    )
    assert client.post(reverse("user-activate", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_it_shows_a_user_with_roles_and_actions(world, login):
    target = world.users["secretary_a"]
    response = login(world, "county_admin").get(reverse("user-detail", args=[target.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲小学党支部" in html
    assert reverse("user-password", args=[target.pk]) in html
    assert reverse("user-activate", args=[target.pk]) in html
    role = RoleAssignment.objects.get(user=target)
    assert reverse("user-revoke", args=[role.pk]) in html


def test_it_shows_the_member_linked_to_an_account(world, login):
    response = login(world, "county_admin").get(
        reverse("user-detail", args=[world.users["member"].pk])
    )
    assert "张三" in response.content.decode()


def test_it_protects_accounts_with_rights_beyond_the_county(world, login):
    """A user with roles in both counties is visible (one role is in scope), but a county
    admin may not reset its password or deactivate it, and sees only the in-scope role."""
    both = outsider(world, "both")
    accounts.grant_role(CLI, both, world.orgs["bb"], "viewer")
    client = login(world, "county_admin")
    response = client.get(reverse("user-detail", args=[both.pk]))
    assert response.status_code == 200
    roles = response.context["roles"]
    assert [r.org.code for r in roles] == ["T-BB"]
    assert response.context["other_roles"] == 1
    assert "另一县教体局党委" not in response.content.decode()
    assert reverse("user-password", args=[both.pk]) not in response.content.decode()
    assert client.get(reverse("user-password", args=[both.pk])).status_code == 404
    assert client.post(reverse("user-activate", args=[both.pk])).status_code == 404
    county2_role = RoleAssignment.objects.get(user=both, org=world.orgs["county2"])
    assert client.post(reverse("user-revoke", args=[county2_role.pk])).status_code == 404
    assert RoleAssignment.objects.filter(pk=county2_role.pk).exists()


def test_it_creates_a_user_with_a_role(world, login):
    client = login(world, "county_admin")
    assert client.get(reverse("user-create")).status_code == 200
    response = client.post(
        reverse("user-create"),
        create_form("newbie", "新来的", "Xin#Mima2026", org=world.orgs["bb"].pk, role="viewer"),
    )
    user = User.objects.get(username="newbie")
    assert response.status_code == 302
    assert response.url == reverse("user-detail", args=[user.pk])
    assert user.first_name == "新来的"
    assert user.check_password("Xin#Mima2026")
    assert list(user.role_assignments.values_list("role", "org__code")) == [("viewer", "T-BB")]
    actions = set(
        AuditEntry.objects.filter(object_type="auth.user", object_id=str(user.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {AuditAction.CREATE, AuditAction.ROLE_GRANT}


def test_it_creates_a_member_self_account_linked_to_a_member(world, login):
    client = login(world, "county_admin")
    member = world.members["b2"]
    response = client.post(
        reverse("user-create"),
        create_form("qianqi", "钱七", "Qian#Mima2026", role="member_self", member=member.pk),
    )
    assert response.status_code == 302
    user = User.objects.get(username="qianqi")
    member.refresh_from_db()
    assert member.user == user
    assert list(user.role_assignments.values_list("role", "org__code")) == [("member_self", "T-BB")]


@pytest.mark.parametrize(
    "username, full_name, password, org, role, field",
    [
        # member_self needs a member to link.
        ("nobody", "无", "Wu#Mima20261", "ba", "member_self", "member"),
        # A county admin cannot place an account in another county.
        ("sneaky", "越权", "Yue#Quan2026", "county2", "admin", "org"),
    ],
)
def test_it_refuses_a_user_the_form_cannot_create(
    world, login, username, full_name, password, org, role, field
):
    response = login(world, "county_admin").post(
        reverse("user-create"),
        create_form(username, full_name, password, org=world.orgs[org].pk, role=role),
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not User.objects.filter(username=username).exists()


def test_it_shows_service_errors_on_the_create_form(world, login):
    client = login(world, "county_admin")
    data = {
        "full_name": "重复",
        "password": "Chong#Fu2026",
        "password2": "Chong#Fu2026",
        "org": world.orgs["ba"].pk,
        "role": "viewer",
    }
    response = client.post(reverse("user-create"), {**data, "username": "secretary_b"})
    assert response.status_code == 200
    assert "已存在" in str(response.context["form"].errors["username"])
    weak = {**data, "username": "weakling", "password": "12345678", "password2": "12345678"}
    response = client.post(reverse("user-create"), weak)
    assert response.context["form"].errors["password"]
    mismatch = {**data, "username": "typo", "password2": "Other#Pass2026"}
    response = client.post(reverse("user-create"), mismatch)
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(username__in=["weakling", "typo"]).exists()


def test_it_offers_only_members_the_admin_may_link(world, login):
    client = login(world, "county_admin")
    response = client.get(reverse("user-create"))
    options = response.context["form"].fields["member"].widget.choices
    labels = " ".join(str(label) for _, label in options)
    assert "钱七" in labels
    assert "张三" not in labels  # already linked to the `member` account
    assert "郑一" not in labels  # other county
    search = client.get(
        reverse("user-create"), {"member_search": "赵"}, headers={"HX-Request": "true"}
    )
    assert search.status_code == 200
    html = search.content.decode()
    assert "赵六" in html and "钱七" not in html and "<html" not in html
    other = client.get(
        reverse("user-create"), {"member_search": "郑"}, headers={"HX-Request": "true"}
    )
    assert "郑一" not in other.content.decode()


def test_it_grants_a_role_with_an_audit_row(world, login):
    target = world.users["secretary_a"]
    response = login(world, "county_admin").post(
        reverse("user-grant", args=[target.pk]), {"org": world.orgs["bb"].pk, "role": "viewer"}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=target, org=world.orgs["bb"], role="viewer").exists()
    entry = AuditEntry.objects.get(
        action=AuditAction.ROLE_GRANT, object_id=str(target.pk), actor_name="county_admin"
    )
    assert entry.changes == {"role": [None, "viewer"], "org": [None, "T-BB"]}


def test_it_refuses_to_grant_a_role_in_another_county(world, login):
    target = world.users["secretary_a"]
    response = login(world, "county_admin").post(
        reverse("user-grant", args=[target.pk]), {"org": world.orgs["county2"].pk, "role": "admin"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["org"]
    assert not RoleAssignment.objects.filter(user=target, org=world.orgs["county2"]).exists()


def test_it_refuses_a_second_member_for_one_account(world, login):
    target = world.users["member"]
    response = login(world, "county_admin").post(
        reverse("user-grant", args=[target.pk]),
        {"role": "member_self", "member": world.members["b1"].pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["member"]
    assert Member.objects.get(user=target) == world.members["a1"]


def test_it_revokes_a_role_with_an_audit_row(world, login):
    target = world.users["secretary_b"]
    accounts.grant_role(CLI, target, world.orgs["ba"], "viewer")
    role = RoleAssignment.objects.get(user=target, org=world.orgs["ba"])
    client = login(world, "county_admin")
    assert client.get(reverse("user-revoke", args=[role.pk])).status_code == 405
    response = client.post(reverse("user-revoke", args=[role.pk]))
    assert response.status_code == 302
    assert response.url == reverse("user-detail", args=[target.pk])
    assert not RoleAssignment.objects.filter(pk=role.pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.ROLE_REVOKE)
    assert entry.changes == {"role": ["viewer", None], "org": ["T-BA", None]}
    assert entry.actor_name == "county_admin"


def test_it_unlinks_the_member_when_revoking_member_self(world, login):
    role = RoleAssignment.objects.get(user=world.users["member"])
    response = login(world, "county_admin").post(reverse("user-revoke", args=[role.pk]))
    # The account has no role left in scope: back to the list.
    assert response.url == reverse("user-list")
    world.members["a1"].refresh_from_db()
    assert world.members["a1"].user is None


def test_it_toggles_an_account_active(world, login):
    target = world.users["secretary_b"]
    client = login(world, "county_admin")
    url = reverse("user-activate", args=[target.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    target.refresh_from_db()
    assert not target.is_active
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(target.pk))
    assert entry.changes == {"is_active": [True, False]}
    client.post(url)
    target.refresh_from_db()
    assert target.is_active


def test_it_refuses_to_deactivate_oneself(world, login):
    admin = world.users["county_admin"]
    client = login(world, "county_admin")
    response = client.post(reverse("user-activate", args=[admin.pk]), follow=True)
    admin.refresh_from_db()
    assert admin.is_active
    assert "不能停用自己的账号" in response.content.decode()


def test_it_lets_an_admin_set_a_password(world, login):
    target = world.users["secretary_b"]
    client = login(world, "county_admin")
    url = reverse("user-password", args=[target.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"password": "Reset#Mima2026", "password2": "Reset#Mima2026"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Reset#Mima2026")
    entry = AuditEntry.objects.get(action=AuditAction.PASSWORD_CHANGE)
    assert (entry.actor_name, entry.object_id) == ("county_admin", str(target.pk))
    response = client.post(url, {"password": "short", "password2": "short"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
