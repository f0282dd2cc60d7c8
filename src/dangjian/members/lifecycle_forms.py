"""Forms of the member lifecycle (转接, 介绍信, 流动党员, 党籍决定)."""

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.members.forms import CHOOSE, OrgChoiceField, PersonForm
from dangjian.members.models import DecisionKind, Flowing, Member
from dangjian.members.pick import MemberPickField, pickable
from dangjian.orgs.models import MEMBER_ORG_KINDS, Organization


class OrgSearchInput(forms.TextInput):
    """A text input offering the orgs as a `<datalist>`: the browser filters them by code
    or name as one types (a searchable select, on a phone too, without a script); the
    value posted is the org's code, or a name typed out in full."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.options: list[tuple[str, str]] = []

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}-orgs"
        attrs.update(list=list_id, autocomplete="off")
        attrs.setdefault("placeholder", _("输入名称或组织代码搜索"))
        html = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}">{}</option>', self.options)
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


def receiving_orgs(exclude=()):
    """Where a transfer may go: any open 党支部-level org in the system (a transfer may
    leave the sender's scope; org names are no secret), less the sender's own branch."""
    orgs = Organization.objects.filter(kind__in=MEMBER_ORG_KINDS, dissolved_on__isnull=True)
    return orgs.exclude(pk__in=[org.pk for org in exclude]).order_by("path")


class OrgPickField(forms.CharField):
    """A receiving org picked from the orgs in the system (`receiving_orgs`): its 组织代码
    as the list offers it, or its exact name."""

    widget = OrgSearchInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.excluded: tuple = ()

    def offer(self, exclude=()) -> None:
        """Fill the list, less the sender's branch (`exclude`)."""
        self.excluded = tuple(exclude)
        rows = receiving_orgs(self.excluded).values_list("code", "name")
        self.widget.options = [(code, f"{name} ({code})") for code, name in rows]

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        text = value.strip()
        orgs = Organization.objects.filter(kind__in=MEMBER_ORG_KINDS)
        found = list(orgs.filter(code=text)[:1]) or list(orgs.filter(name=text)[:2])
        if not found:
            raise forms.ValidationError(
                _("系统中没有该党组织, 请从列表中选择, 或填写系统外接收单位")
            )
        if len(found) > 1:
            raise forms.ValidationError(_("有多个党组织叫这个名称, 请从列表中选择"))
        org = found[0]
        if org.dissolved_on:
            raise forms.ValidationError(_("“%(name)s”已撤销, 不能转入") % {"name": org.name})
        if org in self.excluded:
            raise forms.ValidationError(_("转入党组织不能是现在所在的党支部"))
        return org


class TransferTargetMixin:
    """Where to: an org in the system (a 系统内转接), or, typed, a receiving org outside it
    (外市, 教育系统以外: a 介绍信), one of the two."""

    def clean(self):
        data = super().clean()
        to_org, outside = data.get("to_org"), (data.get("out_org_name") or "").strip()
        data["out_org_name"] = outside
        if "to_org" in self.errors:
            return data
        if to_org and outside:
            self.add_error(
                "out_org_name", _("已选择系统内的转入党组织, 系统外接收单位请留空(二者只填其一)")
            )
        elif not to_org and not outside:
            self.add_error("to_org", _("请选择转入党组织; 转往系统外的, 请填写系统外接收单位"))
        return data


def _to_org_field():
    return OrgPickField(
        label=_("转入党组织(系统内)"),
        required=False,
        help_text=_("输入名称或组织代码, 从列表中选择本系统内任一党组织"),
    )


def _out_org_field(help_text):
    return forms.CharField(
        label=_("系统外接收单位"), max_length=100, required=False, help_text=help_text
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.org.name})"


class TransferForm(TransferTargetMixin, BootstrapMixin, forms.Form):
    """A transfer started by the branch: within the system (approved, then accepted), or
    out of it with a 介绍信 issued at once (the member's 转出 today)."""

    member = MemberPickField(label=_("党员"), queryset=Member.objects.none(), empty_label=CHOOSE)
    to_org = _to_org_field()
    out_org_name = _out_org_field(
        _("转往外市或教育系统以外时填写对方党组织全称, 将开具介绍信, 上面的转入党组织留空")
    )
    letter_number = forms.CharField(
        label=_("介绍信编号"), max_length=40, required=False, help_text=_("转往系统外时填写")
    )
    reason = forms.CharField(label=_("转接原因"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = pickable(user)
        # A branch's own secretary sends from that branch: it is left out of the list.
        own = list(
            Organization.objects.restrict(user, Action.CHANGE).filter(kind__in=MEMBER_ORG_KINDS)[:2]
        )
        self.fields["to_org"].offer(own if len(own) == 1 else ())

    def clean(self):
        data = super().clean()
        member, to_org = data.get("member"), data.get("to_org")
        if member is not None and to_org is not None and to_org.pk == member.org_id:
            self.add_error("to_org", _("转入党组织不能是该党员现在所在的党支部"))
        if data.get("out_org_name") and not (data.get("letter_number") or "").strip():
            self.add_error("letter_number", _("转往系统外须填写介绍信编号"))
        return data


class OwnTransferForm(TransferTargetMixin, BootstrapMixin, forms.Form):
    """The member's own request, on their phone: to a branch in the system, or (typed) to
    one outside it, which asks the branch for a 介绍信."""

    to_org = _to_org_field()
    out_org_name = _out_org_field(
        _("转往外市或教育系统以外时填写对方党组织全称, 党支部将为您开具介绍信")
    )
    reason = forms.CharField(label=_("转接原因"), max_length=200, required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].offer([member.org])


class DayForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("日期"), initial=timezone.localdate)


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=200)
    on = forms.DateField(label=_("日期"), initial=timezone.localdate)


class DeclineLetterForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("不予开具的原因"), max_length=200, help_text=_("将通知申请的党员本人")
    )


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
    member = MemberPickField(label=_("党员"), queryset=Member.objects.none(), empty_label=CHOOSE)
    number = forms.CharField(label=_("介绍信编号"), max_length=40)
    other_org_name = forms.CharField(label=_("转往党组织(全称)"), max_length=100)
    issued_on = forms.DateField(label=_("开具日期"), initial=timezone.localdate)
    valid_until = forms.DateField(
        label=_("有效期至"), required=False, help_text=_("不填则按设置的有效期(默认3个月)")
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = pickable(user)


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
    member = MemberPickField(label=_("党员"), queryset=Member.objects.none(), empty_label=CHOOSE)

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
            self.fields["member"].queryset = pickable(user)


class FlowingReportForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("日期"), initial=timezone.localdate)
    content = forms.CharField(
        label=_("参加活动情况"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    reported_by = forms.CharField(label=_("反馈单位或人员"), max_length=100, required=False)
