from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core import uploads
from dangjian.core.forms import BootstrapMixin
from dangjian.selfservice.models import CorrectionStatus
from dangjian.selfservice.services import REPORT_KINDS

FIELD_CHOICES = [
    (str(label), label)
    for label in (
        _("姓名"),
        _("性别"),
        _("民族"),
        _("公民身份号码"),
        _("出生日期"),
        _("学历"),
        _("工作单位"),
        _("入党日期"),
        _("转正日期"),
        _("联系电话"),
        _("其他"),
    )
]


class CorrectionForm(BootstrapMixin, forms.Form):
    field = forms.ChoiceField(label=_("需更正的项目"), choices=FIELD_CHOICES)
    text = forms.CharField(
        label=_("正确的内容及说明"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class HandleCorrectionForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (CorrectionStatus.DONE, CorrectionStatus.DONE.label),
            (CorrectionStatus.DECLINED, CorrectionStatus.DECLINED.label),
        ],
    )
    reply = forms.CharField(label=_("处理意见"), max_length=300, required=False)

    def __init__(self, *args, user=None, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class ThoughtReportForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100, initial=_("思想汇报"))
    upload = uploads.UploadField(
        label=_("文件"), kinds=REPORT_KINDS, help_text=_("Word、PDF或照片")
    )


class ApplicantLinkForm(BootstrapMixin, forms.Form):
    recruit = forms.ModelChoiceField(label=_("发展党员对象"), queryset=None)
    username = forms.CharField(label=_("登录账号"), max_length=150)

    def __init__(self, *args, recruits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruit"].queryset = recruits
