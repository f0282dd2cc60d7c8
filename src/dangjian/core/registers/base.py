"""The register kit (DESIGN 3.1.8): one declaration per register drives its list, filters,
search, Excel export, detail with audit history, create/edit/delete pages, API and to-do
items, so a new module is its models, rules, services and a `registers.py`.

Anchors: netbox's generic views (ObjectListView, ObjectView, ObjectEditView) and its
FilterSets. Only the mechanism lives here; what a register lists, filters and checks is
declared by the owning app."""

import dataclasses
import datetime as dt
import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.forms import BootstrapMixin, QuickSelect
from dangjian.core.roles import Action
from dangjian.core.scope import can

# Beyond this many orgs in scope the org filter becomes a code input with suggestions.
ORG_SELECT_LIMIT = 200


@dataclass(frozen=True)
class TodoItem:
    """One line of the home page's 待办 list."""

    level: str  # Bootstrap contextual class: "danger", "warning" or "info"
    text: str
    url: str
    due: dt.date | None = None
    # For grouping and filtering the full list: a short code of the rule, and the org the
    # item belongs to (its materialised path); the register's name when left blank.
    kind: str = dataclasses.field(default="", compare=False)
    org_path: str = dataclasses.field(default="", compare=False)


@dataclass(frozen=True)
class Notice:
    """A message shown instead of a form, with a link to what the user can do instead
    (a set already scored is not edited: it is copied to a new year)."""

    text: str
    url: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Column:
    """One column of the list table and of its Excel export.

    `value`: an attribute path ("org.name", "get_sex_display") or a callable(obj).
    `link`: "detail" for the record's own page, or a callable(obj) -> url.
    `link_to`: (url name, id attribute) of a related record ("org-detail", "org_id"); the
    link is shown only when the viewer may open that record, checked with one query per
    column for the whole page, never one per row.
    `badge`: callable(obj) -> a Bootstrap colour ("warning") to show the value as a badge.
    A value that is a list is shown as one badge per item (and joined in the export).
    """

    label: Any
    value: str | Callable
    link: str | Callable | None = None
    link_to: tuple[str, str] | None = None
    badge: Callable | None = None
    css: str = ""
    html: bool = True
    export: bool = True
    export_value: str | Callable | None = None
    as_text: bool = False  # stored as text in Excel (codes, phones)
    template: str | None = None  # a partial rendering the cell, given `record`

    def get(self, obj, accessor=None):
        accessor = self.value if accessor is None else accessor
        if callable(accessor):
            return accessor(obj)
        value = obj
        for part in accessor.split("."):
            if value is None:
                return None
            field = _display_field(type(value), part)
            if field is not None:
                value = _display(field, getattr(value, field.attname))
                continue
            value = getattr(value, part)
            if callable(value) and not isinstance(value, models.Manager):
                value = value()
        return value

    def export_of(self, obj):
        value = self.get(obj, self.export_value)
        if isinstance(value, list | tuple):
            return "、".join(str(item) for item in value)
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, dt.datetime):
            # Excel has no time zones: the local wall time, as the pages show it.
            return (
                timezone.localtime(value).replace(tzinfo=None)
                if timezone.is_aware(value)
                else value
            )
        if value is None or isinstance(value, int | float | dt.date | str):
            return value
        return str(value)


@functools.cache
def _display_field(cls, name: str):
    """The choice field behind Django's own `get_<field>_display` (not one a model writes
    itself), whose label `_display` finds in a dict built once: Django's method hashes
    every choice label, a translation each, on every call (a list page makes hundreds)."""
    if not (name.startswith("get_") and name.endswith("_display")):
        return None
    if not isinstance(inspect.getattr_static(cls, name, None), functools.partialmethod):
        return None
    try:
        field = cls._meta.get_field(name[4:-8])
    except (AttributeError, FieldDoesNotExist):
        return None
    return field if field.choices else None


@functools.cache
def _labels(field) -> dict:
    return dict(make_hashable(field.flatchoices))


