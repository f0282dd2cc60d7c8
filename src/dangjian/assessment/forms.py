"""Forms of the 责任与考核 registers. Each lists only the orgs (and records) the user may act
on; the services check everything again."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.assessment import tree
from dangjian.assessment.models import (
    Evaluation,
    Honour,
    HonourKind,
    HonourLevel,
    IndicatorSet,
    Inspection,
    Rectification,
    ResponsibilityLetter,
    plain,
)
from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.core.uploads import UploadField
from dangjian.members.models import Member
from dangjian.members.pick import MemberPickField, pickable
from dangjian.orgs.models import Organization


def _orgs(user, action, *, below_root=False):
    qs = Organization.objects.restrict(user, action).order_by("path")
    return qs.filter(depth__gt=1) if below_root else qs


def _org_field(form, user, action, below_root=False):
    form.fields["org"].queryset = _orgs(user, action, below_root=below_root)
    form.fields["org"].label_from_instance = lambda org: f"{org.name}({org.code})"


class LetterForm(BootstrapMixin, forms.ModelForm):
    indicators_text = forms.CharField(
        label=_("责任指标"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一项: 指标名称|权重(分)|目标要求"),
    )

    class Meta:
        model = ResponsibilityLetter
        fields = [
            "org",
            "year",
            "title",
            "superior_signatory",
            "org_signatory",
            "signed_on",
            "note",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _org_field(self, user, Action.ADD, below_root=True)
        self.fields["title"].required = False
        if self.instance.pk:
            self.fields["org"].disabled = True
            self.initial["indicators_text"] = "\n".join(
                f"{i.name}|{plain(i.weight)}|{i.target}" for i in self.instance.indicators.all()
            )

    def clean_indicators_text(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["indicators_text"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            name = parts[0]
            try:
                weight = Decimal(parts[1]) if len(parts) > 1 and parts[1] else Decimal("0")
            except InvalidOperation as exc:
                raise forms.ValidationError(_("第%(n)d行的权重不是数字") % {"n": number}) from exc
            rows.append((name, weight, parts[2] if len(parts) > 2 else ""))
        return rows


class InspectionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["org", "topic", "start_on", "end_on", "inspectors", "targets", "summary"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _org_field(self, user, Action.ADD)
        self.fields["targets"].queryset = _orgs(user, Action.VIEW, below_root=True)
        self.fields["targets"].label_from_instance = lambda org: f"{org.name}({org.code})"
        if self.instance.pk:
            self.fields["org"].disabled = True


class RectificationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Rectification
        fields = ["inspection", "org", "finding", "requirement", "owner", "found_on", "deadline"]
        widgets = {
            "finding": forms.Textarea(attrs={"rows": 3}),
            "requirement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = Inspection.objects.restrict(
            user, Action.CHANGE
        ).order_by("-start_on")
        _org_field(self, user, Action.VIEW, below_root=True)
        if self.instance.pk:
            self.fields["inspection"].disabled = True


class IndicatorSetForm(BootstrapMixin, forms.ModelForm):
    """A set and its indicator tree, typed one indicator a line (see `tree`)."""

    tree_text = forms.CharField(
        label=_("考核指标"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}),
        help_text=_(
            "每行一项: 指标名称|满分|权重|评分标准(权重不填为1); 下级指标在行首加“-”, "
            "每深一级多加一个。一组下级指标按权重折算的满分合计应不少于上级指标的满分, "
            "超出部分按上级满分封顶(如加分项目)。"
        ),
    )

    class Meta:
        model = IndicatorSet
        fields = ["org", "year", "name", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _org_field(self, user, Action.ADD)
        if self.instance.pk:
            self.fields["org"].disabled = True
            self.initial["tree_text"] = tree.as_text(self.instance.indicators.all())

    def clean_tree_text(self):
        rows, problems = tree.parse(self.cleaned_data["tree_text"])
        if problems:
            raise forms.ValidationError(problems)
        return rows


class CopySetForm(BootstrapMixin, forms.Form):
    """Copy a set (scored or not) to a new year's set with the same indicators."""

    year = forms.IntegerField(label=_("新的年度"), min_value=1921, max_value=9999)
    name = forms.CharField(
        label=_("名称"),
        max_length=100,
        required=False,
        help_text=_("不填则沿用原名称(便于与上年比较排名)"),
    )


def _score_field(label, leaf, required=False):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "max": plain(leaf.max_score), "step": "0.01"}),
    )


