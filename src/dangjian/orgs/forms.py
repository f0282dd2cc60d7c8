"""Forms of the org network. They parse and render; the services validate the rules and
save, so the same Chinese messages come back whether a row is typed here or imported."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.orgs.models import (
    ALLOWED_PARENTS,
    COVERING_KINDS,
    SUPERVISOR_KINDS,
    MassOrganization,
    Organization,
    Position,
    School,
)
from dangjian.orgs.services import ORG_FIELDS, SCHOOL_FIELDS


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
    class Meta:
        model = Position
        fields = ["title", "holder_name", "formed_by", "start_on", "end_on"]


class MassOrgForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = MassOrganization
        fields = ["kind", "name", "founded_on", "dissolved_on"]
