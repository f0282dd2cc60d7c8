"""The statistics key `training` (INTERFACES 6), from `rules.people` (four queries):

- `members_meeting_hours`: members on `as_of` who reached the member target (32 学时) in
  every counted calendar year of the period, over the members with a counted year;
- `cadres_meeting_hours`: the same for cadres against the cadre target (56);
- `rotation_coverage` (as_of): cadres who attended a 党务干部轮训 session in the current
  cycle, over the cadres;
- `hours_total`: the members' hours within the period."""

from decimal import Decimal

from dangjian.training import rules


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def training_section(scope, done: dict) -> dict:
    start, end = scope.period
    years = range(start.year, end.year + 1)
    persons = rules.subtree_people(scope.path, scope.as_of, scope.period)
    members = [p.meets(years, rules.member_target()) for p in persons]
    members = [m for m in members if m is not None]
    cadres = [p for p in persons if p.cadre]
    cadre_meets = [p.meets(years, rules.cadre_target()) for p in cadres]
    cadre_meets = [m for m in cadre_meets if m is not None]
    total = sum((p.period_hours for p in persons), Decimal(0))
    return {
        "training": {
            "members_meeting_hours": ratio(sum(members), len(members)),
            "cadres_meeting_hours": ratio(sum(cadre_meets), len(cadre_meets)),
            "rotation_coverage": ratio(sum(p.rotated for p in cadres), len(cadres)),
            "hours_total": float(total.quantize(Decimal("0.1"))),
        }
    }
