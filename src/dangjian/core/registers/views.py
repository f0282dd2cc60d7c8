"""The register kit's pages: list (filters, search, pagination, Excel export of the
filtered rows), detail with the record's audit history, create/edit through the app's
services, and delete after a confirmation page. Every queryset comes from
`Register.queryset(user, action)`, i.e. `restrict()`, so a record out of scope is a 404."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dangjian.core import audit
from dangjian.core.audit import record
from dangjian.core.audit_views import change_rows
from dangjian.core.excel import Sheet, sha256_bytes, write_workbook, xlsx_response
from dangjian.core.forms import QuickSelect, submit
from dangjian.core.models import AuditAction, AuditEntry
from dangjian.core.registers.base import ORG_SELECT_LIMIT, Register, related_model
from dangjian.core.roles import Action
from dangjian.core.routers import reads_replica
from dangjian.core.scope import can
from dangjian.core.views import paginate

HISTORY_SHOWN = 20


def query_string(request, *drop: str) -> str:
    params = request.GET.copy()
    for key in ("page", *drop):
        params.pop(key, None)
    return params.urlencode()


def _require_read(reg: Register, user, pk=None) -> None:
    if not reg.may_read(user):
        audit_refused(reg, user, pk)
        raise Http404


def audit_read(
    reg: Register, user, obj=None, *, count: int | None = None, capped: bool = False
) -> None:
    """One audit row per read of a confidential register (INTERFACES 8). A list's `count`
    is what its page counted: with `capped`, at least that many."""
    if not reg.audit_reads:
        return
    changes = {} if count is None else {"count": [None, count]}
    if capped:
        changes["count_capped"] = [None, True]
    record(
        user,
        AuditAction.READ,
        obj,
        changes=changes,
        org_path=reg.org_path_of(obj) if obj is not None else "",
        object_repr=str(obj) if obj is not None else _("查阅%(what)s列表") % {"what": reg.label},
    )


def audit_refused(reg: Register, user, pk=None) -> None:
    """A refused attempt at a confidential register (its list, search, export, a record's
    page or its API) leaves a trace like a read does (INTERFACES 8): who tried, which
    register and which record id, marked `refused`; the answer stays 404 (403 on the API
    list). Every refusal of the kit's pages and API comes through here, never per view.
    The row names the record's org (so the subtree's auditor sees it) and nothing else."""
    if not reg.audit_reads:
        return
    target = None
    org_path = ""
    pk = int(pk) if str(pk).isdigit() and int(pk) < 2**63 else None
    if pk is not None:
        target = reg.model._base_manager.filter(pk=pk).first()
        if target is not None:
            org_path = reg.org_path_of(target)
        else:
            target = reg.model(pk=pk)  # a missing id is recorded as asked for
    what = reg.label if target is None else f"{reg.label} #{pk}"
    record(
        user,
        AuditAction.READ,
        target,
        changes={"refused": [None, True]},
        org_path=org_path,
        object_repr=_("拒绝查阅%(what)s") % {"what": what},
    )


# -- list ---------------------------------------------------------------------------------


def org_options(user, org_model):
    """(code, indented name) of the orgs in scope for the org filter, and whether there are
    more than a select can list."""
    orgs = list(
        org_model._default_manager.all()
        .restrict(user, Action.VIEW)
        .order_by("path")
        .only("code", "name", "path")[: ORG_SELECT_LIMIT + 1]
    )
    overflow = len(orgs) > ORG_SELECT_LIMIT
    orgs = orgs[:ORG_SELECT_LIMIT]
    step = getattr(org_model, "steplen", 1)
    top = min((len(org.path) for org in orgs), default=0)
    options = [(org.code, "\u3000" * ((len(org.path) - top) // step) + org.name) for org in orgs]
    return options, overflow


def _dress_filter_form(reg: Register, request, form, datalist_id: str):
    """The org filter as a select of the orgs in scope, or a code input with a datalist
    beyond ORG_SELECT_LIMIT."""

    if "org" not in form.fields:
        return [], False
    options, overflow = org_options(request.user, related_model(reg.model, reg.org_paths[0]))
    field = form.fields["org"]
    if overflow:
        field.widget.attrs.update({"list": datalist_id, "placeholder": _("输入组织代码")})
        return options, overflow
    choices = [("", _("全部")), *options]
    current = form.data.get("org")
    if current and current not in {code for code, _label in choices}:
        choices.append((current, current))  # a code from a link stays visible (and filters)
    field.widget = QuickSelect(choices=choices, attrs={"class": "form-select"})
    return options, overflow


def _visible_links(reg: Register, user, rows) -> dict[int, set]:
    """For each column linking to a related record, the ids the user may open: one query
    per such column for the whole page."""
    visible = {}
    for index, column in enumerate(reg.columns):
        if column.link_to is None:
            continue
        _name, attr = column.link_to
        ids = {getattr(row, attr) for row in rows} - {None}
        if not ids:
            visible[index] = set()
            continue
        model = reg.model._meta.get_field(attr.removesuffix("_id")).related_model
        visible[index] = set(
            model._default_manager.all()
            .restrict(user, Action.VIEW)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
    return visible


def _shown(value):
    """Dates as the other pages print them (2024-06-01), times in local time."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _text(value) -> str:
    """A value as `{{ value }}` prints it (local time, localized numbers, escaped)."""
    if type(value) is str:  # most cells: nothing to localize
        return escape(value)
    return conditional_escape(localize(template_localtime(value)))


