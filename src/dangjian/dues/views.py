"""党费 pages beyond the kit's registers: a member's year (statement, .docx), receipts,
voluntary payments, approval of reductions, totals per subtree with what is handed up, and
the import of bases."""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from dangjian.core import audit
from dangjian.core.audit import AuditAction
from dangjian.core.excel import Sheet, write_workbook, xlsx_response
from dangjian.core.forms import form_page, submit
from dangjian.core.registers.imports import import_page
from dangjian.core.roles import Action
from dangjian.core.scope import can, is_unrestricted, scope_paths
from dangjian.dues import documents, services
from dangjian.dues import rules as R
from dangjian.dues.attribution import in_subtree, month_org
from dangjian.dues.excel import BASE_IMPORTER
from dangjian.dues.forms import DecisionForm, VoluntaryForm, clamp_year
from dangjian.dues.models import DuesMonth, DuesPayment, DuesReduction, PaymentKind
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


def _member(user, pk):
    return get_object_or_404(
        Member.objects.restrict(user, Action.VIEW).select_related("org"), pk=pk
    )


def year_of(member, year: int):
    """A member's year; each month carries `org_name`, the org it was owed to (a member
    transferred mid-year shows both branches)."""
    months = list(
        DuesMonth.objects.filter(member=member, month__year=year)
        .annotate(org_name=month_org("name"))
        .order_by("month")
    )
    payments = list(
        DuesPayment.objects.filter(member=member)
        .filter(Q(month__year=year) | Q(paid_on__year=year))
        .order_by("paid_on", "id")
    )
    due = sum((m.due for m in months), Decimal(0))
    paid = sum((m.paid for m in months), Decimal(0))
    today = timezone.localdate()
    owed_now = sum((m.owed for m in months if m.month < R.month_of(today)), Decimal(0))
    return {
        "months": months,
        "payments": payments,
        "due": due,
        "paid": paid,
        "owed": max(due - paid, Decimal(0)),
        "owed_now": owed_now,
        "voluntary": sum(
            (p.amount for p in payments if p.kind == PaymentKind.VOLUNTARY), Decimal(0)
        ),
    }


@login_required
@never_cache
@require_safe
def member_year(request, pk):
    member = _member(request.user, pk)
    year = clamp_year(request.GET.get("year"))
    return render(
        request,
        "dues/member.html",
        {
            "member": member,
            "year": year,
            "years": [year - 1, year, year + 1],
            **year_of(member, year),
            "can_add": can(request.user, Action.ADD)
            and Member.objects.restrict(request.user, Action.ADD).filter(pk=member.pk).exists(),
        },
    )


@login_required
@never_cache
@require_safe
def member_statement(request, pk):
    member = _member(request.user, pk)
    year = clamp_year(request.GET.get("year"))
    facts = year_of(member, year)
    content = documents.statement(member, year, facts["months"], facts["payments"])
    audit.record(
        request.user,
        AuditAction.EXPORT,
        member,
        org_path=member.org.path,
        object_repr=_("%(name)s %(year)d年度党费明细") % {"name": member.name, "year": year},
    )
    return documents.docx_response(content, f"党费明细-{member.name}-{year}.docx")


@login_required
@never_cache
@require_safe
def receipt(request, pk):
    payment = get_object_or_404(
        DuesPayment.objects.restrict(request.user, Action.VIEW).select_related("member__org"),
        pk=pk,
    )
    payments = list(
        DuesPayment.objects.filter(member=payment.member, receipt_no=payment.receipt_no)
        .select_related("member__org")
        .order_by("month", "id")
    )
    return documents.docx_response(
        documents.receipt(payments), f"党费收据-{payment.receipt_no}.docx"
    )


@login_required
@never_cache
def voluntary(request):
    if not can(request.user, Action.ADD):
        raise Http404
    form = VoluntaryForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.record_voluntary(
            request.user,
            data["member"],
            amount=data["amount"],
            paid_on=data["paid_on"],
            method=data["method"],
            note=data.get("note") or "",
        ),
        _("已登记自愿多交党费"),
        done=lambda payment: reverse("duespayment-detail", args=[payment.pk]),
        template="dues/voluntary.html",
        context={"title": _("登记自愿多交党费")},
    )


@login_required
@never_cache
@require_POST
def decide(request, pk):
    reduction = get_object_or_404(
        DuesReduction.objects.restrict(request.user, Action.VIEW).select_related("member__org"),
        pk=pk,
    )
    if not services.may_decide(request.user, reduction):
        raise Http404
    form = DecisionForm(request.POST)
    saved, _result = submit(
        request,
        form,
        lambda data: services.decide_reduction(
            request.user, reduction, approve=data["approve"], note=data.get("note") or ""
        ),
        _("已审批"),
    )
    if not saved:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("duesreduction-detail", pk=reduction.pk)


# -- totals ----------------------------------------------------------------------------------


def _roots(user):
    orgs = Organization.objects.restrict(user, Action.VIEW)
    if is_unrestricted(user):
        return orgs.filter(depth=1)
    return orgs.filter(path__in=scope_paths(user, Action.VIEW))


