"""Writes of the data exchange: import jobs (upload, progress, outcome) and exports, each
audited once with its counts and the file's SHA-256."""

import datetime as dt
import hashlib
import io
import logging
import os
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.audit import AuditAction
from dangjian.core.excel import (
    MAX_FILE_BYTES,
    FileProblem,
    report_workbook,
    sha256_bytes,
    size_text,
)
from dangjian.core.roles import Action
from dangjian.core.routers import reads_replica
from dangjian.dataio.models import RUNNING_STATUSES, ImportJob, JobStatus, Kind
from dangjian.members.excel import EXPORT_FIELDS, MEMBER_TEMPLATE, export_row_builder
from dangjian.orgs.excel import ORG_TEMPLATE, SCHOOL_TEMPLATE, with_parent_codes
from dangjian.orgs.models import Organization, School

logger = logging.getLogger(__name__)

# Uploaded files and reports hold personal data: kept only as long as the job needs them.
RETENTION = dt.timedelta(hours=24)
# The page lists this many problems; the downloadable report holds all of them.
MAX_STORED_ERRORS = 20_000
# A running job's worker touches the job's heartbeat file this often; a job whose file is
# older than ORPHAN_AFTER_SECONDS lost its worker (killed, or the machine restarted).
HEARTBEAT_SECONDS = 5
ORPHAN_AFTER_SECONDS = 60
WORKING_STATUSES = (JobStatus.CHECKING, JobStatus.IMPORTING)


def import_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def job_path(name: str) -> Path | None:
    """The file behind a job's `upload`/`report` name, only inside the import folder."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    return import_dir() / name


def _max_bytes() -> int:
    return int(getattr(settings, "DANGJIAN_IMPORT_MAX_BYTES", MAX_FILE_BYTES))


def _remove(name: str) -> None:
    path = job_path(name)
    if path is not None:
        path.unlink(missing_ok=True)


def heartbeat_path(job_id: int) -> Path:
    return import_dir() / f"job-{int(job_id)}.alive"


@contextmanager
def heartbeat(job_id: int):
    """Keep the job's heartbeat file fresh while the worker runs it. A file, not a column:
    on SQLite the import holds the database's write lock until it commits."""
    path = heartbeat_path(job_id)
    path.touch()
    stop = threading.Event()

    def beat():
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                os.utime(path)
            except OSError:  # the beat is advisory; the job itself decides its outcome
                logger.warning("heartbeat of import job %s failed", job_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"import-job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield path
    finally:
        stop.set()
        thread.join()
        path.unlink(missing_ok=True)


def fail_orphans(jobs=None, now: float | None = None) -> int:
    """Mark failed the checking or importing jobs whose worker stopped beating. Its
    transaction died with it, so nothing was written; the user is told to upload again
    instead of watching a progress bar that never moves. Returns how many were failed."""
    now = time.time() if now is None else now
    jobs = ImportJob.objects.all() if jobs is None else jobs
    failed = 0
    for job in jobs.filter(status__in=WORKING_STATUSES):
        path = heartbeat_path(job.pk)
        try:
            last = path.stat().st_mtime
        except FileNotFoundError:
            last = job.started_at.timestamp() if job.started_at else 0.0
        if now - last <= ORPHAN_AFTER_SECONDS:
            continue
        # Only from the state seen here: a worker that finished meanwhile keeps its outcome.
        changed = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=JobStatus.FAILED,
            message=_("后台任务意外中断(进程退出或服务器重启), 未写入任何数据; 请重新上传"),
            progress=100,
            phase="",
            finished_at=timezone.now(),
        )
        if changed:
            _remove(job.upload)
            ImportJob.objects.filter(pk=job.pk).update(upload="")
            path.unlink(missing_ok=True)
            failed += 1
    return failed


def purge_stale(now: dt.datetime | None = None) -> int:
    """Remove uploads and reports older than RETENTION; a job still waiting for its
    confirmation then expires. Returns how many files were removed."""
    now = now or timezone.now()
    fail_orphans(now=now.timestamp())
    cutoff = now - RETENTION
    removed = 0
    folder = import_dir()
    for path in folder.iterdir():
        if not path.is_file():
            continue
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        if modified < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    ImportJob.objects.filter(status=JobStatus.VALID, created_at__lt=cutoff).update(
        status=JobStatus.EXPIRED, upload="", message=_("超过24小时未确认, 上传的文件已删除")
    )
    ImportJob.objects.filter(created_at__lt=cutoff).exclude(report="").update(report="")
    return removed


