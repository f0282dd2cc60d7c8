"""One router for the REST API; each app registers its viewsets in its api.py."""

from rest_framework.routers import DefaultRouter

from dangjian.members.api import MemberViewSet
from dangjian.orgs.api import OrganizationViewSet, SchoolViewSet

router = DefaultRouter()
router.register("orgs", OrganizationViewSet, basename="api-org")
router.register("schools", SchoolViewSet, basename="api-school")
router.register("members", MemberViewSet, basename="api-member")

urlpatterns = router.urls
