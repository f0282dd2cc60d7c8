"""Forms of the member registry. Field checks come from members.rules, so the page shows
the same Chinese messages as the service and the importer, all at once."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.members import rules
from dangjian.members.choices import (
    ETHNIC_CHOICES,
    LEAVING_EVENTS,
    Backbone,
    Category,
    Education,
    EventKind,
    PersonType,
    Sex,
)
from dangjian.members.models import PERSON_FIELDS, Member
from dangjian.orgs.models import MEMBER_ORG_KINDS, Organization, School

ANY = _("全部")
CHOOSE = _("请选择")


def _with_blank(choices, label=ANY):
    return [("", label), *choices]


def _label(name: str):
    return Member._meta.get_field(name).verbose_name


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


# Shown on edit as they are stored; the ID number never is (it is masked).
EDITABLE_PERSON_FIELDS = tuple(name for name in PERSON_FIELDS if name != "id_number")


def org_in_query(request) -> dict:
    """`?org=<pk>` on a new person's page (a link from an org's page): that org preselected,
    where the form offers it (PersonForm drops it otherwise)."""
    value = request.GET.get("org", "")
    return {"org": int(value)} if request.method == "GET" and value.isdigit() else {}


class PersonForm(BootstrapMixin, forms.Form):
    """The person fields a member's and a recruit's forms share (members.models.Person), with
    the org and the unit. On edit the ID number is never shown in full: left empty it stays
    unchanged, so editing needs no reveal permission. Subclasses choose the orgs offered."""

    name = forms.CharField(label=_label("name"), max_length=50)
    sex = forms.ChoiceField(label=_label("sex"), choices=_with_blank(Sex.choices, CHOOSE))
    ethnicity = forms.ChoiceField(label=_label("ethnicity"), choices=ETHNIC_CHOICES, initial="汉族")
    id_number = forms.CharField(
        label=_("公民身份号码"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    education = forms.ChoiceField(
        label=_label("education"), choices=_with_blank(Education.choices, CHOOSE)
    )
    person_type = forms.ChoiceField(
        label=_label("person_type"), choices=_with_blank(PersonType.choices, CHOOSE)
    )
    backbone = forms.ChoiceField(label=_label("backbone"), choices=Backbone.choices, required=False)
    title = forms.CharField(label=_label("title"), max_length=50, required=False)
    phone = forms.CharField(label=_label("phone"), max_length=20, required=False)
    org = OrgChoiceField(
        label=_label("org"), queryset=Organization.objects.none(), empty_label=CHOOSE
    )
    work_unit = forms.ModelChoiceField(
        label=_label("work_unit"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("无"),
    )

    def __init__(self, *args, user, person=None, **kwargs):
        if person is not None:
            initial = {name: getattr(person, name) for name in EDITABLE_PERSON_FIELDS}
            initial |= {"org": person.org_id, "work_unit": person.work_unit_id}
            kwargs["initial"] = {**kwargs.get("initial", {}), **initial}
        super().__init__(*args, **kwargs)
        orgs = self.org_choices(user, person).order_by("path")
        self.fields["org"].queryset = orgs
        preselected = self.initial.get("org")
        if person is None and preselected and not orgs.filter(pk=preselected).exists():
            del self.initial["org"]
        self.fields["work_unit"].queryset = School.objects.restrict(user).order_by("code")
        if person is not None:
            field = self.fields["id_number"]
            field.required = False
            field.help_text = _("当前为 %(masked)s; 留空则不修改") % {"masked": person.masked_id}

    def org_choices(self, user, person):
        raise NotImplementedError

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def person_kwargs(self, person) -> dict:
        """The cleaned data as a service's keyword arguments; an ID number left empty on
        edit is not passed, so the stored one stays."""
        data = dict(self.cleaned_data)
        if person is not None and not data.get("id_number"):
            data.pop("id_number", None)
        data["backbone"] = data.get("backbone") or ""
        return data


class MemberForm(PersonForm):
    """Create (no `member`) or edit a member's record."""

    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        help_text=_("可不填, 由公民身份号码得出; 填写时须与号码一致"),
    )
    category = forms.ChoiceField(label=_("党员类别"), choices=_with_blank(Category.choices, CHOOSE))
    joined_on = forms.DateField(
        label=_label("joined_on"), help_text=_("支部大会接收为预备党员的日期")
    )
    converted_on = forms.DateField(
        label=_label("converted_on"), required=False, help_text=_("正式党员必填, 预备党员不填")
    )
    moved_in_on = forms.DateField(
        label=_("转入日期"),
        required=False,
        help_text=_("从系统外转入本组织的党员填写; 在本组织入党的不填"),
    )
    transfer_on = forms.DateField(
        label=_("调动日期"),
        required=False,
        help_text=_("仅在更改所在党组织(系统内调动)时使用, 默认今天"),
    )

    field_order = (
        "name",
        "sex",
        "ethnicity",
        "id_number",
        "birth_date",
        "education",
        "org",
        "work_unit",
        "person_type",
        "category",
        "joined_on",
        "converted_on",
        "moved_in_on",
        "transfer_on",
        "phone",
        "title",
        "backbone",
    )

    def __init__(self, *args, user, member: Member | None = None, **kwargs):
        self.member = member
        if member is not None:
            kwargs.setdefault("initial", {}).update(
                {
                    "category": member.category,
                    "joined_on": member.joined_on,
                    "converted_on": member.converted_on,
                    "transfer_on": timezone.localdate(),
                }
            )
        super().__init__(*args, user=user, person=member, **kwargs)
        if member is None:
            del self.fields["transfer_on"]
        else:
            del self.fields["moved_in_on"]

    def org_choices(self, user, member):
        orgs = Organization.objects.restrict(user, Action.ADD).filter(kind__in=MEMBER_ORG_KINDS)
        if member is not None:
            # The current org stays selectable even where the user may not add members.
            orgs = orgs | Organization.objects.restrict(user, Action.CHANGE).filter(
                pk=member.org_id
            )
        return orgs

    def clean(self):
        data = super().clean()
        id_number = data.get("id_number") or (self.member.id_number if self.member else None)
        org = data.get("org")
        problems = rules.member_problems(
            name=data.get("name"),
            sex=data.get("sex"),
            id_number=id_number or "",
            birth_date=data.get("birth_date"),
            org_kind=org.kind if org else None,
            category=data.get("category"),
            joined_on=data.get("joined_on"),
            converted_on=data.get("converted_on"),
            phone=data.get("phone"),
        )
        for field, messages in problems.items():
            if field == "id_number" and not data.get("id_number") and self.member:
                continue  # the stored number is not being changed
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return data

    def service_kwargs(self) -> dict:
        """The cleaned data as the service's keyword arguments."""
        data = self.person_kwargs(self.member)
        data.pop("birth_date", None)
        if self.member is not None and data.get("org") == self.member.org:
            data.pop("transfer_on", None)
        return data


class LeaveForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("变动类型"))
    on = forms.DateField(label=_("日期"), initial=dt.date.today)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [
            (value, label)
            for value, label in EventKind.choices
            if value in LEAVING_EVENTS
            and not (value == EventKind.CANCELLED and member.converted_on)
        ]
        self.fields["kind"].choices = _with_blank(kinds, CHOOSE)


class RestoreForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("日期"), initial=dt.date.today)
    org = OrgChoiceField(
        label=_("恢复到党组织"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("原党组织"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (
            Organization.objects.restrict(user, Action.ADD)
            .filter(kind__in=MEMBER_ORG_KINDS)
            .order_by("path")
        )
