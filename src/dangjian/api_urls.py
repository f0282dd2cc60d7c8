"""One router for the REST API; each app registers its viewsets in its api.py."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from dangjian.assessment.api import (
    EvaluationViewSet,
    InspectionViewSet,
    LetterViewSet,
    RectificationViewSet,
)
from dangjian.disclosure.api import DocumentViewSet
from dangjian.dues.api import DuesPaymentViewSet, DuesViewSet
from dangjian.excellence.api import (
    CommitmentViewSet,
    ExemplarViewSet,
    PointViewSet,
    StarRatingViewSet,
)
from dangjian.integrity.api import (
    CaseViewSet,
    EducationViewSet,
    MeasureViewSet,
    PetitionViewSet,
    RiskViewSet,
    TalkViewSet,
)
from dangjian.life.api import MeetingViewSet
from dangjian.members.api import MemberViewSet
from dangjian.members.lifecycle_api import LetterRequestViewSet, TransferViewSet
from dangjian.orgs.api import (
    ActivityRoomViewSet,
    ElectionViewSet,
    OrganizationViewSet,
    PositionViewSet,
    SchoolLeaderViewSet,
    SchoolViewSet,
)
from dangjian.outreach.api import AssistanceViewSet, PairingViewSet
from dangjian.recruitment.api import RecruitViewSet, SanctionViewSet
from dangjian.selfservice.api import me
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
router.register("elections", ElectionViewSet, basename="api-election")
router.register("positions", PositionViewSet, basename="api-position")
router.register("school-leaders", SchoolLeaderViewSet, basename="api-school-leader")
router.register("activity-rooms", ActivityRoomViewSet, basename="api-activity-room")
router.register("responsibility-letters", LetterViewSet, basename="api-dutyletter")
router.register("inspections", InspectionViewSet, basename="api-inspection")
router.register("rectifications", RectificationViewSet, basename="api-rectification")
router.register("evaluations", EvaluationViewSet, basename="api-evaluation")
router.register("risks", RiskViewSet, basename="api-risk")
router.register("risk-measures", MeasureViewSet, basename="api-risk-measure")
router.register("integrity-education", EducationViewSet, basename="api-integrity-education")
router.register("petitions", PetitionViewSet, basename="api-petition")
router.register("cases", CaseViewSet, basename="api-case")
router.register("admonitions", TalkViewSet, basename="api-admonition")
router.register("meetings", MeetingViewSet, basename="api-meeting")
router.register("demonstration-points", PointViewSet, basename="api-demopoint")
router.register("star-ratings", StarRatingViewSet, basename="api-starrating")
router.register("commitments", CommitmentViewSet, basename="api-commitment")
router.register("exemplars", ExemplarViewSet, basename="api-exemplar")
router.register("dues", DuesViewSet, basename="api-dues")
router.register("dues-payments", DuesPaymentViewSet, basename="api-duespayment")
router.register("documents", DocumentViewSet, basename="api-document")
router.register("stats", StatsViewSet, basename="api-stats")
router.register("transfers", TransferViewSet, basename="api-transfer")
router.register("letter-requests", LetterRequestViewSet, basename="api-letter-request")
router.register("pairings", PairingViewSet, basename="api-pairing")
router.register("assistance", AssistanceViewSet, basename="api-assistance")
router.register("trainings", TrainingViewSet, basename="api-training")
router.register("courses", CourseViewSet, basename="api-course")
router.register("attendance", AttendanceViewSet, basename="api-attendance")
router.register("mentorships", MentorshipViewSet, basename="api-mentorship")
router.register("research", ResearchViewSet, basename="api-research")

urlpatterns = [path("me/", me, name="api-me"), *router.urls]
