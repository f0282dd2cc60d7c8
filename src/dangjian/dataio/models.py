"""Import jobs: one uploaded file going through check → confirm → background import. The
job keeps who, which template, the file's SHA-256, progress, counts and every problem, so
the page can show them after the worker is done."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.roles import Action


class Kind(models.TextChoices):
    ORGS = "orgs", _("党组织")
    SCHOOLS = "schools", _("学校")
    MEMBERS = "members", _("党员")
    # Declared by recruitment (recruitment.excel), registered through core.excel.
    RECRUITS = "recruits", _("发展党员")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("等待校验")
    CHECKING = "checking", _("正在校验")
    REJECTED = "rejected", _("文件不可用")
    INVALID = "invalid", _("校验未通过")
    VALID = "valid", _("校验通过, 待确认导入")
    QUEUED = "queued", _("等待导入")
    IMPORTING = "importing", _("正在导入")
    DONE = "done", _("导入完成")
    FAILED = "failed", _("导入失败")
    EXPIRED = "expired", _("已过期")


RUNNING_STATUSES = frozenset(
    {JobStatus.PENDING, JobStatus.CHECKING, JobStatus.QUEUED, JobStatus.IMPORTING}
)


class ImportJobQuerySet(models.QuerySet):
    def restrict(self, user, action: str = Action.VIEW):
        """A job (its file, report and problems) belongs to the user who uploaded it."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        if not getattr(user, "is_active", True) or getattr(user, "pk", None) is None:
            return self.none()
        if action not in (Action.VIEW, Action.CHANGE):
            return self.none()
        return self.filter(user_id=user.pk)


class ImportJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("上传人"),
    )
    kind = models.CharField(_("模板"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    upload = models.CharField(_("上传文件位置"), max_length=255, blank=True)
    report = models.CharField(_("问题报告位置"), max_length=255, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    phase = models.CharField(_("当前步骤"), max_length=50, blank=True)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    to_create = models.PositiveIntegerField(_("将新增"), default=0)
    to_update = models.PositiveIntegerField(_("将更新"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    changed_count = models.PositiveIntegerField(_("其中内容有变化"), default=0)
    error_count = models.PositiveIntegerField(_("问题数"), default=0)
    errors = models.JSONField(_("问题"), default=list, blank=True)
    warnings = models.JSONField(_("提醒"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def unchanged_count(self) -> int:
        return max(0, self.updated_count - self.changed_count)

    @property
    def running(self) -> bool:
        return self.status in RUNNING_STATUSES
