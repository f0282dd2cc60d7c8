from django.urls import path

from dangjian.core import audit_views

urlpatterns = [
    path("", audit_views.audit_list, name="audit-list"),
    path("<int:pk>/", audit_views.audit_detail, name="audit-detail"),
]
