"""REST API of meetings (`/api/meetings/`, INTERFACES 8): the register's scope and filters
for reading; POST to the list and PUT/PATCH to a detail write through the same services as
the pages (scope, the rules' Chinese messages, the audit row, the computed roster)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.core.roles import Action
from dangjian.core.scope import NotInScope, can
from dangjian.life import services
from dangjian.life.models import Meeting, MeetingKind, Series, SeriesItem
from dangjian.life.registers import MeetingRegister
from dangjian.orgs.models import COMMITTEE_KINDS, Organization


class MeetingSerializer(RegisterSerializer):
    series_item = serializers.CharField(source="series_item.title", allow_null=True, default=None)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "org",
            "kind",
            "kind_display",
            "title",
            "held_on",
            "place",
            "chair",
            "recorder",
            "speaker",
            "topic",
            "agenda",
            "minutes",
            "decisions",
            "series_item",
            "roster_kept",
            "expected_count",
            "present_count",
            "closed_at",
        ]


MAX_INT = 2**31 - 1  # what every database's integer column holds


def _text(max_length=None):
    return serializers.CharField(
        required=False, allow_blank=True, **({"max_length": max_length} if max_length else {})
    )


class MeetingWriteSerializer(serializers.Serializer):
    """What a client sends to record or change a meeting (the roster is computed)."""

    org = serializers.CharField(
        max_length=32, required=False, help_text="党组织代码 (登记时必填, 不能修改)"
    )
    kind = serializers.ChoiceField(MeetingKind.choices, required=False)
    title = serializers.CharField(max_length=100, required=False)
    held_on = serializers.DateField(required=False)
    place = _text(100)
    chair = _text(50)
    recorder = _text(50)
    speaker = _text(50)
    topic = _text(100)
    agenda = _text()
    minutes = _text()
    decisions = _text()
    series_item = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_INT,
        help_text="主题系列活动项目的id",
    )
    roster = serializers.BooleanField(
        required=False, default=True, help_text="按应到人员生成签到名单 (登记时); 否则填人数"
    )
    expected_count = serializers.IntegerField(required=False, min_value=0, max_value=MAX_INT)
    present_count = serializers.IntegerField(required=False, min_value=0, max_value=MAX_INT)


def _service_error(exc: ValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError(exc.message_dict)
    return ApiValidationError({"non_field_errors": exc.messages})


class MeetingViewSet(RegisterViewSet):
    register = MeetingRegister.instance
    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()

    def _series_item(self, data: dict) -> None:
        if "series_item" not in data or data["series_item"] is None:
            return
        visible = Series.objects.restrict(self.request.user, Action.VIEW).values("pk")
        item = SeriesItem.objects.filter(pk=data["series_item"], series__in=visible).first()
        if item is None:
            raise ApiValidationError({"series_item": [_("主题系列活动项目不存在")]})
        data["series_item"] = item

    def _answer(self, meeting: Meeting, code: int) -> Response:
        meeting = Meeting.objects.select_related("org", "series_item").get(pk=meeting.pk)
        body = MeetingSerializer(meeting, context=self.get_serializer_context()).data
        return Response(body, status=code)

    @extend_schema(request=MeetingWriteSerializer, responses={201: MeetingSerializer})
    def create(self, request, *args, **kwargs):
        """登记会议: in an org within the caller's add scope; the roster of who should attend
        is computed (or, with `roster` false, the counts are given)."""
        if not can(request.user, Action.ADD):
            raise PermissionDenied(_("您没有登记会议的权限"))
        given = MeetingWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        missing = [name for name in ("org", "kind", "title", "held_on") if name not in data]
        if missing:
            raise ApiValidationError({name: [_("该字段是必填项。")] for name in missing})
        org = (
            Organization.objects.restrict(request.user, Action.ADD)
            .exclude(kind__in=COMMITTEE_KINDS)
            .filter(code=data["org"])
            .first()
        )
        if org is None:
            raise ApiValidationError({"org": [_("党组织不存在或不在您的管理范围内")]})
        data["org"] = org
        self._series_item(data)
        try:
            meeting = services.create_meeting(request.user, **data)
        except ValidationError as exc:
            raise _service_error(exc) from None
        except NotInScope:
            raise PermissionDenied(_("您没有在该党组织登记会议的权限")) from None
        return self._answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=MeetingWriteSerializer, responses={200: MeetingSerializer})
    def update(self, request, *args, **kwargs):
        """修改会议: the fields given (PATCH) or all of them (PUT); the org cannot change.
        A new date or kind rebuilds the roster while nobody is marked yet."""
        meeting = self.get_object()
        if not Meeting.objects.restrict(request.user, Action.CHANGE).filter(pk=meeting.pk).exists():
            raise PermissionDenied(_("您没有修改该会议的权限"))
        partial = kwargs.get("partial", False)
        given = MeetingWriteSerializer(data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        data.pop("roster", None)
        if "org" in data and data["org"] != meeting.org.code:
            raise ApiValidationError({"org": [_("会议的党组织不能修改, 请删除后重新登记")]})
        if not partial:
            missing = [name for name in ("kind", "title", "held_on") if name not in data]
            if missing:
                raise ApiValidationError({name: [_("该字段是必填项。")] for name in missing})
        if {"expected_count", "present_count"} & set(data) and meeting.roster_kept:
            raise ApiValidationError(
                {"expected_count": [_("有签到名单的会议, 人数由名单计算, 不能直接修改")]}
            )
        self._series_item(data)
        try:
            meeting = services.update_meeting(request.user, meeting, **data)
        except ValidationError as exc:
            raise _service_error(exc) from None
        except NotInScope:
            raise PermissionDenied(_("您没有修改该会议的权限")) from None
        return self._answer(meeting, status.HTTP_200_OK)

    @extend_schema(request=MeetingWriteSerializer, responses={200: MeetingSerializer})
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)
