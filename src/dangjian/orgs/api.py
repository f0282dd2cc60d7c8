from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.core.roles import Action
from dangjian.core.scope import NotInScope
from dangjian.orgs import services
from dangjian.orgs.election_registers import (
    ActivityRoomRegister,
    ElectionRegister,
    SchoolLeaderRegister,
)
from dangjian.orgs.models import (
    ActivityRoom,
    Election,
    ElectionCandidate,
    ElectionRound,
    FormedBy,
    Organization,
    Position,
    PositionTitle,
    School,
    SchoolLeader,
)
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


class ElectionCandidateSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round.number", allow_null=True, read_only=True)

    class Meta:
        model = ElectionCandidate
        fields = ["name", "member", "title", "round", "votes", "elected"]


class ElectionRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = ElectionRound
        fields = ["number", "seats", "present", "valid_ballots", "invalid_ballots"]


class ElectionSerializer(RegisterSerializer):
    status = serializers.CharField(read_only=True)
    rounds = ElectionRoundSerializer(many=True, read_only=True)
    candidates = ElectionCandidateSerializer(many=True, read_only=True)

    class Meta:
        model = Election
        fields = [
            "id",
            "org",
            "formed_by",
            "formed_by_display",
            "committee",
            "seats",
            "requested_on",
            "permitted_on",
            "held_on",
            "should_attend",
            "approved_on",
            "approval_ref",
            "status",
            "rounds",
            "candidates",
        ]


class ElectionViewSet(RegisterViewSet):
    register = ElectionRegister.instance
    serializer_class = ElectionSerializer


class SchoolLeaderSerializer(RegisterSerializer):
    class Meta:
        model = SchoolLeader
        fields = [
            "id",
            "school",
            "title",
            "title_display",
            "holder_name",
            "party_member",
            "selected_by",
            "selected_by_display",
            "start_on",
            "end_on",
        ]


class SchoolLeaderViewSet(RegisterViewSet):
    register = SchoolLeaderRegister.instance
    serializer_class = SchoolLeaderSerializer


class ActivityRoomSerializer(RegisterSerializer):
    class Meta:
        model = ActivityRoom
        fields = ["id", "school", "name", "area", "checked_on", "items_met"]


class ActivityRoomViewSet(RegisterViewSet):
    register = ActivityRoomRegister.instance
    serializer_class = ActivityRoomSerializer


# -- 班子 seats (`/api/positions/`) ----------------------------------------------------------

MAX_INT = 2**31 - 1  # what every database's integer column holds


class PositionSerializer(serializers.ModelSerializer):
    org = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title_display = serializers.CharField(source="get_title_display", read_only=True)
    formed_by_display = serializers.CharField(source="get_formed_by_display", read_only=True)
    member = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="任职党员的党员档案id (未关联党员档案时为空)"
    )

    class Meta:
        model = Position
        fields = [
            "id",
            "org",
            "title",
            "title_display",
            "holder_name",
            "member",
            "formed_by",
            "formed_by_display",
            "start_on",
            "end_on",
        ]


class PositionWriteSerializer(serializers.Serializer):
    """What a client sends to record or change a seat: the holder as a member record
    (`member`, an id from /api/members/, within the caller's scope and the seat's org or
    below) or, for someone not on the register, by name only."""

    org = serializers.CharField(
        max_length=32, required=False, help_text="党组织代码 (登记时必填, 不能修改)"
    )
    title = serializers.ChoiceField(PositionTitle.choices, required=False)
    member = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_INT, help_text="党员档案id"
    )
    holder_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    formed_by = serializers.ChoiceField(FormedBy.choices, required=False, allow_blank=True)
    start_on = serializers.DateField(required=False, allow_null=True)
    end_on = serializers.DateField(required=False, allow_null=True)


