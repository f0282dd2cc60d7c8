"""Forms of the org network. They parse and render; the services validate the rules and
save, so the same Chinese messages come back whether a row is typed here or imported."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.orgs.elections import ELECTION_FIELDS, room_standards
from dangjian.orgs.models import (
    ALLOWED_PARENTS,
    COVERING_KINDS,
    SUPERVISOR_KINDS,
    ActivityRoom,
    Election,
    ElectionCandidate,
    MassOrganization,
    Organization,
    OrgKind,
    Position,
    PositionTitle,
    School,
    SchoolLeader,
)
from dangjian.orgs.services import ORG_FIELDS, SCHOOL_FIELDS

# Orgs that hold elections: every kind but the 党小组.
ELECTING_KINDS = [kind for kind in OrgKind.values if kind != OrgKind.GROUP]


class OrgChoiceField(forms.ModelChoiceField):
    """Orgs indented by depth, so a long select still reads as a tree."""

    def label_from_instance(self, obj):
        return f"{'　' * (obj.depth - 1)}{obj.name}（{obj.code}）"


def scoped_orgs(user, action: str, kinds, keep_pk: int | None = None):
    """Orgs of the allowed kinds where `user` may do `action`; `keep_pk` (the current value
    of an edited record) stays selectable so an unchanged form still validates."""
    qs = Organization.objects.restrict(user, action).filter(kind__in=kinds)
    if keep_pk is not None:
        qs = Organization.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk=keep_pk))
    return qs.order_by("path")


class OrgForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = list(ORG_FIELDS)


class MoveForm(BootstrapMixin, forms.Form):
    parent = OrgChoiceField(queryset=Organization.objects.none(), label=_("新的上级组织"))

    def __init__(self, *args, user, org: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [kind for kind in ALLOWED_PARENTS[org.kind] if kind is not None]
        current_parent = Organization.objects.get_parent(org)
        qs = (
            Organization.objects.restrict(user, Action.ADD)
            .filter(kind__in=allowed)
            .exclude(path__startswith=org.path)
        )
        if current_parent is not None:
            qs = qs.exclude(pk=current_parent.pk)
            if (
                Organization.objects.restrict(user, Action.VIEW)
                .filter(pk=current_parent.pk)
                .exists()
            ):
                self.fields["parent"].help_text = _("当前上级组织：%(name)s") % {
                    "name": current_parent.name
                }
        self.fields["parent"].queryset = qs.order_by("path")


class SchoolForm(BootstrapMixin, forms.ModelForm):
    supervising_org = OrgChoiceField(queryset=Organization.objects.none(), label=_("主管党组织"))
    covering_org = OrgChoiceField(
        queryset=Organization.objects.none(),
        label=_("党组织"),
        required=False,
        empty_label=_("未覆盖"),
        help_text=_("覆盖该学校的党支部、联合党支部、临时党支部、党总支或党委"),
    )

    class Meta:
        model = School
        fields = list(SCHOOL_FIELDS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        school = self.instance
        editing = school.pk is not None
        # Creating under a supervisor is an ADD there; re-linking an existing school only
        # needs to see the supervisor (services._require_school_orgs). Covering needs CHANGE.
        self.fields["supervising_org"].queryset = scoped_orgs(
            user,
            Action.VIEW if editing else Action.ADD,
            SUPERVISOR_KINDS,
            keep_pk=school.supervising_org_id if editing else None,
        )
        self.fields["covering_org"].queryset = scoped_orgs(
            user,
            Action.CHANGE,
            COVERING_KINDS,
            keep_pk=school.covering_org_id if editing else None,
        )


class PositionForm(BootstrapMixin, forms.ModelForm):
    """A 班子 seat: its holder picked from the org's members (the link other modules count,
    e.g. the cadres' training hours) or, for someone not on the register, typed by name."""

    member = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label=_("党员"),
        help_text=_("从本组织(含下级)党员中选择; 不在党员名册中的, 只填写姓名"),
    )

    class Meta:
        model = Position
        fields = ["title", "member", "holder_name", "formed_by", "start_on", "end_on"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.instance.org
        model = _member_model()
        visible = model.objects.restrict(user, Action.VIEW).filter(org__path__startswith=org.path)
        # A holder who has since moved away stays selectable on their seat.
        keep = Q(pk=self.instance.member_id) if self.instance.member_id else Q(pk__in=[])
        members = model.objects.filter(Q(pk__in=visible.values("pk")) | keep)
        self.fields["member"].queryset = members.select_related("org").order_by("name", "pk")
        self.fields["member"].label_from_instance = lambda m: (
            _("%(name)s(%(org)s, 身份证号后4位%(suffix)s)")
            % {"name": m.name, "org": m.org.name, "suffix": m.id_suffix}
        )
        self.fields["holder_name"].required = False

    def clean(self):
        data = super().clean()
        member, name = data.get("member"), (data.get("holder_name") or "").strip()
        if member is None and not name:
            self.add_error("holder_name", _("请选择党员或填写姓名"))
        elif member is not None and not name:
            data["holder_name"] = member.name
            self.instance.holder_name = member.name
        return data


class MassOrgForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = MassOrganization
        fields = ["kind", "name", "founded_on", "dissolved_on"]


# -- 换届选举, 学校领导班子, 阵地建设 ----------------------------------------------------


def _member_model():
    """The Member model, reached through the candidate's foreign key (orgs does not import
    the members app)."""
    return ElectionCandidate._meta.get_field("member").related_model


class ElectionForm(BootstrapMixin, forms.ModelForm):
    org = OrgChoiceField(queryset=Organization.objects.none(), label=_("党组织"))

    class Meta:
        model = Election
        fields = list(ELECTION_FIELDS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.instance.org_id if self.instance.pk else None
        self.fields["org"].queryset = scoped_orgs(user, Action.CHANGE, ELECTING_KINDS, keep)


class CandidateForm(BootstrapMixin, forms.Form):
    """One row of the ballot sheet: a candidate, the post they would take, their votes."""

    member = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("候选人"))
    title = forms.ChoiceField(
        choices=PositionTitle.choices, initial=PositionTitle.MEMBER, label=_("拟任职务")
    )
    votes = forms.IntegerField(min_value=0, label=_("得票数"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: m.name

    def has_changed(self):
        """A row without a person is a blank row, whatever its post select shows."""
        return bool(self.data.get(self.add_prefix("member"))) if self.is_bound else False


class AppointeeForm(CandidateForm):
    votes = None


class BaseRowFormSet(forms.BaseFormSet):
    """Blank rows are skipped; at least one filled row is required."""

    def __init__(self, *args, members, **kwargs):
        self.members = members
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"members": self.members}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            members=self.members,
        )
        self.add_fields(form, None)
        return form

    def rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]

    def clean(self):
        if any(self.errors):
            return
        if not self.rows():
            raise forms.ValidationError(_("请至少填写一名候选人"))