def _display(field, value):
    """What `get_<field>_display()` returns, without its cost (see `_display_field`)."""
    return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)


def related_model(model, lookup: str):
    """The model a `__`-separated lookup ends on ("org__path" on Member -> Organization)."""
    parts = lookup.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return model


class FilterForm(BootstrapMixin, forms.Form):
    """The form of every register's FilterSet: Bootstrap classes, native date pickers,
    selects drawn without the template language (`QuickSelect`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget.__class__ = QuickSelect


class OrgChoiceFilter(django_filters.CharFilter):
    """`?org=CODE`: rows in the subtree of that org, through any of the register's path
    lookups. The queryset is already restricted, so an org outside scope yields nothing."""

    def __init__(self, *args, paths: Sequence[str], org_model, **kwargs):
        self.paths = tuple(paths)
        self.org_model = org_model
        kwargs.setdefault("label", gettext_lazy("所属党组织"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        path = self.org_model._default_manager.filter(code=value).values_list("path", flat=True)
        path = path.first()
        if path is None:
            return qs.none()
        q = Q()
        for lookup in self.paths:
            q |= Q(**{f"{lookup}__startswith": path})
        return qs.filter(q)


class DefaultChoiceFilter(django_filters.ChoiceFilter):
    """A choice whose empty value means `default` (e.g. only active members), with one
    choice `all_value` that lifts the filter; `apply(qs, value)` when the value is not
    simply a field value."""

    def __init__(self, *args, default, all_value="all", apply=None, **kwargs):
        self.default, self.all_value, self.apply = default, all_value, apply
        kwargs.setdefault("empty_label", None)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = value or self.default
        if value == self.all_value:
            return qs
        if self.apply is not None:
            return self.apply(qs, value)
        return qs.filter(**{self.field_name: value})


class _UrlName:
    """`<view>_url_name` of a register: the URL name of its generic `<view>` page."""

    def __set_name__(self, owner, name: str) -> None:
        self.view = name.removesuffix("_url_name")

    def __get__(self, reg, owner=None):
        return self if reg is None else reg.url_name(self.view)


class Register:
    """Declare a register by subclassing and decorating with `@register`. Every attribute
    below is a declaration; the methods are the app's own code the kit calls."""

    model: ClassVar[type[models.Model]]
    # URL names are "<name>-list", "<name>-detail", ...; the API basename is "api-<name>".
    name: ClassVar[str]
    title: ClassVar[Any] = ""  # page heading; the model's plural name by default
    filterset: ClassVar[type[django_filters.FilterSet] | None] = None
    # What `?q=` (and the API's `?search=`) searches: icontains over these fields, or the
    # queryset's own `search(text)` when it has one (pinyin, ID suffix).
    search_fields: ClassVar[Sequence[str]] = ()
    search_label: ClassVar[Any] = gettext_lazy("搜索")
    search_placeholder: ClassVar[Any] = ""
    columns: ClassVar[Sequence[Column]] = ()
    ordering: ClassVar[Sequence[str]] = ("pk",)
    select_related: ClassVar[Sequence[str]] = ()
    prefetch_related: ClassVar[Sequence[Any]] = ()
    # Path lookups to the owning Organization, for `?org=CODE` and the export's audit row.
    org_paths: ClassVar[Sequence[str]] = ()
    org_label: ClassVar[Any] = gettext_lazy("所属党组织")
    # The action that reads the register; anything but VIEW is a confidential register
    # (INTERFACES 8): a user without it anywhere gets 404 on pages and 403 on the API list.
    view_action: ClassVar[str] = Action.VIEW
    # True: the HTML list is for holders of a subtree role only; a user whose rows come only
    # from `self_q` (a member reading their own record) gets 404 there (the API keeps them).
    list_needs_scope: ClassVar[bool] = False
    # The action that opens the create page (`can_add` may narrow who sees the button); a
    # confidential register's records are written by its readers: its `view_action`.
    add_action: ClassVar[str] = Action.ADD
    # Write an audit row on every list and detail read (petitions, cases, 诫勉谈话).
    audit_reads: ClassVar[bool] = False
    # Filter values the API assumes when the caller gives none (the page's defaults may
    # differ: the member page lists active members, the API every status unless asked).
    api_defaults: ClassVar[dict] = {}
    # An invalid filter value is ignored by default; a strict register lists nothing
    # until the filter is corrected (the audit log: a reversed date range is an error).
    strict_filters: ClassVar[bool] = False
    form_class: ClassVar[type[forms.BaseForm] | None] = None
    # Fields of the generic detail page, as (label, value) columns.
    detail_columns: ClassVar[Sequence[Column]] = ()
    # An app's own export view (an import layout that re-imports); else `?export=xlsx`.
    export_url: ClassVar[str | None] = None
    # An app's own create page (URL name) instead of the generic one.
    add_url_name: ClassVar[str | None] = None
    empty_text: ClassVar[Any] = gettext_lazy("还没有记录")
    empty_filtered_text: ClassVar[Any] = gettext_lazy("没有符合条件的记录, 请调整搜索或筛选条件")
    add_label: ClassVar[Any] = gettext_lazy("新增")
    list_template: ClassVar[str] = "registers/list.html"
    detail_template: ClassVar[str] = "registers/detail.html"
    form_template: ClassVar[str] = "registers/form.html"

    # -- the app's code -------------------------------------------------------------------

    def create(self, actor, data: dict):
        """The app's create service; raises ValidationError with Chinese messages."""
        raise NotImplementedError

    def update(self, actor, obj, data: dict):
        raise NotImplementedError

    def delete(self, actor, obj) -> None:
        raise NotImplementedError

    def todo(self, user, today: dt.date) -> list[TodoItem]:
        """The register's items for the home page's 待办 list."""
        return []

    def form_kwargs(self, request, obj=None) -> dict:
        """Keyword arguments for `form_class` (the viewer, the edited record)."""
        return {}

    def form_notice(self, request, form) -> str | None:
        """A message shown instead of the form when there is nothing the user could submit
        (no org to add under, say)."""
        return None

    def edit_notice(self, request, obj) -> "str | Notice | None":
        """A message shown instead of the edit form when the record may no longer be
        changed (and a POST is not run); None: the form."""
        return None

    def list_context(self, request, queryset) -> dict:
        """Extra context for the list page (totals over the filtered rows)."""
        return {}

    def annotate_rows(self, request, rows: list) -> None:
        """Per-page additions to the listed rows, done once for the page."""

    def detail_context(self, request, obj) -> dict:
        """Extra context for the detail page (the actions this viewer may take on it, a
        workflow's next steps, a record's parts: a letter's indicators, a meeting's roster),
        for a `detail_template` that fills its blocks."""
        return {}

    # -- mechanism ------------------------------------------------------------------------

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def heading(self) -> str:
        return str(self.title or self.model._meta.verbose_name_plural)

    def url_name(self, view: str) -> str:
        return f"{self.name}-{view}"

    # The URL names of the generic pages, for templates (`register.list_url_name`).
    list_url_name = _UrlName()
    detail_url_name = _UrlName()
    edit_url_name = _UrlName()
    delete_url_name = _UrlName()

    @property
    def searchable(self) -> bool:
        return bool(self.search_fields) or hasattr(self.model._default_manager.none(), "search")

    def has(self, view: str) -> bool:
        """Which generic views this register offers (create/edit need a form and the
        services; delete needs the delete service)."""
        cls = type(self)
        if view in ("list", "detail"):
            return True
        if view == "create":
            return self.form_class is not None and cls.create is not Register.create
        if view == "edit":
            return self.form_class is not None and cls.update is not Register.update
        if view == "delete":
            return cls.delete is not Register.delete
        return False

    def may_read(self, user) -> bool:
        return self.view_action == Action.VIEW or can(user, self.view_action)

    def may_list(self, user) -> bool:
        """Whether the list page exists for the user: a page nobody in the user's roles can
        fill answers 404 like any other out-of-scope URL, not an empty list (issue 21.7)."""
        if not self.may_read(user):
            return False
        return not self.list_needs_scope or can(user, self.view_action)

    def queryset(self, user, action: str | None = None):
        """Everything the user may see (or act on) through this register."""
        return self.model._default_manager.all().restrict(user, action or self.view_action)

    def list_queryset(self, user):
        qs = self.queryset(user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def search(self, queryset, text: str):
        # PostgreSQL refuses NUL in a text literal: a fuzzer's query is not a 500.
        text = (text or "").replace("\x00", "").strip()
        if not text:
            return queryset
        if hasattr(queryset, "search"):
            return queryset.search(text)
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": text})
        return queryset.filter(q) if self.search_fields else queryset

    def filterset_class(self):
        """The declared FilterSet with Bootstrap widgets and the shared `org` filter."""
        base = self.filterset or django_filters.FilterSet
        meta = getattr(base, "Meta", object)
        form = getattr(meta, "form", forms.Form)
        attrs = {
            "Meta": type(
                "Meta",
                (meta,),
                {
                    "model": self.model,
                    "fields": getattr(meta, "fields", []),
                    "form": form if issubclass(form, BootstrapMixin) else FilterForm,
                },
            )
        }
        if self.org_paths and "org" not in base.base_filters:
            org_model = related_model(self.model, self.org_paths[0])
            attrs["org"] = OrgChoiceFilter(
                paths=self.org_paths, org_model=org_model, label=self.org_label
            )
        return type(f"{type(self).__name__}FilterSet", (base,), attrs)

    def filter(self, queryset, params, request=None):
        """The filtered, searched and ordered rows; an invalid filter value is ignored
        (the field is left out), never an error page."""
        filterset = self.filterset_class()(params, queryset=queryset, request=request)
        if not filterset.is_valid() and self.strict_filters:
            return queryset.none(), filterset
        qs = queryset
        data = filterset.form.cleaned_data  # an invalid field is absent: its default applies
        for name, item in filterset.filters.items():
            qs = item.filter(qs, data.get(name))
        search = params.get("q") or params.get("search") or ""
        return self.search(qs, search[:100]), filterset

    def ordered(self, queryset):
        return queryset.order_by(*self.ordering)

    def detail_url(self, obj) -> str:
        return reverse(self.url_name("detail"), args=[obj.pk])

    def org_path_of(self, obj) -> str:
        if not self.org_paths:
            return ""
        value = obj
        for part in self.org_paths[0].split("__"):
            value = getattr(value, part, None)
            if value is None:
                return ""
        return value

    def can_add(self, user) -> bool:
        return can(user, self.add_action)

    def add_url(self, user) -> str | None:
        name = self.add_url_name or (self.url_name("create") if self.has("create") else None)
        return reverse(name) if name and self.can_add(user) else None

    def export_href(self, query: str) -> str:
        if self.export_url:
            return reverse(self.export_url) + (f"?{query}" if query else "")
        return (
            reverse(self.url_name("list"))
            + "?"
            + "&".join(part for part in (query, "export=xlsx") if part)
        )

    def urls(self, *views: str):
        from dangjian.core.registers.views import register_urls

        return register_urls(self, views)

    def step(self, form_class, save, message, title, **options):
        """The view of a workflow step of this register's records (`views.step_view`)."""
        from dangjian.core.registers.views import step_view

        return step_view(self, form_class, save, message, title, **options)


registry: dict[str, Register] = {}


def register(cls: type[Register]) -> type[Register]:
    """Class decorator: one instance per register, found by the views, the API, the to-do
    list and the generic test."""
    instance = cls()
    if instance.name in registry and type(registry[instance.name]) is not cls:
        raise ValueError(f"register {instance.name!r} declared twice")
    registry[instance.name] = instance
    cls.instance = instance
    return cls


def get(name: str) -> Register:
    return registry[name]


def todo_items(user, today: dt.date) -> list[TodoItem]:
    """Every register's 待办 items for this user (the home page sorts them)."""
    return [item for reg in registry.values() for item in reg.todo(user, today)]
