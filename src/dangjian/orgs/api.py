from django.db.models import Q
from rest_framework import serializers

from dangjian.core.api import RestrictedReadOnlyViewSet
from dangjian.orgs.models import Organization, School


def subtree_filter(queryset, code: str, *fields: str):
    """Rows whose org (through any of `fields`, each a path lookup) lies in the subtree of
    the org `code`. The caller's queryset is already restricted, so an org outside scope
    simply yields nothing."""
    org = Organization.objects.filter(code=code).only("path").first()
    if org is None:
        return queryset.none()
    q = Q()
    for field in fields:
        q |= Q(**{f"{field}__startswith": org.path})
    return queryset.filter(q)


class OrganizationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
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


class OrganizationViewSet(RestrictedReadOnlyViewSet):
    serializer_class = OrganizationSerializer

    def base_queryset(self):
        return Organization.objects.all()

    def get_queryset(self):
        qs = super().get_queryset()
        params = self.request.query_params
        if params.get("org"):
            qs = subtree_filter(qs, params["org"], "path")
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("search"):
            text = params["search"].strip()
            qs = qs.filter(Q(name__contains=text) | Q(code__icontains=text))
        return qs.order_by("path")


class SchoolSerializer(serializers.ModelSerializer):
    supervising_org = serializers.SlugRelatedField(slug_field="code", read_only=True)
    covering_org = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    ownership_display = serializers.CharField(source="get_ownership_display", read_only=True)
    locality_display = serializers.CharField(source="get_locality_display", read_only=True)

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


class SchoolViewSet(RestrictedReadOnlyViewSet):
    serializer_class = SchoolSerializer

    def base_queryset(self):
        return School.objects.select_related("supervising_org", "covering_org")

    def get_queryset(self):
        qs = super().get_queryset()
        params = self.request.query_params
        if params.get("org"):
            qs = subtree_filter(qs, params["org"], "covering_org__path", "supervising_org__path")
        if params.get("search"):
            text = params["search"].strip()
            qs = qs.filter(Q(name__contains=text) | Q(code__icontains=text))
        return qs.order_by("code")
