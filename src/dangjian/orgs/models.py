import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangjian.core import pinyin
from dangjian.core.dates import add_years
from dangjian.core.scope import RestrictedQuerySet, RestrictedQuerySetMixin, path_q
from dangjian.core.validators import validate_code


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    WORKING_COMMITTEE = "working_committee", _("党工委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    JOINT_BRANCH = "joint_branch", _("联合党支部")
    TEMPORARY_BRANCH = "temporary_branch", _("临时党支部")
    GROUP = "group", _("党小组")


COMMITTEE_KINDS = frozenset({OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE})
BRANCH_KINDS = frozenset({OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH})
# What each kind may hang under (None: may be a root). 2018 支部工作条例 and practice.
ALLOWED_PARENTS: dict[str, frozenset] = {
    OrgKind.COMMITTEE: frozenset({None, *COMMITTEE_KINDS}),
    OrgKind.WORKING_COMMITTEE: frozenset({None, *COMMITTEE_KINDS}),
    OrgKind.GENERAL_BRANCH: COMMITTEE_KINDS,
    OrgKind.BRANCH: frozenset({*COMMITTEE_KINDS, OrgKind.GENERAL_BRANCH}),
    OrgKind.JOINT_BRANCH: frozenset({*COMMITTEE_KINDS, OrgKind.GENERAL_BRANCH}),
    OrgKind.TEMPORARY_BRANCH: frozenset({*COMMITTEE_KINDS, OrgKind.GENERAL_BRANCH}),
    OrgKind.GROUP: BRANCH_KINDS,
}
# Default term length in years: 支部 and 总支 3, 基层党委 5 (2018 任期意见).
DEFAULT_TERM_YEARS = {
    OrgKind.COMMITTEE: 5,
    OrgKind.WORKING_COMMITTEE: 5,
    OrgKind.GENERAL_BRANCH: 3,
    OrgKind.BRANCH: 3,
    OrgKind.JOINT_BRANCH: 3,
    OrgKind.TEMPORARY_BRANCH: None,
    OrgKind.GROUP: None,
}
# Kinds that may be named as a school's supervising org / covering org (INTERFACES 4.2).
SUPERVISOR_KINDS = frozenset({*COMMITTEE_KINDS, OrgKind.GENERAL_BRANCH})
COVERING_KINDS = frozenset({*BRANCH_KINDS, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE})
# Kinds members may belong to.
MEMBER_ORG_KINDS = BRANCH_KINDS


def kind_label(kind: str) -> str:
    return str(OrgKind(kind).label)


class NameSearchMixin:
    """Name, code, full pinyin or pinyin initials anywhere in the name: `yz` finds 第一中学
    (dyzx) as the member search finds 张三 by `zs`."""

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        q = Q(name__contains=text) | Q(code__icontains=text)
        lowered = text.lower()
        if lowered.isascii() and lowered.isalpha():
            q |= Q(name_initials__contains=lowered) | Q(name_pinyin__contains=lowered)
        return self.filter(q)


class PinyinNamed(models.Model):
    """Pinyin keys of `name`, kept by save() and by the bulk paths (fill_derived)."""

    name_pinyin = models.CharField(_("名称全拼"), max_length=600, blank=True, editable=False)
    name_initials = models.CharField(_("名称首字母"), max_length=100, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        self.name_pinyin = pinyin.full(self.name)[:600]
        self.name_initials = pinyin.initials(self.name)[:100]


class OrgQuerySet(NameSearchMixin, RestrictedQuerySetMixin, MP_NodeQuerySet):
    pass


class SchoolQuerySet(NameSearchMixin, RestrictedQuerySet):
    pass


class OrgManager(MP_NodeManager):
    def get_queryset(self):
        return OrgQuerySet(self.model).order_by("path")

    def restrict(self, user, action="view"):
        return self.get_queryset().restrict(user, action)


class Organization(PinyinNamed, MP_Node):
    """A node of the 党委—总支—支部 network. Materialised path: a subtree is one prefix query."""

    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    code = models.CharField(_("组织代码"), max_length=32, unique=True, validators=[validate_code])
    name = models.CharField(_("组织名称"), max_length=100)
    kind = models.CharField(_("组织类别"), max_length=20, choices=OrgKind.choices, db_index=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    term_start = models.DateField(_("本届任期开始"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("任期年限"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OrgManager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [
            models.Index(
                fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    scope_path = "path"

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    @property
    def effective_term_years(self) -> int | None:
        return self.term_years or DEFAULT_TERM_YEARS.get(self.kind)

    @property
    def next_election_on(self) -> dt.date | None:
        """换届 due date: term start plus the term length in calendar years."""
        years = self.effective_term_years
        if self.term_start is None or not years:
            return None
        return add_years(self.term_start, years)

    def election_overdue(self, today: dt.date | None = None) -> bool:
        due = self.next_election_on
        return due is not None and due < (today or timezone.localdate())

    def subtree(self):
        return Organization.objects.filter(path__startswith=self.path)

    def ancestors_and_self(self):
        paths = [self.path[: i * self.steplen] for i in range(1, self.depth + 1)]
        return Organization.objects.filter(path__in=paths)

    @classmethod
    def common_path(cls, paths) -> str:
        """The deepest org path above every one of `paths`, so that auditors of that
        subtree see a batch's audit row."""
        paths = sorted(set(paths))
        common = paths[0] if paths else ""
        for path in paths:
            while not path.startswith(common):
                common = common[:-1]
        return common[: len(common) - len(common) % cls.steplen]


class SchoolStage(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初级中学")
    SENIOR = "senior", _("高级中学")
    COMPLETE = "complete", _("完全中学")
    NINE_YEAR = "nine_year", _("九年一贯制学校")
    TWELVE_YEAR = "twelve_year", _("十二年一贯制学校")
    VOCATIONAL = "vocational", _("中等职业学校")
    SPECIAL = "special", _("特殊教育学校")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("公办")
    PRIVATE = "private", _("民办")


class Locality(models.TextChoices):
    URBAN = "urban", _("城区")
    TOWN = "town", _("镇区")
    RURAL = "rural", _("乡村")


class School(PinyinNamed):
    code = models.CharField(_("学校代码"), max_length=32, unique=True, validators=[validate_code])
    name = models.CharField(_("学校名称"), max_length=100)
    stage = models.CharField(_("学段"), max_length=20, choices=SchoolStage.choices)
    ownership = models.CharField(_("办学性质"), max_length=10, choices=Ownership.choices)
    locality = models.CharField(_("城乡类别"), max_length=10, choices=Locality.choices)
    supervising_org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="supervised_schools",
        verbose_name=_("主管党组织"),
    )
    district = models.CharField(_("所属县区"), max_length=50, blank=True)
    staff_count = models.PositiveIntegerField(_("教职工数"), default=0)
    teacher_count = models.PositiveIntegerField(_("专任教师数"), default=0)
    student_count = models.PositiveIntegerField(_("学生数"), default=0)
    covering_org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covered_schools",
        verbose_name=_("党组织"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(teacher_count__lte=models.F("staff_count")),
                name="school_teachers_within_staff",
                violation_error_message=_("专任教师数不能大于教职工数"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, paths):
        return path_q("covering_org__path", paths) | path_q("supervising_org__path", paths)

    @property
    def covered(self) -> bool:
        return self.covering_org_id is not None


class MassOrgKind(models.TextChoices):
    YOUTH_LEAGUE_COMMITTEE = "youth_league_committee", _("团委")
    YOUTH_LEAGUE_BRANCH = "youth_league_branch", _("团支部")
    YOUNG_PIONEERS = "young_pioneers", _("少先队大队")
    UNION = "union", _("工会")
    WOMEN = "women", _("妇委会")
    STUDENT_UNION = "student_union", _("学生会")
    STAFF_CONGRESS = "staff_congress", _("教代会")


class MassOrganization(models.Model):
    """群团组织 of a school ("一建三带": 党建带工建、带团建、带妇建)."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="mass_orgs", verbose_name=_("学校")
    )
    kind = models.CharField(_("类别"), max_length=30, choices=MassOrgKind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("群团组织")
        verbose_name_plural = _("群团组织")
        ordering = ["school", "kind"]

    def __str__(self) -> str:
        return self.name or f"{self.school.name}{self.get_kind_display()}"

    @classmethod
    def scope_q(cls, paths):
        return path_q("school__covering_org__path", paths) | path_q(
            "school__supervising_org__path", paths
        )


class PositionTitle(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANISATION = "organisation", _("组织委员")
    PROPAGANDA = "propaganda", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    MEMBER = "member", _("委员")


class FormedBy(models.TextChoices):
    ELECTION = "election", _("换届选举")
    OPEN_ELECTION = "open_election", _("公推直选")
    APPOINTMENT = "appointment", _("考察任命")


class PositionQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(start_on__lte=on) | Q(start_on__isnull=True)).filter(
            Q(end_on__isnull=True) | Q(end_on__gt=on), corrected_by__isnull=True
        )


class Position(models.Model):
    """A seat in an org's leadership (班子), kept with its dates so history stays."""

    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="positions", verbose_name=_("党组织")
    )
    title = models.CharField(_("职务"), max_length=20, choices=PositionTitle.choices)
    holder_name = models.CharField(_("姓名"), max_length=50)
    # The holder's member record, when they are a party member on the register: modules that
    # ask "who is a cadre" follow this link, never the name (two members may share a name).
    # The model is named by string so that orgs does not import the members app; a member
    # record deleted as entered by mistake leaves the seat with its name.
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("党员"),
    )
    formed_by = models.CharField(_("产生方式"), max_length=20, choices=FormedBy.choices, blank=True)
    start_on = models.DateField(_("任职日期"), null=True, blank=True)
    end_on = models.DateField(_("离任日期"), null=True, blank=True)
    # A seat written by an approved election and replaced by its correction: kept as the
    # record of what was first approved, never in force (`current` leaves it out).
    corrected_by = models.ForeignKey(
        "ElectionCorrection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_positions",
        verbose_name=_("被更正"),
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("班子成员")
        verbose_name_plural = _("班子成员")
        ordering = ["org", "end_on", "title", "start_on"]

    def __str__(self) -> str:
        return f"{self.org.name} {self.get_title_display()} {self.holder_name}"

    scope_path = "org__path"


# -- 换届选举 (2020 基层组织选举工作条例) -------------------------------------------------


class ElectionQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    def held_between(self, start: dt.date, end: dt.date):
        return self.filter(held_on__gte=start, held_on__lte=end)


class Election(models.Model):
    """One 换届 of an org: the 请示 and its approval, the meeting (or the 考察任命), the
    ballots of each round, and the superior's approval of the result, which replaces the
    org's 班子 (Position rows) and starts its new term."""

    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="elections", verbose_name=_("党组织")
    )
    formed_by = models.CharField(
        _("产生方式"), max_length=20, choices=FormedBy.choices, default=FormedBy.ELECTION
    )
    committee = models.BooleanField(
        _("选举委员会"),
        default=True,
        help_text=_(
            "选举支部(总支、党委)委员会, 候选人须差额; 不设委员会的只选书记、副书记, 可以等额"
        ),
    )
    seats = models.PositiveSmallIntegerField(_("应选人数"))
    requested_on = models.DateField(_("请示日期"), null=True, blank=True)
    permitted_on = models.DateField(_("上级同意召开日期"), null=True, blank=True)
    held_on = models.DateField(_("选举日期"))
    should_attend = models.PositiveIntegerField(_("应到会人数"), default=0)
    approved_on = models.DateField(_("上级批复日期"), null=True, blank=True)
    approval_ref = models.CharField(_("批复文号"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("换届选举")
        verbose_name_plural = _("换届选举")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"], name="election_held_on")]

    def __str__(self) -> str:
        return f"{self.org.name} {self.held_on} {self.get_formed_by_display()}"

    scope_path = "org__path"

    @property
    def by_ballot(self) -> bool:
        return self.formed_by != FormedBy.APPOINTMENT

    @property
    def status(self) -> str:
        if self.approved_on:
            return "approved"
        # .all(): the list prefetches the rounds, so a row costs no query.
        if self.by_ballot and not self.rounds.all():
            return "preparing"
        return "awaiting"

    def get_status_display(self) -> str:
        return str(ELECTION_STATUS_LABELS[self.status])

    def ballot_sheets(self) -> list[tuple]:
        """(round, its candidates) in order, and the appointees (round None) of a 考察任命."""
        candidates = list(self.candidates.all())
        sheets = [
            (round_, [c for c in candidates if c.round_id == round_.pk])
            for round_ in sorted(self.rounds.all(), key=lambda r: r.number)
        ]
        appointed = [c for c in candidates if c.round_id is None]
        if appointed:
            sheets.append((None, appointed))
        return sheets

    @property
    def quorum_needed(self) -> int:
        """The fewest present for a valid vote: more than 4/5 of those who should attend."""
        return 4 * self.should_attend // 5 + 1

    @property
    def majority_needed(self) -> int:
        """The fewest yes votes to be elected: more than half of those who should attend."""
        return self.should_attend // 2 + 1


class ElectionCorrection(models.Model):
    """A correction of an approved 换届 by the level that approves it (the superior org),
    with its reason: the elected's 职务分工 or names, the approval's date or 文号. The seats
    the approval wrote are kept, marked as replaced by it; new ones take their place."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("换届选举")
    )
    corrected_on = models.DateField(_("更正日期"))
    reason = models.TextField(_("更正理由"))
    changes = models.JSONField(_("更正内容"), default=dict)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("换届选举更正")
        verbose_name_plural = _("换届选举更正")
        ordering = ["election", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.election} {self.corrected_on}"


ELECTION_STATUS_LABELS = {
    "preparing": _("待录入选举结果"),
    "awaiting": _("待上级批复"),
    "approved": _("已批复"),
}


class ElectionRound(models.Model):
    """One vote of the meeting: the first, and a 另行选举 for the seats left unfilled."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("换届选举")
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    seats = models.PositiveSmallIntegerField(_("本轮应选人数"))
    present = models.PositiveIntegerField(_("实到人数"))
    valid_ballots = models.PositiveIntegerField(_("有效票"))
    invalid_ballots = models.PositiveIntegerField(_("无效票"), default=0)

    class Meta:
        verbose_name = _("选举轮次")
        verbose_name_plural = _("选举轮次")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="election_round_unique")
        ]

    def __str__(self) -> str:
        return f"{self.election} #{self.number}"


class ElectionCandidate(models.Model):
    """A candidate of one round (or an appointee of a 考察任命) and the seat they take."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("换届选举")
    )
    round = models.ForeignKey(
        ElectionRound,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("轮次"),
    )
    # The voters and candidates are members; the model is named by string so that orgs does
    # not import the members app (layers: orgs sits below members).
    # A member record deleted as entered by mistake leaves the candidate's name.
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("党员"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(
        _("拟任职务"), max_length=20, choices=PositionTitle.choices, default=PositionTitle.MEMBER
    )
    votes = models.PositiveIntegerField(_("得票数"), null=True, blank=True)
    elected = models.BooleanField(_("当选"), default=False)

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["election", "round__number", "-elected", "-votes", "id"]

    def __str__(self) -> str:
        return self.name


# -- 学校党政领导班子 and 阵地建设 --------------------------------------------------------


class LeaderTitle(models.TextChoices):
    SECRETARY = "secretary", _("党组织书记")
    PRINCIPAL = "principal", _("校长")
    DEPUTY_SECRETARY = "deputy_secretary", _("党组织副书记")
    VICE_PRINCIPAL = "vice_principal", _("副校长")
    DISCIPLINE = "discipline", _("纪检委员")


class SelectedBy(models.TextChoices):
    APPOINTMENT = "appointment", _("组织任命")
    OPEN_COMPETITION = "open_competition", _("公开竞聘")
    ELECTION = "election", _("选举")


class SchoolLeaderQuerySet(RestrictedQuerySetMixin, models.QuerySet):
    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(start_on__lte=on).filter(Q(end_on__isnull=True) | Q(end_on__gt=on))


class SchoolLeader(models.Model):
    """A seat of a school's 党政领导班子, dated, so that the 班子 of any day and its changes
    (who was appointed, how, when) can be shown and counted."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="leaders", verbose_name=_("学校")
    )
    title = models.CharField(_("职务"), max_length=20, choices=LeaderTitle.choices)
    holder_name = models.CharField(_("姓名"), max_length=50)
    party_member = models.BooleanField(_("中共党员"), default=True)
    selected_by = models.CharField(
        _("选任方式"), max_length=20, choices=SelectedBy.choices, default=SelectedBy.APPOINTMENT
    )
    start_on = models.DateField(_("任职日期"))
    end_on = models.DateField(_("离任日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = SchoolLeaderQuerySet.as_manager()

    class Meta:
        verbose_name = _("学校领导班子成员")
        verbose_name_plural = _("学校领导班子")
        ordering = ["school", "end_on", "title", "start_on", "id"]
        indexes = [models.Index(fields=["start_on"], name="school_leader_start")]

    def __str__(self) -> str:
        return f"{self.school.name} {self.get_title_display()} {self.holder_name}"

    @classmethod
    def scope_q(cls, paths):
        return path_q("school__covering_org__path", paths) | path_q(
            "school__supervising_org__path", paths
        )


class ActivityRoom(models.Model):
    """A school's 党员活动室 (阵地) as last checked: which items of the standards list
    (DANGJIAN_ACTIVITY_ROOM_STANDARDS) it meets."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="activity_rooms", verbose_name=_("学校")
    )
    name = models.CharField(_("名称"), max_length=100, default=_("党员活动室"))
    area = models.PositiveIntegerField(_("面积(平方米)"), null=True, blank=True)
    checked_on = models.DateField(_("检查日期"))
    items_met = models.JSONField(_("达标项目"), default=list, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员活动室")
        verbose_name_plural = _("阵地建设")
        ordering = ["school", "-checked_on", "id"]

    def __str__(self) -> str:
        return f"{self.school.name} {self.name}"

    @classmethod
    def scope_q(cls, paths):
        return path_q("school__covering_org__path", paths) | path_q(
            "school__supervising_org__path", paths
        )
