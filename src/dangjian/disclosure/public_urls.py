"""The 党务公开 portal: no login (INTERFACES 8)."""

from django.urls import path

from dangjian.disclosure import views

urlpatterns = [
    path("", views.portal_index, name="portal"),
    path("<str:code>/", views.portal_org, name="portal-org"),
    path("<str:code>/commitments/", views.portal_commitments, name="portal-commitments"),
    path("<str:code>/<int:pk>/", views.portal_publication, name="portal-publication"),
    path("<str:code>/<int:pk>/file/", views.portal_file, name="portal-file"),
]
