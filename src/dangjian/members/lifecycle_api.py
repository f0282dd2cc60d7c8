from rest_framework import serializers

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.members.lifecycle_registers import TransferRegister
from dangjian.members.models import Transfer


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
