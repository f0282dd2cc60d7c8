import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.roles import Role
from dangjian.core.scope import RestrictedQuerySet


class RoleAssignment(models.Model):
    """A role held by a user over an organisation and its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("用户"),
    )
    org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("党组织"),
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="unique_role_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org}"

    scope_path = "org__path"


class AuditAction(models.IntegerChoices):
    """Numbered like zulip's RealmAuditLog event types: numbers are stable, never reused."""

    CREATE = 1, _("新增")
    UPDATE = 2, _("修改")
    DELETE = 3, _("删除")
    MOVE = 4, _("移动")
    LOGIN = 10, _("登录")
    LOGIN_FAILED = 11, _("登录失败")
    LOGOUT = 12, _("退出登录")
    REVEAL_ID = 20, _("查看完整身份证号")
    READ = 21, _("查阅")
    EXPORT = 30, _("导出")
    IMPORT = 31, _("导入")
    ROLE_GRANT = 40, _("授予角色")
    ROLE_REVOKE = 41, _("撤销角色")
    TOKEN_CREATE = 42, _("创建API令牌")
    PASSWORD_CHANGE = 43, _("修改密码")
    MEMBER_EVENT = 50, _("党员变动")


class AuditQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加, 不能修改")

    def delete(self):
        raise PermissionError("审计日志只能追加, 不能删除")


class AuditEntry(models.Model):
    """Append-only record of every write, login and sensitive read."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    action = models.PositiveSmallIntegerField(_("操作"), choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    org_path = models.CharField(_("组织路径"), max_length=255, blank=True, db_index=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志只能追加, 不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加, 不能删除")

    # Entries without an org (logins) are visible only to unrestricted auditors.
    scope_path = "org_path"


class FileKind(models.TextChoices):
    IMAGE = "image", _("图片")
    PDF = "pdf", _("PDF文档")
    DOCX = "docx", _("Word文档")
    XLSX = "xlsx", _("Excel表格")


class StoredFile(models.Model):
    """A photo or attachment in the upload store (core.uploads): the bytes live outside the
    web root and are served only by a view that checks who may read them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=FileKind.choices)
    content_type = models.CharField(_("内容类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    relpath = models.CharField(_("存储位置"), max_length=200, editable=False)
    # Who may download: holders of `action` over org_path's subtree, the owner, or anyone
    # when public.
    org_path = models.CharField(_("组织路径"), max_length=255, blank=True, db_index=True)
    action = models.CharField(_("所需权限"), max_length=20, default="view")
    public = models.BooleanField(_("公开"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("本人"),
    )
    uploaded_by = models.CharField(_("上传人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("上传文件")
        verbose_name_plural = _("上传文件")

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse("stored-file", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.kind == FileKind.IMAGE


class Notification(models.Model):
    """A reminder to one person (a transfer to accept, a correction to make): the one
    mechanism every module uses (`core.notifications.notify`), read in the app's own list.
    E-mail or SMS copies are an optional backend, off by default (an intranet has neither)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息提醒")
        verbose_name_plural = _("消息提醒")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self) -> str:
        return self.text
