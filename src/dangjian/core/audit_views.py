"""The audit log, read-only: the app offers no way to change or remove an entry (the model
refuses it too). Entries are shown only within the viewer's AUDIT scope; entries without an
org (logins) therefore reach unrestricted auditors only."""

import datetime as dt
import json

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from dangjian.core.forms import BootstrapMixin
from dangjian.core.models import AuditAction, AuditEntry
from dangjian.core.roles import Action, Role
from dangjian.core.scope import can
from dangjian.core.views import paginate, query_without_page

# Keys that services put in `changes` without being a field of the audited model.
EXTRA_LABELS = {
    "role": _("角色"),
    "org": _("党组织"),
    "parent": _("上级组织"),
    "event": _("变动类型"),
    "username": _("账号"),
}
EXTRA_CHOICES = {"role": dict(Role.choices)}


def model_for(object_type: str):
    if not object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = model_for(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def _display(value, choices: dict | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if choices and isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and "T" in value and len(value) >= 19:
        # Datetimes are stored in ISO form (UTC); show them in local time like the rest.
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def change_rows(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(label, old, new) for each changed key, with field names and choice values in Chinese."""
    model = model_for(entry.object_type)
    changes = entry.changes if isinstance(entry.changes, dict) else {"": entry.changes}
    rows = []
    for key, value in changes.items():
        label, choices = EXTRA_LABELS.get(key, key), EXTRA_CHOICES.get(key)
        if model is not None:
            try:
                field = model._meta.get_field(key)
            except FieldDoesNotExist:
                pass
            else:
                label = getattr(field, "verbose_name", key)
                if getattr(field, "choices", None):
                    choices = dict(field.flatchoices)
        if isinstance(value, list | tuple) and len(value) == 2:
            old, new = value
        else:
            old, new = None, value
        rows.append((str(label), _display(old, choices), _display(new, choices)))
    return rows


def audited_types() -> list[str]:
    """Models that services audit: the project's own and the user model. Listing them from the
    app registry avoids a DISTINCT over a table that only grows."""
    user_model = get_user_model()
    models = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("dangjian.") or model is user_model
    ]
    return sorted(model._meta.label_lower for model in models if model is not AuditEntry)


class AuditFilterForm(BootstrapMixin, forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False)
    action = forms.TypedChoiceField(
        label=_("操作"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部操作")), *AuditAction.choices],
    )
    object_type = forms.ChoiceField(label=_("对象类型"), required=False)
    date_from = forms.DateField(label=_("开始日期"), required=False)
    date_to = forms.DateField(label=_("结束日期"), required=False)
    q = forms.CharField(label=_("对象"), required=False)
    object_id = forms.CharField(required=False, widget=forms.HiddenInput)
    request_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        labelled = sorted(
            ((value, object_type_label(value)) for value in object_types), key=lambda c: c[1]
        )
        self.fields["object_type"].choices = [("", gettext("全部类型")), *labelled]
        self.fields["actor"].widget.attrs["placeholder"] = gettext("账号或姓名")
        self.fields["q"].widget.attrs["placeholder"] = gettext("对象名称包含")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("结束日期不能早于开始日期"))
        return data

    def filter(self, entries):
        data = self.cleaned_data
        if data["actor"].strip():
            text = data["actor"].strip()
            entries = entries.filter(
                Q(actor_name__icontains=text) | Q(actor__first_name__icontains=text)
            )
        if data["action"] is not None:
            entries = entries.filter(action=data["action"])
        if data["object_type"]:
            entries = entries.filter(object_type=data["object_type"])
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"])
        if data["request_id"]:
            entries = entries.filter(request_id=data["request_id"])
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(at__date__lte=data["date_to"])
        if data["q"].strip():
            entries = entries.filter(object_repr__icontains=data["q"].strip())
        return entries


def _audit_entries(request):
    if not can(request.user, Action.AUDIT):
        raise Http404
    return AuditEntry.objects.restrict(request.user, Action.AUDIT)


@login_required
@require_safe
def audit_list(request):
    entries = _audit_entries(request)
    form = AuditFilterForm(request.GET or None, object_types=audited_types())
    if form.is_bound and form.is_valid():
        entries = form.filter(entries)
    elif form.is_bound:
        entries = entries.none()
    page = paginate(request, entries.select_related("actor"))
    for entry in page.object_list:
        entry.rows = change_rows(entry)
        entry.type_label = object_type_label(entry.object_type)
    return render(
        request,
        "core/audit_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


@login_required
@require_safe
def audit_detail(request, pk: int):
    entry = get_object_or_404(_audit_entries(request).select_related("actor"), pk=pk)
    return render(
        request,
        "core/audit_detail.html",
        {
            "entry": entry,
            "rows": change_rows(entry),
            "type_label": object_type_label(entry.object_type),
        },
    )
