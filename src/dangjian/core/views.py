"""Shared view helpers and the health check."""

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def paginate(request, queryset, per_page: int | None = None):
    from django.conf import settings

    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current query string minus `page`, for pagination links and exports."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
