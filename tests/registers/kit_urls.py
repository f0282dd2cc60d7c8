"""The project's URLs plus one confidential register that only the tests declare (no
discipline register exists yet), to check the kit's INTERFACES 8 behaviour."""

from django.urls import include, path
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from dangjian.core.registers import Column, Register
from dangjian.core.registers.api import RegisterViewSet
from dangjian.core.roles import Action
from dangjian.orgs.models import Position
from dangjian.urls import urlpatterns as project


class ConfidentialRegister(Register):
    """Read with an action the branch secretaries lack, and audited on every read."""

    model = Position
    name = "kit-secret"
    view_action = Action.AUDIT
    audit_reads = True
    org_paths = ("org__path",)
    search_fields = ("holder_name",)
    ordering = ("org__path", "id")
    select_related = ("org",)
    columns = (
        Column("姓名", "holder_name", link="detail"),
        Column("党组织", "org.name", link_to=("org-detail", "org_id")),
        Column("开始日期", "start_on"),
    )


SECRET = ConfidentialRegister()


class SecretSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "holder_name"]


class SecretViewSet(RegisterViewSet):
    register = SECRET
    serializer_class = SecretSerializer


router = SimpleRouter()
router.register("kit-secret", SecretViewSet, basename="api-kit-secret")

urlpatterns = [
    path("kit-secret/", include(SECRET.urls())),
    path("kit-api/", include(router.urls)),
    *project,
]
