"""The home page: key figures of the user's subtree and their 待办 list, or, for a member
without a view scope, their own record. Figures come from the same engine as
`dangjian stats`, so the page and the annual report never disagree."""

import datetime as dt
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dangjian.core.audit import AuditAction, record
from dangjian.core.dates import age_on
from dangjian.core.excel import Sheet, write_workbook, xlsx_response
from dangjian.core.registers.views import org_options
from dangjian.core.roles import Action
from dangjian.core.routers import reads_replica
from dangjian.core.scope import is_unrestricted, scope_paths
from dangjian.core.views import paginate, query_without_page
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.stats import dashboard as dashboard_data
from dangjian.stats import report, tasks
from dangjian.stats import todo as todo_rules
from dangjian.stats.engine import statistics
from dangjian.stats.forms import StatsParamsForm, day_and_period
from dangjian.stats.tables import standard_tables, workbook_sheets
from dangjian.stats.todo import LEVELS, todo_items

TODO_SHOWN = 50


def scope_roots(user):
    """The top orgs of the user's view scope (for a superuser: the tree's roots)."""
    orgs = Organization.objects.restrict(user, Action.VIEW)
    if is_unrestricted(user):
        return orgs.filter(depth=1)
    return orgs.filter(path__in=scope_paths(user, Action.VIEW))


def summary(stats: dict) -> dict:
    """The figures the cards show, named for templates (the object's keys are Chinese)."""
    return {
        "orgs_total": sum(stats["orgs"].values()),
        "orgs": [(kind, n) for kind, n in stats["orgs"].items() if n],
        "schools": stats["schools"],
        "coverage": f"{stats['schools']['coverage']:.1%}",
        "members": stats["members"]["total"],
        "full": stats["members"]["正式党员"],
        "probationary": stats["members"]["预备党员"],
        "teachers": stats["teachers"],
        "teacher_ratio": f"{stats['teachers']['ratio']:.1%}",
        "development": development_summary(stats.get("development")),
    }


def development_summary(section: dict | None) -> dict | None:
    if section is None:
        return None
    return {
        "applicants": section["入党申请人"],
        "activists": section["入党积极分子"],
        "candidates": section["发展对象"],
        "admitted": section["admitted"],
    }


def own_record(user, today):
    """The member record linked to this account, with what the summary shows."""
    member = (
        Member.objects.restrict(user, Action.VIEW)
        .filter(user_id=user.pk)
        .select_related("org")
        .first()
    )
    if member is None:
        return None
    full = member.converted_on is not None and member.converted_on <= today
    return {
        "member": member,
        "category": member.get_category_display(),
        "party_years": age_on(member.converted_on, today) if full else None,
    }


@never_cache
@login_required
def home(request):
    user = request.user
    today = timezone.localdate()
    roots = list(scope_roots(user))
    org = None
    if roots:
        chosen = request.GET.get("org")
        if chosen:
            if not chosen.isdigit():
                raise Http404
            org = get_object_or_404(Organization.objects.restrict(user, Action.VIEW), pk=chosen)
        else:
            org = roots[0]
    items = todo_items(user, today)
    counts = {level: sum(1 for item in items if item.level == level) for level in LEVELS}
    context = {
        "today": today,
        "roots": roots if len(roots) > 1 else [],
        "org": org,
        "summary": summary(statistics(org, today)) if org else None,
        "own": own_record(user, today),
        "items": items[:TODO_SHOWN],
        "item_count": len(items),
        "groups": todo_rules.grouped(items),
        "level_counts": counts,
    }
    return render(request, "stats/home.html", context)


# --- the full 待办 list --------------------------------------------------------------------


def filtered_todo(request, today):
    """The user's 待办 items narrowed by `?kind=` and `?org=<code>` (an org in scope, else
    404), with the chosen values for the filter form."""
    items = todo_items(request.user, today)
    kind = request.GET.get("kind", "")
    if kind:
        items = [item for item in items if item.kind == kind]
    code = request.GET.get("org", "")
    org = None
    if code:
        org = get_object_or_404(Organization.objects.restrict(request.user, Action.VIEW), code=code)
        items = todo_rules.within(items, org.path)
    return items, kind, org


@never_cache
@login_required
def todo_list(request):
    """Every item of the user's 待办, not only the home page's most urgent ones."""
    today = timezone.localdate()
    all_items = todo_items(request.user, today)
    items, kind, org = filtered_todo(request, today)
    options, overflow = org_options(request.user, Organization)
    context = {
        "today": today,
        "page": paginate(request, items),
        "query": query_without_page(request),
        "export_query": request.GET.urlencode(),
        "groups": todo_rules.grouped(all_items),
        "kinds": todo_rules.kind_labels(),
        "kind": kind,
        "org": org,
        "org_options": options,
        "org_overflow": overflow,
        "total": len(all_items),
    }
    return render(request, "stats/todo.html", context)