DASH = mark_safe('<span class="text-muted">—</span>')


def _cell_html(value, url, badge) -> str:
    """A cell's content, the markup the table partial printed cell by cell before: built
    here once per cell, because fifty rows of ten cells through the template language cost
    more than the rest of the page."""
    if isinstance(value, list | tuple):
        css = _text(badge or "light border fw-normal")
        items = "".join(
            f'<span class="badge text-bg-{css}">{_text(item)}</span> ' for item in value
        )
        return items or DASH
    if url:
        inner = f'<a href="{_text(url)}">{"—" if value is None else _text(value)}</a>'
    elif value is None or value == "":
        inner = DASH
    else:
        inner = _text(value)
    return f'<span class="badge text-bg-{_text(badge)}">{inner}</span>' if badge else inner


def table_rows(reg: Register, user, rows):
    """(record, cells) for the table partial: each cell's `css` and either its finished
    `html` or, for a column drawn by a partial, its `template`."""
    visible = _visible_links(reg, user, rows)
    table = []
    for obj in rows:
        cells = []
        for index, column in enumerate(reg.columns):
            if not column.html:
                continue
            if column.template:
                cells.append({"css": column.css, "template": column.template, "html": None})
                continue
            url = None
            if column.link == "detail":
                url = reg.detail_url(obj)
            elif callable(column.link):
                url = column.link(obj)
            elif column.link_to is not None:
                name, attr = column.link_to
                pk = getattr(obj, attr)
                if pk in visible.get(index, ()):
                    url = reverse(name, args=[pk])
            value = _shown(column.get(obj))
            badge = column.badge(obj) if column.badge else None
            css = f' class="{_text(column.css)}"' if column.css else ""
            html = f"<td{css}>{_cell_html(value, url, badge)}</td>"
            cells.append({"css": column.css, "template": None, "html": mark_safe(html)})  # noqa: S308
        table.append((obj, cells))
    return table


def table_html(table) -> str | None:
    """The table's rows as one piece of markup when no cell needs a partial (the table
    partial then prints it instead of looping over rows and cells)."""
    if any(cell["template"] for _record, cells in table for cell in cells):
        return None
    rows = ("<tr>" + "".join(cell["html"] for cell in cells) + "</tr>" for _r, cells in table)
    return mark_safe("\n".join(rows))  # noqa: S308 - cells escaped by table_rows


@reads_replica
def export_response(reg: Register, request, queryset):
    """The filtered rows in the list's columns, one audit row for the export."""
    content, count = export_workbook(reg, request.user, queryset, query_string(request, "export"))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(content, f"{reg.heading}_{stamp}.xlsx")


def common_path(paths, steplen: int) -> str:
    paths = sorted(set(paths))
    common = paths[0] if paths else ""
    for one in paths:
        while not one.startswith(common):
            common = common[:-1]
    return common[: len(common) - len(common) % steplen] if steplen else common


