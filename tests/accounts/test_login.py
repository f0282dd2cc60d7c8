from django.urls import reverse
from personas import PASSWORD

from dangjian.core.models import AuditAction, AuditEntry

NEW_PASSWORD = "Neu#Kennwort2027"


def test_it_renders_the_login_form(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "登录" in html


def test_it_audits_a_real_login(world, client):
    response = client.post(reverse("login"), {"username": "secretary_a", "password": PASSWORD})
    assert response.status_code == 302
    user = world.users["secretary_a"]
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=user).count() == 1


def test_it_audits_a_failed_login(world, client):
    response = client.post(reverse("login"), {"username": "secretary_a", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.actor_name == "secretary_a"
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()


def test_it_logs_out_only_by_post(world, login):
    client = login(world, "secretary_a")
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(
        action=AuditAction.LOGOUT, actor=world.users["secretary_a"]
    ).exists()


def test_it_changes_ones_own_password_with_an_audit_row(world, login):
    client = login(world, "secretary_a")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    user = world.users["secretary_a"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action=AuditAction.PASSWORD_CHANGE)
    assert (entry.actor_id, entry.object_id) == (user.pk, str(user.pk))
    # The session survives the change (update_session_auth_hash).
    assert client.get(reverse("password_change_done")).status_code == 200


def test_it_refuses_a_wrong_old_password(world, login):
    client = login(world, "secretary_a")
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert not AuditEntry.objects.filter(action=AuditAction.PASSWORD_CHANGE).exists()
    world.users["secretary_a"].refresh_from_db()
    assert world.users["secretary_a"].check_password(PASSWORD)


def test_it_refuses_a_weak_new_password(world, login):
    client = login(world, "secretary_a")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AuditEntry.objects.filter(action=AuditAction.PASSWORD_CHANGE).exists()
