from django.urls import include, path

from dangjian.excellence import views
from dangjian.excellence.registers import (
    CampaignRegister,
    CommitmentRegister,
    ExemplarRegister,
    FiveGoodRegister,
    PointRegister,
    PostRegister,
    StarRatingRegister,
)

urlpatterns = [
    path("five-good/checklists/", views.checklist_list, name="fivegood-checklists"),
    path("five-good/checklists/add/", views.checklist_create, name="fivegood-checklist-create"),
    path(
        "five-good/checklists/<int:pk>/edit/", views.checklist_edit, name="fivegood-checklist-edit"
    ),
    path(
        "five-good/checklists/<int:pk>/copy/", views.checklist_copy, name="fivegood-checklist-copy"
    ),
    path("five-good/", include(FiveGoodRegister.instance.urls())),
    path("five-good/<int:pk>/review/", views.check_review, name="fivegood-review"),
    path("points/", include(PointRegister.instance.urls())),
    path("points/<int:pk>/step/", views.point_step, name="demopoint-step"),
    path("points/tracker/", views.tracker, name="demopoint-tracker"),
    path("stars/criteria/", views.criteria_list, name="starcriteria-list"),
    path("stars/criteria/add/", views.criteria_create, name="starcriteria-create"),
    path("stars/criteria/<int:pk>/edit/", views.criteria_edit, name="starcriteria-edit"),
    path("stars/criteria/<int:pk>/copy/", views.criteria_copy, name="starcriteria-copy"),
    path("stars/", include(StarRatingRegister.instance.urls())),
    path("commitments/", include(CommitmentRegister.instance.urls())),
    path("commitments/<int:pk>/review/", views.commitment_review, name="commitment-review"),
    path("commitments/<int:pk>/consent/", views.commitment_consent, name="commitment-consent"),
    path("posts/", include(PostRegister.instance.urls())),
    path("exemplars/", include(ExemplarRegister.instance.urls())),
    path("exemplars/<int:pk>/publish/", views.exemplar_publish, name="exemplar-publish"),
    path("exemplars/<int:pk>/photos/", views.exemplar_photo_add, name="exemplar-photo-add"),
    path(
        "exemplars/<int:pk>/photos/<int:photo>/delete/",
        views.exemplar_photo_delete,
        name="exemplar-photo-delete",
    ),
    path("campaigns/", include(CampaignRegister.instance.urls())),
]
