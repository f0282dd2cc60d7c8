"""The REST surfaces of 责任与考核 (INTERFACES 8): read-only, scoped as the pages."""

from rest_framework import serializers

from dangjian.assessment.models import Evaluation, Inspection, Rectification, ResponsibilityLetter
from dangjian.assessment.registers import (
    EvaluationRegister,
    InspectionRegister,
    LetterRegister,
    RectificationRegister,
)
from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet


class LetterIndicatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    target = serializers.CharField()


class LetterSerializer(RegisterSerializer):
    indicators = LetterIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = ResponsibilityLetter
        fields = [
            "id",
            "org",
            "superior",
            "year",
            "title",
            "superior_signatory",
            "org_signatory",
            "signed_on",
            "indicators",
            "note",
        ]


class InspectionSerializer(RegisterSerializer):
    targets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "org", "topic", "start_on", "end_on", "inspectors", "targets", "summary"]


class RectificationSerializer(RegisterSerializer):
    class Meta:
        model = Rectification
        fields = [
            "id",
            "inspection",
            "org",
            "finding",
            "requirement",
            "owner",
            "found_on",
            "deadline",
            "status",
            "status_display",
            "evidence",
            "submitted_on",
            "accepted_on",
            "review_note",
        ]


class EvaluationSerializer(RegisterSerializer):
    class Meta:
        model = Evaluation
        fields = [
            "id",
            "org",
            "name",
            "body",
            "year",
            "held_on",
            "ranked_among",
            "rank",
            "participants",
            "score",
            "note",
        ]


class LetterViewSet(RegisterViewSet):
    """党建责任书 with their indicators."""

    register = LetterRegister.instance
    serializer_class = LetterSerializer


class InspectionViewSet(RegisterViewSet):
    """专项督查 plans."""

    register = InspectionRegister.instance
    serializer_class = InspectionSerializer


class RectificationViewSet(RegisterViewSet):
    """整改 items (seen by the rectifying and the inspecting org)."""

    register = RectificationRegister.instance
    serializer_class = RectificationSerializer


class EvaluationViewSet(RegisterViewSet):
    """Ranks given by outside bodies (测评)."""

    register = EvaluationRegister.instance
    serializer_class = EvaluationSerializer
