from django.urls import path

from dangjian.core import audit_views

urlpatterns = [
    *audit_views.AuditRegister.instance.urls("list"),
    path("<int:pk>/", audit_views.audit_detail, name="audit-detail"),
]
