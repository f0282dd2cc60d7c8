from django.urls import path

from dangjian.accounts import views

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("password/done/", views.password_change_done, name="password_change_done"),
    path("users/", views.user_list, name="user-list"),
    path("users/add/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/grant/", views.user_grant, name="user-grant"),
    path("users/<int:pk>/active/", views.user_activate, name="user-activate"),
    path("users/<int:pk>/password/", views.user_password, name="user-password"),
    path("roles/<int:pk>/revoke/", views.user_revoke, name="user-revoke"),
]