@never_cache
@login_required
def todo_xlsx(request):
    today = timezone.localdate()
    items, _kind, org = filtered_todo(request, today)
    labels = todo_rules.kind_labels()
    level_names = {"danger": _("逾期"), "warning": _("待处理"), "info": _("提醒")}
    sheet = Sheet(
        _("待办事项"),
        [_("类别"), _("紧急程度"), _("事项"), _("期限")],
        [
            (labels.get(item.kind, item.kind), level_names[item.level], item.text, item.due)
            for item in items
        ],
        widths=(20, 10, 60, 12),
    )
    name = _("待办事项-%(day)s.xlsx") % {"day": today.isoformat()}
    record(
        request.user,
        AuditAction.EXPORT,
        org,
        org_path=org.path if org else "",
        object_repr=name,
    )
    return xlsx_response(write_workbook([sheet]), name)


# --- statistics pages ------------------------------------------------------------------


def chosen_org(request, roots) -> Organization:
    """`?org=<pk>` within the user's view scope (else 404), by default their first root."""
    chosen = request.GET.get("org")
    if not chosen:
        return roots[0]
    if not chosen.isdigit():
        raise Http404
    return get_object_or_404(Organization.objects.restrict(request.user, Action.VIEW), pk=chosen)


def scope_or_404(request):
    roots = list(scope_roots(request.user))
    if not roots:
        raise Http404
    return roots, chosen_org(request, roots)


def trail(user, org) -> list:
    """The org's ancestors the user may view (for the breadcrumb), root first."""
    return list(org.ancestors_and_self().restrict(user, Action.VIEW).order_by("depth"))


def read_params(request, *, period_ends_on_day: bool):
    """(form, as_of, period). An invalid query string keeps the defaults and the form
    carries the errors for the page to show."""
    form = StatsParamsForm.params(request.GET)
    today = timezone.localdate()
    if not form.is_valid():
        return form, today, None
    as_of, period = day_and_period(form, today, period_ends_on_day=period_ends_on_day)
    return form, as_of, period


def params_or_400(request, *, period_ends_on_day: bool):
    form, as_of, period = read_params(request, period_ends_on_day=period_ends_on_day)
    if form.errors:
        messages = [str(m) for errors in form.errors.values() for m in errors]
        return (
            None,
            None,
            HttpResponseBadRequest("; ".join(messages), content_type="text/plain; charset=utf-8"),
        )
    return as_of, period, None


def query(org, **params) -> str:
    values = {"org": org.pk, **{k: v for k, v in params.items() if v}}
    return urlencode(
        {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}
    )


def base_context(request, roots, org, form, as_of):
    return {
        "org": org,
        "roots": roots if len(roots) > 1 else [],
        "trail": trail(request.user, org),
        "form": form,
        "as_of": as_of,
    }


@never_cache
@login_required
@reads_replica
def dashboard(request):
    roots, org = scope_or_404(request)
    form, as_of, _period = read_params(request, period_ends_on_day=False)
    data = dashboard_data.build(org, as_of)
    if as_of == timezone.localdate():
        tasks.watch(org)
    day = as_of.isoformat() if request.GET.get("date") and not form.errors else ""

    def drill_url(child):
        return "?" + query(child, date=day)

    charts = dashboard_data.charts(data, drill_url)
    comparison = dashboard_data.comparison(data)
    context = {
        **base_context(request, roots, org, form, as_of),
        "data": data,
        "charts": {key: chart.spec() for key, chart in charts.items()},
        "chart_titles": {key: chart.title for key, chart in charts.items()},
        "comparison": comparison,
        "children": [(row, drill_url(row.org) if row.org else None) for row in data.children],
        "here": query(org, date=day),
        "cards": cards(data, comparison),
    }
    return render(request, "stats/dashboard.html", context)


