"""REST API of meetings (`/api/meetings/`, INTERFACES 8): the register's scope and filters."""

from rest_framework import serializers

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.life.models import Meeting
from dangjian.life.registers import MeetingRegister


class MeetingSerializer(RegisterSerializer):
    series_item = serializers.CharField(source="series_item.title", allow_null=True, default=None)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "org",
            "kind",
            "kind_display",
            "title",
            "held_on",
            "place",
            "chair",
            "recorder",
            "speaker",
            "topic",
            "agenda",
            "minutes",
            "decisions",
            "series_item",
            "roster_kept",
            "expected_count",
            "present_count",
            "closed_at",
        ]


class MeetingViewSet(RegisterViewSet):
    register = MeetingRegister.instance
    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()