class ReviewScoresForm(BootstrapMixin, forms.Form):
    """The assessor's scores of one sheet: one field per leaf (`score_<id>`), the 领导点评
    and the 民主测评 rate. The range is checked by the service, which names the indicator."""

    leader_comment = forms.CharField(
        label=_("领导点评"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    democratic_rate = forms.DecimalField(
        label=_("民主测评满意率(%)"), required=False, max_digits=5, decimal_places=2
    )

    def __init__(self, *args, sheet, leaves, scores, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.leaves = leaves
        for leaf in leaves:
            found = scores.get(leaf.pk)
            name = f"score_{leaf.pk}"
            self.fields[name] = _score_field(labels[leaf.pk], leaf)
            if found is not None:
                self.initial[name] = found.reviewer_score
        self.order_fields([f"score_{leaf.pk}" for leaf in leaves])
        self.initial.setdefault("leader_comment", sheet.leader_comment)
        self.initial.setdefault("democratic_rate", sheet.democratic_rate)

    def score_fields(self):
        return [(leaf, self[f"score_{leaf.pk}"]) for leaf in self.leaves]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {leaf.pk: data.get(f"score_{leaf.pk}") for leaf in self.leaves},
            "leader_comment": data.get("leader_comment") or "",
            "democratic_rate": data.get("democratic_rate"),
        }


class SelfAssessmentForm(BootstrapMixin, forms.Form):
    """The scored org's self-scores, each with its evidence text and file."""

    def __init__(self, *args, leaves, scores, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.leaves = leaves
        for leaf in leaves:
            found = scores.get(leaf.pk)
            self.fields[f"self_{leaf.pk}"] = _score_field(labels[leaf.pk], leaf)
            self.fields[f"evidence_{leaf.pk}"] = forms.CharField(
                label=_("自评依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"file_{leaf.pk}"] = UploadField(
                label=_("佐证材料"), required=False, kinds=("pdf", "docx", "xlsx", "image")
            )
            if found is not None:
                self.initial[f"self_{leaf.pk}"] = found.self_score
                self.initial[f"evidence_{leaf.pk}"] = found.evidence

    def rows(self):
        return [
            (leaf, self[f"self_{leaf.pk}"], self[f"evidence_{leaf.pk}"], self[f"file_{leaf.pk}"])
            for leaf in self.leaves
        ]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            leaf.pk: {
                "self_score": data.get(f"self_{leaf.pk}"),
                "evidence": data.get(f"evidence_{leaf.pk}") or "",
                "file": data.get(f"file_{leaf.pk}") or None,
            }
            for leaf in self.leaves
        }


class EvaluationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = [
            "org",
            "name",
            "body",
            "year",
            "held_on",
            "ranked_among",
            "rank",
            "participants",
            "score",
            "note",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _org_field(self, user, Action.ADD)
        if self.instance.pk:
            self.fields["org"].disabled = True


class HonourForm(BootstrapMixin, forms.ModelForm):
    kind = forms.ChoiceField(label=_("表彰类别"), choices=HonourKind.choices)
    level = forms.ChoiceField(label=_("表彰级别"), choices=HonourLevel.choices)
    member = MemberPickField(label=_("党员"), queryset=Member.objects.none(), required=False)

    class Meta:
        model = Honour
        fields = [
            "kind",
            "title",
            "level",
            "year",
            "org",
            "member",
            "awarded_by",
            "nominated_on",
            "note",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _org_field(self, user, Action.ADD)
        self.fields["member"].queryset = pickable(user)
        self.fields["member"].help_text = _("个人表彰选择党员; 先进基层党组织不选")


class ReportForm(BootstrapMixin, forms.Form):
    """The rectifying org reports its 整改."""

    evidence = forms.CharField(label=_("整改情况及佐证"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence_file = UploadField(
        label=_("佐证材料"),
        required=False,
        kinds=("pdf", "docx", "xlsx", "image"),
        help_text=_("可选: PDF、Word、Excel或图片; 重新上传将替换原有材料"),
    )
    submitted_on = forms.DateField(label=_("报送日期"))


class ReviewForm(BootstrapMixin, forms.Form):
    """The inspecting org accepts or returns a reported item."""

    accept = forms.TypedChoiceField(
        label=_("验收结论"),
        choices=[("1", _("验收通过")), ("0", _("退回重改"))],
        coerce=lambda value: value == "1",
    )
    on = forms.DateField(label=_("验收日期"))
    note = forms.CharField(label=_("验收意见"), max_length=300, required=False)
