"""Shared view helpers and the health check."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.functional import cached_property

from dangjian.core import health


def healthz(request):
    """`ok`, or 503 with one line per failing part (`database`, `static`, `tasks`): a
    monitor, or a person with curl, sees which one to fix."""
    failing = health.problems()
    if failing:
        body = "".join(f"{part}: {reason}\n" for part, reason in failing.items())
        return HttpResponse(body, status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain")


def metrics(request):
    """Prometheus metrics (DANGJIAN_METRICS=true), only for the monitoring hosts listed in
    DANGJIAN_METRICS_ALLOWED_IPS; to everyone else the URL does not exist."""
    if not settings.DANGJIAN_METRICS:
        raise Http404
    if request.META.get("REMOTE_ADDR") not in settings.DANGJIAN_METRICS_ALLOWED_IPS:
        raise Http404
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)


class CappedPaginator(Paginator):
    """Counts a queryset only up to `cap` rows. The exact total of a province's million
    members costs a scan of every row in scope on each page view, for a figure nobody pages
    through: past the cap the page says "more than N" and search or filters narrow it (the
    Excel export still writes every row). `capped` tells the template and the audit."""

    def __init__(self, object_list, per_page, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        counted = rows.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)

    def _get_page(self, object_list, number, paginator):
        """A page of a queryset in two steps: the page's ids first (a narrow query an index
        can answer alone, however many rows the filters pass over before the page is full),
        then those rows with everything the list shows (joins, annotations, prefetches).
        A rare search over a city's 70,000 members otherwise reads every one of their rows
        from the table to fill fifty."""
        if isinstance(object_list, QuerySet) and self._deferrable(self.object_list):
            ids = list(dict.fromkeys(object_list.values_list("pk", flat=True)))
            found = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
            object_list = [found[pk] for pk in ids if pk in found]
        return super()._get_page(object_list, number, paginator)

    @staticmethod
    def _deferrable(queryset: QuerySet) -> bool:
        query = queryset.query
        return not (query.distinct or query.combinator or query.values_select or query.is_sliced)


def paginate(request, queryset, per_page: int | None = None):
    paginator = CappedPaginator(
        queryset, per_page or settings.PAGE_SIZE, cap=settings.DANGJIAN_LIST_COUNT_CAP
    )
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current query string minus `page`, for pagination links and exports."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
