"""Forms of the 廉政建设 registers: the org (and risk, member) choices are those where the
user may write the record, so a form never offers what the service would refuse."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.core.scope import is_unrestricted, scope_paths
from dangjian.integrity.models import Case, Education, Measure, Petition, Risk, Talk
from dangjian.members.models import Member
from dangjian.members.services import existing_id_numbers
from dangjian.orgs.forms import OrgChoiceField
from dangjian.orgs.models import Organization


def _orgs(user, action: str, keep_pk=None):
    qs = Organization.objects.restrict(user, action)
    if keep_pk is not None:
        qs = Organization.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk=keep_pk))
    return qs.order_by("path")


class _OrgForm(BootstrapMixin, forms.ModelForm):
    """A record owned by an org: the org select lists where the user may write it."""

    org = OrgChoiceField(queryset=Organization.objects.none(), label=_("党组织"))
    write_action: str = Action.ADD

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        action = (
            self.write_action if self.write_action != Action.ADD or not editing else Action.CHANGE
        )
        self.fields["org"].queryset = _orgs(user, action, self.instance.org_id if editing else None)
        self.fields["org"].label = self._meta.model._meta.get_field("org").verbose_name


class RiskForm(_OrgForm):
    class Meta:
        model = Risk
        fields = [
            "org",
            "domain",
            "post",
            "people",
            "description",
            "level",
            "found_on",
            "confirmed_on",
            "reviewed_on",
            "review_note",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class MeasureForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["risk", "content", "owner", "set_on", "review_on"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        risks = Risk.objects.restrict(user, Action.CHANGE).filter(confirmed_on__isnull=False)
        self.fields["risk"].queryset = risks.select_related("org").order_by("org__path", "pk")
        self.fields["risk"].label_from_instance = lambda r: f"{r.org.name} · {r}"
        initial = (self.initial or {}).get("risk")
        if initial:
            self.fields["risk"].initial = initial


class EducationForm(_OrgForm):
    class Meta:
        model = Education
        fields = ["org", "kind", "held_on", "title", "speaker", "place", "note"]


class AttendanceMemberField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.org.name})"


class EducationAttendanceForm(BootstrapMixin, forms.Form):
    """Who attended: the members of the activity's org and below it (as of its day) not
    recorded yet, ticked from a list."""

    members = AttendanceMemberField(
        label=_("参加人员"),
        queryset=Member.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("按住Ctrl(手机上直接点选)可选多人"),
        error_messages={"required": _("请选择参加人员")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates


class _ConfidentialForm(_OrgForm):
    write_action = Action.DISCIPLINE


class PetitionForm(_ConfidentialForm):
    petitioner = forms.CharField(
        label=_("信访人"), max_length=50, required=False, help_text=_("加密保存; 匿名信访可不填")
    )

    class Meta:
        model = Petition
        fields = [
            "org",
            "received_on",
            "channel",
            "subject",
            "petitioner",
            "progress",
            "result",
            "resolved_on",
            "reply",
            "satisfaction",
        ]
        widgets = {
            "progress": forms.Textarea(attrs={"rows": 3}),
            "reply": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["petitioner"].initial = self.instance.petitioner


class CaseForm(_ConfidentialForm):
    class Meta:
        model = Case
        fields = [
            "org",
            "kind",
            "subject_name",
            "post",
            "source",
            "matter",
            "received_on",
            "checked_on",
            "filed_on",
            "reviewed_on",
            "closed_on",
            "party_outcome",
            "probation_years",
            "government_outcome",
            "appeal_on",
            "appeal_result",
        ]
        widgets = {"matter": forms.Textarea(attrs={"rows": 3})}

    member_id_number = forms.CharField(
        label=_("被反映人身份证号"),
        max_length=18,
        required=False,
        help_text=_("被反映人是本系统党员时填写, 处分将登记到其党员档案; 修改时留空则不变"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user

    def clean_member_id_number(self):
        """The member by ID number, within the discipline role's own subtrees (the role does
        not browse member records, so it names the person rather than picking from a list)."""
        number = (self.cleaned_data.get("member_id_number") or "").strip().upper()
        if not number:
            return None
        member = existing_id_numbers([number]).get(number)
        if member is None or not (
            is_unrestricted(self.user)
            or any(
                member.org.path.startswith(path)
                for path in scope_paths(self.user, Action.DISCIPLINE)
            )
        ):
            raise forms.ValidationError(_("您的范围内没有该身份证号的党员"))
        return member

    def clean(self):
        data = super().clean()
        member = data.pop("member_id_number", None)
        data["member"] = member or (self.instance.member if self.instance.pk else None)
        return data


class TalkForm(_ConfidentialForm):
    class Meta:
        model = Talk
        fields = ["org", "kind", "held_on", "person_name", "post", "by_whom", "matter", "follow_up"]
        widgets = {
            "matter": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }
