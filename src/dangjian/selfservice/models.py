from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.scope import RestrictedQuerySet
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.recruitment.models import Recruit


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DONE = "done", _("已更正")
    DECLINED = "declined", _("不予更正")


class Correction(models.Model):
    """A member's request to correct their own record: it goes to the branch's 待办 list;
    the branch corrects the record through the member pages and closes it with a reply."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("党员")
    )
    field = models.CharField(_("需更正的项目"), max_length=40)
    text = models.CharField(_("更正内容"), max_length=300)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.OPEN,
        db_index=True,
    )
    reply = models.CharField(_("处理意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    handled_on = models.DateField(_("处理日期"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("信息更正申请")
        verbose_name_plural = _("信息更正申请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.field}"

    scope_path = "member__org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)


class ApplicantAccount(models.Model):
    """The sign-in of someone in the 发展党员 pipeline who is not (yet) a member: their
    account sees their own timeline and 思想汇报 on `/me/` and nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applicant_account",
        verbose_name=_("登录账号"),
    )
    recruit = models.OneToOneField(
        Recruit, on_delete=models.CASCADE, related_name="account", verbose_name=_("发展党员对象")
    )
    created_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("入党申请人账号")
        verbose_name_plural = _("入党申请人账号")

    def __str__(self) -> str:
        return f"{self.user} · {self.recruit}"


class ThoughtReport(models.Model):
    """思想汇报 uploaded by an applicant, activist, candidate or 预备党员 (at least one a
    quarter); read by their branch and themselves."""

    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党支部")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提交人"),
    )
    recruit = models.ForeignKey(
        Recruit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thought_reports",
        verbose_name=_("发展党员对象"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("标题"), max_length=100)
    quarter = models.CharField(_("季度"), max_length=7, db_index=True)
    submitted_on = models.DateField(_("提交日期"))
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("文件")
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("思想汇报")
        verbose_name_plural = _("思想汇报")
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name} {self.quarter} {self.title}"

    scope_path = "org__path"

    @classmethod
    def self_q(cls, user):
        return Q(user_id=user.pk)


def quarter_of(day) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"
