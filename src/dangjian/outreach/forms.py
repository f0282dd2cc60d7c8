from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.orgs.models import Organization, School
from dangjian.outreach.models import Assistance, AssistanceKind, Pairing, PairingKind

CHOOSE = _("请选择")


class PairingForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Pairing
        fields = [
            "org",
            "kind",
            "school",
            "partner_school",
            "partner_name",
            "started_on",
            "ended_on",
            "responsible",
            "plan",
        ]
        widgets = {"plan": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Organization.objects.restrict(user, Action.ADD)
        self.fields["school"].queryset = School.objects.restrict(user, Action.VIEW)
        # A partner school may lie anywhere (a rural school of another county).
        self.fields["partner_school"].queryset = School.objects.all().order_by("name")
        self.fields["kind"].choices = [("", CHOOSE), *PairingKind.choices]

    def _post_clean(self):
        """The service validates (and writes); the form only parses."""


class AssistanceForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Assistance
        fields = ["pairing", "kind", "on", "amount", "quantity", "description"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairing"].queryset = (
            Pairing.objects.restrict(user, Action.CHANGE)
            .select_related("org", "partner_school")
            .order_by("org__path", "-started_on")
        )
        self.fields["pairing"].label_from_instance = str
        self.fields["kind"].choices = [("", CHOOSE), *AssistanceKind.choices]

    def _post_clean(self):
        """The service validates (and writes); the form only parses."""
