"""Pages of 培训与学习 beyond the registers: the attendance form of a session, and the two
reports (hours per person and per branch against the targets; 党务干部 rotation coverage
and who is due), each with its Excel export."""

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

from dangjian.core import audit, signin
from dangjian.core.audit import AuditAction
from dangjian.core.excel import Sheet, write_workbook, xlsx_response
from dangjian.core.forms import form_page
from dangjian.core.registers.imports import import_page
from dangjian.core.roles import Action
from dangjian.core.scope import can, is_unrestricted, scope_paths
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.training import excel, rules, services
from dangjian.training.forms import AttendanceForm
from dangjian.training.models import Attendance, CourseKind, Source, Training

# Photos of a session: the register kit's gallery pages, as for the ledger's evidence.
photo_add, photo_delete = services.PHOTOS.views()


@login_required
def attend(request, pk: int):
    training = get_object_or_404(
        Training.objects.restrict(request.user, Action.CHANGE).select_related("course", "org"),
        pk=pk,
    )
    form = AttendanceForm(request.POST or None, user=request.user, training=training)

    def save(data):
        return services.record_attendance(
            request.user,
            training,
            data.get("members") or (),
            data.get("recruits") or (),
            hours=data.get("hours"),
            source=data["source"],
            certificate=data.get("certificate") or "",
        )

    return form_page(
        request,
        form,
        save,
        lambda made: _("已登记%(n)d人参训") % {"n": len(made)},
        done=reverse("training-detail", args=[training.pk]),
        template="training/attend.html",
        context={"training": training},
    )


@never_cache
@login_required
def import_attendance(request, pk: int):
    """参训记录 from an Excel sheet on the register kit's import page: every row checked,
    nothing written unless all pass."""
    training = get_object_or_404(
        Training.objects.restrict(request.user, Action.CHANGE).select_related("course", "org"),
        pk=pk,
    )
    detail = reverse("training-detail", args=[training.pk])
    return import_page(
        request,
        excel.attendance_importer(training),
        heading=_("导入参训记录"),
        intro=_("每行一名参训党员, 须是%(org)s及下级党组织的党员; 学时不填则取本期学时%(h)s。")
        % {"org": training.org.name, "h": training.hours},
        filename="参训记录导入模板.xlsx",
        done=detail,
        context={"lead": str(training), "back_url": detail},
    )


# -- QR sign-in (the meetings' mechanism, core.signin) ------------------------------------


def _session(request, pk: int) -> Training:
    return get_object_or_404(
        Training.objects.restrict(request.user, Action.CHANGE).select_related("course", "org"),
        pk=pk,
    )


def _signin_context(request, training: Training) -> dict:
    state = training.signin_state(timezone.localdate())
    context = {
        "training": training,
        "state": state,
        "closed": state != "open",
        "signed": training.attendance.filter(source=Source.QR).count(),
    }
    if state == "open":
        context.update(
            signin.screen_context(request, services.make_token(training), "training-me-signin")
        )
    return context


@login_required
@never_cache
@require_safe
def signin_screen(request, pk: int):
    """The organiser's screen: open sign-in, then the code, redrawn every half validity."""
    training = _session(request, pk)
    return render(request, "training/signin.html", _signin_context(request, training))


@login_required
@never_cache
@require_safe
def signin_qr(request, pk: int):
    training = _session(request, pk)
    return render(request, "training/_signin_qr.html", _signin_context(request, training))


