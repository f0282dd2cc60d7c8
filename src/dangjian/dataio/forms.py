from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.excel import XLSX_CONTENT_TYPE
from dangjian.core.forms import BootstrapMixin


class UploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel文件(.xlsx)"),
        help_text=_("请使用本页下载的模板填写; 文件不超过50MB, 数据不超过20万行"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
