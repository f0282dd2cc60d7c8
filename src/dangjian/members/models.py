import contextlib
import datetime as dt

from django.conf import settings
from django.db import connections, models, router
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import crypto, pinyin
from dangjian.core.audit import snapshot
from dangjian.core.scope import RestrictedQuerySet, RestrictedQuerySetMixin, path_q
from dangjian.core.validators import id_birth_date, mask_id_number
from dangjian.members.choices import (
    ETHNIC_CHOICES,
    HAN,
    Backbone,
    Category,
    Education,
    EventKind,
    PersonType,
    Sex,
    Status,
)
from dangjian.orgs.models import Organization, School


class PersonQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    def search(self, text: str):
        """Name, full pinyin or pinyin initials (and what `_search_q` adds)."""
        text = (text or "").strip()
        if not text:
            return self
        lowered = text.lower()
        if lowered.isascii() and lowered.isalpha():
            # Letters are pinyin: the two prefix indexes serve them. `name LIKE '%abc%'` in
            # the OR would make the database read every row (names are in Chinese).
            q = Q(name_pinyin__startswith=lowered) | Q(name_initials__startswith=lowered)
        else:
            q = Q(name__contains=text)
        extra = self._search_q(text)
        return self.filter(q if extra is None else q | extra)

    def _search_q(self, text: str) -> Q | None:
        """More ways a model's people may be found by `text`."""
        return None

    def with_id_numbers(self, numbers):
        """People holding any of these ID numbers: the one way to look up by number. Numbers
        are stored encrypted, so the lookup goes through their keyed hash."""
        hashes = {
            crypto.hash_id(number.strip().upper())
            for number in numbers
            if isinstance(number, str) and number.strip()
        }
        return self.filter(id_hash__in=sorted(hashes))


class MemberQuerySet(PersonQuerySet):
    def _search_q(self, text: str) -> Q | None:
        # Only the 4 characters the mask shows may be searched, so search reveals nothing more.
        suffix = text.upper()
        if len(suffix) == 4 and suffix[:3].isdigit() and (suffix[3].isdigit() or suffix[3] == "X"):
            return Q(id_suffix=suffix)
        return super()._search_q(text)

    def current(self):
        return self.filter(status=Status.ACTIVE)


# Columns the audit never shows: derived keys, timestamps, and the ID number's ciphertext and
# hash (the audit keeps the mask instead, see `Person.audit_snapshot`).
PERSON_AUDIT_EXCLUDE = (
    "name_pinyin",
    "name_initials",
    "created_at",
    "updated_at",
    "id_cipher",
    "id_hash",
    "id_suffix",
)


# What a person record holds whatever the register (`id_number` is the clear-text property
# over the encrypted columns); each register adds its org and work unit.
PERSON_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "id_number",
    "education",
    "person_type",
    "backbone",
    "title",
    "phone",
)


