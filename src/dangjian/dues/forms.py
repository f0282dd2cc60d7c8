import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.dues.models import PaymentMethod, RateCategory, ReductionKind
from dangjian.members.models import Member

CHOOSE = _("请选择")


def _with_blank(choices):
    return [("", CHOOSE), *choices]


class MonthField(forms.DateField):
    """A calendar month typed as YYYY-MM (the browser's month picker); the first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("请按“年-月”填写月份, 例如2026-03")}

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class MemberChoiceMixin:
    member_action = Action.ADD

    def _members(self, user):
        field = self.fields["member"]
        field.queryset = (
            Member.objects.restrict(user, self.member_action)
            .current()
            .select_related("org")
            .order_by("org__path", "name")
        )
        field.label_from_instance = lambda m: f"{m.name} ({m.org.name})"


class BaseForm(MemberChoiceMixin, BootstrapMixin, forms.Form):
    member = forms.ModelChoiceField(label=_("党员"), queryset=Member.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2008, max_value=2100)
    category = forms.ChoiceField(label=_("交纳类别"), choices=_with_blank(RateCategory.choices))
    base = forms.DecimalField(
        label=_("月交纳基数(元)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("税后固定工资收入; 学生和无固定收入党员不填"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "member": instance.member_id,
                    "year": instance.year,
                    "category": instance.category,
                    "base": instance.base,
                    "note": instance.note,
                },
            )
        super().__init__(*args, **kwargs)
        self._members(user)
        if instance is not None:
            self.fields["member"].queryset = Member.objects.filter(pk=instance.member_id)
            self.fields["member"].disabled = True
            self.fields["year"].disabled = True
        else:
            self.fields["year"].initial = timezone.localdate().year


class PaymentForm(MemberChoiceMixin, BootstrapMixin, forms.Form):
    member = forms.ModelChoiceField(label=_("党员"), queryset=Member.objects.none())
    first_month = MonthField(label=_("所属月份"))
    count = forms.IntegerField(
        label=_("交纳月数"),
        min_value=1,
        max_value=24,
        initial=1,
        help_text=_("补交或预交几个月; 补交最多6个月"),
    )
    amount = forms.DecimalField(
        label=_("金额(元)"),
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=_("不填则按应交金额交清; 部分交纳只能针对一个月"),
    )
    paid_on = forms.DateField(label=_("交纳日期"))
    method = forms.ChoiceField(label=_("方式"), choices=_with_blank(PaymentMethod.choices))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._members(user)
        today = timezone.localdate()
        self.fields["paid_on"].initial = today
        self.fields["first_month"].initial = today.replace(day=1)

    def clean(self):
        data = super().clean()
        if data.get("amount") is not None and (data.get("count") or 1) > 1:
            self.add_error("amount", _("部分交纳只能针对一个月; 多个月请不填金额"))
        return data


class VoluntaryForm(MemberChoiceMixin, BootstrapMixin, forms.Form):
    member = forms.ModelChoiceField(label=_("党员"), queryset=Member.objects.none())
    amount = forms.DecimalField(
        label=_("金额(元)"),
        max_digits=10,
        decimal_places=2,
        help_text=_("一次自愿多交1000元以上的, 全部上缴中央"),
    )
    paid_on = forms.DateField(label=_("交纳日期"))
    method = forms.ChoiceField(label=_("方式"), choices=_with_blank(PaymentMethod.choices))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._members(user)
        self.fields["paid_on"].initial = timezone.localdate()


class ReductionForm(MemberChoiceMixin, BootstrapMixin, forms.Form):
    member = forms.ModelChoiceField(label=_("党员"), queryset=Member.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=_with_blank(ReductionKind.choices))
    first_month = MonthField(label=_("起始月份"))
    last_month = MonthField(label=_("截止月份"))
    monthly_amount = forms.DecimalField(
        label=_("减交后每月金额(元)"), max_digits=8, decimal_places=2, required=False
    )
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._members(user)


class DecisionForm(BootstrapMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批结果"),
        choices=[("1", _("批准")), ("0", _("不批准"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)


class YearForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2008, max_value=2100, required=False)


def this_year() -> int:
    return timezone.localdate().year


def clamp_year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return this_year()
    return year if dt.MINYEAR < 2008 <= year <= 2100 else this_year()
