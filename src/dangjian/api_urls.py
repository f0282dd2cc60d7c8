"""One router for the REST API; each app registers its viewsets in its api.py."""

from rest_framework.routers import DefaultRouter

from dangjian.disclosure.api import DocumentViewSet
from dangjian.dues.api import DuesPaymentViewSet, DuesViewSet
from dangjian.members.api import MemberViewSet
from dangjian.orgs.api import OrganizationViewSet, SchoolViewSet
from dangjian.recruitment.api import RecruitViewSet, SanctionViewSet
from dangjian.stats.api import StatsViewSet

router = DefaultRouter()
router.register("orgs", OrganizationViewSet, basename="api-org")
router.register("schools", SchoolViewSet, basename="api-school")
router.register("members", MemberViewSet, basename="api-member")
router.register("recruits", RecruitViewSet, basename="api-recruit")
router.register("sanctions", SanctionViewSet, basename="api-sanction")
router.register("dues", DuesViewSet, basename="api-dues")
router.register("dues-payments", DuesPaymentViewSet, basename="api-duespayment")
router.register("documents", DocumentViewSet, basename="api-document")
router.register("stats", StatsViewSet, basename="api-stats")

urlpatterns = router.urls
