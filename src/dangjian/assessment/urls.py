from django.urls import include, path

from dangjian.assessment import views
from dangjian.assessment.registers import (
    EvaluationRegister,
    HonourRegister,
    IndicatorSetRegister,
    InspectionRegister,
    LetterRegister,
    RectificationRegister,
)

urlpatterns = [
    path("letters/", include(LetterRegister.instance.urls())),
    path("letters/<int:pk>/docx/", views.letter_docx, name="dutyletter-docx"),
    path("inspections/", include(InspectionRegister.instance.urls())),
    path("inspections/<int:pk>/docx/", views.inspection_docx, name="inspection-docx"),
    path("rectifications/", include(RectificationRegister.instance.urls())),
    path(
        "rectifications/<int:pk>/report/",
        views.rectification_report,
        name="rectification-report",
    ),
    path(
        "rectifications/<int:pk>/review/",
        views.rectification_review,
        name="rectification-review",
    ),
    path("scoring/", include(IndicatorSetRegister.instance.urls())),
    path("scoring/<int:pk>/ranking.xlsx", views.ranking_xlsx, name="indicatorset-ranking-xlsx"),
    path("evaluations/", include(EvaluationRegister.instance.urls())),
    path("honours/", include(HonourRegister.instance.urls())),
]
