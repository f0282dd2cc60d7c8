"""REST surfaces of 创先争优与示范 (INTERFACES 8): read-only lists and details on the kit's
RegisterViewSet (same scope, `?org=CODE`, filters and search as the pages); writes go
through the pages, where the workflow's forms are."""

from rest_framework import serializers

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.excellence.models import Commitment, DemonstrationPoint, Exemplar, StarRating
from dangjian.excellence.registers import (
    CommitmentRegister,
    ExemplarRegister,
    PointRegister,
    StarRatingRegister,
)


class PointSerializer(RegisterSerializer):
    level = serializers.CharField(read_only=True, help_text="applied/evaluated/bureau/city/revoked")
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = DemonstrationPoint
        fields = [
            "id",
            "org",
            "applied_on",
            "evaluated_on",
            "score",
            "standard_score",
            "meets_standard",
            "level",
            "level_display",
            "bureau",
            "bureau_on",
            "city_on",
            "revoked_on",
            "revoke_reason",
        ]


class PointViewSet(RegisterViewSet):
    register = PointRegister.instance
    serializer_class = PointSerializer


class _MemberRecordSerializer(RegisterSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)


class StarRatingSerializer(_MemberRecordSerializer):
    class Meta:
        model = StarRating
        fields = [
            "id",
            "member",
            "member_name",
            "org",
            "year",
            "self_stars",
            "peer_stars",
            "stars",
            "rated_on",
            "note",
        ]


class StarRatingViewSet(RegisterViewSet):
    register = StarRatingRegister.instance
    serializer_class = StarRatingSerializer


class CommitmentSerializer(_MemberRecordSerializer):
    class Meta:
        model = Commitment
        fields = [
            "id",
            "member",
            "member_name",
            "org",
            "year",
            "text",
            "made_on",
            "member_agreed",
            "branch_agreed",
            "published_on",
            "mid_note",
            "mid_reviewed_on",
            "fulfilment",
            "fulfilment_display",
            "final_note",
            "final_reviewed_on",
        ]


class CommitmentViewSet(RegisterViewSet):
    register = CommitmentRegister.instance
    serializer_class = CommitmentSerializer


class PhotoSerializer(serializers.Serializer):
    url = serializers.CharField(source="file.url", read_only=True, help_text="/files/<uuid>/")
    caption = serializers.CharField(read_only=True)
    public = serializers.BooleanField(source="file.public", read_only=True)


class ExemplarSerializer(RegisterSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True, allow_null=True)
    honour = serializers.CharField(
        source="honour_text", read_only=True, help_text="the 表彰 in words (record or note)"
    )
    honour_id = serializers.IntegerField(read_only=True, allow_null=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Exemplar
        fields = [
            "id",
            "org",
            "member",
            "name",
            "title",
            "level",
            "level_display",
            "recognised_on",
            "story",
            "honour",
            "honour_id",
            "published_on",
            "photos",
        ]


class ExemplarViewSet(RegisterViewSet):
    register = ExemplarRegister.instance
    serializer_class = ExemplarSerializer