@login_required
@never_cache
@require_POST
def signin_open(request, pk: int):
    training = _session(request, pk)
    try:
        services.open_signin(request.user, training)
        messages.success(request, _("已开启扫码签到"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("training-detail", pk=training.pk)
    return redirect("training-signin", pk=training.pk)


@login_required
@never_cache
@require_POST
def signin_close(request, pk: int):
    training = _session(request, pk)
    services.close_signin(request.user, training)
    messages.success(request, _("已结束扫码签到; 之后的参训请登记或导入"))
    return redirect("training-detail", pk=training.pk)


@login_required
@never_cache
def me_signin(request):
    """The member's phone: GET shows the session and a confirm button (a link preview must
    not sign anyone in), POST signs in; refusals shown with their Chinese reason."""
    token = signin.token_from(request)
    context = {"token": token}
    try:
        context["training"] = services.token_training(token)
        if request.method == "POST":
            context["attendance"], context["created"] = services.sign_in(request.user, token)
    except services.SignInRefused as exc:
        context["error"] = " ".join(exc.messages)
    status = 400 if "error" in context and request.method == "POST" else 200
    return render(request, "training/me_signin.html", context, status=status)


def _roots(user) -> list[Organization]:
    if is_unrestricted(user):
        return list(Organization.objects.filter(depth=1))
    paths = scope_paths(user, Action.VIEW)
    return list(Organization.objects.filter(path__in=paths))


def _chosen_root(request) -> Organization:
    """`?org=CODE` within the viewer's scope, else the viewer's (first) root; 404 when the
    viewer has no subtree (a member reads their own hours on `/me/`)."""
    roots = _roots(request.user)
    if not roots:
        raise Http404
    code = (request.GET.get("org") or "").strip()
    if code:
        visible = Organization.objects.restrict(request.user, Action.VIEW)
        found = visible.filter(code=code).first()
        if found is None:
            raise Http404
        return found
    return roots[0]


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 1921 <= year <= today.year else today.year


def _people(root: Organization, day: dt.date, year: int):
    start = dt.date(year, 1, 1)
    persons = rules.subtree_people(root.path, day, (start, day))
    orgs = dict(
        Organization.objects.filter(pk__in={p.org_id for p in persons}).values_list("pk", "name")
    )
    return persons, orgs


def _export(request, root, title, headers, rows):
    content = write_workbook([Sheet(title=title, headers=headers, rows=rows)])
    audit.batch(
        request.user,
        AuditAction.EXPORT,
        org_path=root.path,
        object_repr=title,
        rows=len(rows),
        filter=request.GET.urlencode(),
    )
    return xlsx_response(content, f"{title}_{root.code}.xlsx")


@login_required
@require_safe
def hours(request):
    """Hours per person in a calendar year (to today in the current year) and per branch,
    against the targets; `?short=1` only those short of it."""
    if not can(request.user, Action.VIEW):
        raise Http404
    root = _chosen_root(request)
    year = _year(request)
    today = timezone.localdate()
    day = min(today, dt.date(year, 12, 31))
    persons, orgs = _people(root, day, year)
    years = range(year, year + 1)
    rows = []
    branches: dict[int, list[int]] = {}
    for p in sorted(persons, key=lambda p: (orgs.get(p.org_id, ""), p.name)):
        have = p.hours.get(year, 0)
        met = p.meets(years)
        counted = branches.setdefault(p.org_id, [0, 0])
        if met is not None:
            counted[0] += 1
            counted[1] += bool(met)
        rows.append(
            {
                "name": p.name,
                "org": orgs.get(p.org_id, ""),
                "cadre": p.cadre,
                "hours": have,
                "target": p.target,
                "met": met,
                "short": max(p.target - have, 0),
            }
        )
    if request.GET.get("short"):
        rows = [row for row in rows if row["met"] is False]
    branch_rows = sorted(
        (
            {
                "org": orgs.get(org_id, ""),
                "counted": counted,
                "met": met,
                "share": round(met / counted * 100, 1) if counted else 0,
            }
            for org_id, (counted, met) in branches.items()
        ),
        key=lambda row: (row["share"], row["org"]),
    )
    if request.GET.get("export") == "xlsx":
        return _export(
            request,
            root,
            _("学习培训学时"),
            [_("姓名"), _("党组织"), _("党务干部"), _("学时"), _("目标"), _("尚缺")],
            [
                [
                    r["name"],
                    r["org"],
                    _("是") if r["cadre"] else "",
                    float(r["hours"]),
                    r["target"],
                    float(r["short"]),
                ]
                for r in rows
            ],
        )
    return render(
        request,
        "training/hours.html",
        {
            "root": root,
            "year": year,
            "rows": rows,
            "branch_rows": branch_rows,
            "member_target": rules.member_target(),
            "cadre_target": rules.cadre_target(),
            "short_only": bool(request.GET.get("short")),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_safe
def rotation(request):
    """党务干部 in the subtree today, whether trained in the current cycle, who is due."""
    if not can(request.user, Action.VIEW):
        raise Http404
    root = _chosen_root(request)
    today = timezone.localdate()
    start, end = rules.cycle_of(today)
    persons, orgs = _people(root, today, today.year)
    cadres = sorted(
        (p for p in persons if p.cadre), key=lambda p: (p.rotated, orgs.get(p.org_id, ""), p.name)
    )
    covered = sum(p.rotated for p in cadres)
    rows = [{"name": p.name, "org": orgs.get(p.org_id, ""), "rotated": p.rotated} for p in cadres]
    if request.GET.get("export") == "xlsx":
        return _export(
            request,
            root,
            _("党务干部轮训"),
            [_("姓名"), _("党组织"), _("本轮是否已轮训")],
            [[r["name"], r["org"], _("是") if r["rotated"] else _("否")] for r in rows],
        )
    return render(
        request,
        "training/rotation.html",
        {
            "root": root,
            "cycle_start": start,
            "cycle_end": end,
            "rows": rows,
            "covered": covered,
            "total": len(cadres),
            "share": round(covered / len(cadres) * 100, 1) if cadres else 0,
            "query": request.GET.urlencode(),
        },
    )


def me_card(request, member: Member) -> dict | None:
    """The `/me/` card: this year's hours against the member's target, the sessions, and
    for a cadre the rotation of the current cycle."""
    today = timezone.localdate()
    year = today.year
    cadre = rules.is_cadre(member, today)
    target = rules.cadre_target() if cadre else rules.member_target()
    have = rules.year_hours(member, year)
    sessions = list(
        member_attendance(member)
        .filter(training__on__year=year)
        .select_related("training__course")
        .order_by("-training__on")[:10]
    )
    context = {
        "year": year,
        "hours": have,
        "target": target,
        "short": max(target - have, 0),
        "met": have >= target,
        "percent": min(int(have * 100 / target), 100) if target else 100,
        "cadre": cadre,
        "sessions": sessions,
    }
    if cadre:
        start, end = rules.cycle_of(today)
        context.update(
            cycle_start=start,
            cycle_end=end,
            rotated=member_attendance(member)
            .filter(
                training__course__kind=CourseKind.ROTATION,
                training__on__gte=start,
                training__on__lte=today,
            )
            .exists(),
        )
    return context


def member_attendance(member):
    return Attendance.objects.filter(member=member)
