from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dangjian.core import errors
from dangjian.core.views import healthz

# Chinese pages in the app's layout (JSON under /api/) instead of Django's English ones.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", errors.favicon, name="favicon"),
    path("accounts/", include("dangjian.accounts.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("members/", include("dangjian.members.urls")),
    path("data/", include("dangjian.dataio.urls")),
    path("recruitment/", include("dangjian.recruitment.urls")),
    path("audit/", include("dangjian.core.urls")),
    path("api/", include("dangjian.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("dangjian.stats.urls")),
]
