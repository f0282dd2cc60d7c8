"""Account security state that Django's auth tables do not keep."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountSecurity(models.Model):
    """When the password was last set, and whether it must be changed at the next sign-in
    (after someone else set it). Accounts without a row count from `date_joined`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="account_security",
        verbose_name=_("用户"),
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("账号安全状态")
        verbose_name_plural = _("账号安全状态")

    def __str__(self) -> str:
        return str(self.user)


class LoginSession(models.Model):
    """A server session opened by signing in. Kept so that disabling an account, resetting
    its password or second factor, or a security administrator ends all of its sessions at
    once (Django's session table cannot be searched by user)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="login_sessions",
        verbose_name=_("用户"),
    )
    session_key = models.CharField(_("会话"), max_length=40, unique=True)
    started_at = models.DateTimeField(_("登录时间"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"
