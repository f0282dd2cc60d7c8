"""Background steps of a web import (Django's Tasks API, django-tasks backport): check the
upload, and after the user's confirmation, import it. The job row carries progress and
outcome; tests run these inline (immediate backend)."""

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from dangjian.core.excel import FileProblem
from dangjian.dataio import services
from dangjian.dataio.importing import run_import
from dangjian.dataio.models import ImportJob, JobStatus

logger = logging.getLogger(__name__)


def _load(job_id: int, expected: str) -> ImportJob | None:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != expected:
        return None
    return job


def _execute(job: ImportJob, *, dry_run: bool) -> None:
    path = services.job_path(job.upload)
    if path is None or not path.exists():
        services.fail_job(job, _("上传的文件已不存在, 请重新上传"))
        return

    def progress(fraction: float, phase: str) -> None:
        services.report_progress(job.pk, fraction, str(phase))

    try:
        with services.heartbeat(job.pk):
            outcome = run_import(
                job.kind,
                path,
                job.user,
                dry_run=dry_run,
                source=job.file_name,
                progress=progress,
                keep_sheet=True,
            )
    except FileProblem as exc:
        services.reject_job(job, exc.message)
        return
    except ValidationError as exc:
        services.fail_job(job, "; ".join(exc.messages))
        return
    except Exception:
        logger.exception("import job %s failed", job.pk)
        services.fail_job(job, _("导入时发生内部错误, 未写入任何数据; 请联系管理员"))
        return
    if outcome.problems:
        services.invalid_job(job, outcome)
    elif dry_run:
        services.valid_job(job, outcome)
    else:
        services.done_job(job, outcome)


def _run(job_id: int, waiting: str, running: str, phase: str, *, dry_run: bool) -> str:
    """Take the job if it still waits in `waiting` (another worker may have taken it)."""
    job = _load(job_id, waiting)
    if job is None:
        return "skipped"
    services.start_job(job, running, phase)
    _execute(job, dry_run=dry_run)
    return str(job.status)


@task()
def check_upload(job_id: int) -> str:
    """Parse and check every row without writing; the page then shows the report."""
    services.purge_stale()
    return _run(job_id, JobStatus.PENDING, JobStatus.CHECKING, _("正在校验"), dry_run=True)


@task()
def import_upload(job_id: int) -> str:
    """Check again (the database may have changed since) and write, all or nothing."""
    return _run(job_id, JobStatus.QUEUED, JobStatus.IMPORTING, _("正在导入"), dry_run=False)
