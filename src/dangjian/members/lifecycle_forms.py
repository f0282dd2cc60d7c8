"""Forms of the member lifecycle (转接, 介绍信, 流动党员, 党籍决定)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.members.forms import CHOOSE, OrgChoiceField, PersonForm
from dangjian.members.models import DecisionKind, Flowing, Member
from dangjian.orgs.models import MEMBER_ORG_KINDS, Organization


class OrgCodeField(forms.CharField):
    """A receiving org anywhere in the system (a transfer may leave the sender's scope),
    given by its 组织代码 or its exact name: org names are no secret, but the whole tree is
    too long for a select on a phone."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", _("填写转入党组织的组织代码或全称"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        text = value.strip()
        orgs = Organization.objects.filter(kind__in=MEMBER_ORG_KINDS, dissolved_on__isnull=True)
        found = list(orgs.filter(code=text)[:1]) or list(orgs.filter(name=text)[:2])
        if len(found) != 1:
            raise forms.ValidationError(
                _("没有找到该党支部, 请核对组织代码")
                if not found
                else _("名称重复, 请填写组织代码")
            )
        return found[0]


def _members(user, action=Action.CHANGE):
    return (
        Member.objects.restrict(user, action)
        .current()
        .select_related("org")
        .order_by("org__path", "name")
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.org.name})"


class TransferForm(BootstrapMixin, forms.Form):
    member = MemberChoiceField(label=_("党员"), queryset=Member.objects.none(), empty_label=CHOOSE)
    to_org = OrgCodeField(label=_("转入党组织"))
    reason = forms.CharField(label=_("转接原因"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _members(user)


class OwnTransferForm(BootstrapMixin, forms.Form):
    """The member's own request, on their phone."""

    to_org = OrgCodeField(label=_("转入党组织"))
    reason = forms.CharField(label=_("转接原因"), max_length=200, required=False)


class DayForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("日期"), initial=timezone.localdate)


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=200)
    on = forms.DateField(label=_("日期"), initial=timezone.localdate)


class BranchTransferForm(BootstrapMixin, forms.Form):
    from_org = OrgChoiceField(
        label=_("转出党组织"), queryset=Organization.objects.none(), empty_label=CHOOSE
    )
    to_org = OrgChoiceField(
        label=_("转入党组织"), queryset=Organization.objects.none(), empty_label=CHOOSE
    )
    on = forms.DateField(label=_("转接日期"), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("原因"), max_length=200, required=False, help_text=_("如: 学校布局调整, 两校合并")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_org"].queryset = (
            Organization.objects.restrict(user, Action.CHANGE)
            .filter(kind__in=MEMBER_ORG_KINDS)
            .order_by("path")
        )
        self.fields["to_org"].queryset = (
            Organization.objects.restrict(user, Action.ADD)
            .filter(kind__in=MEMBER_ORG_KINDS, dissolved_on__isnull=True)
            .order_by("path")
        )


class OutLetterForm(BootstrapMixin, forms.Form):
    member = MemberChoiceField(label=_("党员"), queryset=Member.objects.none(), empty_label=CHOOSE)
    number = forms.CharField(label=_("介绍信编号"), max_length=40)
    other_org_name = forms.CharField(label=_("转往党组织(全称)"), max_length=100)
    issued_on = forms.DateField(label=_("开具日期"), initial=timezone.localdate)
    valid_until = forms.DateField(
        label=_("有效期至"), required=False, help_text=_("不填则按设置的有效期(默认3个月)")
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _members(user)


class InLetterForm(PersonForm):
    """An incoming letter and the person it brings (their record is created or reopened)."""

    number = forms.CharField(label=_("介绍信编号"), max_length=40)
    other_org_name = forms.CharField(label=_("开具介绍信的党组织(全称)"), max_length=100)
    issued_on = forms.DateField(label=_("开具日期"))
    valid_until = forms.DateField(label=_("有效期至"), required=False)
    received_on = forms.DateField(label=_("收到日期(转入日期)"), initial=timezone.localdate)
    joined_on = forms.DateField(label=_("入党日期"))
    converted_on = forms.DateField(label=_("转正日期"), required=False, help_text=_("预备党员不填"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    field_order = ("number", "other_org_name", "issued_on", "valid_until", "received_on", "org")

    def org_choices(self, user, person):
        return Organization.objects.restrict(user, Action.ADD).filter(kind__in=MEMBER_ORG_KINDS)

    def service_kwargs(self) -> dict:
        data = self.person_kwargs(None)
        letter = {
            key: data.pop(key)
            for key in ("number", "other_org_name", "issued_on", "valid_until", "received_on")
        }
        note = data.pop("note", "")
        org = data.pop("org")
        return {**letter, "org": org, "note": note, "member_fields": data}


class DecisionMemberField(MemberChoiceField):
    pass


class DecisionForm(BootstrapMixin, forms.Form):
    member = DecisionMemberField(
        label=_("党员"), queryset=Member.objects.none(), empty_label=CHOOSE
    )
    kind = forms.ChoiceField(label=_("决定"), choices=[("", CHOOSE), *DecisionKind.choices])
    on = forms.DateField(label=_("日期"), initial=timezone.localdate)
    lost_since = forms.DateField(
        label=_("失去联系起始日期"), required=False, help_text=_("停止党籍时必填")
    )
    document_no = forms.CharField(label=_("决定文号"), max_length=60, required=False)
    reason = forms.CharField(label=_("事由"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Active members, and the suspended ones (恢复党籍, 自行脱党除名).
        self.fields["member"].queryset = (
            Member.objects.restrict(user, Action.CHANGE)
            .filter(status__in=("active", "suspended"))
            .select_related("org")
            .order_by("org__path", "name")
        )


class FlowingForm(BootstrapMixin, forms.ModelForm):
    member = MemberChoiceField(label=_("党员"), queryset=Member.objects.none(), empty_label=CHOOSE)

    class Meta:
        model = Flowing
        fields = (
            "member",
            "out_on",
            "expected_back_on",
            "destination",
            "workplace",
            "contact",
            "card_no",
            "card_issued_on",
            "back_on",
        )

    def __init__(self, *args, user, obj=None, **kwargs):
        super().__init__(*args, instance=obj, **kwargs)
        if obj is not None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = _members(user)


class FlowingReportForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("日期"), initial=timezone.localdate)
    content = forms.CharField(
        label=_("参加活动情况"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    reported_by = forms.CharField(label=_("反馈单位或人员"), max_length=100, required=False)
