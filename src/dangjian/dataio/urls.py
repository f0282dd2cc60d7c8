from django.urls import path

from dangjian.dataio import views
from dangjian.dataio.models import Kind

urlpatterns = [
    path("", views.data_home, name="data-home"),
    path("jobs/<int:pk>/", views.job_detail, name="data-job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="data-job-progress"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="data-job-confirm"),
    path("jobs/<int:pk>/report/", views.job_report, name="data-job-report"),
    path("export/orgs/", views.export_orgs, name="data-export-orgs"),
    path("export/schools/", views.export_schools, name="data-export-schools"),
    path("export/members/", views.export_members, name="data-export-members"),
]
# One page per template; the kind is fixed per URL, so the names say what they are.
for kind in Kind.values:
    urlpatterns += [
        path(
            f"{kind}/template/",
            views.template_download,
            {"kind": kind},
            name=f"data-template-{kind}",
        ),
        path(f"{kind}/import/", views.import_page, {"kind": kind}, name=f"data-import-{kind}"),
    ]
