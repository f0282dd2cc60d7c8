"""`GET /api/stats/?org=CODE&date=YYYY-MM-DD&from=...&to=...`: the statistics object of
INTERFACES section 6, the same as `dangjian stats --json`. An org outside the caller's view
scope is 404 (as if it did not exist); without `org`, the root of the caller's scope."""

from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from dangjian.core.roles import Action
from dangjian.core.routers import reads_replica
from dangjian.orgs.models import Organization
from dangjian.stats.engine import statistics
from dangjian.stats.forms import StatsParamsForm


def _parameter(name: str, description: str, kind=OpenApiTypes.DATE) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description)


class StatsViewSet(viewsets.ViewSet):
    """统计数据 (INTERFACES 6)."""

    @extend_schema(
        summary="统计数据",
        parameters=[
            _parameter("org", "组织代码, 默认为权限范围的根组织", OpenApiTypes.STR),
            _parameter("date", "统计截止日期, 默认今天"),
            _parameter("from", "变动统计期间开始日期 (与 to 同时给出), 默认为统计日期所在年度"),
            _parameter("to", "变动统计期间结束日期"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @method_decorator(reads_replica)
    def list(self, request):
        params = request.query_params
        form = StatsParamsForm.params(params)
        if not form.is_valid():
            raise ValidationError(
                {
                    {"date_from": "from", "date_to": "to", "__all__": "non_field_errors"}.get(
                        field, field
                    ): [str(message) for message in errors]
                    for field, errors in form.errors.items()
                }
            )
        data = form.cleaned_data
        as_of = data["date"] or timezone.localdate()
        period = (data["date_from"], data["date_to"]) if data["date_from"] else None
        orgs = Organization.objects.restrict(request.user, Action.VIEW)
        code = params.get("org")
        root = orgs.filter(code=code).first() if code else orgs.order_by("depth", "path").first()
        if root is None:
            raise NotFound(_("组织不存在或不在您的权限范围内"))
        return Response(statistics(root, as_of, period))
