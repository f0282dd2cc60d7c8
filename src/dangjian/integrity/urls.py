from django.urls import include, path

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
    path("petitions/", include(PetitionRegister.instance.urls())),
    path("cases/", include(CaseRegister.instance.urls())),
    path("admonitions/", include(TalkRegister.instance.urls())),
]
