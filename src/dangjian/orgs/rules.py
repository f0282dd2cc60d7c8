"""Organisation rules (2018 支部工作条例, INTERFACES 4.1/4.2), shared by forms, services and
imports. Each returns a Chinese message or None, so an import can collect every problem."""

from django.utils.translation import gettext as _

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
