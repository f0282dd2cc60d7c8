from rest_framework import serializers

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.members.lifecycle_registers import LetterRequestRegister, TransferRegister
from dangjian.members.models import LetterRequest, Transfer


class TransferSerializer(RegisterSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "member",
            "member_name",
            "from_org",
            "to_org",
            "status",
            "status_display",
            "by_member",
            "reason",
            "requested_on",
            "approved_on",
            "accepted_on",
            "returned_on",
            "return_reason",
            "receipt_no",
            "batch",
        ]


class TransferViewSet(RegisterViewSet):
    register = TransferRegister.instance
    serializer_class = TransferSerializer


class LetterRequestSerializer(RegisterSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = LetterRequest
        fields = [
            "id",
            "member",
            "member_name",
            "org",
            "other_org_name",
            "reason",
            "requested_at",
            "status",
            "status_display",
            "letter",
            "closed_on",
            "decline_reason",
        ]


class LetterRequestViewSet(RegisterViewSet):
    register = LetterRequestRegister.instance
    serializer_class = LetterRequestSerializer
