from django.urls import include, path

from dangjian.outreach.registers import AssistanceRegister, PairingRegister

urlpatterns = [
    path("pairings/", include(PairingRegister.instance.urls())),
    path("ledger/", include(AssistanceRegister.instance.urls())),
]
