"""An indicator tree as people type it: one indicator a line, `名称|满分|权重|评分标准`,
each leading "-" one level down (a line under a group belongs to it). The edit page shows a
set's tree in this form and reads it back; the services check the rules (see
`services.tree_problems`)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from dangjian.assessment.models import plain

DASHES = "-－"


@dataclass
class TreeRow:
    line: int
    level: int
    name: str
    max_score: Decimal
    weight: Decimal = Decimal("1")
    guide: str = ""


def _number(text: str, line: int, what: str, problems: list[str]) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        problems.append(
            _("第%(n)d行: %(what)s“%(v)s”不是数字") % {"n": line, "what": what, "v": text}
        )
        return None
    return value


def parse(text: str) -> tuple[list[TreeRow], list[str]]:
    """The rows and every line's problem (all of them, not the first only)."""
    rows, problems = [], []
    for number, raw in enumerate((text or "").splitlines(), 1):
        if not raw.strip():
            continue
        stripped = raw.strip()
        level = len(stripped) - len(stripped.lstrip(DASHES))
        parts = [part.strip() for part in stripped.lstrip(DASHES).split("|")]
        name = parts[0]
        if len(parts) < 2 or not parts[1]:
            problems.append(_("第%(n)d行: 缺少满分(格式: 名称|满分|权重|评分标准)") % {"n": number})
            continue
        max_score = _number(parts[1], number, _("满分"), problems)
        weight = Decimal("1")
        if len(parts) > 2 and parts[2]:
            weight = _number(parts[2], number, _("权重"), problems)
        if max_score is None or weight is None:
            continue
        guide = "|".join(parts[3:]) if len(parts) > 3 else ""
        rows.append(TreeRow(number, level, name, max_score, weight, guide))
    return rows, problems


def as_text(indicators) -> str:
    """A set's indicators (in tree order) as the edit page's text."""
    lines = []
    for node, level in walk(indicators):
        cells = [node.name, plain(node.max_score), plain(node.weight)]
        if node.guide:
            cells.append(node.guide.replace("\n", " "))
        lines.append("-" * level + "|".join(cells))
    return "\n".join(lines)


def walk(indicators):
    """(indicator, level) in tree order."""
    children: dict = {}
    for node in indicators:
        children.setdefault(node.parent_id, []).append(node)
    out = []

    def visit(parent_id, level):
        for node in children.get(parent_id, []):
            out.append((node, level))
            visit(node.pk, level + 1)

    visit(None, 0)
    return out


def labels(indicators) -> dict[int, str]:
    """Indicator id -> its path "四比 / 比班子建设", how the score import names a leaf."""
    by_id = {node.pk: node for node in indicators}
    out = {}
    for node in indicators:
        names, current = [], node
        while current is not None:
            names.append(current.name)
            current = by_id.get(current.parent_id)
        out[node.pk] = " / ".join(reversed(names))
    return out
