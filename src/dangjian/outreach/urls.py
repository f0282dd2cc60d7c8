from django.urls import include, path

from dangjian.outreach import views
from dangjian.outreach.registers import AssistanceRegister, PairingRegister

urlpatterns = [
    path("pairings/", include(PairingRegister.instance.urls())),
    path("ledger/", include(AssistanceRegister.instance.urls())),
    path("ledger/<int:pk>/photos/", views.photo_add, name="assistance-photo-add"),
    path("ledger/<int:pk>/photos/delete/", views.photo_delete, name="assistance-photo-delete"),
]
