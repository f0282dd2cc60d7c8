from django.urls import include, path

from dangjian.disclosure import views
from dangjian.disclosure.registers import PublicationRegister
from dangjian.disclosure.sources import SOURCES

urlpatterns = [
    path("", include(PublicationRegister.instance.urls("list", "create", "detail"))),
    path("dues/", views.publish_dues, name="publication-dues"),
    path("<int:pk>/withdraw/", views.withdraw, name="publication-withdraw"),
    # Publishing a record of another module (disclosure.sources), from the record's page.
    *(
        path(
            f"from/{key}/<int:pk>/",
            views.publish_record,
            {"source": key},
            name=f"publication-from-{key}",
        )
        for key in SOURCES
    ),
]
