"""Organisation rules (2018 支部工作条例, INTERFACES 4.1/4.2), shared by forms, services and
imports. Each returns a Chinese message or None, so an import can collect every problem."""

from django.utils.translation import gettext as _

from dangjian.core.dates import add_months
from dangjian.orgs.models import (
    ALLOWED_PARENTS,
    COVERING_KINDS,
    SUPERVISOR_KINDS,
    OrgKind,
    kind_label,
)


def parent_problem(kind: str, parent_kind: str | None) -> str | None:
    allowed = ALLOWED_PARENTS[kind]
    if parent_kind in allowed:
        return None
    if parent_kind is None:
        return _("%(kind)s必须有上级组织") % {"kind": kind_label(kind)}
    names = "、".join(kind_label(k) for k in OrgKind.values if k in allowed)
    return _("%(kind)s只能隶属于%(names)s, 不能隶属于%(parent)s") % {
        "kind": kind_label(kind),
        "names": names,
        "parent": kind_label(parent_kind),
    }


def term_years_problem(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, int) or not 1 <= value <= 5:
        return _("任期年限应为1-5的整数")
    return None


def supervisor_problem(kind: str) -> str | None:
    if kind in SUPERVISOR_KINDS:
        return None
    return _("主管党组织应为党委、党工委或党总支, 不能是%(kind)s") % {"kind": kind_label(kind)}


def covering_problem(kind: str) -> str | None:
    if kind in COVERING_KINDS:
        return None
    return _("覆盖学校的党组织应为党支部、联合党支部、临时党支部、党总支或党委, 不能是%(kind)s") % {
        "kind": kind_label(kind)
    }


def school_counts_problem(staff: int, teachers: int) -> str | None:
    if teachers > staff:
        return _("专任教师数(%(t)d)不能大于教职工数(%(s)d)") % {"t": teachers, "s": staff}
    return None


# Branch size and committee rules (2018 支部工作条例 第八、九条). They are hints shown on an
# org's page, not refusals: a branch falls below 3 full members through transfers, and the
# fix (a 联合党支部, a new 支委会, a split) is an organisational decision, not a form error.
BRANCH_MIN_FULL_MEMBERS = 3
# 临时党支部 (for training classes, projects) are exempt: they exist for a while, not a unit.
MIN_FULL_MEMBER_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)
COMMITTEE_MIN_FULL_MEMBERS = 7
COMMITTEE_MIN_SEATS = 3
BRANCH_MAX_MEMBERS = 50


def too_few_full_members_hint(kind: str, full_members: int) -> str | None:
    if kind not in MIN_FULL_MEMBER_KINDS or full_members >= BRANCH_MIN_FULL_MEMBERS:
        return None
    if kind == OrgKind.BRANCH:
        return _("正式党员不足3人，应与邻近单位成立联合党支部")
    return _("正式党员不足3人，联合党支部应吸收更多邻近单位")


def committee_missing_hint(kind: str, full_members: int, current_seats: int) -> str | None:
    """A 支委会 needs at least 3 seats; fewer current seats means there is none."""
    if (
        kind in (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)
        and full_members >= COMMITTEE_MIN_FULL_MEMBERS
        and current_seats < COMMITTEE_MIN_SEATS
    ):
        return _("正式党员7人以上的党支部应设立支部委员会")
    return None


def too_many_members_hint(kind: str, members: int) -> str | None:
    if kind in (OrgKind.BRANCH, OrgKind.JOINT_BRANCH) and members > BRANCH_MAX_MEMBERS:
        return _("党员人数超过50人的党支部一般应分设")
    return None


def branch_hints(
    kind: str, *, full_members: int, members: int, current_seats: int
) -> list[tuple[str, str]]:
    """(level, message) pairs for an org page; level is "warning" or "info"."""
    hints: list[tuple[str, str]] = []
    message = too_few_full_members_hint(kind, full_members)
    if message:
        hints.append(("warning", message))
    message = committee_missing_hint(kind, full_members, current_seats)
    if message:
        hints.append(("info", message))
    message = too_many_members_hint(kind, members)
    if message:
        hints.append(("info", message))
    return hints


def election_status(due, today, months: int) -> str | None:
    """ "overdue" when the 换届 date has passed, "due" when it falls within `months` calendar
    months from today (inclusive: "以内" includes the number), else None."""
    if due is None:
        return None
    if due < today:
        return "overdue"
    if due <= add_months(today, months):
        return "due"
    return None


def reminder_window(due, today, months) -> int | None:
    """The narrowest reminder window (in months, from DANGJIAN_TERM_REMINDER_MONTHS) the
    换届 date falls within: 1 a month ahead, 6 half a year ahead; None outside them all
    and once the date has passed (then it is overdue)."""
    if due is None or due < today:
        return None
    inside = [m for m in months if due <= add_months(today, m)]
    return min(inside) if inside else None


# -- 换届选举 (2020 基层组织选举工作条例) ---------------------------------------------------
# The fractions are the regulation's; integer arithmetic keeps "more than" exact.


def margin_needed(seats: int) -> int:
    """The fewest candidates for `seats` committee seats: at least 20% more (差额)."""
    return seats + -(-seats // 5)


def margin_problem(seats: int, candidates: int) -> str | None:
    if 5 * (candidates - seats) >= seats:
        return None
    return _(
        "委员候选人应多于应选人数的20%%(差额选举): 应选%(seats)d人, 候选人至少%(need)d人, 现有%(n)d人"
    ) % {
        "seats": seats,
        "need": margin_needed(seats),
        "n": candidates,
    }


def quorum_met(present: int, should_attend: int) -> bool:
    """The vote is valid only when more than 4/5 of those who should attend are present."""
    return 5 * present > 4 * should_attend


def majority_met(votes: int, should_attend: int) -> bool:
    """A candidate is elected with yes votes from more than half of those who should attend."""
    return 2 * votes > should_attend


def tally(seats: int, votes: dict, should_attend: int) -> tuple[list, list]:
    """(elected, tied) keys of `votes` ({key: yes votes}): those with a majority, the most
    votes first, up to `seats`. Candidates tied for the last seats are neither: the meeting
    votes again on them (the seats left go to another round)."""
    passing = sorted(
        (key for key, n in votes.items() if majority_met(n, should_attend)),
        key=lambda key: -votes[key],
    )
    if len(passing) <= seats:
        return passing, []
    cut = votes[passing[seats - 1]]
    above = [key for key in passing if votes[key] > cut]
    tied = [key for key in passing if votes[key] == cut]
    if len(above) + len(tied) <= seats:
        return above + tied, []
    return above, tied
