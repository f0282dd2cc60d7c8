"""Forms of the member registry. Field checks come from members.rules, so the page shows
the same Chinese messages as the service and the importer, all at once."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.dates import born_after_for_max_age, born_on_or_before_for_min_age
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
    Status,
)
from dangjian.members.models import Member
from dangjian.orgs.api import subtree_filter
from dangjian.orgs.models import MEMBER_ORG_KINDS, Organization, School

# (key, label, min age, max age); ages are full calendar years as of today.
AGE_BANDS = (
    ("-30", _("30岁及以下"), None, 30),
    ("31-35", _("31-35岁"), 31, 35),
    ("36-40", _("36-40岁"), 36, 40),
    ("41-45", _("41-45岁"), 41, 45),
    ("46-50", _("46-50岁"), 46, 50),
    ("51-55", _("51-55岁"), 51, 55),
    ("56-60", _("56-60岁"), 56, 60),
    ("61-", _("61岁及以上"), 61, None),
)
ALL_STATUSES = "all"
ANY = _("全部")
CHOOSE = _("请选择")
# Beyond this many orgs in scope the org filter becomes a code input with suggestions.
ORG_SELECT_LIMIT = 200


def _with_blank(choices, label=ANY):
    return [("", label), *choices]


def age_band_filter(queryset, key: str, today: dt.date):
    for band, _label, low, high in AGE_BANDS:
        if band == key:
            if high is not None:
                queryset = queryset.filter(birth_date__gte=born_after_for_max_age(today, high))
            if low is not None:
                queryset = queryset.filter(
                    birth_date__lte=born_on_or_before_for_min_age(today, low)
                )
            return queryset
    return queryset


class MemberFilterForm(BootstrapMixin, forms.Form):
    """The list's search and filters (GET); an invalid value is ignored, not an error page."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("姓名、拼音、首字母或身份证号后4位"), "type": "search"}
        ),
    )
    org = forms.CharField(label=_("所在党组织"), required=False, max_length=32)
    category = forms.ChoiceField(
        label=_("党员类别"), required=False, choices=_with_blank(Category.choices)
    )
    person_type = forms.ChoiceField(
        label=_("人员类型"), required=False, choices=_with_blank(PersonType.choices)
    )
    education = forms.ChoiceField(
        label=_("学历"), required=False, choices=_with_blank(Education.choices)
    )
    age = forms.ChoiceField(
        label=_("年龄段"),
        required=False,
        choices=_with_blank([(key, label) for key, label, _low, _high in AGE_BANDS]),
    )
    sex = forms.ChoiceField(label=_("性别"), required=False, choices=_with_blank(Sex.choices))
    status = forms.ChoiceField(
        label=_("党籍状态"),
        required=False,
        choices=[*Status.choices, (ALL_STATUSES, _("全部状态"))],
    )

    def __init__(self, *args, org_options=(), org_overflow=False, **kwargs):
        """`org_options`: (code, label) pairs in scope; with `org_overflow` there are more
        than can be listed, so the field becomes a code input with a datalist."""
        super().__init__(*args, **kwargs)
        widget = self.fields["org"].widget
        if org_overflow:
            widget.attrs.update({"list": "member-org-codes", "placeholder": _("输入组织代码")})
            return
        choices = _with_blank(list(org_options))
        current = self.data.get("org") if self.is_bound else None
        if current and current not in {code for code, _label in choices}:
            # A code from a link or typed by hand stays visible (and filters) as given.
            choices.append((current, current))
        self.fields["org"].widget = forms.Select(choices=choices, attrs={"class": "form-select"})

    def filter(self, queryset, today: dt.date):
        self.is_valid()
        data = self.cleaned_data  # fields with invalid values are simply absent
        status = data.get("status") or Status.ACTIVE
        if status != ALL_STATUSES:
            queryset = queryset.filter(status=status)
        if data.get("org"):
            queryset = subtree_filter(queryset, data["org"], "org__path")
        if data.get("category") == Category.FULL:
            queryset = queryset.filter(converted_on__lte=today)
        elif data.get("category") == Category.PROBATIONARY:
            queryset = queryset.exclude(converted_on__lte=today)
        for name in ("person_type", "education", "sex"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("age"):
            queryset = age_band_filter(queryset, data["age"], today)
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset


def _label(name: str):
    return Member._meta.get_field(name).verbose_name


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class MemberForm(BootstrapMixin, forms.Form):
    """Create (no `member`) or edit a record. On edit the ID number is never shown in full:
    left empty it stays unchanged, so editing needs no reveal permission."""

    name = forms.CharField(label=_label("name"), max_length=50)
    sex = forms.ChoiceField(label=_label("sex"), choices=_with_blank(Sex.choices, CHOOSE))
    ethnicity = forms.ChoiceField(label=_label("ethnicity"), choices=ETHNIC_CHOICES, initial="汉族")
    id_number = forms.CharField(
        label=_("公民身份号码"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": "18"}
        ),
    )
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        help_text=_("可不填, 由公民身份号码得出; 填写时须与号码一致"),
    )
    education = forms.ChoiceField(
        label=_label("education"), choices=_with_blank(Education.choices, CHOOSE)
    )
    org = OrgChoiceField(
        label=_label("org"), queryset=Organization.objects.none(), empty_label=CHOOSE
    )
    work_unit = forms.ModelChoiceField(
        label=_label("work_unit"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("无"),
    )
    person_type = forms.ChoiceField(
        label=_label("person_type"), choices=_with_blank(PersonType.choices, CHOOSE)
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
    phone = forms.CharField(label=_label("phone"), max_length=20, required=False)
    title = forms.CharField(label=_label("title"), max_length=50, required=False)
    backbone = forms.ChoiceField(label=_label("backbone"), choices=Backbone.choices, required=False)

    def __init__(self, *args, user, member: Member | None = None, **kwargs):
        self.member = member
        if member is not None:
            kwargs.setdefault("initial", {}).update(
                {
                    "name": member.name,
                    "sex": member.sex,
                    "ethnicity": member.ethnicity,
                    "education": member.education,
                    "org": member.org_id,
                    "work_unit": member.work_unit_id,
                    "person_type": member.person_type,
                    "category": member.category,
                    "joined_on": member.joined_on,
                    "converted_on": member.converted_on,
                    "phone": member.phone,
                    "title": member.title,
                    "backbone": member.backbone,
                    "transfer_on": timezone.localdate(),
                }
            )
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.restrict(user, Action.ADD).filter(kind__in=MEMBER_ORG_KINDS)
        if member is not None:
            # The current org stays selectable even where the user may not add members.
            orgs = orgs | Organization.objects.restrict(user, Action.CHANGE).filter(
                pk=member.org_id
            )
        self.fields["org"].queryset = orgs.order_by("path")
        self.fields["work_unit"].queryset = School.objects.restrict(user).order_by("code")
        if member is None:
            del self.fields["transfer_on"]
        else:
            del self.fields["moved_in_on"]
            field = self.fields["id_number"]
            field.required = False
            field.help_text = _("当前为 %(masked)s; 留空则不修改") % {"masked": member.masked_id}

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

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
        data = dict(self.cleaned_data)
        data.pop("birth_date", None)
        if self.member is not None and not data.get("id_number"):
            data.pop("id_number", None)
        data["backbone"] = data.get("backbone") or ""
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
