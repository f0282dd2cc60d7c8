import base64
import hashlib
from pathlib import Path

import drf_spectacular
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dangjian.core import errors, uploads
from dangjian.core.views import healthz, metrics

# Chinese pages in the app's layout (JSON under /api/) instead of Django's English ones.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error


def _swagger_style_source() -> str:
    """The Swagger page's one inline <style> block, read from the installed template so an
    upgrade that changes it keeps the hash right."""
    template = Path(drf_spectacular.__file__).parent / "templates/drf_spectacular/swagger_ui.html"
    return template.read_text(encoding="utf-8").split("<style>", 1)[1].split("</style>", 1)[0]


# Allow exactly that block by its hash on this one page, not 'unsafe-inline': every other
# page keeps style-src 'self' only, and here no injected style can run either.
_digest = hashlib.sha256(_swagger_style_source().encode()).digest()
SWAGGER_STYLE_HASH = f"'sha256-{base64.b64encode(_digest).decode()}'"
api_docs = csp_update({"style-src": [SWAGGER_STYLE_HASH]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("favicon.ico", errors.favicon, name="favicon"),
    path("files/<uuid:pk>/", uploads.download, name="stored-file"),
    path("accounts/", include("dangjian.accounts.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("members/", include("dangjian.members.urls")),
    path("data/", include("dangjian.dataio.urls")),
    path("recruitment/", include("dangjian.recruitment.urls")),
    path("integrity/", include("dangjian.integrity.urls")),
    path("life/", include("dangjian.life.urls")),
    path("me/", include("dangjian.life.me_urls")),
    path("outreach/", include("dangjian.outreach.urls")),
    path("training/", include("dangjian.training.urls")),
    path("excellence/", include("dangjian.excellence.urls")),
    path("dues/", include("dangjian.dues.urls")),
    path("documents/", include("dangjian.disclosure.document_urls")),
    path("disclosure/", include("dangjian.disclosure.urls")),
    path("public/", include("dangjian.disclosure.public_urls")),
    path("audit/", include("dangjian.core.urls")),
    path("notifications/", include("dangjian.core.notification_urls")),
    path("me/", include("dangjian.selfservice.urls")),
    path("assessment/", include("dangjian.assessment.urls")),
    path("api/", include("dangjian.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("", include("dangjian.stats.urls")),
]
