from rest_framework import serializers

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.orgs.models import Organization, School
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
