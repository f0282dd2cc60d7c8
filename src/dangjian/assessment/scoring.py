"""考核 totals and rankings, computed from the recorded scores.

Total of a sheet: a leaf's value is its counted score (the reviewer's, else the self-score;
none counts 0); a group's value is the weighted sum of its children's values, capped at the
group's 满分; the sheet's total is the weighted sum of the top-level values. Leaf scores above
the leaf's 满分 are refused when entered, so the cap bites where bonus items add up.

Ranking among the orgs of one set (the orgs directly under the issuing org): by total, higher
first; an equal total is decided by the 民主测评 satisfaction rate (higher first, none lowest);
orgs equal on both share the rank and the next rank is skipped (1, 2, 2, 4). The change from
last year compares with the previous year's set of the same issuing org and name; an org not
ranked then has no change (shown as 新).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from dangjian.assessment.models import Indicator, IndicatorSet, Score, ScoreSheet
from dangjian.assessment.tree import walk

ZERO = Decimal("0")
PLACES = Decimal("0.01")


def sheet_totals(indicator_set: IndicatorSet, sheets) -> dict[int, Decimal]:
    """Sheet id -> total, from two queries (the tree and the scores), whatever the number of
    sheets."""
    indicators = list(Indicator.objects.filter(indicator_set=indicator_set))
    sheet_ids = [sheet.pk for sheet in sheets]
    counted: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for score in Score.objects.filter(sheet_id__in=sheet_ids).only(
        "sheet_id", "indicator_id", "self_score", "reviewer_score"
    ):
        value = score.counted
        if value is not None:
            counted[score.sheet_id][score.indicator_id] = value
    return {sheet_id: total_of(indicators, counted[sheet_id]) for sheet_id in sheet_ids}


def node_values(
    indicators: list[Indicator], scores: dict[int, Decimal]
) -> tuple[dict[int, tuple[Decimal, Decimal]], Decimal]:
    """Each indicator's (raw, counted) value and the sheet's total: a leaf's raw value is
    its score, a group's the weighted sum of its children's counted values; the counted
    value is the raw one capped at the 满分 (so a sheet page can show where the cap bit)."""
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for node in indicators:
        children[node.parent_id].append(node)
    values: dict[int, tuple[Decimal, Decimal]] = {}

    def value(node: Indicator) -> Decimal:
        below = children.get(node.pk)
        if not below:
            raw = scores.get(node.pk, ZERO)
        else:
            raw = sum((child.weight * value(child) for child in below), ZERO)
        values[node.pk] = (raw, min(raw, node.max_score))
        return values[node.pk][1]

    total = sum((node.weight * value(node) for node in children[None]), ZERO)
    return values, total.quantize(PLACES)


def total_of(indicators: list[Indicator], scores: dict[int, Decimal]) -> Decimal:
    """The weighted, capped total of one sheet: `scores` maps leaf indicator id -> score."""
    return node_values(indicators, scores)[1]


def sheet_breakdown(sheet: ScoreSheet):
    """(rows, total) of one sheet for its page: per indicator in tree order, its level,
    score row (leaves), raw and counted value and whether the cap bit."""
    indicators = list(Indicator.objects.filter(indicator_set_id=sheet.indicator_set_id))
    found = {
        row.indicator_id: row
        for row in Score.objects.filter(sheet=sheet).select_related("evidence_file")
    }
    counted = {pk: row.counted for pk, row in found.items() if row.counted is not None}
    values, total = node_values(indicators, counted)
    rows = []
    for node, level in walk(indicators):
        raw, value = values[node.pk]
        rows.append(
            {
                "node": node,
                "level": level,
                "score": found.get(node.pk),
                "raw": raw.quantize(PLACES),
                "value": value.quantize(PLACES),
                "capped": raw > node.max_score,
            }
        )
    return rows, total


@dataclass
class Ranked:
    sheet: ScoreSheet
    total: Decimal
    rank: int
    previous_rank: int | None

    @property
    def change(self) -> int | None:
        """Places gained since last year (positive: up); None for an org new to the ranking."""
        if self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


def _ranks(rows: list[tuple[ScoreSheet, Decimal]]) -> list[tuple[ScoreSheet, Decimal, int]]:
    def key(row):
        sheet, total = row
        rate = sheet.democratic_rate if sheet.democratic_rate is not None else Decimal("-1")
        return (total, rate)

    # Equal rows share a rank; among them the list shows the org codes in order.
    ordered = sorted(rows, key=lambda row: row[0].org.code)
    ordered = sorted(ordered, key=key, reverse=True)
    ranked = []
    for position, row in enumerate(ordered, start=1):
        tied = ranked and key(row) == key(ordered[position - 2])
        rank = ranked[-1][2] if tied else position
        ranked.append((row[0], row[1], rank))
    return ranked


def ranking(indicator_set: IndicatorSet) -> list[Ranked]:
    """The set's ranking with last year's rank of each org. Every sheet of a set is an org
    directly under the issuing org (the services refuse others), so whoever may open the
    set sees every org it ranks and nothing else."""
    current = _ranked_sheets(indicator_set)
    before = previous_set(indicator_set)
    previous = {} if before is None else {s.org_id: r for s, _t, r in _ranked_sheets(before)}
    return [
        Ranked(sheet=sheet, total=total, rank=rank, previous_rank=previous.get(sheet.org_id))
        for sheet, total, rank in current
    ]


def _ranked_sheets(indicator_set: IndicatorSet):
    sheets = list(ScoreSheet.objects.filter(indicator_set=indicator_set).select_related("org"))
    totals = sheet_totals(indicator_set, sheets)
    return _ranks([(sheet, totals[sheet.pk]) for sheet in sheets])


def previous_set(indicator_set: IndicatorSet) -> IndicatorSet | None:
    return (
        IndicatorSet.objects.filter(
            org_id=indicator_set.org_id, name=indicator_set.name, year=indicator_set.year - 1
        )
        .order_by("pk")
        .first()
    )
