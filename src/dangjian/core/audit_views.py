"""The audit log, read-only: the app offers no way to change or remove an entry (the model
refuses it too). Entries are shown only within the viewer's AUDIT scope; entries without an
org (logins) therefore reach unrestricted auditors only."""

import datetime as dt
import json

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.core.registers.base import Column, FilterForm, Register, register
from dangjian.core.roles import Action, Role
from dangjian.core.scope import can

# Keys that services put in `changes` without being a field of the audited model.
EXTRA_LABELS = {
    "role": _("角色"),
    "org": _("党组织"),
    "parent": _("上级组织"),
    "event": _("变动类型"),
    "username": _("账号"),
    "second_factor": _("两步验证"),
    "recovery_codes": _("恢复码数量"),
    "sessions_ended": _("结束的会话数"),
    "locked_out": _("锁定"),
    "count": _("条数"),
    "count_capped": _("条数超过上限 (至少)"),
}
EXTRA_CHOICES = {
    "role": dict(Role.choices),
    "second_factor": {"totp": _("身份验证器"), "recovery": _("恢复码")},
}


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
    if value is None or value == "" or value == [] or value == {}:
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


def change_rows(entry: AuditEntry, user=None) -> list[tuple[str, str, str]]:
    """(label, old, new) for each changed key, with field names and choice values in Chinese;
    a foreign key by its record's name when `user` may see that record."""
    model = model_for(entry.object_type)
    changes = entry.changes if isinstance(entry.changes, dict) else {"": entry.changes}
    rows = []
    for key, value in changes.items():
        label, choices = EXTRA_LABELS.get(key, key), EXTRA_CHOICES.get(key)
        related = None
        if model is not None:
            try:
                field = model._meta.get_field(key.removesuffix("_id"))
            except FieldDoesNotExist:
                pass
            else:
                label = getattr(field, "verbose_name", key)
                if getattr(field, "choices", None):
                    choices = dict(field.flatchoices)
                if field.many_to_one or field.one_to_one:
                    related = field.related_model
        if isinstance(value, list | tuple) and len(value) == 2:
            old, new = value
        else:
            old, new = None, value
        # A model may name its own stored values (a step key, a username) without core
        # importing the app: `audit_display(key, value) -> str | None`.
        hook = getattr(model, "audit_display", None)
        shown = [
            hook(key, item) if hook is not None and item is not None else None
            for item in (old, new)
        ]
        if related is not None and user is not None:
            shown = [
                shown[i] or _related_name(related, item, user) for i, item in enumerate((old, new))
            ]
        rows.append(
            (
                str(label),
                shown[0] or _display(old, choices),
                shown[1] or _display(new, choices),
            )
        )
    return rows


def _related_name(model, pk, user) -> str | None:
    """A foreign key's stored id shown by the record's name (`甲小学党支部 (#12)`), if the
    reader may see that record; otherwise, or once it is deleted, the bare id."""
    if pk is None or pk == "" or isinstance(pk, bool | dict | list):
        return None
    records = model._default_manager.all()
    if hasattr(records, "restrict"):
        records = records.restrict(user)
    elif model is not get_user_model():
        return None
    try:
        target = records.filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):
        return None
    return f"{target} (#{pk})" if target is not None else None


def audited_types() -> list[str]:
    """Models that services audit: the project's own and the user model. Listing them from the
    app registry avoids a DISTINCT over a table that only grows."""
    user_model = get_user_model()
    models = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("dangjian.") or model is user_model
    ]
    # Models that set `audited = False` (trigger-written bookkeeping) never appear in the log.
    return sorted(
        model._meta.label_lower
        for model in models
        if model is not AuditEntry and getattr(model, "audited", True)
    )


class AuditFilterForm(FilterForm):
    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("结束日期不能早于开始日期"))
        return data


class AuditFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(label=_("操作人"), method="by_actor")
    action = django_filters.ChoiceFilter(
        label=_("操作"), choices=AuditAction.choices, empty_label=_("全部操作")
    )
    object_type = django_filters.ChoiceFilter(label=_("对象类型"), empty_label=_("全部类型"))
    date_from = django_filters.DateFilter(
        label=_("开始日期"), field_name="at", lookup_expr="date__gte"
    )
    date_to = django_filters.DateFilter(
        label=_("结束日期"), field_name="at", lookup_expr="date__lte"
    )
    object_id = django_filters.CharFilter(widget=forms.HiddenInput)
    request_id = django_filters.CharFilter(widget=forms.HiddenInput)

    class Meta:
        model = AuditEntry
        fields = []
        form = AuditFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labelled = sorted(
            ((value, object_type_label(value)) for value in audited_types()), key=lambda c: c[1]
        )
        self.filters["object_type"].extra["choices"] = labelled
        self.form.fields["actor"].widget.attrs["placeholder"] = gettext("账号或姓名")

    def by_actor(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(Q(actor_name__icontains=text) | Q(actor__first_name__icontains=text))


def _actor(entry: AuditEntry) -> str:
    name = entry.actor.first_name if entry.actor_id and entry.actor else ""
    return f"{entry.actor_name} · {name}" if name and name != entry.actor_name else entry.actor_name


@register
class AuditRegister(Register):
    """The audit log as a register: read with the AUDIT action, never written through it."""

    model = AuditEntry
    name = "audit"
    title = _("审计日志")
    view_action = Action.AUDIT
    filterset = AuditFilterSet
    strict_filters = True
    search_fields = ("object_repr",)
    search_label = _("对象")
    search_placeholder = _("对象名称包含")
    ordering = ("-at", "-id")
    select_related = ("actor",)
    columns = (
        Column(_("时间"), "at", link="detail", css="text-nowrap"),
        Column(_("操作人"), _actor),
        Column(_("操作"), "get_action_display", badge=lambda e: "light border fw-normal"),
        Column(
            _("对象类型"), lambda e: object_type_label(e.object_type), css="d-none d-md-table-cell"
        ),
        Column(_("对象"), "object_repr", css="text-break"),
        Column(_("IP地址"), "ip", css="d-none d-lg-table-cell text-nowrap"),
        Column(_("请求编号"), "request_id", html=False),
        Column(
            _("变更内容"),
            lambda e: e.rows,
            template="core/_changes_cell.html",
            export_value=lambda e: "; ".join(
                f"{label}: {old} → {new}" for label, old, new in change_rows(e)
            ),
        ),
    )
    empty_filtered_text = _("没有符合条件的审计记录")
    list_template = "core/audit_list.html"

    def annotate_rows(self, request, rows) -> None:
        for entry in rows:
            entry.rows = change_rows(entry, request.user)


@login_required
@require_safe
def audit_detail(request, pk: int):
    if not can(request.user, Action.AUDIT):
        raise Http404
    entries = AuditEntry.objects.restrict(request.user, Action.AUDIT)
    entry = get_object_or_404(entries.select_related("actor"), pk=pk)
    return render(
        request,
        "core/audit_detail.html",
        {
            "entry": entry,
            "rows": change_rows(entry, request.user),
            "type_label": object_type_label(entry.object_type),
        },
    )
