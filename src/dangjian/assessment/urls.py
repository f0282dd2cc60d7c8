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
    path("scoring/<int:pk>/ranking/", views.set_ranking, name="indicatorset-ranking"),
    path("scoring/<int:pk>/sheets/open/", views.set_open_sheets, name="indicatorset-open-sheets"),
    path("scoring/<int:pk>/copy/", views.set_copy, name="indicatorset-copy"),
    path("scoring/<int:pk>/scores/import/", views.scores_import, name="indicatorset-scores-import"),
    path("scoring/<int:pk>/scores.xlsx", views.scores_xlsx, name="indicatorset-scores-xlsx"),
    path(
        "scoring/<int:pk>/democratic/import/",
        views.rates_import,
        name="indicatorset-democratic-import",
    ),
    path("scoring/sheets/<int:pk>/", views.sheet_detail, name="scoresheet-detail"),
    path("scoring/sheets/<int:pk>/review/", views.sheet_review, name="scoresheet-review"),
    path("scoring/sheets/<int:pk>/self/", views.sheet_self, name="scoresheet-self"),
    path("evaluations/", include(EvaluationRegister.instance.urls())),
    path("evaluations/import/", views.evaluations_import, name="evaluation-import"),
    path("honours/", include(HonourRegister.instance.urls())),
]
