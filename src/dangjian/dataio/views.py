"""Pages of the data exchange: template downloads, an import page per template (upload →
report → confirm → background import with progress → result) and the Excel exports of
the org, school and member lists, which export exactly the list's current filter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.core.excel import FileProblem, xlsx_response
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.core.views import query_without_page
from dangjian.dataio import services, tasks
from dangjian.dataio.forms import UploadForm
from dangjian.dataio.importing import IMPORTERS
from dangjian.dataio.models import ImportJob, JobStatus, Kind
from dangjian.members.models import Member
from dangjian.members.registers import MemberRegister
from dangjian.orgs.models import Organization, School
from dangjian.orgs.registers import OrgRegister, SchoolRegister

ERRORS_PER_PAGE = 100
RECENT_JOBS = 10


def _require_import(user) -> None:
    """Importing adds records: only for users who may add somewhere (else 404)."""
    if not can(user, Action.ADD):
        raise Http404()


def _jobs(user):
    """The user's jobs, any whose worker died first marked failed, so no page shows a
    progress bar that will never move."""
    jobs = ImportJob.objects.restrict(user, Action.VIEW)
    services.fail_orphans(jobs)
    return jobs


@login_required
@never_cache
def data_home(request):
    _require_import(request.user)
    kinds = [
        {
            "kind": kind,
            "label": label,
            "columns": len(IMPORTERS[kind].template.columns),
        }
        for kind, label in Kind.choices
    ]
    return render(
        request,
        "dataio/home.html",
        {"kinds": kinds, "jobs": _jobs(request.user)[:RECENT_JOBS]},
    )


@login_required
def template_download(request, kind):
    _require_import(request.user)
    template = IMPORTERS[kind].template
    return xlsx_response(
        template.template_workbook(), _("%(t)s导入模板.xlsx") % {"t": template.title}
    )


@login_required
@never_cache
def import_page(request, kind):
    user = request.user
    _require_import(user)
    template = IMPORTERS[kind].template
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.create_job(user, kind, form.cleaned_data["file"])
        except FileProblem as exc:
            form.add_error("file", exc.message)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            result = tasks.check_upload.enqueue(job.pk)
            services.set_task(job, result.id)
            return redirect("data-job", pk=job.pk)
    return render(
        request,
        "dataio/import.html",
        {
            "kind": kind,
            "label": Kind(kind).label,
            "form": form,
            "columns": template.describe(),
            "description": template.description,
            "jobs": _jobs(user).filter(kind=kind)[:RECENT_JOBS],
        },
    )


@login_required
@never_cache
def job_detail(request, pk):
    job = get_object_or_404(_jobs(request.user), pk=pk)
    page = None
    if job.status == JobStatus.INVALID:
        page = Paginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "dataio/job.html",
        {
            "job": job,
            "label": Kind(job.kind).label,
            "page": page,
            "query": "",
            "more_errors": job.error_count - len(job.errors),
            "statuses": JobStatus,
        },
    )


@login_required
@never_cache
def job_progress(request, pk):
    """The progress bar, polled by htmx; once the job has left its running state the
    whole page reloads to show the report or the result."""
    job = get_object_or_404(_jobs(request.user), pk=pk)
    if not job.running:
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return render(request, "dataio/_progress.html", {"job": job})


@login_required
@require_POST
def job_confirm(request, pk):
    job = get_object_or_404(ImportJob.objects.restrict(request.user, Action.CHANGE), pk=pk)
    try:
        services.confirm_job(request.user, job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("data-job", pk=job.pk)
    result = tasks.import_upload.enqueue(job.pk)
    services.set_task(job, result.id)
    return redirect("data-job", pk=job.pk)


@login_required
@never_cache
def job_report(request, pk):
    job = get_object_or_404(_jobs(request.user), pk=pk)
    path = services.job_path(job.report)
    if path is None or not path.exists():
        raise Http404()
    stem = job.file_name.rsplit(".", 1)[0] or "import"
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=_("%(f)s-问题报告.xlsx") % {"f": stem},
    )
    response["Cache-Control"] = "no-store"
    return response


def _export(request, register, model, export, what: str, **options):
    """A register's rows as the list shows them now (its filter is in the query string), in
    the import layout, so the file goes back in unchanged."""
    rows, _filterset = register.instance.filter(
        model.objects.restrict(request.user, Action.VIEW), request.GET, request
    )
    content, _count = export(request.user, rows, filter_text=query_without_page(request), **options)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(content, _("%(what)s_%(d)s.xlsx") % {"what": what, "d": stamp})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def export_members(request):
    """The member list as it is filtered now (the filter is in the query string). Full ID
    numbers only on a POST (a reveal, audited) by a holder of the reveal permission, and
    then only for the members within that permission; everyone else's stay masked."""
    full_id = (
        request.method == "POST"
        and request.POST.get("full_id") == "1"
        and can(request.user, Action.REVEAL_ID)
    )
    return _export(
        request, MemberRegister, Member, services.export_members, _("党员"), full_id=full_id
    )


@login_required
@never_cache
def export_schools(request):
    return _export(request, SchoolRegister, School, services.export_schools, _("学校"))


@login_required
@never_cache
def export_orgs(request):
    return _export(request, OrgRegister, Organization, services.export_orgs, _("党组织"))