class Person(models.Model):
    """What a member (党员) and a person in the 发展党员 pipeline both are: the identity and
    personal fields of INTERFACES 4.3, with the 公民身份号码 never stored in clear (DESIGN 7).
    Each concrete model adds its org, work unit and own history."""

    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名全拼"), max_length=200, blank=True, db_index=True)
    name_initials = models.CharField(_("姓名首字母"), max_length=50, blank=True, db_index=True)
    sex = models.CharField(_("性别"), max_length=6, choices=Sex.choices)
    ethnicity = models.CharField(_("民族"), max_length=10, choices=ETHNIC_CHOICES, default=HAN)
    # `id_number` below is a property over these three columns.
    id_cipher = models.TextField(_("公民身份号码(密文)"), editable=False)
    id_hash = models.CharField(
        _("公民身份号码(查找摘要)"), max_length=64, db_index=True, editable=False
    )
    # The last 4 characters are shown in the mask anyway; kept in clear for search.
    id_suffix = models.CharField(_("身份证号后4位"), max_length=4, editable=False)
    birth_date = models.DateField(_("出生日期"))
    education = models.CharField(_("学历"), max_length=30, choices=Education.choices)
    person_type = models.CharField(_("人员类型"), max_length=20, choices=PersonType.choices)
    backbone = models.CharField(_("骨干类别"), max_length=20, choices=Backbone.choices, blank=True)
    title = models.CharField(_("专业技术职务"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    @classmethod
    def scope_q(cls, paths):
        # By org ids, not a join on the org path: `member_org_status (org_id, status)` then
        # reads only the subtree's members, where the join made the count read them all.
        return Q(org_id__in=Organization.objects.filter(path_q("path", paths)).values("id"))

    def fill_derived(self) -> None:
        """Pinyin keys and birth date follow from name and ID number (also for bulk paths)."""
        self.name_pinyin = pinyin.full(self.name)
        self.name_initials = pinyin.initials(self.name)
        number = self.id_number
        if isinstance(number, str) and len(number) == 18:
            with contextlib.suppress(ValueError):
                self.birth_date = id_birth_date(number)

    @property
    def id_number(self):
        """The full number, decrypted on first use. A value that is not text (Excel's
        float) is kept as given, so validation can name the problem."""
        if "_id_raw" in self.__dict__:
            return self.__dict__["_id_raw"]
        cached = self.__dict__.get("_id_plain")
        if cached is not None and cached[0] == self.id_cipher:
            return cached[1]
        plain = crypto.decrypt_id(self.id_cipher) if self.id_cipher else ""
        self.__dict__["_id_plain"] = (self.id_cipher, plain)
        return plain

    @id_number.setter
    def id_number(self, value) -> None:
        if not isinstance(value, str):
            self.__dict__["_id_raw"] = value
            self.id_cipher, self.id_hash, self.id_suffix = "", "", ""
            return
        self.__dict__.pop("_id_raw", None)
        number = value.strip().upper()
        if self.id_cipher and number == self.id_number:
            return  # unchanged: keep the ciphertext, so an edit does not look like a change
        if not number:
            self.id_cipher, self.id_hash, self.id_suffix = "", "", ""
            self.__dict__["_id_plain"] = ("", "")
            return
        self.id_cipher = crypto.encrypt_id(number)
        self.id_hash = crypto.hash_id(number)
        self.id_suffix = number[-4:]
        self.__dict__["_id_plain"] = (self.id_cipher, number)

    @property
    def masked_id(self) -> str:
        number = self.id_number
        return mask_id_number(number if isinstance(number, str) else "")

    def person_values(self) -> dict:
        """The PERSON_FIELDS of this record, e.g. to open a member record for a recruit."""
        return {name: getattr(self, name) for name in PERSON_FIELDS}

    def audit_snapshot(self) -> dict:
        """What the audit keeps of a person: the mask, never the number's columns."""
        data = snapshot(self, exclude=PERSON_AUDIT_EXCLUDE)
        data["id_number"] = self.masked_id
        return data


class Member(Person):
    """党员. Fields follow the national member system and INTERFACES 4.3."""

    id_hash = models.CharField(
        _("公民身份号码(查找摘要)"),
        max_length=64,
        unique=True,
        editable=False,
        error_messages={"unique": _("公民身份号码已存在")},
    )
    id_suffix = models.CharField(_("身份证号后4位"), max_length=4, db_index=True, editable=False)
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("所在党组织")
    )
    work_unit = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_members",
        verbose_name=_("工作单位"),
    )
    joined_on = models.DateField(_("入党日期"))
    converted_on = models.DateField(_("转正日期"), null=True, blank=True)
    status = models.CharField(
        _("党籍状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    left_on = models.DateField(_("离开日期"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("登录账号"),
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["org__path", "name", "id"]
        indexes = [models.Index(fields=["org", "status"], name="member_org_status")]

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if not adding and (fields is None or MIRRORED_ATTNAMES & _attnames(fields)):
            mirror_to_spells([self.pk])

    @classmethod
    def self_q(cls, user):
        return Q(user_id=user.pk)

    def category_on(self, day: dt.date | None = None) -> str:
        day = day or timezone.localdate()
        return (
            Category.FULL
            if self.converted_on and self.converted_on <= day
            else Category.PROBATIONARY
        )

    @property
    def category(self) -> str:
        return self.category_on()

    def get_category_display(self) -> str:
        return str(Category(self.category).label)


def _attnames(fields) -> set[str]:
    return {Member._meta.get_field(name).attname for name in fields}


class MemberEvent(models.Model):
    """A dated change in a member's record; the history that as-of counts rely on."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="events", verbose_name=_("党员")
    )
    kind = models.CharField(_("变动类型"), max_length=20, choices=EventKind.choices)
    on = models.DateField(_("日期"))
    # Indexed with the date (Meta.indexes), not alone.
    org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("党组织"),
        db_index=False,
    )
    from_org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("原党组织"),
        db_index=False,
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员变动记录")
        verbose_name_plural = _("党员变动记录")
        ordering = ["member", "on", "id"]
        # The changes over a period select events by date (at the whole tree the index alone
        # answers: date, kind and origin are all it counts), for a small subtree by org and
        # date together (with org alone the planner also read every event of the year);
        # admissions per year by kind and date.
        indexes = [
            models.Index(fields=["on", "kind", "from_org"], name="event_on_kind_from"),
            models.Index(fields=["kind", "on"], name="event_kind_on"),
            models.Index(fields=["org", "on"], name="event_org_on"),
            models.Index(fields=["from_org", "on"], name="event_from_org_on"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"

    scope_path = "member__org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)


# The member attributes the statistics count, mirrored on every spell of the member (same
# attname, same value), so counting members as of a day reads the spells alone instead of
# joining a million spells to a million members. Every write keeps the copy equal to the
# member: `Member.save` and `Membership.save` by themselves, the bulk writers through
# `mirrored_values` and `mirror_to_spells`; tests/members/test_spell_mirror.py checks it.
MIRRORED_ATTNAMES = frozenset(
    {
        "sex",
        "ethnicity",
        "birth_date",
        "education",
        "person_type",
        "backbone",
        "converted_on",
        "joined_on",
        "work_unit_id",
    }
)
MIRRORED = tuple(sorted(MIRRORED_ATTNAMES))


def mirrored_values(member: Member) -> tuple:
    """The member's mirrored attributes in the order of MIRRORED (for bulk spell rows)."""
    return tuple(getattr(member, name) for name in MIRRORED)


def mirror_to_spells(member_ids, using: str | None = None) -> None:
    """Copy the mirrored attributes of these members onto all their spells, in one
    statement per chunk; spells already equal are not rewritten."""
    ids = sorted(set(member_ids))
    if not ids:
        return
    connection = connections[using or router.db_for_write(Membership)]
    same = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"
    spell, member = Membership._meta.db_table, Member._meta.db_table
    columns = [Membership._meta.get_field(name).column for name in MIRRORED]
    assignments = ", ".join(f"{c} = m.{c}" for c in columns)
    unchanged = " AND ".join(f"{spell}.{c} {same} m.{c}" for c in columns)
    limit = connection.features.max_query_params or 5_000
    size = min(5_000, limit - 10)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            cursor.execute(
                f"UPDATE {spell} SET {assignments} FROM {member} AS m"
                f" WHERE {spell}.member_id = m.id AND m.id IN ({', '.join(['%s'] * len(chunk))})"
                f" AND NOT ({unchanged})",
                chunk,
            )


def spell_in_force(day, prefix: str = "") -> Q:
    """A membership spell in force on `day`: started on or before it, not ended by it. The
    statistics engine and every page that shows a member count use this one definition."""
    return Q(**{f"{prefix}start_on__lte": day}) & (
        Q(**{f"{prefix}end_on__isnull": True}) | Q(**{f"{prefix}end_on__gt": day})
    )


def probationary_on(day, prefix: str = "") -> Q:
    """A spell of a 预备党员 on `day`: not (yet) converted then. The engine counts 预备党员 as
    its members in force less those converted by the day; this is the same set, so a page
    counting it shows the engine's figure (a member admitted outside the 发展党员 pipeline,
    e.g. transferred in while on probation, is a 预备党员 too)."""
    return Q(**{f"{prefix}converted_on__isnull": True}) | Q(**{f"{prefix}converted_on__gt": day})


class Membership(models.Model):
    """A spell of a member in one org, [start_on, end_on). Derived from events by the
    services; counting members as of a date is one indexed range query over it. It also
    carries a copy of the member's counted attributes (see MIRRORED_ATTNAMES)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="spells")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="spells")
    start_on = models.DateField()
    end_on = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=6, blank=True, default="")
    ethnicity = models.CharField(max_length=10, blank=True, default="")
    birth_date = models.DateField(null=True, blank=True)
    education = models.CharField(max_length=30, blank=True, default="")
    person_type = models.CharField(max_length=20, blank=True, default="")
    backbone = models.CharField(max_length=20, blank=True, default="")
    converted_on = models.DateField(null=True, blank=True)
    # The 入党日期: the training tally reads its counted years from the spells alone.
    joined_on = models.DateField(null=True, blank=True)
    # Only grouped on; a constraint would add a check per imported row for nothing
    # (the member's own work_unit already protects the school).
    work_unit = models.ForeignKey(
        School,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("党员所在组织期间")
        verbose_name_plural = _("党员所在组织期间")
        indexes = [
            models.Index(fields=["org", "start_on", "end_on"], name="spell_org_dates"),
            # Members at each year end (stats.breakdowns.yearly) read this index alone.
            models.Index(fields=["start_on", "end_on"], name="spell_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.org_id} {self.start_on}..{self.end_on or ''}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            for name, value in zip(MIRRORED, mirrored_values(self.member), strict=True):
                setattr(self, name, value)
        super().save(*args, **kwargs)


# -- the member lifecycle beyond the record: transfers, letters, 流动党员, decisions ----------


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("待转出方审批")
    APPROVED = "approved", _("待接收方接收")
    ACCEPTED = "accepted", _("已接收")
    RETURNED = "returned", _("已退回")
    CANCELLED = "cancelled", _("已撤销")


OPEN_TRANSFER_STATUSES = (TransferStatus.REQUESTED, TransferStatus.APPROVED)


class TransferQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_TRANSFER_STATUSES)


class Transfer(models.Model):
    """组织关系转接 inside the system: the sending side approves, the receiving side accepts
    (the member then counts there from `accepted_on`, a 系统内调动 event) or returns it with
    a reason (the member stays where they were). Both sides see it."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("党员")
    )
    from_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("转出党组织")
    )
    to_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("转入党组织")
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=TransferStatus.choices,
        default=TransferStatus.REQUESTED,
        db_index=True,
    )
    by_member = models.BooleanField(_("党员本人申请"), default=False)
    reason = models.CharField(_("转接原因"), max_length=200, blank=True)
    requested_on = models.DateField(_("申请日期"))
    approved_on = models.DateField(_("转出方审批日期"), null=True, blank=True)
    accepted_on = models.DateField(_("接收日期"), null=True, blank=True)
    returned_on = models.DateField(_("退回日期"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=200, blank=True)
    receipt_no = models.CharField(_("回执编号"), max_length=40, blank=True)
    batch = models.CharField(_("整建制转接批次"), max_length=40, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.from_org} → {self.to_org}"

    @classmethod
    def scope_q(cls, paths):
        return path_q("from_org__path", paths) | path_q("to_org__path", paths)

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TRANSFER_STATUSES


class LetterDirection(models.TextChoices):
    OUT = "out", _("转出(开出介绍信)")
    IN = "in", _("转入(收到介绍信)")


class LetterStatus(models.TextChoices):
    ISSUED = "issued", _("待回执")
    RECEIPTED = "receipted", _("已回执")
    VOIDED = "voided", _("已作废")


class Letter(models.Model):
    """党员组织关系介绍信 to or from an org outside this system (named, not linked). An
    outgoing letter is the member's 转出 on its date; an incoming one brings the member in
    (转入) on the day it is received, and its 回执 is sent back."""

    direction = models.CharField(_("方向"), max_length=4, choices=LetterDirection.choices)
    number = models.CharField(_("介绍信编号"), max_length=40)
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("本方党组织")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="letters", verbose_name=_("党员")
    )
    other_org_name = models.CharField(_("对方党组织"), max_length=100)
    issued_on = models.DateField(_("开具日期"))
    valid_until = models.DateField(_("有效期至"))
    received_on = models.DateField(_("收到日期"), null=True, blank=True)
    receipt_on = models.DateField(_("回执日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.ISSUED
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织关系介绍信")
        verbose_name_plural = _("组织关系介绍信")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["direction", "number"], name="unique_letter_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.member}"

    scope_path = "org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)


class LetterRequestStatus(models.TextChoices):
    OPEN = "open", _("待开具")
    ISSUED = "issued", _("已开具")
    DECLINED = "declined", _("不予开具")
    WITHDRAWN = "withdrawn", _("已撤回")


class LetterRequestQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(status=LetterRequestStatus.OPEN)


class LetterRequest(models.Model):
    """A member's own request (from `/me/`) for a 介绍信 to an org outside the system. Kept,
    not only notified, so it stays on the branch's 待办 list until the letter is issued or
    the branch declines it (with a reason the member sees), or the member withdraws it."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="letter_requests", verbose_name=_("党员")
    )
    # The branch at the time of asking: the one whose managers issue the letter.
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在党组织")
    )
    other_org_name = models.CharField(_("系统外接收单位"), max_length=100)
    reason = models.CharField(_("转接原因"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=LetterRequestStatus.choices,
        default=LetterRequestStatus.OPEN,
    )
    letter = models.ForeignKey(
        Letter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("开具的介绍信"),
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    decline_reason = models.CharField(_("不予开具的原因"), max_length=200, blank=True)

    objects = LetterRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("介绍信申请")
        verbose_name_plural = _("介绍信申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # At most one open request per member, whatever races the form.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="open"),
                name="one_open_letter_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.other_org_name}"

    @property
    def is_open(self) -> bool:
        return self.status == LetterRequestStatus.OPEN

    scope_path = "org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)


class Flowing(models.Model):
    """流动党员: away from their branch (住址或工作在外) for at least the set months; still a
    member of it, so nothing changes in the counts. Their 流动党员活动证 and the participation
    reported back from where they are."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="flowing", verbose_name=_("党员")
    )
    out_on = models.DateField(_("外出日期"))
    expected_back_on = models.DateField(_("预计返回日期"), null=True, blank=True)
    destination = models.CharField(_("流入地"), max_length=100)
    workplace = models.CharField(_("外出工作单位或住址"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=40, blank=True)
    card_no = models.CharField(_("流动党员活动证编号"), max_length=40, blank=True)
    card_issued_on = models.DateField(_("活动证发放日期"), null=True, blank=True)
    back_on = models.DateField(_("返回日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("流动党员")
        verbose_name_plural = _("流动党员")
        ordering = ["-out_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.destination}"

    scope_path = "member__org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)


class FlowingReport(models.Model):
    """One report of a 流动党员's participation where they are (组织生活, 学习, 党费)."""

    flowing = models.ForeignKey(
        Flowing, on_delete=models.CASCADE, related_name="reports", verbose_name=_("流动党员")
    )
    on = models.DateField(_("日期"))
    content = models.CharField(_("参加活动情况"), max_length=300)
    reported_by = models.CharField(_("反馈单位或人员"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("流动党员活动反馈")
        verbose_name_plural = _("流动党员活动反馈")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.content[:20]}"


class DecisionKind(models.TextChoices):
    SUSPENDED = "suspended", _("停止党籍")
    RESTORED = "restored", _("恢复党籍")
    LAPSED = "lapsed", _("自行脱党除名")
    EXPELLED = "expelled", _("出党")
    DECEASED = "deceased", _("死亡")


class StatusDecision(models.Model):
    """A decision on a member's 党籍 with its record (文号, reason): the member's event of the
    same date is what the statistics count."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("党员")
    )
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织")
    )
    kind = models.CharField(_("决定"), max_length=20, choices=DecisionKind.choices)
    on = models.DateField(_("日期"))
    lost_since = models.DateField(_("失去联系起始日期"), null=True, blank=True)
    document_no = models.CharField(_("决定文号"), max_length=60, blank=True)
    reason = models.CharField(_("事由"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党籍决定")
        verbose_name_plural = _("党籍决定")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.member} {self.get_kind_display()}"

    scope_path = "org__path"

    @classmethod
    def self_q(cls, user):
        return Q(member__user_id=user.pk)
