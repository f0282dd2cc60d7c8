from django.urls import include, path

from dangjian.disclosure import views
from dangjian.disclosure.registers import PublicationRegister

urlpatterns = [
    path("", include(PublicationRegister.instance.urls("list", "create", "detail"))),
    path("dues/", views.publish_dues, name="publication-dues"),
    path("<int:pk>/withdraw/", views.withdraw, name="publication-withdraw"),
    path("from/<str:source>/<int:pk>/", views.publish_record, name="publication-from"),
]
