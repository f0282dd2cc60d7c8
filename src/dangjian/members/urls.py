from django.urls import path

from dangjian.members import views
from dangjian.members.registers import MemberRegister

urlpatterns = [
    *MemberRegister.instance.urls("list"),
    path("add/", views.member_create, name="member-create"),
    path("<int:pk>/", views.member_detail, name="member-detail"),
    path("<int:pk>/reveal-id/", views.member_reveal_id, name="member-reveal-id"),
    path("<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("<int:pk>/leave/", views.member_leave, name="member-leave"),
    path("<int:pk>/restore/", views.member_restore, name="member-restore"),
    path("<int:pk>/delete/", views.member_delete, name="member-delete"),
]
