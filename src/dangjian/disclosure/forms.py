import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import uploads
from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.disclosure.models import Document, DocumentCategory, PublicationKind
from dangjian.dues.forms import MonthField
from dangjian.orgs.models import Organization

CHOOSE = _("请选择")
DOCUMENT_KINDS = ("docx", "pdf")


def _orgs(user, action=Action.ADD):
    return Organization.objects.restrict(user, action).order_by("path")


class OrgMixin:
    def _org_field(self, user):
        field = self.fields["org"]
        field.queryset = _orgs(user)
        field.label_from_instance = lambda o: f"{o.name} ({o.code})"


class DocumentForm(OrgMixin, BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("党组织"), queryset=Organization.objects.none())
    category = forms.ChoiceField(label=_("类别"), choices=[("", CHOOSE), *DocumentCategory.choices])
    title = forms.CharField(label=_("名称"), max_length=200)
    description = forms.CharField(label=_("说明"), max_length=500, required=False)
    issued_on = forms.DateField(label=_("发布或施行日期"), required=False)
    upload = uploads.UploadField(label=_("文件(.docx或PDF)"), kinds=DOCUMENT_KINDS)
    note = forms.CharField(label=_("版本说明"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._org_field(user)


class DocumentEditForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=[("", CHOOSE), *DocumentCategory.choices])
    title = forms.CharField(label=_("名称"), max_length=200)
    description = forms.CharField(label=_("说明"), max_length=500, required=False)
    issued_on = forms.DateField(label=_("发布或施行日期"), required=False)

    def __init__(self, *args, user=None, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "category": instance.category,
                    "title": instance.title,
                    "description": instance.description,
                    "issued_on": instance.issued_on,
                },
            )
        super().__init__(*args, **kwargs)


class VersionForm(BootstrapMixin, forms.Form):
    upload = uploads.UploadField(label=_("新版本文件(.docx或PDF)"), kinds=DOCUMENT_KINDS)
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)


class PublicationForm(OrgMixin, BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("党组织"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[
            ("", CHOOSE),
            *[(k, label) for k, label in PublicationKind.choices if k != PublicationKind.DUES],
        ],
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("内容"),
        required=False,
        widget=forms.Textarea({"rows": 6}),
        help_text=_("公开内容不得包含身份证号码、手机号码等个人信息"),
    )
    document = forms.ModelChoiceField(
        label=_("公开的文件"), queryset=Document.objects.none(), required=False
    )
    published_on = forms.DateField(label=_("公开日期"))
    expires_on = forms.DateField(label=_("截止日期"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._org_field(user)
        self.fields["document"].queryset = (
            Document.objects.restrict(user, Action.VIEW).select_related("org").order_by("title")
        )
        today = timezone.localdate()
        self.fields["published_on"].initial = today
        self.fields["expires_on"].initial = today + dt.timedelta(days=30)


class DuesPublicationForm(OrgMixin, BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("党组织"), queryset=Organization.objects.none())
    first_month = MonthField(label=_("起始月份"))
    last_month = MonthField(label=_("截止月份"))
    per_person = forms.BooleanField(label=_("同时公开每名党员的应交和实交金额"), required=False)
    published_on = forms.DateField(label=_("公开日期"))
    expires_on = forms.DateField(label=_("截止日期"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._org_field(user)
        today = timezone.localdate()
        self.fields["first_month"].initial = today.replace(month=1, day=1)
        self.fields["last_month"].initial = today.replace(day=1)
        self.fields["published_on"].initial = today
        self.fields["expires_on"].initial = today + dt.timedelta(days=30)


class RecordPublicationForm(BootstrapMixin, forms.Form):
    """Publishing a record of another module: its draft title and text, to be edited."""

    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("内容"),
        required=False,
        widget=forms.Textarea({"rows": 8}),
        help_text=_("公开内容不得包含身份证号码、手机号码等个人信息"),
    )
    published_on = forms.DateField(label=_("公开日期"))
    expires_on = forms.DateField(label=_("截止日期"))

    def __init__(self, *args, draft: tuple[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["title"].initial, self.fields["body"].initial = draft
        self.fields["published_on"].initial = today
        self.fields["expires_on"].initial = today + dt.timedelta(days=30)