def export_workbook(reg: Register, user, queryset, filter_text: str = "") -> tuple[bytes, int]:
    """The rows streamed in chunks into the writer (no list of every record in memory), then
    one audit row with the count, the file's digest, the filter and the rows' common org."""
    columns = [c for c in reg.columns if c.export]
    paths: set[str] = set()
    count = 0

    def rows():
        nonlocal count
        for obj in queryset.iterator(chunk_size=2000):
            count += 1
            if reg.org_paths:
                paths.add(reg.org_path_of(obj))
            yield [c.export_of(obj) for c in columns]

    content = write_workbook(
        [
            Sheet(
                title=reg.heading,
                headers=[str(c.label) for c in columns],
                rows=rows(),
                text_columns=frozenset(i for i, c in enumerate(columns) if c.as_text),
            )
        ]
    )
    org_path = ""
    if reg.org_paths:
        steplen = getattr(related_model(reg.model, reg.org_paths[0]), "steplen", 0)
        org_path = common_path(paths, steplen)
    audit.batch(
        user,
        AuditAction.EXPORT,
        org_path=org_path,
        object_repr=_("导出%(what)s %(n)d条") % {"what": reg.heading, "n": count},
        template=reg.heading,
        count=count,
        sha256=sha256_bytes(content),
        filter=filter_text,
    )
    return content, count


def filter_context(reg: Register, request, filterset) -> dict:
    """What the filter bar partial needs; pages other than the list (a board) use it too."""
    datalist_id = f"{reg.name}-org-codes"
    options, overflow = _dress_filter_form(reg, request, filterset.form, datalist_id)
    return {
        "register": reg,
        "form": filterset.form,
        "q": request.GET.get("q", ""),
        "org_options": options,
        "org_overflow": overflow,
        "datalist_id": datalist_id,
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
    }


def list_view(request, reg: Register):
    user = request.user
    if not reg.may_list(user):
        audit_refused(reg, user)
        raise Http404
    queryset, filterset = reg.filter(reg.list_queryset(user), request.GET, request)
    queryset = reg.ordered(queryset)
    if request.GET.get("export") == "xlsx" and reg.export_url is None:
        return export_response(reg, request, queryset)
    page = paginate(request, queryset)
    rows = list(page.object_list)
    reg.annotate_rows(request, rows)
    audit_read(reg, user, count=page.paginator.count, capped=page.paginator.capped)
    query = query_string(request)
    table = table_rows(reg, user, rows)
    context = filter_context(reg, request, filterset)
    context.update(
        page=page,
        rows=rows,
        table=table,
        table_html=table_html(table),
        headers=[c for c in reg.columns if c.html],
        query=query,
        add_url=reg.add_url(user),
        export_href=reg.export_href(query),
        empty_message=reg.empty_filtered_text if context["filtered"] else reg.empty_text,
        **reg.list_context(request, queryset),
    )
    return render(request, reg.list_template, context)


# -- detail -------------------------------------------------------------------------------


@dataclass
class History:
    entries: list
    object_type: str
    object_id: str


def audit_history(user, obj, limit: int = HISTORY_SHOWN) -> History | None:
    """The record's audit rows, newest first, for holders of the audit right over it;
    None (the section is left out) for everyone else."""
    if not can(user, Action.AUDIT):
        return None
    object_type, object_id = obj._meta.label_lower, str(obj.pk)
    entries = list(
        AuditEntry.objects.restrict(user, Action.AUDIT)
        .filter(object_type=object_type, object_id=object_id)
        .select_related("actor")[:limit]
    )
    for entry in entries:
        entry.rows = change_rows(entry, user)
    return History(entries, object_type, object_id)


