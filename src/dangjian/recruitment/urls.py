from django.urls import include, path

from dangjian.recruitment import views
from dangjian.recruitment.registers import RecruitRegister, SanctionRegister

urlpatterns = [
    path("", views.board, name="recruit-board"),
    path("list/", include(RecruitRegister.instance.urls("list"))),
    path("export/", views.recruit_export, name="recruit-export"),
    path("org/<int:pk>/", views.org_board, name="recruit-org-board"),
    path("org/<int:pk>/settings/", views.settings_edit, name="recruit-settings"),
    path("add/", views.recruit_create, name="recruit-create"),
    path("sources/", views.sources, name="recruit-sources"),
    path("rules/", views.rule_sets, name="recruit-rules"),
    path("rules/load/", views.rule_set_load, name="recruit-rules-load"),
    path("rules/<int:pk>/export/", views.rule_set_export, name="recruit-rules-export"),
    path("sanctions/", include(SanctionRegister.instance.urls("list", "create", "detail"))),
    path("<int:pk>/", views.recruit_detail, name="recruit-detail"),
    path("<int:pk>/timeline/", views.recruit_timeline, name="recruit-timeline"),
    path("<int:pk>/edit/", views.recruit_edit, name="recruit-edit"),
    path("<int:pk>/step/", views.recruit_step, name="recruit-step"),
    path("<int:pk>/close/", views.recruit_close, name="recruit-close"),
    path("<int:pk>/delete/", views.recruit_delete, name="recruit-delete"),
    path("<int:pk>/documents/", views.recruit_documents, name="recruit-documents"),
    path("<int:pk>/attachments/add/", views.attachment_add, name="recruit-attachment-add"),
    path("steps/<int:pk>/delete/", views.step_delete, name="recruit-step-delete"),
    path("attachments/<int:pk>/", views.attachment_download, name="recruit-attachment"),
    path(
        "attachments/<int:pk>/delete/",
        views.attachment_delete,
        name="recruit-attachment-delete",
    ),
]
