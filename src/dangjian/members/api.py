from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.core.scope import NotInScope
from dangjian.members import services
from dangjian.members.models import PERSON_FIELDS, Member
from dangjian.members.registers import MemberRegister

# What a member and a recruit show alike (the phone number only on a member's record).
PERSON_API_FIELDS = (
    "id",
    *(name for name in PERSON_FIELDS if name != "phone"),
    "birth_date",
    "org",
    "org_name",
    "work_unit",
)


class PersonSerializer(RegisterSerializer):
    """What a member and a recruit show alike. ID numbers are always masked here; a
    member's full number only via reveal-id."""

    id_number = serializers.CharField(source="masked_id", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)


class MemberSerializer(PersonSerializer):
    category = serializers.CharField(read_only=True)

    class Meta:
        model = Member
        fields = [
            *PERSON_API_FIELDS,
            "sex_display",
            "education_display",
            "person_type_display",
            "category",
            "category_display",
            "joined_on",
            "converted_on",
            "phone",
            "status",
            "status_display",
            "left_on",
        ]


class MemberViewSet(RegisterViewSet):
    register = MemberRegister.instance
    serializer_class = MemberSerializer

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "RevealedId", {"id": serializers.IntegerField(), "id_number": serializers.CharField()}
        ),
    )
    @action(detail=True, methods=["post"], url_path="reveal-id")
    def reveal_id(self, request, pk=None):
        member = self.get_object()
        try:
            services.reveal_id_number(request.user, member)
        except NotInScope:
            raise PermissionDenied(_("您没有查看完整身份证号的权限")) from None
        return Response({"id": member.pk, "id_number": member.id_number})
