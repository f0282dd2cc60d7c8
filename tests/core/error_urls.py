"""A test URLconf: the project's routes and handlers, plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from dangjian.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("test")


def broken(request):
    raise RuntimeError("a page that fails")


urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-suspicious/", suspicious),
    path("test-broken/", broken),
    path("api/test-broken/", broken),
    *urlpatterns,
]
