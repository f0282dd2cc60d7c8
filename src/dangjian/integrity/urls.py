from django.urls import include, path

from dangjian.integrity import views
from dangjian.integrity.registers import (
    CaseRegister,
    EducationRegister,
    MeasureRegister,
    PetitionRegister,
    RiskRegister,
    TalkRegister,
)

urlpatterns = [
    path("risks/", include(RiskRegister.instance.urls())),
    path("measures/", include(MeasureRegister.instance.urls())),
    path("education/", include(EducationRegister.instance.urls())),
    path("education/<int:pk>/attend/", views.attend, name="integrity-education-attend"),
    path(
        "education/<int:pk>/import/",
        views.import_attendance,
        name="integrity-education-import",
    ),
    path(
        "education/<int:pk>/attendees/<int:member_pk>/remove/",
        views.remove_attendance,
        name="integrity-education-attendee-remove",
    ),
    path("petitions/", include(PetitionRegister.instance.urls())),
    path("cases/", include(CaseRegister.instance.urls())),
    path("admonitions/", include(TalkRegister.instance.urls())),
]
