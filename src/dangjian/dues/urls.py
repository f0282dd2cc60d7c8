from django.urls import include, path

from dangjian.dues import views
from dangjian.dues.registers import (
    DuesBaseRegister,
    DuesLedgerRegister,
    DuesPaymentRegister,
    DuesReductionRegister,
)

urlpatterns = [
    path("", include(DuesLedgerRegister.instance.urls("list", "detail"))),
    path("payments/", include(DuesPaymentRegister.instance.urls())),
    path("bases/", include(DuesBaseRegister.instance.urls())),
    path("bases/import/", views.base_import, name="dues-base-import"),
    path("reductions/", include(DuesReductionRegister.instance.urls())),
    path("reductions/<int:pk>/decide/", views.decide, name="dues-reduction-decide"),
    path("voluntary/", views.voluntary, name="dues-voluntary"),
    path("totals/", views.totals, name="dues-totals"),
    path("rates/", views.rates, name="dues-rates"),
    path("member/<int:pk>/", views.member_year, name="dues-member"),
    path("member/<int:pk>/statement/", views.member_statement, name="dues-statement"),
    path("payments/<int:pk>/receipt/", views.receipt, name="dues-receipt"),
]
