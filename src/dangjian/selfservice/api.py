"""`/api/me/`: what `/me/` shows, for the signed-in user only (no id is taken from the
request, so no other person's data can be asked for)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.members.lifecycle_api import TransferSerializer
from dangjian.members.models import Transfer
from dangjian.selfservice import services
from dangjian.selfservice.views import timeline


def _record(member) -> dict | None:
    if member is None:
        return None
    return {
        "id": member.pk,
        "name": member.name,
        "sex_display": member.get_sex_display(),
        "ethnicity": member.ethnicity,
        "id_number": member.masked_id,
        "birth_date": member.birth_date,
        "education_display": member.get_education_display(),
        "org": member.org.code,
        "org_name": member.org.name,
        "work_unit": member.work_unit.code if member.work_unit else None,
        "category": member.category,
        "category_display": member.get_category_display(),
        "joined_on": member.joined_on,
        "converted_on": member.converted_on,
        "phone": member.phone,
        "status": member.status,
        "status_display": member.get_status_display(),
    }


@extend_schema(
    responses=inline_serializer(
        "Me",
        {
            "member": serializers.DictField(allow_null=True),
            "transfers": TransferSerializer(many=True),
            "timeline": serializers.ListField(child=serializers.DictField()),
            "report_due": serializers.BooleanField(),
        },
    )
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request):
    user = request.user
    member = services.own_member(user)
    recruit = services.own_recruit(user, member)
    today = timezone.localdate()
    transfers = (
        Transfer.objects.filter(member=member).select_related("member", "from_org", "to_org")
        if member
        else Transfer.objects.none()
    )
    return Response(
        {
            "member": _record(member),
            "transfers": TransferSerializer(transfers, many=True).data,
            "timeline": [
                {"label": str(row["label"]), "on": row["on"], "done": row["done"]}
                for row in (timeline(recruit) if recruit else [])
            ],
            "report_due": services.writes_reports(member, recruit, today)
            and services.report_due(user, today),
        }
    )
