"""The 廉政建设 API (INTERFACES 8): `/api/risks/` like any scoped register; `/api/petitions/`,
`/api/cases/` and `/api/admonitions/` for the 纪检 role alone (403 on the list, 404 on a
detail for everyone else, an audit row per read: the kit's confidential register)."""

from rest_framework import serializers

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.integrity.models import Case, Education, Measure, Petition, Risk, Talk
from dangjian.integrity.registers import (
    CaseRegister,
    EducationRegister,
    MeasureRegister,
    PetitionRegister,
    RiskRegister,
    TalkRegister,
)


class RiskSerializer(RegisterSerializer):
    measures = serializers.IntegerField(source="measures.count", read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "org",
            "domain",
            "domain_display",
            "post",
            "people",
            "description",
            "level",
            "level_display",
            "found_on",
            "confirmed_on",
            "reviewed_on",
            "review_note",
            "measures",
        ]


class RiskViewSet(RegisterViewSet):
    register = RiskRegister.instance
    serializer_class = RiskSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("measures")


class MeasureSerializer(RegisterSerializer):
    risk = serializers.IntegerField(source="risk_id", read_only=True)

    class Meta:
        model = Measure
        fields = ["id", "risk", "content", "owner", "set_on", "review_on"]


class MeasureViewSet(RegisterViewSet):
    register = MeasureRegister.instance
    serializer_class = MeasureSerializer


class EducationSerializer(RegisterSerializer):
    attendance = serializers.IntegerField(read_only=True, help_text="参加人数(按登记的参加人员计)")

    class Meta:
        model = Education
        fields = [
            "id",
            "org",
            "kind",
            "kind_display",
            "held_on",
            "title",
            "speaker",
            "place",
            "attendance",
            "note",
        ]


class EducationViewSet(RegisterViewSet):
    register = EducationRegister.instance
    serializer_class = EducationSerializer


class PetitionSerializer(RegisterSerializer):
    petitioner = serializers.CharField(read_only=True)

    class Meta:
        model = Petition
        fields = [
            "id",
            "org",
            "received_on",
            "channel",
            "channel_display",
            "subject",
            "petitioner",
            "due_on",
            "progress",
            "result",
            "result_display",
            "resolved_on",
            "reply",
            "satisfaction",
            "satisfaction_display",
        ]


class PetitionViewSet(RegisterViewSet):
    register = PetitionRegister.instance
    serializer_class = PetitionSerializer


class CaseSerializer(RegisterSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True, allow_null=True)
    stage = serializers.CharField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "org",
            "kind",
            "kind_display",
            "subject_name",
            "member",
            "post",
            "source",
            "matter",
            "stage",
            "received_on",
            "checked_on",
            "filed_on",
            "reviewed_on",
            "closed_on",
            "party_outcome",
            "party_outcome_display",
            "probation_years",
            "government_outcome",
            "government_outcome_display",
            "appeal_on",
            "appeal_result",
        ]


class CaseViewSet(RegisterViewSet):
    register = CaseRegister.instance
    serializer_class = CaseSerializer


class TalkSerializer(RegisterSerializer):
    class Meta:
        model = Talk
        fields = [
            "id",
            "org",
            "kind",
            "kind_display",
            "held_on",
            "person_name",
            "post",
            "by_whom",
            "matter",
            "follow_up",
        ]


class TalkViewSet(RegisterViewSet):
    register = TalkRegister.instance
    serializer_class = TalkSerializer
