"""党费 in the REST API (INTERFACES 8): `/api/dues/` the ledger (what each member owes and
paid per month), `/api/dues-payments/` the payments; read-only, scoped like the pages."""

from rest_framework import serializers

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.dues.models import DuesMonth, DuesPayment
from dangjian.dues.registers import DuesLedgerRegister, DuesPaymentRegister


class _MemberFields(RegisterSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)
    org = serializers.CharField(source="member.org.code", read_only=True, help_text="党组织代码")


class DuesMonthSerializer(_MemberFields):
    owed = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)

    class Meta:
        model = DuesMonth
        fields = [
            "id",
            "member",
            "member_name",
            "org",
            "month",
            "category",
            "category_display",
            "base",
            "due",
            "paid",
            "owed",
            "reduction",
        ]


class DuesPaymentSerializer(_MemberFields):
    class Meta:
        model = DuesPayment
        fields = [
            "id",
            "member",
            "member_name",
            "org",
            "kind",
            "kind_display",
            "month",
            "amount",
            "paid_on",
            "method",
            "method_display",
            "to_centre",
            "receipt_no",
            "note",
        ]


class DuesViewSet(RegisterViewSet):
    """党费台账: each member's due and paid per month."""

    register = DuesLedgerRegister.instance
    serializer_class = DuesMonthSerializer


class DuesPaymentViewSet(RegisterViewSet):
    """党费交纳记录."""

    register = DuesPaymentRegister.instance
    serializer_class = DuesPaymentSerializer
