"""Pages of 组织生活 beyond the register kit's: a meeting's roster and marking, its QR
sign-in screen (a fresh code every half validity, by htmx polling), 民主评议 grades, the
compliance grid per committee with its drill-down and export, and themed series."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from dangjian.core import signin
from dangjian.core.excel import Sheet, write_workbook, xlsx_response
from dangjian.core.forms import apply_service_errors
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.life import rules, services
from dangjian.life.forms import FileForm, GradeForm, MarkForm, SeriesForm
from dangjian.life.models import (
    Attendance,
    AttendanceStatus,
    Grade,
    Meeting,
    MeetingKind,
    Series,
)
from dangjian.members.models import Member
from dangjian.orgs.models import BRANCH_KINDS, Organization


def _meeting(user, pk: int, action: str = Action.VIEW) -> Meeting:
    return get_object_or_404(Meeting.objects.restrict(user, action).select_related("org"), pk=pk)


# -- roster -------------------------------------------------------------------------------


def roster_context(request, meeting: Meeting) -> dict:
    rows = list(
        meeting.attendances.select_related("member").order_by("status", "member__name_pinyin", "pk")
    )
    grades = {g.member_id: g for g in meeting.grades.all()}
    for row in rows:
        row.grade = grades.get(row.member_id)
    can_change = Meeting.objects.restrict(request.user, Action.CHANGE).filter(pk=meeting.pk)
    return {
        "roster": rows,
        "can_mark": can_change.exists(),
        "mark_form": MarkForm(),
        "closed": meeting.is_closed(timezone.localdate()),
        "is_review": meeting.kind == MeetingKind.REVIEW,
        "files": list(meeting.files.order_by("created_at")),
        "file_form": FileForm(),
        "unlinked_seats": (
            services.unlinked_seats(meeting.org, meeting.held_on)
            if meeting.kind == MeetingKind.COMMITTEE
            else []
        ),
    }


@login_required
@never_cache
@require_POST
def attendance_mark(request, pk: int):
    attendance = get_object_or_404(
        Attendance.objects.restrict(request.user, Action.CHANGE).select_related(
            "meeting__org", "member"
        ),
        pk=pk,
    )
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            services.mark(request.user, attendance, **form.cleaned_data)
            messages.success(
                request,
                _("已登记%(name)s: %(status)s")
                % {
                    "name": attendance.member.name,
                    "status": AttendanceStatus(attendance.status).label,
                },
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("请选择出席情况"))
    return redirect(reverse("meeting-detail", args=[attendance.meeting_id]) + "#roster")


@login_required
@never_cache
@require_POST
def meeting_observer(request, pk: int):
    meeting = _meeting(request.user, pk, Action.CHANGE)
    member = Member.objects.restrict(request.user).filter(pk=request.POST.get("member")).first()
    if member is None:
        messages.error(request, _("请选择列席的党员"))
    else:
        try:
            services.add_observer(request.user, meeting, member, request.POST.get("note", ""))
            messages.success(request, _("已登记%(name)s列席") % {"name": member.name})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#roster")


@login_required
@never_cache
@require_POST
def meeting_close(request, pk: int):
    meeting = _meeting(request.user, pk, Action.CHANGE)
    services.close_signin(request.user, meeting)
    messages.success(request, _("已结束签到; 之后的登记将作为补登记入审计日志"))
    return redirect("meeting-detail", pk=meeting.pk)


@login_required
@never_cache
@require_POST
def meeting_file_add(request, pk: int):
    meeting = _meeting(request.user, pk, Action.CHANGE)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = services.attach_file(request.user, meeting, form.cleaned_data["file"])
            messages.success(request, _("已上传%(name)s") % {"name": stored.name})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#files")


@login_required
@never_cache
@require_POST
def meeting_file_delete(request, pk: int):
    meeting = _meeting(request.user, pk, Action.CHANGE)
    stored = meeting.files.filter(pk=request.POST.get("file") or None).first()
    if stored is None:
        raise Http404
    services.detach_file(request.user, meeting, stored)
    messages.success(request, _("已删除%(name)s") % {"name": stored.name})
    return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#files")


# -- QR sign-in screen --------------------------------------------------------------------


def _qr_context(request, meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        **signin.screen_context(request, services.make_token(meeting), "me-meeting-signin"),
        "closed": meeting.is_closed(timezone.localdate()),
        "present": meeting.present_count,
        "expected": meeting.expected_count,
    }


@login_required
@never_cache
@require_safe
def meeting_signin(request, pk: int):
    meeting = _meeting(request.user, pk, Action.CHANGE)
    return render(request, "life/signin.html", _qr_context(request, meeting))


@login_required
@never_cache
@require_safe
def meeting_signin_qr(request, pk: int):
    meeting = _meeting(request.user, pk, Action.CHANGE)
    return render(request, "life/_signin_qr.html", _qr_context(request, meeting))


# -- 民主评议党员 --------------------------------------------------------------------------


@login_required
@never_cache
def meeting_review(request, pk: int):
    meeting = _meeting(request.user, pk, Action.CHANGE)
    if meeting.kind != MeetingKind.REVIEW:
        raise Http404
    rows = list(
        meeting.attendances.exclude(status=AttendanceStatus.OBSERVER)
        .select_related("member")
        .order_by("member__name_pinyin", "pk")
    )
    existing = {g.member_id: g for g in meeting.grades.all()}
    forms = []
    for row in rows:
        grade = existing.get(row.member_id)
        initial = (
            {"grade": grade.grade, "followup": grade.followup, "followup_on": grade.followup_on}
            if grade
            else {}
        )
        form = GradeForm(request.POST or None, prefix=f"m{row.member_id}", initial=initial)
        forms.append((row.member, form))
    error = None
    if request.method == "POST" and all(form.is_valid() for _m, form in forms):
        grades = {
            member.pk: (
                form.cleaned_data["grade"],
                form.cleaned_data["followup"],
                form.cleaned_data["followup_on"],
            )
            for member, form in forms
            if form.cleaned_data["grade"]
        }
        try:
            services.record_grades(request.user, meeting, grades)
            messages.success(request, _("已保存民主评议等次"))
            return redirect("meeting-detail", pk=meeting.pk)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    cap = services.excellent_cap()
    return render(
        request,
        "life/review.html",
        {
            "meeting": meeting,
            "forms": forms,
            "error": error,
            "cap": f"{cap.numerator}/{cap.denominator}",
            "grades": Grade,
        },
    )


# -- compliance grid ----------------------------------------------------------------------

STATE_CSS = {
    rules.HELD: "bg-success-subtle text-success-emphasis",
    rules.MISSING: "bg-danger-subtle text-danger-emphasis",
    rules.OPEN: "bg-body-secondary text-body-secondary",
}
STATE_LABELS = {
    rules.HELD: _("已召开"),
    rules.MISSING: _("未召开"),
    rules.OPEN: _("未到期"),
}


def _grid_root(request) -> Organization:
    orgs = Organization.objects.restrict(request.user).order_by("path")
    code = (request.GET.get("org") or "").strip()
    root = orgs.filter(code=code).first() if code else orgs.first()
    # A code outside scope (or unknown) is a 404, like any out-of-scope record.
    if root is None:
        raise Http404
    return root


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        return default
    return year if 1921 <= year <= 9999 else default


def grid(root: Organization, year: int, today: dt.date, kind: str | None = None):
    """Rows (branch, [(month, state, held, required)]) and totals for the year."""
    kinds = [kind] if kind else None
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    result = rules.compliance(root.path, start, end, today, kinds=kinds, cells=True)
    table: dict = {}
    for branch, slot, state in result.cells:
        row = table.setdefault(branch["pk"], (branch, {}))
        cell = row[1].setdefault(slot.end.month, {"held": 0, "required": 0, "missing": 0})
        cell["required"] += 1
        cell["held"] += state == rules.HELD
        cell["missing"] += state == rules.MISSING
    rows = []
    for branch, months in table.values():
        cells = []
        for month in range(1, 13):
            cell = months.get(month)
            if cell is None:
                cells.append((month, None, 0, 0))
                continue
            if cell["held"] == cell["required"]:
                state = rules.HELD
            elif cell["missing"]:
                state = rules.MISSING
            else:
                state = rules.OPEN
            cells.append((month, state, cell["held"], cell["required"]))
        rows.append((branch, cells))
    return rows, result


@login_required
@never_cache
@require_safe
def compliance(request):
    if not can(request.user, Action.VIEW):
        raise Http404
    today = timezone.localdate()
    root = _grid_root(request)
    year = _year(request, today.year)
    kind = request.GET.get("kind") or None
    if kind not in MeetingKind.values:
        kind = None
    rows, result = grid(root, year, today, kind)
    book = rules.RuleBook.load()
    if request.GET.get("export") == "xlsx":
        return _export(request, root, year, kind, rows)
    rate = result.held / result.required if result.required else None
    return render(
        request,
        "life/compliance.html",
        {
            "root": root,
            "year": year,
            "years": range(today.year, 2008, -1),
            "kind": kind,
            "kinds": [(v, label) for v, label in MeetingKind.choices if v in book.by_kind],
            "rows": [
                (
                    branch,
                    [
                        (m, s, h, r, STATE_CSS.get(s, ""), STATE_LABELS.get(s, ""))
                        for m, s, h, r in cells
                    ],
                )
                for branch, cells in rows
            ],
            "months": range(1, 13),
            "required": result.required,
            "held": result.held,
            "rate": rate,
        },
    )


def _export(request, root, year, kind, rows):
    from dangjian.core import audit
    from dangjian.core.models import AuditAction

    headers = [_("党组织代码"), _("党组织"), *[_("%(m)d月") % {"m": m} for m in range(1, 13)]]
    data = []
    for branch, cells in rows:
        line = [branch["code"], branch["name"]]
        for _m, state, held, required in cells:
            line.append("" if state is None else f"{held}/{required} {STATE_LABELS[state]}")
        data.append(line)
    content = write_workbook(
        [Sheet(title=_("组织生活合规"), headers=[str(h) for h in headers], rows=data)]
    )
    audit.batch(
        request.user,
        AuditAction.EXPORT,
        org_path=root.path,
        object_repr=_("导出组织生活合规表 %(year)d年") % {"year": year},
        count=len(data),
        kind=kind or "",
    )
    return xlsx_response(content, f"{root.name}_{year}_组织生活合规.xlsx")


@login_required
@never_cache
@require_safe
def compliance_cell(request, pk: int):
    """One branch and one month (`?month=YYYY-MM`, this month by default): each slot ending
    then, and the meetings held in it."""
    branch = get_object_or_404(
        Organization.objects.restrict(request.user).filter(kind__in=BRANCH_KINDS), pk=pk
    )
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    last = rules.month_end(year, month)
    book = rules.RuleBook.load()
    result = rules.compliance(
        branch.path, last.replace(day=1), last, today, book=book, org_ids={branch.pk}, cells=True
    )
    slots = []
    for _branch, slot, state in result.cells:
        # The branch's own meetings and its 党小组's (a group's 党小组会 is the branch's).
        meetings = Meeting.objects.restrict(request.user).filter(
            org__path__startswith=branch.path,
            kind=slot.kind,
            held_on__gte=slot.start,
            held_on__lte=slot.end,
        )
        slots.append(
            {
                "slot": slot,
                "label": MeetingKind(slot.kind).label,
                "state": state,
                "css": STATE_CSS[state],
                "state_label": STATE_LABELS[state],
                "meetings": list(meetings.order_by("held_on")),
            }
        )
    return render(
        request,
        "life/compliance_cell.html",
        {"branch": branch, "year": year, "month": month, "slots": slots, "today": today},
    )


# -- themed series ------------------------------------------------------------------------


@login_required
@never_cache
def series_create(request):
    if not can(request.user, Action.ADD):
        raise Http404
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.create_series(request.user, **form.cleaned_data)
            messages.success(request, _("已发起“%(name)s”") % {"name": series.name})
            return redirect("series-detail", pk=series.pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(request, "life/series_form.html", {"form": form})


def series_progress(user, series: Series) -> dict:
    """Branches under the series' org (those the user may see) x its activities: which
    have a meeting registered for each."""
    items = list(series.items.all())
    branches = list(
        Organization.objects.restrict(user)
        .filter(path__startswith=series.org.path, kind__in=BRANCH_KINDS)
        .order_by("path")
        .values("pk", "name", "founded_on")
    )
    done = set(
        Meeting.objects.filter(series_item__series=series)
        .values_list("org_id", "series_item_id")
        .distinct()
    )
    rows, complete = [], 0
    for branch in branches:
        cells = [(item, (branch["pk"], item.pk) in done) for item in items]
        finished = all(flag for _i, flag in cells)
        complete += finished
        rows.append((branch, cells, finished))
    return {"items": items, "progress": rows, "complete": complete, "branches": len(branches)}


# -- frequency rules ----------------------------------------------------------------------


@login_required
@never_cache
def frequencies(request):
    """The dated frequency rules; an unrestricted administrator adds a new one here."""
    from dangjian.core.scope import is_unrestricted
    from dangjian.life.forms import FrequencyForm
    from dangjian.life.models import FrequencyRule

    if not can(request.user, Action.VIEW):
        raise Http404
    form = FrequencyForm(request.POST or None) if is_unrestricted(request.user) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.set_frequency(request.user, **form.cleaned_data)
                messages.success(request, _("已保存新的会议频次要求"))
                return redirect("frequency-list")
            except ValidationError as exc:
                apply_service_errors(form, exc)
    rules_list = FrequencyRule.objects.restrict(request.user).order_by("kind", "effective_from")
    return render(request, "life/frequencies.html", {"rules": rules_list, "form": form})
