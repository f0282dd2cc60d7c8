"""廉政教育 attendance beyond the register's pages: who attended an activity, ticked from the
members of its org (as of its day) or imported from an Excel sheet (all rows or none), and
one taken off again after a confirmation. The activity is fetched through `restrict()` for
CHANGE, so another org's activity is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dangjian.core.forms import form_page
from dangjian.core.registers.imports import import_page
from dangjian.core.roles import Action
from dangjian.integrity import services
from dangjian.integrity.forms import EducationAttendanceForm
from dangjian.integrity.models import Education


def _education(request, pk: int) -> Education:
    return get_object_or_404(
        Education.objects.restrict(request.user, Action.CHANGE).select_related("org"), pk=pk
    )


@login_required
def attend(request, pk: int):
    education = _education(request, pk)
    candidates = services.attendance_candidates(request.user, education)
    form = EducationAttendanceForm(request.POST or None, candidates=candidates)
    return form_page(
        request,
        form,
        lambda data: services.record_attendance(request.user, education, data["members"]),
        lambda count: _("已登记%(n)d名参加人员") % {"n": count},
        done=reverse("integrity-education-detail", args=[education.pk]),
        template="integrity/attendance_form.html",
        context={
            "education": education,
            "title": _("登记参加人员"),
            "notice": None if candidates.exists() else _("本组织及下级党组织中没有可登记的党员"),
        },
    )


@login_required
@never_cache
def import_attendance(request, pk: int):
    """参加人员 from an Excel sheet on the kit's import page: every row checked, nothing
    written unless all pass; `?template=1` downloads the blank sheet."""
    education = _education(request, pk)
    detail = reverse("integrity-education-detail", args=[education.pk])
    return import_page(
        request,
        services.attendance_importer(education),
        heading=_("导入参加人员"),
        intro=_(
            "每行一人, 须为本次活动所属党组织及下级党组织当时的党员; 有重名时填写身份证号后4位。"
        ),
        filename="廉政教育参加人员导入模板.xlsx",
        done=detail,
        template="integrity/attendance_import.html",
        context={
            "education": education,
            "lead": f"{education.held_on:%Y-%m-%d} {education.title} · {education.org.name}",
            "back_url": detail,
        },
    )


@login_required
def remove_attendance(request, pk: int, member_pk: int):
    """Asks first (GET: a confirmation page), then takes the member off the list."""
    education = _education(request, pk)
    row = get_object_or_404(education.attendees.select_related("member"), member_id=member_pk)
    if request.method == "POST":
        try:
            services.remove_attendance(request.user, education, row.member)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已删除参加人员%(name)s") % {"name": row.member.name})
        return redirect("integrity-education-detail", education.pk)
    return render(
        request,
        "integrity/attendance_remove.html",
        {"education": education, "member": row.member},
    )
