from django.urls import include, path

from dangjian.selfservice import views
from dangjian.selfservice.registers import CorrectionRegister, ThoughtReportRegister

urlpatterns = [
    path("", views.me_home, name="me-home"),
    path("correction/", views.me_correction, name="me-correction"),
    path("transfer/", views.me_transfer, name="me-transfer"),
    path("transfer/letter/withdraw/", views.me_letter_withdraw, name="me-letter-withdraw"),
    path("flowing/report/", views.me_flowing_report, name="me-flowing-report"),
    path("reports/add/", views.me_report, name="me-report"),
    path("applicants/link/", views.applicant_link, name="me-applicant-link"),
    path("corrections/", include(CorrectionRegister.instance.urls())),
    path("thought-reports/", include(ThoughtReportRegister.instance.urls())),
]