def _service_error(exc: ValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError(exc.message_dict)
    return ApiValidationError({"non_field_errors": exc.messages})


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    """班子成员: the seats of the orgs the caller may see (`?org=CODE`: that org's subtree;
    `?on=YYYY-MM-DD`: the seats in force that day; corrected seats left out). POST to the
    list and PUT/PATCH to a detail write through `orgs.services.save_position` (scope, the
    holder's link checked, the audit row)."""

    serializer_class = PositionSerializer
    queryset = Position.objects.none()
    filter_backends = ()

    def get_queryset(self):
        user = self.request.user
        seats = (
            Position.objects.restrict(user, Action.VIEW)
            .filter(corrected_by__isnull=True)
            .select_related("org")
            .order_by("org__path", "end_on", "title", "start_on", "pk")
        )
        if self.action != "list":
            return seats
        params = self.request.query_params
        code = (params.get("org") or "").strip()
        if code:
            org = Organization.objects.restrict(user, Action.VIEW).filter(code=code).first()
            seats = seats.filter(org__path__startswith=org.path) if org else seats.none()
        text = (params.get("on") or "").strip()
        if text:
            try:
                day = parse_date(text)
            except ValueError:
                day = None
            if day is None:
                raise ApiValidationError({"on": [_("日期格式应为YYYY-MM-DD, 如2024-12-31")]})
            seats = seats.current(day)
        return seats

    def _answer(self, position: Position, code: int) -> Response:
        position = Position.objects.select_related("org").get(pk=position.pk)
        return Response(PositionSerializer(position).data, status=code)

    def _holder(self, data: dict, position: Position) -> None:
        if "member" in data:
            pk = data.pop("member")
            holder = None
            if pk is not None:
                members = Position._meta.get_field("member").related_model.objects
                holder = members.filter(pk=pk).first()
                if holder is None:
                    raise ApiValidationError({"member": [_("所选党员不存在或不在您的管理范围内")]})
                if "holder_name" not in data:
                    data["holder_name"] = holder.name
            position.member = holder
        for name, value in data.items():
            if name in TEXT_FIELDS and value is None:
                value = ""
            setattr(position, name, value)
        position.holder_name = (position.holder_name or "").strip()
        if position.member_id is None and not position.holder_name:
            raise ApiValidationError({"holder_name": [_("请选择党员或填写姓名")]})
        if position.member_id is not None and not position.holder_name:
            position.holder_name = position.member.name

    def _save(self, position: Position, code: int) -> Response:
        try:
            services.save_position(self.request.user, position)
        except ValidationError as exc:
            raise _service_error(exc) from None
        except NotInScope:
            raise PermissionDenied(_("您没有修改该党组织班子的权限")) from None
        return self._answer(position, code)

    @extend_schema(request=PositionWriteSerializer, responses={201: PositionSerializer})
    def create(self, request, *args, **kwargs):
        """登记班子成员: in an org within the caller's change scope."""
        given = PositionWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        missing = [name for name in ("org", "title") if name not in data]
        if missing:
            raise ApiValidationError({name: [_("该字段是必填项。")] for name in missing})
        org = (
            Organization.objects.restrict(request.user, Action.CHANGE)
            .filter(code=data.pop("org"))
            .first()
        )
        if org is None:
            raise ApiValidationError({"org": [_("党组织不存在或不在您的管理范围内")]})
        position = Position(org=org)
        self._holder(data, position)
        return self._save(position, status.HTTP_201_CREATED)

    @extend_schema(request=PositionWriteSerializer, responses={200: PositionSerializer})
    def update(self, request, *args, **kwargs):
        """修改班子成员: the fields given (PATCH) or all of them (PUT); the org cannot change."""
        position = self.get_object()
        seats = Position.objects.restrict(request.user, Action.CHANGE)
        if not seats.filter(pk=position.pk).exists():
            raise PermissionDenied(_("您没有修改该党组织班子的权限"))
        partial = kwargs.get("partial", False)
        given = PositionWriteSerializer(data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        if data.pop("org", position.org.code) != position.org.code:
            raise ApiValidationError({"org": [_("班子成员的党组织不能修改, 请删除后重新登记")]})
        if not partial:
            if "title" not in data:
                raise ApiValidationError({"title": [_("该字段是必填项。")]})
            data.setdefault("member", None)
            data.setdefault("holder_name", "")
            for name in ("formed_by", "start_on", "end_on"):
                data.setdefault(name, "" if name in TEXT_FIELDS else None)
        self._holder(data, position)
        return self._save(position, status.HTTP_200_OK)

    @extend_schema(request=PositionWriteSerializer, responses={200: PositionSerializer})
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


TEXT_FIELDS = ("holder_name", "formed_by", "title")
