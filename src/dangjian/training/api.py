"""`/api/trainings/` (INTERFACES 8) and the other registers of 培训与学习: read-only, the
pages' scope and filters through the register kit."""

from rest_framework import serializers

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.training.models import Attendance, Course, Mentorship, Research, Training
from dangjian.training.registers import (
    AttendanceRegister,
    CourseRegister,
    MentorshipRegister,
    ResearchRegister,
    TrainingRegister,
)

HOURS = {"max_digits": 5, "decimal_places": 1, "coerce_to_string": False, "read_only": True}


class CourseSerializer(RegisterSerializer):
    hours = serializers.DecimalField(**HOURS)

    class Meta:
        model = Course
        fields = [
            "id",
            "org",
            "title",
            "kind",
            "kind_display",
            "level",
            "level_display",
            "organiser",
            "hours",
            "note",
        ]


class TrainingSerializer(RegisterSerializer):
    hours = serializers.DecimalField(**HOURS)
    course_title = serializers.CharField(source="course.title", read_only=True)
    kind = serializers.CharField(source="course.kind", read_only=True, help_text="培训类别")
    attendance = serializers.IntegerField(
        source="attendance.count", read_only=True, help_text="参训人数"
    )

    class Meta:
        model = Training
        fields = [
            "id",
            "org",
            "course",
            "course_title",
            "kind",
            "on",
            "hours",
            "place",
            "note",
            "attendance",
        ]


class AttendanceSerializer(RegisterSerializer):
    hours = serializers.DecimalField(**HOURS)
    name = serializers.SerializerMethodField(help_text="姓名")

    class Meta:
        model = Attendance
        fields = [
            "id",
            "training",
            "member",
            "recruit",
            "name",
            "hours",
            "source",
            "source_display",
            "certificate",
        ]

    def get_name(self, obj) -> str:
        person = obj.member or obj.recruit
        return person.name if person else ""


class MentorshipSerializer(RegisterSerializer):
    mentor_name = serializers.CharField(source="mentor.name", read_only=True)

    class Meta:
        model = Mentorship
        fields = [
            "id",
            "org",
            "kind",
            "kind_display",
            "mentor",
            "mentor_name",
            "mentee_name",
            "started_on",
            "ended_on",
            "outcome",
            "outcome_display",
            "outcome_on",
            "note",
        ]


class ResearchSerializer(RegisterSerializer):
    class Meta:
        model = Research
        fields = [
            "id",
            "org",
            "kind",
            "kind_display",
            "title",
            "authors",
            "level",
            "level_display",
            "year",
            "outcome",
        ]


class CourseViewSet(RegisterViewSet):
    """培训课程."""

    register = CourseRegister.instance
    serializer_class = CourseSerializer


class TrainingViewSet(RegisterViewSet):
    """培训班次: sessions of the courses, with their attendance counts."""

    register = TrainingRegister.instance
    serializer_class = TrainingSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("org", "course")


class AttendanceViewSet(RegisterViewSet):
    """参训记录: hours per person per session."""

    register = AttendanceRegister.instance
    serializer_class = AttendanceSerializer


class MentorshipViewSet(RegisterViewSet):
    """双培双带与青蓝工程."""

    register = MentorshipRegister.instance
    serializer_class = MentorshipSerializer


class ResearchViewSet(RegisterViewSet):
    """党建研究: projects and papers."""

    register = ResearchRegister.instance
    serializer_class = ResearchSerializer
