"""REST API of the pipeline: list, detail, a new 入党申请人 (step 1) and recording a step,
with the same services (rules, scope, audit) as the pages. A person outside the caller's
view scope is 404; one the caller sees but may not change is 403."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.core.roles import Action
from dangjian.core.scope import NotInScope, can
from dangjian.members.api import PERSON_API_FIELDS, PersonSerializer
from dangjian.members.choices import ETHNIC_GROUPS, Backbone, Education, PersonType, Sex
from dangjian.orgs.models import Organization, School
from dangjian.recruitment import rules as R
from dangjian.recruitment import services
from dangjian.recruitment.models import (
    Decision,
    Outcome,
    Recommendation,
    Recruit,
    Sanction,
    Step,
    VoteChoice,
)
from dangjian.recruitment.registers import RecruitRegister, SanctionRegister


class StepPersonSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    name = serializers.CharField(source="member.name")
    role = serializers.CharField()


class StepSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    rule_set = serializers.CharField(source="rule_set.code", read_only=True)
    people = StepPersonSerializer(many=True, read_only=True)

    class Meta:
        model = Step
        fields = [
            "id",
            "key",
            "name",
            "on",
            "rule_set",
            *services.STEP_FIELDS,
            "outcome_reason",
            "close_reason",
            "voters",
            "should_attend",
            "present",
            "yes",
            "no",
            "abstain",
            "observers",
            "warnings",
            "people",
        ]

    def get_name(self, obj) -> str:
        book = self.context.get("book")
        if book is None:
            book = self.context["book"] = R.RuleBook.load()
        return book.for_step(obj).name(obj.key)


class RecruitSerializer(PersonSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True, allow_null=True)

    class Meta:
        model = Recruit
        fields = [
            *PERSON_API_FIELDS,
            "stage",
            "stage_display",
            "applied_on",
            "activist_on",
            "candidate_on",
            "admitted_on",
            "approved_on",
            "probation_end_on",
            "extended_months",
            "converted_on",
            "closed_on",
            "close_reason",
            "member",
            "next_due_on",
            "next_due_kind",
        ]


class RecruitDetailSerializer(RecruitSerializer):
    steps = serializers.SerializerMethodField()

    class Meta(RecruitSerializer.Meta):
        fields = [*RecruitSerializer.Meta.fields, "steps"]

    @extend_schema(responses=StepSerializer(many=True))
    def get_steps(self, obj) -> list:
        steps = obj.steps.select_related("rule_set").prefetch_related("people__member")
        return StepSerializer(steps.order_by("on", "id"), many=True, context=self.context).data


class NewRecruitSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    sex = serializers.ChoiceField(Sex.choices)
    ethnicity = serializers.ChoiceField([(e, e) for e in ETHNIC_GROUPS], default="汉族")
    id_number = serializers.CharField(max_length=18)
    education = serializers.ChoiceField(Education.choices)
    person_type = serializers.ChoiceField(PersonType.choices)
    backbone = serializers.ChoiceField(Backbone.choices, required=False, allow_blank=True)
    title = serializers.CharField(max_length=50, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    org = serializers.CharField(max_length=32, help_text="党支部代码")
    work_unit = serializers.CharField(max_length=32, required=False, allow_blank=True)
    applied_on = serializers.DateField()
    by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class BallotInputSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    should_attend = serializers.BooleanField(default=True)
    attended = serializers.BooleanField(default=False)
    written = serializers.BooleanField(default=False)
    choice = serializers.ChoiceField(VoteChoice.choices, required=False, allow_blank=True)
    opinion = serializers.CharField(required=False, allow_blank=True)


class RecordStepSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=30)
    on = serializers.DateField()
    by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    end_on = serializers.DateField(required=False)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, required=False)
    days = serializers.DecimalField(max_digits=5, decimal_places=1, required=False)
    method = serializers.ChoiceField(Recommendation.choices, required=False)
    outcome = serializers.ChoiceField(
        [(Outcome.APPROVED, Outcome.APPROVED.label), (Outcome.REJECTED, Outcome.REJECTED.label)],
        required=False,
    )
    decision = serializers.ChoiceField(Decision.choices, required=False)
    extension_months = serializers.IntegerField(required=False, min_value=1, max_value=24)
    special_reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    members = serializers.ListField(child=serializers.IntegerField(), required=False)
    ballots = BallotInputSerializer(many=True, required=False)


def _service_error(exc: ValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError(exc.message_dict)
    return ApiValidationError({"non_field_errors": exc.messages})


class RecruitViewSet(RegisterViewSet):
    register = RecruitRegister.instance

    def get_serializer_class(self):
        if self.action == "retrieve":
            return RecruitDetailSerializer
        if self.action == "create":
            return NewRecruitSerializer
        if self.action == "record_step":
            return RecordStepSerializer
        return RecruitSerializer

    @extend_schema(request=NewRecruitSerializer, responses={201: RecruitDetailSerializer})
    def create(self, request):
        """递交入党申请书: a new 入党申请人 in a branch within the caller's add scope."""
        if not can(request.user, Action.ADD):
            raise PermissionDenied(_("您没有登记入党申请人的权限"))
        given = NewRecruitSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        org = Organization.objects.restrict(request.user, Action.ADD).filter(code=data["org"])
        data["org"] = org.first()
        if data["org"] is None:
            raise ApiValidationError({"org": [_("党支部不存在或不在您的管理范围内")]})
        code = data.pop("work_unit", "")
        data["work_unit"] = (
            School.objects.restrict(request.user).filter(code=code).first() if code else None
        )
        if code and data["work_unit"] is None:
            raise ApiValidationError({"work_unit": [_("学校不存在或不在您的管理范围内")]})
        try:
            recruit = services.create_recruit(request.user, **data)
        except ValidationError as exc:
            raise _service_error(exc) from None
        body = RecruitDetailSerializer(recruit, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=RecordStepSerializer, responses={201: StepSerializer})
    @action(detail=True, methods=["post"], url_path="steps", url_name="steps")
    def record_step(self, request, pk=None):
        """Record one step; refused (400) with the rule and the earliest allowed date."""
        recruit = self.get_object()
        if not Recruit.objects.restrict(request.user, Action.CHANGE).filter(pk=recruit.pk).exists():
            raise PermissionDenied(_("您没有记录该发展对象步骤的权限"))
        given = RecordStepSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        key = data.pop("key")
        if "ballots" in data:
            data["ballots"] = [dict(b) for b in data["ballots"]]
        try:
            step = services.record_step(request.user, recruit, key, **data)
        except ValidationError as exc:
            raise _service_error(exc) from None
        except NotInScope:
            raise PermissionDenied(_("您没有记录该发展对象步骤的权限")) from None
        step = (
            Step.objects.select_related("rule_set")
            .prefetch_related("people__member")
            .get(pk=step.pk)
        )
        return Response(
            StepSerializer(step, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class SanctionSerializer(RegisterSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)
    org = serializers.CharField(source="member.org.code", read_only=True, help_text="党组织代码")
    in_force = serializers.SerializerMethodField(help_text="今日是否生效")

    class Meta:
        model = Sanction
        fields = [
            "id",
            "member",
            "member_name",
            "org",
            "kind",
            "kind_display",
            "start_on",
            "end_on",
            "in_force",
            "note",
            "created_at",
        ]

    def get_in_force(self, obj) -> bool:
        return obj.in_force_on(timezone.localdate())


class SanctionViewSet(RegisterViewSet):
    """党纪处分: read-only; a sanction is recorded on its page, where the form checks it."""

    register = SanctionRegister.instance
    serializer_class = SanctionSerializer
