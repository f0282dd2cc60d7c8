"""The 待办 list on the home page: deadlines and gaps that Excel sheets let slip (DESIGN 2,
"missing overdue warnings"). Each rule is one query over the user's view scope, never one
query per org, so a city administrator's list costs the same as a secretary's."""

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core import registers
from dangjian.core.dates import add_months, add_years
from dangjian.core.registers import TodoItem
from dangjian.core.roles import Action
from dangjian.members.models import Member
from dangjian.orgs import rules as org_rules
from dangjian.orgs.models import Organization, School
from dangjian.stats.engine import existing_on

LEVELS = ("danger", "warning", "info")


Item = TodoItem


def election_items(user, today: dt.date) -> list[Item]:
    """换届 overdue, or due within the reminder windows (DANGJIAN_TERM_REMINDER_MONTHS: half a
    year ahead as a notice to prepare the 请示, a month ahead as a warning)."""
    months = settings.DANGJIAN_TERM_REMINDER_MONTHS
    horizon = add_months(today, max(months))
    # Terms last at least one year, so later starts cannot be due before the horizon.
    orgs = (
        Organization.objects.restrict(user, Action.VIEW)
        .filter(
            existing_on(today), term_start__isnull=False, term_start__lte=add_years(horizon, -1)
        )
        .only("pk", "name", "kind", "path", "term_start", "term_years")
    )
    items = []
    for org in orgs:
        due = org.next_election_on
        if due is None or due > horizon:
            continue
        window = org_rules.reminder_window(due, today, months)
        if due < today:
            text = _("%(org)s换届已逾期(应于%(due)s换届)") % {"org": org.name, "due": due}
            level, kind = "danger", "election-overdue"
        elif window == min(months):
            text = _("%(org)s将于%(due)s任期届满(不足%(m)d个月), 请抓紧召开党员大会换届") % {
                "org": org.name,
                "due": due,
                "m": window,
            }
            level, kind = "warning", "election-due"
        else:
            text = _("%(org)s将于%(due)s任期届满, 请做好换届准备、向上级党组织请示") % {
                "org": org.name,
                "due": due,
            }
            level, kind = "info", "election-due"
        items.append(Item(level, text, reverse("org-detail", args=[org.pk]), due, kind, org.path))
    return items


def small_branch_items(user, today: dt.date) -> list[Item]:
    in_force = (
        Q(spells__start_on__lte=today)
        & (Q(spells__end_on__isnull=True) | Q(spells__end_on__gt=today))
        & Q(spells__member__converted_on__lte=today)
    )
    branches = (
        Organization.objects.restrict(user, Action.VIEW)
        .filter(existing_on(today), kind__in=org_rules.MIN_FULL_MEMBER_KINDS)
        .annotate(full_members=Count("spells", filter=in_force))
        .filter(full_members__lt=org_rules.BRANCH_MIN_FULL_MEMBERS)
        .only("pk", "name", "path")
    )
    return [
        Item(
            "warning",
            _("%(org)s正式党员不足3人(现有%(n)d人)") % {"org": org.name, "n": org.full_members},
            reverse("org-detail", args=[org.pk]),
            kind="small-branch",
            org_path=org.path,
        )
        for org in branches
    ]


def uncovered_school_items(user, today: dt.date) -> list[Item]:
    schools = (
        School.objects.restrict(user, Action.VIEW)
        .filter(covering_org__isnull=True)
        .select_related("supervising_org")
        .only("pk", "name", "supervising_org__path")
        .order_by("code")
    )
    return [
        Item(
            "warning",
            _("%(school)s: 学校尚未建立党组织") % {"school": school.name},
            reverse("school-detail", args=[school.pk]),
            kind="uncovered-school",
            org_path=school.supervising_org.path if school.supervising_org else "",
        )
        for school in schools
    ]


def probation_items(user, today: dt.date) -> list[Item]:
    """预备期 is one year from admission; the 支部大会 must then discuss 转正."""
    members = (
        Member.objects.restrict(user, Action.VIEW)
        .current()
        # Members admitted through the pipeline are reminded by recruitment's own rule.
        .filter(
            converted_on__isnull=True, joined_on__lte=add_years(today, -1), recruit__isnull=True
        )
        .select_related("org")
        .only("pk", "name", "joined_on", "org__path")
        .order_by("joined_on", "pk")
    )
    return [
        Item(
            "warning",
            _("%(name)s: 预备期已满，应及时讨论转正") % {"name": member.name},
            reverse("member-detail", args=[member.pk]),
            add_years(member.joined_on, 1),
            "probation",
            member.org.path,
        )
        for member in members
    ]


def register_items(user, today: dt.date) -> list[Item]:
    """What every register declares (the pipeline's deadlines, later meetings, dues...);
    an item that names no kind is grouped under its register."""
    return [
        item if item.kind else replace(item, kind=f"register-{reg.name}")
        for reg in registers.registry.values()
        for item in reg.todo(user, today)
    ]


def kind_labels() -> dict[str, str]:
    """The Chinese name of every kind of item, for the grouped view and the filter."""
    labels = {
        "election-overdue": _("换届已逾期"),
        "election-due": _("任期即将届满"),
        "election-approval": _("换届结果待批复"),
        "small-branch": _("正式党员不足3人"),
        "uncovered-school": _("学校尚未建立党组织"),
        "probation": _("预备期已满待转正"),
    }
    for reg in registers.registry.values():
        labels[f"register-{reg.name}"] = reg.heading
    return labels


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    level: str
    count: int
    orgs: int  # distinct orgs the items belong to (0 when the rule names none)
    first_due: dt.date | None


def grouped(items: list[Item]) -> list[Group]:
    """One row per kind, in the order of its most urgent item (items come sorted)."""
    labels = kind_labels()
    by_kind: dict[str, list[Item]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    groups = []
    for kind, members in by_kind.items():
        dues = [item.due for item in members if item.due]
        groups.append(
            Group(
                kind,
                labels.get(kind, kind),
                members[0].level,
                len(members),
                len({item.org_path for item in members if item.org_path}),
                min(dues) if dues else None,
            )
        )
    return groups


def within(items: list[Item], path: str) -> list[Item]:
    """The items of an org's subtree (items that name no org are left out)."""
    return [item for item in items if item.org_path and item.org_path.startswith(path)]


RULES = (
    election_items,
    small_branch_items,
    uncovered_school_items,
    probation_items,
    register_items,
)


def todo_items(user, today: dt.date) -> list[Item]:
    """Everything the user should act on, most urgent first (then by due date)."""
    items = [item for rule in RULES for item in rule(user, today)]
    items.sort(
        key=lambda item: (
            LEVELS.index(item.level),
            item.due is None,
            item.due or today,
            item.text,
        )
    )
    return items
