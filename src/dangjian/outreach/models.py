"""结对帮扶: who is paired with whom (a branch with a village, a family, a needy student or
another school, including the county's "捆绑式" school pairs), and the ledger of what the
pairing gave (money, goods, books, tuition waived, grants, trainings, visits). The ledger's
figures are the statistics key `outreach` (INTERFACES 6), summed over a subtree and period."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.scope import RestrictedQuerySetMixin
from dangjian.orgs.models import Organization, School


class PairingKind(models.TextChoices):
    VILLAGE = "village", _("结对村")
    FAMILY = "family", _("结对困难家庭")
    STUDENT = "student", _("结对困难学生")
    URBAN_RURAL = "urban_rural", _("城乡学校结对")
    PUBLIC_PRIVATE = "public_private", _("公办民办学校结对")
    BUNDLED = "bundled", _("捆绑式学校结对")


SCHOOL_KINDS = (PairingKind.URBAN_RURAL, PairingKind.PUBLIC_PRIVATE, PairingKind.BUNDLED)


class AssistanceKind(models.TextChoices):
    MONEY = "money", _("资金")
    GOODS = "goods", _("物资")
    BOOKS = "books", _("图书")
    TUITION = "tuition", _("减免学费")
    GRANT = "grant", _("争取助学金")
    TRAINING = "training", _("培训")
    VISIT = "visit", _("走访慰问")


class PairingQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    def active_between(self, start, end):
        """Pairings in force for at least one day of [start, end], both ends included."""
        return self.filter(started_on__lte=end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=start)
        )


class Pairing(models.Model):
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("帮扶党组织")
    )
    kind = models.CharField(_("结对类型"), max_length=20, choices=PairingKind.choices)
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("帮扶学校"),
    )
    partner_school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结对学校"),
    )
    partner_name = models.CharField(
        _("结对对象"), max_length=100, blank=True, help_text=_("村、家庭或学生; 学校结对可不填")
    )
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    responsible = models.CharField(_("责任人"), max_length=100)
    plan = models.TextField(_("帮扶措施"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对名册")
        ordering = ["-started_on", "id"]
        indexes = [models.Index(fields=["kind", "started_on"], name="pairing_kind_start")]

    def __str__(self) -> str:
        return f"{self.org.name} — {self.partner_label}"

    @property
    def partner_label(self) -> str:
        if self.partner_school_id is not None:
            return self.partner_school.name
        return self.partner_name

    scope_path = "org__path"


class AssistanceQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    pass


class Assistance(models.Model):
    """One entry of a pairing's ledger. `amount` is yuan (money given, the value of goods,
    tuition waived, grants obtained); `quantity` is books given, students whose tuition was
    waived or who obtained a grant, or people trained."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="assistance", verbose_name=_("结对")
    )
    kind = models.CharField(_("帮扶类别"), max_length=20, choices=AssistanceKind.choices)
    on = models.DateField(_("日期"))
    amount = models.DecimalField(
        _("金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    quantity = models.PositiveIntegerField(
        _("数量"), null=True, blank=True, help_text=_("图书册数、受助学生人数或培训人数")
    )
    description = models.CharField(_("内容"), max_length=200)
    # Evidence (a handover, a visit) through the upload store, read by the pairing's viewers.
    photos = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("照片")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = AssistanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶台账")
        ordering = ["-on", "id"]
        indexes = [models.Index(fields=["on", "kind"], name="assistance_on_kind")]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()} {self.description}"

    scope_path = "pairing__org__path"
