"""党务公开 and the document library.

A `Publication` is what an org chose to show on its public page: dated, audited, with an
expiry; the portal shows only publications in force (published_on <= today <= expires_on,
not withdrawn). The 发展对象公示 comes from the pipeline's 公示 step itself (its period is
the step's dates). A `Document` is a library entry of an org (制度, 法规文件, 工作资料, 模板)
with numbered versions, each an uploaded file in the upload store and the text extracted
from it for search."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.scope import RestrictedQuerySet, RestrictedQuerySetMixin
from dangjian.orgs.models import Organization


class DocumentCategory(models.TextChoices):
    RULES = "rules", _("制度")
    LAWS = "laws", _("法规文件")
    MATERIALS = "materials", _("工作资料")
    TEMPLATES = "templates", _("模板")


class DocumentQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    def search(self, text: str):
        from dangjian.disclosure import search

        return search.documents(self, text)


class Document(models.Model):
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="documents", verbose_name=_("党组织")
    )
    category = models.CharField(_("类别"), max_length=20, choices=DocumentCategory.choices)
    title = models.CharField(_("名称"), max_length=200)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    issued_on = models.DateField(_("发布或施行日期"), null=True, blank=True)
    version_count = models.PositiveSmallIntegerField(_("版本数"), default=0)
    # The title, description and the current version's text: what search reads.
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("文件资料")
        verbose_name_plural = _("文件资料库")
        ordering = ["org__path", "category", "title", "id"]

    def __str__(self) -> str:
        return self.title

    scope_path = "org__path"

    def audit_snapshot(self) -> dict:
        from dangjian.core.audit import snapshot

        return snapshot(self, exclude=("search_text", "created_at", "updated_at"))

    @property
    def current(self):
        return self.versions.order_by("-number").first()


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("文件")
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("文件")
    )
    text = models.TextField(_("文本内容"), blank=True, editable=False)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    uploaded_by = models.CharField(_("上传人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("文件版本")
        verbose_name_plural = _("文件版本")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.document.title} v{self.number}"

    scope_path = "document__org__path"

    def audit_snapshot(self) -> dict:
        from dangjian.core.audit import snapshot

        return snapshot(self, exclude=("text", "created_at"))


class PublicationKind(models.TextChoices):
    NOTICE = "notice", _("通知公告")
    ACTIVITY = "activity", _("活动")
    EXEMPLAR = "exemplar", _("先进典型")
    COMMITMENT = "commitment", _("党员承诺")
    DUES = "dues", _("党费收缴")
    DOCUMENT = "document", _("文件")


class PublicationQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    def live(self, day):
        """In force on `day`: published, not expired, not withdrawn."""
        return self.filter(published_on__lte=day, expires_on__gte=day, withdrawn_on__isnull=True)


class Publication(models.Model):
    org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("党组织"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=PublicationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    published_on = models.DateField(_("公开日期"), db_index=True)
    expires_on = models.DateField(_("截止日期"), db_index=True)
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("公开的文件"),
    )
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    # The record of another module it was published from (a 组织生活 meeting, an exemplar),
    # by name and id: the modules do not know about disclosure (disclosure.sources).
    source_type = models.CharField(_("来源"), max_length=20, blank=True, default="")
    source_id = models.PositiveIntegerField(_("来源记录"), null=True, blank=True)
    published_by = models.CharField(_("发布人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("党务公开")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["source_type", "source_id"], name="publication_source")]

    def __str__(self) -> str:
        return self.title

    scope_path = "org__path"

    def is_live(self, day) -> bool:
        return self.withdrawn_on is None and self.published_on <= day <= self.expires_on


def live_q(day, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}published_on__lte": day,
            f"{prefix}expires_on__gte": day,
            f"{prefix}withdrawn_on__isnull": True,
        }
    )
