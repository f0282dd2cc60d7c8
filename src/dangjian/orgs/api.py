from rest_framework import serializers

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.orgs.election_registers import (
    ActivityRoomRegister,
    ElectionRegister,
    SchoolLeaderRegister,
)
from dangjian.orgs.models import (
    ActivityRoom,
    Election,
    ElectionCandidate,
    ElectionRound,
    Organization,
    School,
    SchoolLeader,
)
from dangjian.orgs.registers import OrgRegister, SchoolRegister


class OrganizationSerializer(RegisterSerializer):
    parent = serializers.SerializerMethodField()
    next_election_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "parent",
            "depth",
            "founded_on",
            "dissolved_on",
            "term_start",
            "term_years",
            "next_election_on",
        ]

    def get_parent(self, obj) -> str | None:
        if obj.depth <= 1:
            return None
        parents = self.context.setdefault("_parents", {})
        key = obj.path[: -obj.steplen]
        if key not in parents:
            parents[key] = (
                Organization.objects.filter(path=key).values_list("code", flat=True).first()
            )
        return parents[key]


class OrganizationViewSet(RegisterViewSet):
    register = OrgRegister.instance
    serializer_class = OrganizationSerializer


class SchoolSerializer(RegisterSerializer):
    class Meta:
        model = School
        fields = [
            "id",
            "code",
            "name",
            "stage",
            "stage_display",
            "ownership",
            "ownership_display",
            "locality",
            "locality_display",
            "supervising_org",
            "covering_org",
            "district",
            "staff_count",
            "teacher_count",
            "student_count",
        ]


class SchoolViewSet(RegisterViewSet):
    register = SchoolRegister.instance
    serializer_class = SchoolSerializer


class ElectionCandidateSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round.number", allow_null=True, read_only=True)

    class Meta:
        model = ElectionCandidate
        fields = ["name", "member", "title", "round", "votes", "elected"]


class ElectionRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = ElectionRound
        fields = ["number", "seats", "present", "valid_ballots", "invalid_ballots"]


class ElectionSerializer(RegisterSerializer):
    status = serializers.CharField(read_only=True)
    rounds = ElectionRoundSerializer(many=True, read_only=True)
    candidates = ElectionCandidateSerializer(many=True, read_only=True)

    class Meta:
        model = Election
        fields = [
            "id",
            "org",
            "formed_by",
            "formed_by_display",
            "committee",
            "seats",
            "requested_on",
            "permitted_on",
            "held_on",
            "should_attend",
            "approved_on",
            "approval_ref",
            "status",
            "rounds",
            "candidates",
        ]


class ElectionViewSet(RegisterViewSet):
    register = ElectionRegister.instance
    serializer_class = ElectionSerializer


class SchoolLeaderSerializer(RegisterSerializer):
    class Meta:
        model = SchoolLeader
        fields = [
            "id",
            "school",
            "title",
            "title_display",
            "holder_name",
            "party_member",
            "selected_by",
            "selected_by_display",
            "start_on",
            "end_on",
        ]


class SchoolLeaderViewSet(RegisterViewSet):
    register = SchoolLeaderRegister.instance
    serializer_class = SchoolLeaderSerializer


class ActivityRoomSerializer(RegisterSerializer):
    class Meta:
        model = ActivityRoom
        fields = ["id", "school", "name", "area", "checked_on", "items_met"]


class ActivityRoomViewSet(RegisterViewSet):
    register = ActivityRoomRegister.instance
    serializer_class = ActivityRoomSerializer