def candidate_formset(data=None, *, members, rows: int, appointment: bool = False):
    factory = forms.formset_factory(
        AppointeeForm if appointment else CandidateForm, formset=BaseRowFormSet, extra=rows
    )
    return factory(data, members=members, prefix="c")


def electable_members(user, election: Election):
    """Members of the org's subtree in the user's view (the service checks who may stand)."""
    return (
        _member_model()
        .objects.restrict(user, Action.VIEW)
        .filter(org__path__startswith=election.org.path)
        .order_by("name", "pk")
    )


class BallotForm(BootstrapMixin, forms.Form):
    present = forms.IntegerField(min_value=0, label=_("实到人数"))
    valid_ballots = forms.IntegerField(min_value=0, label=_("有效票"))
    invalid_ballots = forms.IntegerField(min_value=0, initial=0, label=_("无效票"))


class ApprovalForm(BootstrapMixin, forms.Form):
    approved_on = forms.DateField(label=_("上级批复日期"))
    approval_ref = forms.CharField(max_length=100, required=False, label=_("批复文号"))


class CorrectionForm(BootstrapMixin, forms.Form):
    """更正已批复的换届: each elected's 职务 (and the name of an appointee from outside the
    system), the approval's date and 文号, and the reason, which is required."""

    reason = forms.CharField(
        label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    approved_on = forms.DateField(label=_("上级批复日期"))
    approval_ref = forms.CharField(max_length=100, required=False, label=_("批复文号"))

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.elected = list(election.candidates.filter(elected=True).order_by("id"))
        self.fields["approved_on"].initial = election.approved_on
        self.fields["approval_ref"].initial = election.approval_ref
        for candidate in self.elected:
            self.fields[f"title_{candidate.pk}"] = forms.ChoiceField(
                label=_("%(name)s的职务") % {"name": candidate.name},
                choices=PositionTitle.choices,
                initial=candidate.title,
            )
            if candidate.member_id is None:
                self.fields[f"name_{candidate.pk}"] = forms.CharField(
                    label=_("任命人选姓名"), max_length=50, initial=candidate.name
                )
        self.order_fields(["reason"])

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "reason": data["reason"],
            "approved_on": data["approved_on"],
            "approval_ref": data.get("approval_ref") or "",
            "titles": {c.pk: data[f"title_{c.pk}"] for c in self.elected},
            "names": {c.pk: data[f"name_{c.pk}"] for c in self.elected if f"name_{c.pk}" in data},
        }


def scoped_schools(user, action: str, keep_pk: int | None = None):
    qs = School.objects.restrict(user, action)
    if keep_pk is not None:
        qs = School.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk=keep_pk))
    return qs.order_by("code")


class SchoolLeaderForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SchoolLeader
        fields = [
            "school",
            "title",
            "holder_name",
            "party_member",
            "selected_by",
            "start_on",
            "end_on",
            "note",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.instance.school_id if self.instance.pk else None
        self.fields["school"].queryset = scoped_schools(user, Action.CHANGE, keep)


class ActivityRoomForm(BootstrapMixin, forms.ModelForm):
    items_met = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, label=_("达标项目")
    )

    class Meta:
        model = ActivityRoom
        fields = ["school", "name", "area", "checked_on", "items_met", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.instance.school_id if self.instance.pk else None
        self.fields["school"].queryset = scoped_schools(user, Action.CHANGE, keep)
        self.fields["items_met"].choices = room_standards()
        self.fields["items_met"].widget.attrs["class"] = "form-check-input"
