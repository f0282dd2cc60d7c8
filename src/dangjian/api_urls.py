"""One router for the REST API; each app registers its viewsets in its api.py."""

from rest_framework.routers import DefaultRouter

from dangjian.excellence.api import (
    CommitmentViewSet,
    ExemplarViewSet,
    PointViewSet,
    StarRatingViewSet,
)
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
router.register("demonstration-points", PointViewSet, basename="api-demopoint")
router.register("star-ratings", StarRatingViewSet, basename="api-starrating")
router.register("commitments", CommitmentViewSet, basename="api-commitment")
router.register("exemplars", ExemplarViewSet, basename="api-exemplar")
router.register("stats", StatsViewSet, basename="api-stats")

urlpatterns = router.urls
