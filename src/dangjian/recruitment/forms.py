"""Forms of the 发展党员 pages. They collect values only: every rule is checked by the
service, whose messages (rule named, earliest date given) land on these forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin, DateInput
from dangjian.core.roles import Action
from dangjian.members.forms import PersonForm
from dangjian.members.models import Member
from dangjian.orgs.models import MEMBER_ORG_KINDS, Organization
from dangjian.recruitment.models import (
    LOCAL_FIELDS,
    CloseReason,
    Decision,
    Outcome,
    Recommendation,
    RecruitmentSettings,
    SanctionKind,
    Step,
    VoteChoice,
)

CHOOSE = _("请选择")
# What the member record owns once the person is admitted.
IDENTITY_FIELDS = ("name", "sex", "ethnicity", "id_number", "org")
ANY = _("全部")
OPEN = "open"


def _with_blank(choices, label=ANY):
    return [("", label), *choices]


class RecruitForm(PersonForm):
    """New 入党申请人 (step 1) or corrections to a person's record; after admission the
    identity is the member record's and is shown, not edited, here."""

    applied_on = forms.DateField(label=_("递交入党申请书日期"))
    by = forms.CharField(label=_("接收人"), max_length=100, required=False)
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, recruit=None, **kwargs):
        self.recruit = recruit
        super().__init__(*args, user=user, person=recruit, **kwargs)
        self.fields["org"].label = _("党支部")
        self.fields["work_unit"].label = _("工作或学习单位")
        self.fields["title"].label = _("职务或专业技术职务")
        if recruit is not None:
            for name in ("applied_on", "by", "note"):
                del self.fields[name]
            if recruit.member_id:
                for name in IDENTITY_FIELDS:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("已接收为预备党员, 请在党员档案中修改")

    def org_choices(self, user, recruit):
        action = Action.ADD if recruit is None else Action.CHANGE
        orgs = Organization.objects.restrict(user, action).filter(kind__in=MEMBER_ORG_KINDS)
        if recruit is not None:
            orgs = orgs | Organization.objects.filter(pk=recruit.org_id)
        return orgs

    def service_kwargs(self) -> dict:
        data = self.person_kwargs(self.recruit)
        if self.recruit is not None and self.recruit.member_id:
            for name in IDENTITY_FIELDS:
                data.pop(name, None)
        return data


BY_LABELS = {
    "talk": _("谈话人"),
    "review": _("考察人"),
    "training": _("培训单位(如业余党校)"),
    "committee_talk": _("谈话人"),
    "political_review": _("审查人"),
    "pre_review": _("预审单位"),
    "approval": _("审批单位"),
    "conversion_approval": _("审批单位"),
}
NOTE_LABELS = {
    "talk": _("谈话情况"),
    "review": _("考察意见"),
    "candidate": _("听取党员和群众意见情况"),
    "political_review": _("审查结论"),
    "committee_review": _("审查意见"),
    "oath": _("宣誓情况"),
    "probation_review": _("考察意见"),
}


class StepForm(BootstrapMixin, forms.Form):
    """One step; which fields appear depends on the step."""

    on = forms.DateField(label=_("日期"))
    by = forms.CharField(label=_("经办人"), max_length=100, required=False)
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, key: str, recruit, user, local, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        self.fields["by"].label = BY_LABELS.get(key, _("经办人"))
        self.fields["note"].label = NOTE_LABELS.get(key, _("说明"))
        add = self.fields.__setitem__
        if key == "activist":
            add(
                "method",
                forms.ChoiceField(
                    label=_("推荐方式"), choices=_with_blank(Recommendation.choices, CHOOSE)
                ),
            )
        if key in ("contacts", "introducers"):
            members = (
                Member.objects.restrict(user)
                .current()
                .filter(org=recruit.org, converted_on__isnull=False)
                .order_by("name", "pk")
            )
            add(
                "members",
                forms.ModelMultipleChoiceField(
                    label=_("培养联系人(1至2名正式党员)")
                    if key == "contacts"
                    else _("入党介绍人(2名正式党员)"),
                    queryset=members,
                    widget=forms.CheckboxSelectMultiple,
                ),
            )
        if key == "training":
            add(
                "hours",
                forms.DecimalField(label=_("学时"), required=False, min_value=0, max_digits=6),
            )
            add(
                "days",
                forms.DecimalField(label=_("天数"), required=False, min_value=0, max_digits=5),
            )
        if key == "publicity":
            add(
                "end_on",
                forms.DateField(
                    label=_("公示结束日期"),
                    required=False,
                    help_text=_("留空则按%(n)d个工作日(含调休)自动计算")
                    % {"n": local.publicity_working_days},
                ),
            )
        if key in ("approval", "conversion_approval"):
            add(
                "outcome",
                forms.ChoiceField(
                    label=_("审批结果"),
                    choices=[
                        ("", CHOOSE),
                        (Outcome.APPROVED, Outcome.APPROVED.label),
                        (Outcome.REJECTED, Outcome.REJECTED.label),
                    ],
                ),
            )
            add(
                "special_reason",
                forms.CharField(
                    label=_("特殊情况说明"),
                    max_length=200,
                    required=False,
                    help_text=_("超过三个月审批时须说明理由(最长六个月)"),
                ),
            )
        if key == "conversion_meeting":
            add(
                "decision",
                forms.ChoiceField(
                    label=_("决议内容"), choices=_with_blank(Decision.choices, CHOOSE)
                ),
            )
            add(
                "extension_months",
                forms.IntegerField(
                    label=_("延长预备期(月)"),
                    required=False,
                    min_value=1,
                    max_value=24,
                    help_text=_("仅延长预备期时填写, 6至12个月"),
                ),
            )
        # BootstrapMixin styled the fields present at its __init__; style the added ones.
        for field in self.fields.values():
            widget = field.widget
            if "class" in widget.attrs or isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(field, forms.DateField):
                field.widget = widget = DateInput()
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = css
        self.order_fields(["on", "method", "members", "hours", "days", "end_on", "decision"])

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if "members" in data:
            data["members"] = list(data["members"])
        return {k: v for k, v in data.items() if v not in (None, "")}


class BallotForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    should_attend = forms.BooleanField(label=_("应到会"), required=False, initial=True)
    attended = forms.BooleanField(label=_("到会"), required=False)
    written = forms.BooleanField(label=_("书面意见"), required=False)
    choice = forms.ChoiceField(
        label=_("表决"), required=False, choices=_with_blank(VoteChoice.choices, _("未表决"))
    )
    opinion = forms.CharField(label=_("意见"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("should_attend", "attended", "written"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        self.fields["choice"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["opinion"].widget.attrs["class"] = "form-control form-control-sm"


BallotFormSet = forms.formset_factory(BallotForm, extra=0)


class CloseForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("日期"))
    reason = forms.ChoiceField(
        label=_("终止原因"),
        choices=_with_blank(
            [(v, label) for v, label in CloseReason.choices if v != CloseReason.CANCELLED],
            CHOOSE,
        ),
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class AttachmentForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=100)
    upload = forms.FileField(label=_("文件"), help_text=_("PDF、JPG、PNG或DOCX, 不超过10MB"))
    step = forms.ModelChoiceField(
        label=_("所属步骤"), queryset=Step.objects.none(), required=False, empty_label=_("无")
    )

    def __init__(self, *args, recruit, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = recruit.steps.order_by("on", "id")
        self.fields["step"].label_from_instance = lambda step: (
            f"{step.on:%Y-%m-%d} {labels.get(step.key, step.key)}"
        )


class SettingsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = RecruitmentSettings
        fields = list(LOCAL_FIELDS)


class SanctionForm(BootstrapMixin, forms.Form):
    member = forms.ModelChoiceField(
        label=_("党员"), queryset=Member.objects.none(), empty_label=CHOOSE
    )
    kind = forms.ChoiceField(label=_("处分"), choices=_with_blank(SanctionKind.choices, CHOOSE))
    start_on = forms.DateField(label=_("处分日期"))
    end_on = forms.DateField(
        label=_("期满或恢复权利日期"), required=False, help_text=_("留党察看期满恢复党员权利之日")
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.restrict(user, Action.CHANGE).current().order_by("org__path", "name")
        )
        self.fields["member"].label_from_instance = lambda m: f"{m.name} ({m.org.name})"


RULE_FILE_MAX_BYTES = 1024 * 1024


class RuleFileForm(BootstrapMixin, forms.Form):
    """A rule-set file (docs/rules/), uploaded or pasted; the content travels on to the
    confirmation step in `content`, so what is confirmed is what was previewed."""

    upload = forms.FileField(
        label=_("规则集文件"),
        required=False,
        help_text=_("JSON文件(.json), 不超过1MB; 格式见“规则集文件”说明或导出的现行规则集"),
    )
    content = forms.CharField(
        label=_("或粘贴文件内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            if upload.size > RULE_FILE_MAX_BYTES:
                raise forms.ValidationError(_("文件不能超过1MB"))
            data["content"] = upload.read()
        elif not (data.get("content") or "").strip():
            raise forms.ValidationError(_("请选择规则集文件或粘贴文件内容"))
        return data
