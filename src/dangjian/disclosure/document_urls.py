from django.urls import include, path

from dangjian.disclosure import views
from dangjian.disclosure.registers import DocumentRegister

urlpatterns = [
    path("", include(DocumentRegister.instance.urls("list", "detail", "edit", "delete"))),
    path("add/", views.document_create, name="document-create"),
    path("<int:pk>/versions/add/", views.version_add, name="document-version-add"),
    path("versions/<int:pk>/", views.version_download, name="document-version"),
]
