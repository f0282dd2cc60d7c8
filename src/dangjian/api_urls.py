"""One router for the REST API; each app registers its viewsets in its api.py."""

from rest_framework.routers import DefaultRouter

from dangjian.members.api import MemberViewSet
from dangjian.orgs.api import OrganizationViewSet, SchoolViewSet
from dangjian.outreach.api import AssistanceViewSet, PairingViewSet
from dangjian.recruitment.api import RecruitViewSet, SanctionViewSet
from dangjian.stats.api import StatsViewSet
from dangjian.training.api import (
    AttendanceViewSet,
    CourseViewSet,
    MentorshipViewSet,
    ResearchViewSet,
    TrainingViewSet,
)

router = DefaultRouter()
router.register("orgs", OrganizationViewSet, basename="api-org")
router.register("schools", SchoolViewSet, basename="api-school")
router.register("members", MemberViewSet, basename="api-member")
router.register("recruits", RecruitViewSet, basename="api-recruit")
router.register("sanctions", SanctionViewSet, basename="api-sanction")
router.register("stats", StatsViewSet, basename="api-stats")
router.register("pairings", PairingViewSet, basename="api-pairing")
router.register("assistance", AssistanceViewSet, basename="api-assistance")
router.register("trainings", TrainingViewSet, basename="api-training")
router.register("courses", CourseViewSet, basename="api-course")
router.register("attendance", AttendanceViewSet, basename="api-attendance")
router.register("mentorships", MentorshipViewSet, basename="api-mentorship")
router.register("research", ResearchViewSet, basename="api-research")

urlpatterns = router.urls
