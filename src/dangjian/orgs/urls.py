from django.urls import include, path

from dangjian.orgs import election_views, views
from dangjian.orgs.election_registers import (
    ActivityRoomRegister,
    ElectionRegister,
    SchoolLeaderRegister,
)
from dangjian.orgs.registers import OrgRegister, SchoolRegister

urlpatterns = [
    path("list/", include(OrgRegister.instance.urls("list"))),
    path("", views.org_tree, name="org-tree"),
    path("<int:pk>/", views.org_detail, name="org-detail"),
    path("<int:pk>/children/", views.org_children, name="org-children"),
    path("<int:parent_pk>/add/", views.org_create, name="org-create"),
    path("", include(OrgRegister.instance.urls("edit"))),
    path("<int:pk>/move/", views.org_move, name="org-move"),
    path("<int:pk>/delete/", views.org_delete, name="org-delete"),
    path("<int:org_pk>/positions/add/", views.position_create, name="position-create"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position-edit"),
    path("positions/<int:pk>/delete/", views.position_delete, name="position-delete"),
    path("schools/", include(SchoolRegister.instance.urls("list", "create", "edit", "delete"))),
    path("schools/<int:pk>/", views.school_detail, name="school-detail"),
    path("schools/<int:school_pk>/massorgs/add/", views.massorg_create, name="massorg-create"),
    path("massorgs/<int:pk>/edit/", views.massorg_edit, name="massorg-edit"),
    path("massorgs/<int:pk>/delete/", views.massorg_delete, name="massorg-delete"),
    path("elections/", include(ElectionRegister.instance.urls())),
    path("elections/<int:pk>/ballots/", election_views.election_ballots, name="election-ballots"),
    path("elections/<int:pk>/approve/", election_views.election_approve, name="election-approve"),
    path("elections/<int:pk>/correct/", election_views.election_correct, name="election-correct"),
    path("leaders/", include(SchoolLeaderRegister.instance.urls())),
    path("leadership/", election_views.school_leadership, name="school-leadership"),
    path("rooms/", include(ActivityRoomRegister.instance.urls())),
]