def create_job(user, kind: str, uploaded) -> ImportJob:
    """Store an upload (streamed to disk, refused beyond the size cap) as a new job."""
    if kind not in Kind.values:
        raise ValidationError(_("未知的导入模板"))
    purge_stale()
    name = f"{uuid.uuid4().hex}.xlsx"
    path = import_dir() / name
    digest = hashlib.sha256()
    size = 0
    limit = _max_bytes()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            for chunk in uploaded.chunks():
                size += len(chunk)
                if size > limit:
                    raise FileProblem(_("文件超过%(max)s的上限") % {"max": size_text(limit)})
                digest.update(chunk)
                handle.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return ImportJob.objects.create(
        user=user,
        kind=kind,
        file_name=os.path.basename(uploaded.name or "")[:255] or name,
        sha256=digest.hexdigest(),
        size=size,
        upload=name,
        status=JobStatus.PENDING,
        phase=_("等待校验"),
    )


def report_progress(job_id: int, fraction: float, phase: str) -> None:
    """Progress of a running job. Inside the import's transaction the job row is written
    through a second connection (PostgreSQL), so the page sees it before the commit; on
    SQLite the writer holds the database lock, so the bar waits for the next phase."""
    percent = max(0, min(100, int(fraction * 100)))
    if not connection.in_atomic_block:
        ImportJob.objects.filter(pk=job_id).update(progress=percent, phase=phase[:50])
        return
    if connection.vendor != "postgresql":
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with side.cursor() as cursor:
            table = side.ops.quote_name(ImportJob._meta.db_table)
            cursor.execute(
                f"UPDATE {table} SET progress = %s, phase = %s WHERE id = %s",
                [percent, phase[:50], job_id],
            )
    except Exception:  # progress is cosmetic: never fail an import over it
        logger.warning("progress update failed for import job %s", job_id, exc_info=True)
    finally:
        side.close()


def update_job(job: ImportJob, **fields) -> ImportJob:
    for key, value in fields.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    return job


def start_job(job: ImportJob, status: str, phase: str) -> ImportJob:
    return update_job(job, status=status, phase=phase, progress=1, started_at=timezone.now())


def _end_job(job: ImportJob, status: str, message: str) -> ImportJob:
    """A job that ends without writing: the upload goes, the message stays."""
    _remove(job.upload)
    return update_job(
        job,
        status=status,
        message=message,
        upload="",
        progress=100,
        phase="",
        finished_at=timezone.now(),
    )


def reject_job(job: ImportJob, message: str) -> ImportJob:
    return _end_job(job, JobStatus.REJECTED, message)


def fail_job(job: ImportJob, message: str) -> ImportJob:
    return _end_job(job, JobStatus.FAILED, message)


def _checked_job(job: ImportJob, status: str, outcome, **fields) -> ImportJob:
    """A phase that read the whole file ends: its row count, the bar full."""
    return update_job(job, status=status, rows=outcome.rows, progress=100, phase="", **fields)


def invalid_job(job: ImportJob, outcome) -> ImportJob:
    """Keep every problem for the page (up to MAX_STORED_ERRORS) and write the marked
    report with all of them; the upload itself is no longer needed."""
    report_name = f"{uuid.uuid4().hex}-report.xlsx"
    path = import_dir() / report_name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        report_workbook(outcome.sheet, outcome.problems, handle)
    _remove(job.upload)
    return _checked_job(
        job,
        JobStatus.INVALID,
        outcome,
        error_count=len(outcome.problems),
        errors=[p.as_list() for p in outcome.problems[:MAX_STORED_ERRORS]],
        report=report_name,
        upload="",
        finished_at=timezone.now(),
    )


def valid_job(job: ImportJob, outcome) -> ImportJob:
    return _checked_job(
        job,
        JobStatus.VALID,
        outcome,
        to_create=outcome.to_create,
        to_update=outcome.to_update,
        error_count=0,
        errors=[],
        warnings=outcome.warnings,
    )


def done_job(job: ImportJob, outcome) -> ImportJob:
    _remove(job.upload)
    return _checked_job(
        job,
        JobStatus.DONE,
        outcome,
        created_count=outcome.created,
        updated_count=outcome.updated,
        changed_count=outcome.changed,
        warnings=outcome.warnings,
        upload="",
        finished_at=timezone.now(),
    )