def cards(data, comparison) -> list[dict]:
    rows = {row["key"]: row for row in comparison if row["key"]}
    now = data.now

    def card(key: str, label, value, detail, percent: bool = False) -> dict:
        """A headline figure with its change over the comparison period (row `key`)."""
        return {
            "label": label,
            "value": f"{value:.1%}" if percent else value,
            "delta": rows[key]["delta"],
            "percent": percent,
            "detail": detail,
            "id": f"card-{key}",
        }

    return [
        card(
            "members",
            _("党员"),
            now["members"]["total"],
            _("正式党员 %(f)d 名, 预备党员 %(p)d 名")
            % {"f": now["members"]["正式党员"], "p": now["members"]["预备党员"]},
        ),
        card(
            "coverage",
            _("学校党组织覆盖率"),
            now["schools"]["coverage"],
            _("学校 %(t)d 所, 已建党组织 %(c)d 所")
            % {"t": now["schools"]["total"], "c": now["schools"]["covered"]},
            percent=True,
        ),
        card(
            "teachers",
            _("专任教师中党员比例"),
            now["teachers"]["ratio"],
            _("党员教师 %(p)d 名 / 专任教师 %(t)d 名")
            % {"p": now["teachers"]["party_members"], "t": now["teachers"]["total"]},
            percent=True,
        ),
        card(
            "orgs",
            _("党组织"),
            data.orgs_total,
            "、".join(f"{kind} {n}" for kind, n in now["orgs"].items() if n),
        ),
    ]


def _export_xlsx(request, org, sheets, name: str):
    """Every download of figures is an audited export of the org it covers."""
    record(request.user, AuditAction.EXPORT, org, org_path=org.path, object_repr=name)
    return xlsx_response(write_workbook(sheets), name)


def _period_page(request, template: str, **extra):
    """A page over a period that defaults to the year so far; `extra` maps context keys to
    functions of (org, as_of, period)."""
    roots, org = scope_or_404(request)
    form, as_of, period = read_params(request, period_ends_on_day=True)
    if period is None:
        period = (dt.date(as_of.year, 1, 1), as_of)
    context = {**base_context(request, roots, org, form, as_of), "period": period}
    context.update({key: make(org, as_of, period) for key, make in extra.items()})
    return render(request, template, context)


@never_cache
@login_required
@reads_replica
def dashboard_xlsx(request):
    """One chart's data (`?chart=<key>`), or every chart's, a sheet each."""
    roots, org = scope_or_404(request)
    as_of, _period, error = params_or_400(request, period_ends_on_day=False)
    if error:
        return error
    data = dashboard_data.build(org, as_of)
    charts = dashboard_data.charts(data, lambda child: "")
    extra = dashboard_data.extra_sheets(data)
    chosen = request.GET.get("chart")
    if chosen:
        if chosen in charts:
            sheets = [charts[chosen].sheet()]
        elif chosen in extra:
            sheets = [extra[chosen]]
        elif chosen == "comparison":
            sheets = [dashboard_data.comparison_sheet(data)]
        else:
            raise Http404
        name = f"{org.name}-{sheets[0].title}-{as_of.isoformat()}.xlsx"
    else:
        sheets = [
            dashboard_data.comparison_sheet(data),
            *(chart.sheet() for chart in charts.values()),
            *extra.values(),
        ]
        name = _("%(org)s-统计图表数据-%(day)s.xlsx") % {"org": org.name, "day": as_of.isoformat()}
    return _export_xlsx(request, org, sheets, name)


@never_cache
@login_required
@reads_replica
def standard_tables_page(request):
    return _period_page(
        request,
        "stats/tables.html",
        tables=standard_tables,
        here=lambda org, as_of, period: query(
            org, date=as_of, **{"from": period[0], "to": period[1]}
        ),
    )


@never_cache
@login_required
@reads_replica
def standard_tables_xlsx(request):
    roots, org = scope_or_404(request)
    as_of, period, error = params_or_400(request, period_ends_on_day=True)
    if error:
        return error
    sheets = workbook_sheets(org, as_of, period, standard_tables(org, as_of, period))
    name = _("%(org)s-党内统计表-%(day)s.xlsx") % {"org": org.name, "day": as_of.isoformat()}
    return _export_xlsx(request, org, sheets, name)


@never_cache
@login_required
@reads_replica
def report_page(request):
    return _period_page(
        request,
        "stats/report.html",
        period_label=lambda org, as_of, period: report.period_label(*period),
        here=lambda org, as_of, period: query(org, **{"from": period[0], "to": period[1]}),
    )


@never_cache
@login_required
@reads_replica
def report_docx(request):
    """The draft is computed and written in the request: for a whole province it takes
    about as long as two statistics objects (docs/performance.md)."""
    roots, org = scope_or_404(request)
    _as_of, period, error = params_or_400(request, period_ends_on_day=True)
    if error:
        return error
    content = report.annual_report(org, *period)
    name = _("%(org)s%(period)s党建工作总结.docx") % {
        "org": org.name,
        "period": report.period_label(*period),
    }
    record(request.user, AuditAction.EXPORT, org, org_path=org.path, object_repr=name)
    response = HttpResponse(content, content_type=report.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
