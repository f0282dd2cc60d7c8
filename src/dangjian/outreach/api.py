"""`/api/pairings/` and `/api/assistance/` (INTERFACES 8): read-only, the pages' scope and
filters through the register kit."""

from rest_framework import serializers

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.outreach.models import Assistance, Pairing
from dangjian.outreach.registers import AssistanceRegister, PairingRegister


class PairingSerializer(RegisterSerializer):
    class Meta:
        model = Pairing
        fields = [
            "id",
            "org",
            "kind",
            "kind_display",
            "school",
            "partner_school",
            "partner_name",
            "started_on",
            "ended_on",
            "responsible",
            "plan",
            "created_at",
        ]


class AssistanceSerializer(RegisterSerializer):
    org = serializers.CharField(source="pairing.org.code", read_only=True, help_text="党组织代码")
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, allow_null=True, read_only=True
    )

    class Meta:
        model = Assistance
        fields = [
            "id",
            "pairing",
            "org",
            "kind",
            "kind_display",
            "on",
            "amount",
            "quantity",
            "description",
            "created_at",
        ]


class PairingViewSet(RegisterViewSet):
    """结对帮扶: who is paired with whom."""

    register = PairingRegister.instance
    serializer_class = PairingSerializer


class AssistanceViewSet(RegisterViewSet):
    """帮扶台账: money, goods, books, tuition waived, grants, trainings, visits."""

    register = AssistanceRegister.instance
    serializer_class = AssistanceSerializer
