from django.urls import include, path

from dangjian.accounts import views
from dangjian.accounts.registers import UserRegister

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("password/done/", views.password_change_done, name="password_change_done"),
    path("users/", include(UserRegister.instance.urls("list"))),
    path("users/add/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/grant/", views.user_grant, name="user-grant"),
    path("users/<int:pk>/active/", views.user_activate, name="user-activate"),
    path("users/<int:pk>/password/", views.user_password, name="user-password"),
    path("roles/<int:pk>/revoke/", views.user_revoke, name="user-revoke"),
    path("2fa/", views.otp_manage, name="otp-manage"),
    path("2fa/setup/", views.otp_setup, name="otp-setup"),
    path("2fa/verify/", views.otp_verify, name="otp-verify"),
    path("2fa/recovery-codes/", views.otp_recovery, name="otp-recovery"),
    path("2fa/disable/", views.otp_disable, name="otp-disable"),
    path("security/", views.security_list, name="security-list"),
    path("security/<int:pk>/unlock/", views.security_unlock, name="security-unlock"),
    path("security/<int:pk>/reset-2fa/", views.security_reset_otp, name="security-reset-otp"),
    path(
        "security/<int:pk>/end-sessions/",
        views.security_end_sessions,
        name="security-end-sessions",
    ),
]