def totals_of(root, year: int) -> dict:
    """Monthly totals of the subtree and a row per direct child (or the root itself when it
    has none): due and paid from the ledger, voluntary and to-the-Centre from payments, and
    what is handed up. Each month counts under the org the member belonged to in it
    (dues.attribution). One grouped query per table, rolled up by path prefix in Python."""
    children = list(
        Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1).order_by(
            "path"
        )
    ) or [root]
    ledger = (
        DuesMonth.objects.order_by()
        .filter(in_subtree(root.path), month__year=year)
        .annotate(org_path=month_org("path"))
        .values("org_path", "month")
        .annotate(due=Sum("due"), paid=Sum("paid"))
    )
    extra = (
        DuesPayment.objects.order_by()
        .filter(in_subtree(root.path), paid_on__year=year, kind=PaymentKind.VOLUNTARY)
        .annotate(org_path=month_org("path"))
        .values("org_path", "to_centre")
        .annotate(amount=Sum("amount"))
    )
    zero = Decimal(0)
    months = {m: {"due": zero, "paid": zero} for m in range(1, 13)}
    rows = {
        c.path: {"org": c, "due": zero, "paid": zero, "voluntary": zero, "centre": zero}
        for c in children
    }

    def row_of(path):
        for child in children:
            if path.startswith(child.path):
                return rows[child.path]
        return None

    for item in ledger:
        months[item["month"].month]["due"] += item["due"]
        months[item["month"].month]["paid"] += item["paid"]
        row = row_of(item["org_path"])
        if row is not None:
            row["due"] += item["due"]
            row["paid"] += item["paid"]
    for item in extra:
        row = row_of(item["org_path"])
        if row is not None:
            row["voluntary"] += item["amount"]
            if item["to_centre"]:
                row["centre"] += item["amount"]
    share = R.handup_share()
    for row in rows.values():
        row["owed"] = max(row["due"] - row["paid"], zero)
        row["handed_up"] = R.yuan(row["paid"] * share + row["voluntary"])
    total = {
        key: sum((r[key] for r in rows.values()), zero)
        for key in ("due", "paid", "voluntary", "centre", "owed", "handed_up")
    }
    return {
        "rows": list(rows.values()),
        "months": [(m, v["due"], v["paid"]) for m, v in months.items()],
        "total": total,
        "share": int(share * 100),
    }


@login_required
@never_cache
@require_safe
def totals(request):
    user = request.user
    roots = list(_roots(user))
    if not roots:
        raise Http404
    code = (request.GET.get("org") or "").strip()
    root = roots[0]
    if code:
        root = get_object_or_404(Organization.objects.restrict(user, Action.VIEW), code=code)
    year = clamp_year(request.GET.get("year"))
    facts = totals_of(root, year)
    if request.GET.get("export") == "xlsx":
        return _totals_export(request, root, year, facts)
    return render(
        request,
        "dues/totals.html",
        {"root": root, "roots": roots, "year": year, **facts},
    )


def _totals_export(request, root, year, facts):
    by_org = Sheet(
        _("各组织汇总"),
        [_("党组织"), _("应交"), _("已交"), _("欠交"), _("自愿多交"), _("上缴中央"), _("上交上级")],
        [
            [
                r["org"].name,
                float(r["due"]),
                float(r["paid"]),
                float(r["owed"]),
                float(r["voluntary"]),
                float(r["centre"]),
                float(r["handed_up"]),
            ]
            for r in facts["rows"]
        ],
    )
    by_month = Sheet(
        _("按月汇总"),
        [_("月份"), _("应交"), _("已交")],
        [[f"{year}-{m:02d}", float(d), float(p)] for m, d, p in facts["months"]],
    )
    content = write_workbook([by_org, by_month])
    audit.batch(
        request.user,
        AuditAction.EXPORT,
        org_path=root.path,
        object_repr=_("导出党费汇总: %(org)s %(year)d") % {"org": root.name, "year": year},
        year=year,
    )
    return xlsx_response(content, f"党费汇总-{root.name}-{year}.xlsx")


# -- import of bases -------------------------------------------------------------------------


@login_required
@never_cache
def base_import(request):
    if not can(request.user, Action.CHANGE):
        raise Http404
    return import_page(
        request,
        BASE_IMPORTER,
        heading=_("导入党费基数"),
        intro=_("按模板填写: 每行一名党员一个年度, 以公民身份号码确定党员。"),
        filename="党费基数导入模板.xlsx",
        done=reverse("duesbase-list"),
        template="dues/import.html",
        context={"back_url": reverse("duesbase-list")},
    )


# -- /me/ ------------------------------------------------------------------------------------


def me_card(request, member):
    """The member's own dues this year for their `/me/` page."""
    today = timezone.localdate()
    facts = year_of(member, today.year)
    if not facts["months"] and not facts["payments"]:
        return None
    return {
        "year": today.year,
        "due": facts["due"],
        "paid": facts["paid"],
        "owed_now": facts["owed_now"],
        "member": member,
    }


def today() -> dt.date:
    return timezone.localdate()


@login_required
@never_cache
@require_safe
def rates(request):
    from dangjian.dues.models import DuesRate

    if not can(request.user, Action.VIEW):
        raise Http404
    return render(request, "dues/rates.html", {"rates": DuesRate.objects.all()})