def _get_or_refuse(reg: Register, user, queryset, pk):
    """The record from the user's queryset, else 404 after `audit_refused`."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        audit_refused(reg, user, pk)
        raise Http404
    return obj


def _allowed(reg: Register, user, obj, action: str) -> bool:
    return reg.queryset(user, action).filter(pk=obj.pk).exists()


def detail_view(request, reg: Register, pk: int):
    user = request.user
    _require_read(reg, user, pk)
    obj = _get_or_refuse(reg, user, reg.list_queryset(user), pk)
    audit_read(reg, user, obj)
    fields = [(column.label, column.get(obj)) for column in reg.detail_columns or reg.columns]
    return render(
        request,
        reg.detail_template,
        {
            "register": reg,
            "object": obj,
            "fields": fields,
            "history": audit_history(user, obj),
            "can_change": reg.has("edit") and _allowed(reg, user, obj, Action.CHANGE),
            "can_delete": reg.has("delete") and _allowed(reg, user, obj, Action.DELETE),
            **reg.detail_context(request, obj),
        },
    )


# -- create, edit, delete -----------------------------------------------------------------


def _form_page(request, reg: Register, form, obj=None, notice=None):
    context = {"register": reg, "form": form, "object": obj, "notice": notice}
    return render(request, reg.form_template, context)


def _saved(request, reg: Register, obj, text: str):
    messages.success(request, text % {"what": reg.label, "name": obj})
    if reg.queryset(request.user).filter(pk=obj.pk).exists():
        return redirect(reg.detail_url(obj))
    return redirect(reg.url_name("list"))


def create_view(request, reg: Register):
    user = request.user
    if not can(user, reg.add_action):
        raise Http404
    form = reg.form_class(request.POST or None, **reg.form_kwargs(request))
    notice = reg.form_notice(request, form)
    if notice is None:
        done, obj = submit(request, form, lambda data: reg.create(user, data))
        if done:
            return _saved(request, reg, obj, _("已新增%(what)s“%(name)s”"))
    return _form_page(request, reg, form, notice=notice)


def edit_view(request, reg: Register, pk: int):
    user = request.user
    obj = _get_or_refuse(reg, user, reg.queryset(user, Action.CHANGE), pk)
    form = reg.form_class(request.POST or None, **reg.form_kwargs(request, obj))
    notice = reg.edit_notice(request, obj)
    if notice is None:
        done, saved = submit(request, form, lambda data: reg.update(user, obj, data))
        if done:
            return _saved(request, reg, saved, _("已保存%(what)s“%(name)s”"))
    return _form_page(request, reg, form, obj, notice)


def delete_view(request, reg: Register, pk: int):
    user = request.user
    obj = _get_or_refuse(reg, user, reg.queryset(user, Action.DELETE), pk)
    if request.method == "POST":
        name = str(obj)
        try:
            reg.delete(user, obj)
        except (ValidationError, ProtectedError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else ""
            messages.error(request, text or _("%(name)s已有关联记录, 不能删除") % {"name": name})
            return redirect(reg.detail_url(obj))
        messages.success(request, _("已删除%(what)s“%(name)s”") % {"what": reg.label, "name": name})
        return redirect(reg.url_name("list"))
    return render(request, "registers/confirm_delete.html", {"register": reg, "object": obj})


# -- workflow steps ------------------------------------------------------------------------


def step_view(reg: Register, form_class, save, message, title, *, objects=None, initial=None):
    """One workflow step of a register's record (验收, 评估, 复核, 公开, a photo's upload), as
    `steps.record_step` with the register's defaults: the record comes through
    `objects(user)` (by default what the user may change in the register), the form is
    `form_class` with `initial(record)`, the page carries the register's breadcrumbs and asks
    before posting (`Register.step`)."""
    from dangjian.core.registers.steps import record_step

    return record_step(
        reg.model,
        form=lambda request, obj: form_class(
            request.POST or None,
            request.FILES or None,
            initial=initial(obj) if initial is not None else None,
        ),
        save=save,
        message=message,
        heading=title,
        detail=reg.detail_url_name,
        queryset=objects or (lambda user: reg.queryset(user, Action.CHANGE)),
        template="registers/step.html",
        context=lambda request, obj: {
            "register": reg,
            "submit_label": title,
            "confirm": _("确定提交吗? 提交后将记入该记录的历史。"),
        },
    )


VIEWS = {
    "list": ("", list_view),
    "create": ("add/", create_view),
    "detail": ("<int:pk>/", detail_view),
    "edit": ("<int:pk>/edit/", edit_view),
    "delete": ("<int:pk>/delete/", delete_view),
}


def register_urls(reg: Register, views=()):
    """URL patterns of the register's generic pages (all it offers, or the named ones)."""
    patterns = []
    for view in views or [view for view in VIEWS if reg.has(view)]:
        if not reg.has(view):
            raise ValueError(f"register {reg.name!r} does not offer a {view} page")
        route, function = VIEWS[view]

        def page(request, *args, _function=function, **kwargs):
            return _function(request, reg, *args, **kwargs)

        if view in ("list", "detail"):
            page = require_safe(page)
        page = login_required(never_cache(page))
        patterns.append(path(route, page, name=reg.url_name(view)))
    return patterns