def confirm_job(user, job: ImportJob) -> ImportJob:
    """The uploader confirms a checked file; the import then runs in the background."""
    if job.user_id != user.pk:
        raise ValidationError(_("只能确认自己上传的文件"))
    if job.status != JobStatus.VALID:
        raise ValidationError(
            _("该任务当前状态为“%(s)s”, 不能确认导入") % {"s": job.get_status_display()}
        )
    path = job_path(job.upload)
    if path is None or not path.exists():
        update_job(job, status=JobStatus.EXPIRED, upload="")
        raise ValidationError(_("上传的文件已过期删除, 请重新上传"))
    return update_job(job, status=JobStatus.QUEUED, phase=_("等待导入"), progress=0)


def set_task(job: ImportJob, task_id: str) -> ImportJob:
    return update_job(job, task_id=str(task_id)[:64])


def is_running(job: ImportJob) -> bool:
    return job.status in RUNNING_STATUSES


# -- exports ----------------------------------------------------------------------------------


def _audit_export(actor, template: str, content: bytes, count: int, paths, **extra) -> str:
    sha256 = sha256_bytes(content)
    audit.batch(
        actor,
        AuditAction.EXPORT,
        org_path=Organization.common_path(paths),
        object_repr=_("导出%(what)s %(n)d条") % {"what": template, "n": count},
        template=template,
        count=count,
        sha256=sha256,
        **extra,
    )
    return sha256


@reads_replica
def export_members(
    actor, queryset, *, full_id: bool = False, filter_text: str = ""
) -> tuple[bytes, int]:
    """Members of an already restricted queryset in the import layout. ID numbers are in
    full only with `full_id` and only for members the actor may reveal (Action.REVEAL_ID);
    everyone else's stay masked. One audit row says how many were revealed."""
    queryset = queryset.order_by("org__path", "name", "id")
    revealed: set[int] = set()
    if full_id:
        revealed = set(
            queryset.restrict(actor, Action.REVEAL_ID).order_by().values_list("pk", flat=True)
        )
    # Codes by id, one query each, instead of an org and a school object per member.
    orgs = {
        pk: (code, path)
        for pk, code, path in Organization.objects.filter(
            pk__in=queryset.order_by().values("org_id")
        ).values_list("pk", "code", "path")
    }
    school_codes = dict(
        School.objects.filter(pk__in=queryset.order_by().values("work_unit_id")).values_list(
            "pk", "code"
        )
    )
    org_codes = {pk: code for pk, (code, _path) in orgs.items()}
    paths = {path for _code, path in orgs.values()}
    count = 0

    def rows():
        nonlocal count
        build = export_row_builder(revealed, org_codes, school_codes)
        records = queryset.values_list(*EXPORT_FIELDS, named=True)
        for values in records.iterator(chunk_size=2000):
            count += 1
            yield build(values)

    buffer = io.BytesIO()
    MEMBER_TEMPLATE.export_workbook(rows(), buffer, row=lambda row: row)
    content = buffer.getvalue()
    _audit_export(
        actor,
        str(MEMBER_TEMPLATE.title),
        content,
        count,
        paths,
        full_id=bool(full_id),
        revealed=len(revealed),
        filter=filter_text,
    )
    return content, count


@reads_replica
def export_orgs(actor, queryset, *, filter_text: str = "") -> tuple[bytes, int]:
    orgs = with_parent_codes(queryset.order_by("path"))
    content = ORG_TEMPLATE.export_workbook(orgs)
    _audit_export(
        actor,
        str(ORG_TEMPLATE.title),
        content,
        len(orgs),
        (o.path for o in orgs),
        filter=filter_text,
    )
    return content, len(orgs)


@reads_replica
def export_schools(actor, queryset, *, filter_text: str = "") -> tuple[bytes, int]:
    schools = list(queryset.select_related("supervising_org", "covering_org").order_by("code"))
    content = SCHOOL_TEMPLATE.export_workbook(schools)
    _audit_export(
        actor,
        str(SCHOOL_TEMPLATE.title),
        content,
        len(schools),
        ((s.covering_org or s.supervising_org).path for s in schools),
        filter=filter_text,
    )
    return content, len(schools)
