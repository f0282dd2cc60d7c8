"""Every write of 责任与考核: check scope, validate (Chinese messages keyed by field), save
and audit in one transaction. Pages, the API and the demo loader call these.

Who does what: the superior drafts and records a 党建责任书 with each org below it; the
inspecting org plans a 专项督查, records findings as 整改 items and accepts or returns them;
the inspected org reports its 整改 with evidence; the issuing org keeps the 考核 indicators
and the reviewer scores, the scored org its self-scores; 表彰 moves 推荐 → 公示 → 批准.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.assessment.models import (
    PERSON_HONOURS,
    Evaluation,
    Honour,
    HonourKind,
    HonourLevel,
    HonourStatus,
    Indicator,
    IndicatorSet,
    Inspection,
    LetterIndicator,
    Rectification,
    RectificationStatus,
    ResponsibilityLetter,
    Score,
    ScoreSheet,
    plain,
)
from dangjian.assessment.tree import TreeRow, walk
from dangjian.core import audit, uploads
from dangjian.core.models import AuditAction
from dangjian.core.roles import Action
from dangjian.core.scope import require
from dangjian.orgs.models import Organization

UNAUDITED = ("created_at",)


def _today() -> dt.date:
    return timezone.localdate()


class Problems:
    """Field name -> Chinese messages, raised all at once."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _not_future(problems: Problems, field_name: str, day: dt.date | None) -> None:
    if day is not None and day > _today():
        problems.add(field_name, _("日期不能晚于今天"))


def _year(problems: Problems, year) -> None:
    if year is None or not 1921 <= int(year) <= _today().year + 1:
        problems.add("year", _("请填写有效的年度"))


def _in_subtree(org: Organization, root: Organization) -> bool:
    return org.path.startswith(root.path)


def _is_child(org: Organization, parent: Organization) -> bool:
    return org.depth == parent.depth + 1 and _in_subtree(org, parent)


# --- 党建责任书 -----------------------------------------------------------------------------

IndicatorRow = tuple[str, Decimal | int | float | str, str]  # (name, weight, target)


def _letter_problems(org, year, signed_on, indicators, exclude_pk=None) -> Problems:
    problems = Problems()
    _year(problems, year)
    if org.depth <= 1:
        problems.add("org", _("最高一级党组织没有上级, 不签订党建责任书"))
    elif ResponsibilityLetter.objects.filter(org=org, year=year).exclude(pk=exclude_pk).exists():
        problems.add(
            "year", _("%(org)s%(year)s年度的党建责任书已登记") % {"org": org.name, "year": year}
        )
    _not_future(problems, "signed_on", signed_on)
    if signed_on is not None and year and not int(year) - 1 <= signed_on.year <= int(year):
        problems.add("signed_on", _("签订日期应在该年度内或上一年末"))
    for name, weight, _target in indicators:
        if not str(name).strip():
            problems.add("indicators", _("每项指标都要填写名称"))
        if Decimal(str(weight)) < 0:
            problems.add("indicators", _("指标权重不能为负数"))
    return problems


def _set_indicators(letter, indicators: Sequence[IndicatorRow]) -> None:
    letter.indicators.all().delete()
    LetterIndicator.objects.bulk_create(
        LetterIndicator(
            letter=letter,
            order=i,
            name=str(name).strip(),
            weight=Decimal(str(weight)),
            target=target or "",
        )
        for i, (name, weight, target) in enumerate(indicators, start=1)
    )


def _indicator_facts(letter) -> list:
    return [[i.name, str(i.weight), i.target] for i in letter.indicators.all()]


@transaction.atomic
def create_letter(
    actor,
    *,
    org: Organization,
    year: int,
    title: str = "",
    superior_signatory: str = "",
    org_signatory: str = "",
    signed_on: dt.date | None = None,
    note: str = "",
    indicators: Sequence[IndicatorRow] = (),
) -> ResponsibilityLetter:
    """The superior records the letter with an org directly below it."""
    require(actor, Action.ADD, org)
    _letter_problems(org, year, signed_on, indicators).raise_if_any()
    letter = ResponsibilityLetter.objects.create(
        org=org,
        superior=Organization.objects.get(path=org.path[: -Organization.steplen]),
        year=year,
        title=title or _("%(year)s年度党建工作责任书") % {"year": year},
        superior_signatory=superior_signatory,
        org_signatory=org_signatory,
        signed_on=signed_on,
        note=note,
    )
    _set_indicators(letter, indicators)
    audit.created(
        actor,
        letter,
        exclude=UNAUDITED,
        org_path=org.path,
        extra={"indicators": [None, _indicator_facts(letter)]},
    )
    require(actor, Action.ADD, letter)
    return letter


@transaction.atomic
def update_letter(actor, letter: ResponsibilityLetter, *, indicators=None, **data):
    require(actor, Action.CHANGE, letter)
    before = audit.state(letter, UNAUDITED)
    old_indicators = _indicator_facts(letter)
    for key in ("year", "title", "superior_signatory", "org_signatory", "signed_on", "note"):
        if key in data:
            setattr(letter, key, data[key])
    rows = (
        indicators
        if indicators is not None
        else [(i.name, i.weight, i.target) for i in letter.indicators.all()]
    )
    _letter_problems(letter.org, letter.year, letter.signed_on, rows, letter.pk).raise_if_any()
    letter.save()
    extra = {}
    if indicators is not None:
        _set_indicators(letter, indicators)
        new_indicators = _indicator_facts(letter)
        if new_indicators != old_indicators:
            extra["indicators"] = [old_indicators, new_indicators]
    audit.changed(actor, letter, before, exclude=UNAUDITED, org_path=letter.org.path, extra=extra)
    require(actor, Action.CHANGE, letter)
    return letter


def sign_letter(actor, letter, *, signed_on: dt.date, superior_signatory: str, org_signatory: str):
    problems = Problems()
    if not superior_signatory.strip():
        problems.add("superior_signatory", _("请填写上级签字人"))
    if not org_signatory.strip():
        problems.add("org_signatory", _("请填写本级签字人"))
    problems.raise_if_any()
    return update_letter(
        actor,
        letter,
        signed_on=signed_on,
        superior_signatory=superior_signatory,
        org_signatory=org_signatory,
    )


@transaction.atomic
def delete_letter(actor, letter: ResponsibilityLetter) -> None:
    require(actor, Action.DELETE, letter)
    audit.deleted(actor, letter, exclude=UNAUDITED, org_path=letter.org.path)
    letter.delete()


def bulk_create_letters(actor, rows: Iterable[dict], *, description: str) -> int:
    """Many letters at once (the demo's years of history): the same checks per row as
    `create_letter`, one audit row for the batch. Each row: org, year, signed_on,
    signatories, and `indicators` as (name, weight, target) tuples."""
    rows = list(rows)
    parents = {
        org.path: org
        for org in Organization.objects.filter(
            path__in={row["org"].path[: -Organization.steplen] for row in rows}
        )
    }
    letters, problems = [], []
    for row in rows:
        org = row["org"]
        superior = parents.get(org.path[: -Organization.steplen])
        if superior is None:
            problems.append(org.code)
            continue
        letters.append(
            ResponsibilityLetter(
                org=org,
                superior=superior,
                year=row["year"],
                title=row.get("title") or _("%(year)s年度党建工作责任书") % {"year": row["year"]},
                superior_signatory=row.get("superior_signatory", ""),
                org_signatory=row.get("org_signatory", ""),
                signed_on=row.get("signed_on"),
            )
        )
    if problems:
        raise ValidationError(_("没有上级党组织: %(codes)s") % {"codes": "、".join(problems)})
    with transaction.atomic():
        ResponsibilityLetter.objects.bulk_create(letters, batch_size=500)
        LetterIndicator.objects.bulk_create(
            (
                LetterIndicator(
                    letter=letter,
                    order=i,
                    name=name,
                    weight=Decimal(str(weight)),
                    target=target,
                )
                for letter, row in zip(letters, rows, strict=True)
                for i, (name, weight, target) in enumerate(row.get("indicators", ()), start=1)
            ),
            batch_size=1000,
        )
        audit.batch(
            actor,
            AuditAction.IMPORT,
            org_path=Organization.common_path([letter.superior.path for letter in letters]),
            object_repr=description,
            letters=len(letters),
        )
    return len(letters)


# --- 专项督查 -------------------------------------------------------------------------------


def _inspection_problems(org, start_on, end_on, inspectors, targets) -> Problems:
    problems = Problems()
    if start_on and end_on and end_on < start_on:
        problems.add("end_on", _("结束日期不能早于开始日期"))
    _not_future(problems, "start_on", start_on)
    if not (inspectors or "").strip():
        problems.add("inspectors", _("请填写督查人员"))
    if not targets:
        problems.add("targets", _("请选择被督查的党组织"))
    outside = [t.name for t in targets if not _in_subtree(t, org) or t.pk == org.pk]
    if outside:
        problems.add(
            "targets",
            _("只能督查本组织下级的党组织: %(names)s") % {"names": "、".join(outside)},
        )
    return problems


@transaction.atomic
def create_inspection(
    actor,
    *,
    org: Organization,
    topic: str,
    start_on: dt.date,
    end_on: dt.date,
    inspectors: str,
    targets: Sequence[Organization],
    summary: str = "",
) -> Inspection:
    require(actor, Action.ADD, org)
    targets = list(targets)
    _inspection_problems(org, start_on, end_on, inspectors, targets).raise_if_any()
    inspection = Inspection.objects.create(
        org=org,
        topic=topic,
        start_on=start_on,
        end_on=end_on,
        inspectors=inspectors,
        summary=summary,
    )
    inspection.targets.set(targets)
    audit.created(
        actor,
        inspection,
        exclude=UNAUDITED,
        org_path=org.path,
        extra={"targets": [None, sorted(t.code for t in targets)]},
    )
    return inspection


@transaction.atomic
def update_inspection(actor, inspection: Inspection, *, targets=None, **data) -> Inspection:
    require(actor, Action.CHANGE, inspection)
    before = audit.state(inspection, UNAUDITED)
    old_targets = sorted(inspection.targets.values_list("code", flat=True))
    for key in ("topic", "start_on", "end_on", "inspectors", "summary"):
        if key in data:
            setattr(inspection, key, data[key])
    new_targets = list(targets) if targets is not None else list(inspection.targets.all())
    _inspection_problems(
        inspection.org, inspection.start_on, inspection.end_on, inspection.inspectors, new_targets
    ).raise_if_any()
    inspection.save()
    extra = {}
    if targets is not None:
        inspection.targets.set(new_targets)
        codes = sorted(t.code for t in new_targets)
        if codes != old_targets:
            extra["targets"] = [old_targets, codes]
    audit.changed(
        actor, inspection, before, exclude=UNAUDITED, org_path=inspection.org.path, extra=extra
    )
    return inspection


@transaction.atomic
def delete_inspection(actor, inspection: Inspection) -> None:
    require(actor, Action.DELETE, inspection)
    audit.deleted(actor, inspection, exclude=UNAUDITED, org_path=inspection.org.path)
    inspection.delete()


# --- 整改 ------------------------------------------------------------------------------------


def _rectification_problems(inspection, org, found_on, deadline, owner, finding) -> Problems:
    problems = Problems()
    targets = list(inspection.targets.all())
    if not any(_in_subtree(org, target) for target in targets):
        problems.add("org", _("整改党组织须是本次督查的被督查党组织(或其下级)"))
    if not (finding or "").strip():
        problems.add("finding", _("请填写发现的问题"))
    if not (owner or "").strip():
        problems.add("owner", _("请填写整改责任人"))
    if found_on and found_on < inspection.start_on:
        problems.add("found_on", _("反馈日期不能早于督查开始日期"))
    _not_future(problems, "found_on", found_on)
    if found_on and deadline and deadline < found_on:
        problems.add("deadline", _("整改期限不能早于反馈日期"))
    return problems


@transaction.atomic
def add_rectification(
    actor,
    inspection: Inspection,
    *,
    org: Organization,
    finding: str,
    owner: str,
    found_on: dt.date,
    deadline: dt.date,
    requirement: str = "",
) -> Rectification:
    """The inspecting side turns a finding at one org into a 整改 item."""
    require(actor, Action.CHANGE, inspection)
    _rectification_problems(inspection, org, found_on, deadline, owner, finding).raise_if_any()
    item = Rectification.objects.create(
        inspection=inspection,
        org=org,
        finding=finding,
        requirement=requirement,
        owner=owner,
        found_on=found_on,
        deadline=deadline,
    )
    audit.created(actor, item, exclude=UNAUDITED, org_path=org.path)
    return item


@transaction.atomic
def update_rectification(actor, item: Rectification, **data) -> Rectification:
    """The inspecting side corrects the finding, the owner or the deadline."""
    require(actor, Action.CHANGE, item.inspection)
    before = audit.state(item, UNAUDITED)
    for key in ("org", "finding", "requirement", "owner", "found_on", "deadline"):
        if key in data:
            setattr(item, key, data[key])
    _rectification_problems(
        item.inspection, item.org, item.found_on, item.deadline, item.owner, item.finding
    ).raise_if_any()
    item.save()
    audit.changed(actor, item, before, exclude=UNAUDITED, org_path=item.org.path)
    return item


@transaction.atomic
def report_rectification(
    actor, item: Rectification, *, evidence: str, submitted_on: dt.date, evidence_file=None
):
    """The rectifying org reports what it did, for the superior's acceptance, with an
    optional file of evidence on the upload store (readable by both sides: the item's org
    lies inside the inspecting org's subtree)."""
    require(actor, Action.CHANGE, item)
    problems = Problems()
    if item.status == RectificationStatus.ACCEPTED:
        problems.add("evidence", _("该整改事项已验收, 不能再报送"))
    if not evidence.strip():
        problems.add("evidence", _("请填写整改情况及佐证"))
    _not_future(problems, "submitted_on", submitted_on)
    if submitted_on < item.found_on:
        problems.add("submitted_on", _("报送日期不能早于反馈日期"))
    problems.raise_if_any()
    before = audit.state(item, UNAUDITED)
    item.evidence, item.submitted_on = evidence, submitted_on
    item.status = RectificationStatus.SUBMITTED
    item.save()
    audit.changed(actor, item, before, exclude=UNAUDITED, org_path=item.org.path)
    if evidence_file is not None:
        _attach(actor, item, evidence_file, item.org.path, "evidence_file")
    return item


@transaction.atomic
def review_rectification(
    actor, item: Rectification, *, accept: bool, on: dt.date, note: str = ""
) -> Rectification:
    """The inspecting side accepts (closes) the item or returns it to be redone."""
    require(actor, Action.CHANGE, item.inspection)
    problems = Problems()
    if item.status != RectificationStatus.SUBMITTED:
        problems.add("accept", _("只有已报送的整改事项才能验收或退回"))
    _not_future(problems, "on", on)
    if item.submitted_on and on < item.submitted_on:
        problems.add("on", _("验收日期不能早于报送日期"))
    if not accept and not note.strip():
        problems.add("note", _("退回时请写明原因"))
    problems.raise_if_any()
    before = audit.state(item, UNAUDITED)
    item.review_note = note
    if accept:
        item.status, item.accepted_on = RectificationStatus.ACCEPTED, on
    else:
        item.status, item.accepted_on = RectificationStatus.RETURNED, None
    item.save()
    audit.changed(actor, item, before, exclude=UNAUDITED, org_path=item.org.path)
    return item


@transaction.atomic
def delete_rectification(actor, item: Rectification) -> None:
    require(actor, Action.DELETE, item.inspection)
    audit.deleted(actor, item, exclude=UNAUDITED, org_path=item.org.path)
    item.delete()


# --- 考核 -------------------------------------------------------------------------------------


@transaction.atomic
def create_indicator_set(
    actor,
    *,
    org: Organization,
    year: int,
    name: str,
    note: str = "",
    tree: Sequence[TreeRow] | None = None,
):
    """A set issued by `org` for `year`, with its indicator tree when given (`tree`, the
    rows of `tree.parse`, checked by `tree_problems`)."""
    require(actor, Action.ADD, org)
    problems = Problems()
    _year(problems, year)
    if IndicatorSet.objects.filter(org=org, year=year, name=name).exists():
        problems.add("name", _("该年度已有同名的考核指标体系"))
    for message in tree_problems(tree or ()):
        problems.add("tree_text", message)
    problems.raise_if_any()
    indicator_set = IndicatorSet.objects.create(org=org, year=year, name=name, note=note)
    audit.created(actor, indicator_set, exclude=UNAUDITED, org_path=org.path)
    if tree:
        _write_tree(actor, indicator_set, tree)
    return indicator_set


def _has_scores(indicator_set: IndicatorSet) -> bool:
    return Score.objects.filter(indicator__indicator_set=indicator_set).exists()


def is_scored(indicator_set: IndicatorSet) -> bool:
    """Whether any sheet of the set holds a score: then the set is what those scores mean,
    and it is no longer changed (it is copied to a new year's set instead)."""
    return _has_scores(indicator_set)


SCORED_REFUSAL = gettext_lazy(
    "该考核指标体系已有评分, 不能再修改; 如需调整指标, 请复制为新年度的指标体系后修改"
)


def tree_problems(rows: Sequence[TreeRow]) -> list[str]:
    """Every problem of an indicator tree, each naming its line: the shape (the first line
    at the top level, one level down at a time), a name, 满分 > 0 and a weight >= 0 on every
    line, names distinct among siblings (the score import names a leaf by its path), and
    the weights of a group's children: their weighted 满分 (weight x 满分, summed) must
    reach the group's 满分, or the group could never be scored in full (more is allowed:
    the cap takes off the excess, as with bonus items), and they may not all be 0."""
    problems: list[str] = []
    stack: list[TreeRow] = []  # the open ancestors of the current line
    children: dict[int, list[TreeRow]] = {}
    top: list[TreeRow] = []
    for row in rows:
        where = {"n": row.line, "name": row.name}
        if row.level > len(stack):
            problems.append(_("第%(n)d行: 层级跳级(“-”比上一行多了不止一个)") % where)
            continue
        del stack[row.level :]
        siblings = children.setdefault(stack[-1].line, []) if stack else top
        if not row.name:
            problems.append(_("第%(n)d行: 缺少指标名称") % where)
        elif len(row.name) > 100:
            problems.append(_("第%(n)d行: 指标名称不能超过100个字") % where)
        elif any(other.name == row.name for other in siblings):
            problems.append(_("第%(n)d行: 同一级下已有指标“%(name)s”") % where)
        if row.max_score <= 0 or row.max_score >= Decimal("100000"):
            problems.append(_("第%(n)d行: 满分应大于0且小于100000") % where)
        elif row.max_score != row.max_score.quantize(Decimal("0.01")):
            problems.append(_("第%(n)d行: 满分最多两位小数") % where)
        if row.weight < 0 or row.weight >= Decimal("1000"):
            problems.append(_("第%(n)d行: 权重应在0到1000之间") % where)
        elif row.weight != row.weight.quantize(Decimal("0.001")):
            problems.append(_("第%(n)d行: 权重最多三位小数") % where)
        siblings.append(row)
        stack.append(row)
    by_line = {row.line: row for row in rows}
    for line, below in children.items():
        group = by_line[line]
        reach = sum((child.weight * child.max_score for child in below), Decimal("0"))
        where = {"n": line, "name": group.name}
        if not any(child.weight > 0 for child in below):
            problems.append(_("第%(n)d行: “%(name)s”的下级指标权重不能全为0") % where)
        elif reach < group.max_score:
            problems.append(
                _(
                    "第%(n)d行: “%(name)s”满分%(max)s分, 但下级指标按权重折算的满分合计只有"
                    "%(reach)s分, 应不少于本指标满分"
                )
                % {**where, "max": plain(group.max_score), "reach": plain(reach)}
            )
    return problems


def _write_tree(actor, indicator_set: IndicatorSet, rows: Sequence[TreeRow]) -> None:
    stack: list[Indicator] = []
    orders: dict = {}
    for row in rows:
        del stack[row.level :]
        parent = stack[-1] if stack else None
        key = parent.pk if parent else None
        orders[key] = orders.get(key, 0) + 1
        node = Indicator.objects.create(
            indicator_set=indicator_set,
            parent=parent,
            name=row.name,
            max_score=row.max_score,
            weight=row.weight,
            guide=row.guide,
            order=orders[key],
        )
        audit.created(actor, node, org_path=indicator_set.org.path)
        stack.append(node)


@transaction.atomic
def update_indicator_set(
    actor,
    indicator_set: IndicatorSet,
    *,
    year: int | None = None,
    name: str | None = None,
    note: str | None = None,
    tree: Sequence[TreeRow] | None = None,
) -> IndicatorSet:
    """Change a set and (when `tree` is given) replace its indicator tree. A set with scores
    is refused whole: its indicators, year and name are what the scores and the year-over-
    year ranking mean. Copy it to a new year's set instead (`copy_indicator_set`)."""
    require(actor, Action.CHANGE, indicator_set)
    problems = Problems()
    if _has_scores(indicator_set):
        problems.add("tree_text" if tree is not None else "name", SCORED_REFUSAL)
        problems.raise_if_any()
    year = indicator_set.year if year is None else year
    name = indicator_set.name if name is None else name
    _year(problems, year)
    if (
        IndicatorSet.objects.filter(org=indicator_set.org, year=year, name=name)
        .exclude(pk=indicator_set.pk)
        .exists()
    ):
        problems.add("name", _("该年度已有同名的考核指标体系"))
    for message in tree_problems(tree or ()):
        problems.add("tree_text", message)
    problems.raise_if_any()
    before = audit.state(indicator_set, UNAUDITED)
    indicator_set.year, indicator_set.name = year, name
    if note is not None:
        indicator_set.note = note
    indicator_set.save()
    audit.changed(actor, indicator_set, before, exclude=UNAUDITED, org_path=indicator_set.org.path)
    if tree is not None:
        for node in Indicator.objects.filter(indicator_set=indicator_set).order_by("-pk"):
            audit.deleted(actor, node, org_path=indicator_set.org.path)
        Indicator.objects.filter(indicator_set=indicator_set).delete()
        _write_tree(actor, indicator_set, tree)
    return indicator_set


@transaction.atomic
def copy_indicator_set(actor, indicator_set: IndicatorSet, *, year: int, name: str | None = None):
    """A new set for `year` with the same indicators (same name by default, so next year's
    ranking compares with this one); the copy is not scored, so it can be changed."""
    require(actor, Action.VIEW, indicator_set)
    indicators = list(Indicator.objects.filter(indicator_set=indicator_set))
    rows = [
        TreeRow(i, level, node.name, node.max_score, node.weight, node.guide)
        for i, (node, level) in enumerate(walk(indicators), 1)
    ]
    return create_indicator_set(
        actor,
        org=indicator_set.org,
        year=year,
        name=name or indicator_set.name,
        note=indicator_set.note,
        tree=rows,
    )


@transaction.atomic
def add_indicator(
    actor,
    indicator_set: IndicatorSet,
    *,
    name: str,
    max_score,
    weight=1,
    parent: Indicator | None = None,
    guide: str = "",
    order: int = 0,
) -> Indicator:
    require(actor, Action.CHANGE, indicator_set)
    problems = Problems()
    max_score, weight = Decimal(str(max_score)), Decimal(str(weight))
    if max_score <= 0:
        problems.add("max_score", _("满分应大于0"))
    if weight < 0:
        problems.add("weight", _("权重不能为负数"))
    if parent is not None:
        if parent.indicator_set_id != indicator_set.pk:
            problems.add("parent", _("上级指标不在本指标体系中"))
        elif parent.scores.exists():
            problems.add("parent", _("该指标已有得分, 不能再细分下级指标"))
    if _has_scores(indicator_set) and parent is None:
        problems.add("name", _("已开始评分的指标体系不能增加一级指标"))
    problems.raise_if_any()
    indicator = Indicator.objects.create(
        indicator_set=indicator_set,
        parent=parent,
        name=name,
        max_score=max_score,
        weight=weight,
        guide=guide,
        order=order,
    )
    audit.created(actor, indicator, org_path=indicator_set.org.path)
    return indicator


def _sheet_org_problems(indicator_set: IndicatorSet, org: Organization) -> Problems:
    problems = Problems()
    if not _is_child(org, indicator_set.org):
        problems.add(
            "org",
            _("只能考核%(issuer)s的直属党组织") % {"issuer": indicator_set.org.name},
        )
    return problems


@transaction.atomic
def create_sheet(
    actor,
    indicator_set: IndicatorSet,
    *,
    org: Organization,
    leader_comment: str = "",
    democratic_rate=None,
) -> ScoreSheet:
    """The issuing org opens a score sheet for an org directly below it."""
    require(actor, Action.CHANGE, indicator_set)
    problems = _sheet_org_problems(indicator_set, org)
    if ScoreSheet.objects.filter(indicator_set=indicator_set, org=org).exists():
        problems.add("org", _("该党组织在本指标体系中已有评分表"))
    _rate(problems, democratic_rate)
    problems.raise_if_any()
    sheet = ScoreSheet.objects.create(
        indicator_set=indicator_set,
        org=org,
        leader_comment=leader_comment,
        democratic_rate=None if democratic_rate is None else Decimal(str(democratic_rate)),
    )
    audit.created(actor, sheet, exclude=UNAUDITED, org_path=org.path)
    return sheet


def _rate(problems: Problems, rate) -> None:
    if rate is not None and not Decimal("0") <= Decimal(str(rate)) <= Decimal("100"):
        problems.add("democratic_rate", _("民主测评满意率应在0到100之间"))


@transaction.atomic
def review_sheet(actor, sheet: ScoreSheet, *, leader_comment=None, democratic_rate=None):
    """领导点评 and the 民主测评 result, by the issuing org."""
    require(actor, Action.CHANGE, sheet.indicator_set)
    problems = Problems()
    _rate(problems, democratic_rate)
    problems.raise_if_any()
    before = audit.state(sheet, UNAUDITED)
    if leader_comment is not None:
        sheet.leader_comment = leader_comment
    if democratic_rate is not None:
        sheet.democratic_rate = Decimal(str(democratic_rate))
    sheet.save()
    audit.changed(actor, sheet, before, exclude=UNAUDITED, org_path=sheet.org.path)
    return sheet


@transaction.atomic
def score(
    actor,
    sheet: ScoreSheet,
    indicator: Indicator,
    *,
    self_score=None,
    reviewer_score=None,
    evidence: str | None = None,
    clear_reviewer: bool = False,
) -> Score:
    """A self-score (with its evidence) by the scored org, a reviewer score by the issuing
    org; a score lies between 0 and the indicator's 满分, on a leaf indicator.
    `clear_reviewer` takes the reviewer's score back (the indicator counts as not scored)."""
    if self_score is not None or evidence is not None:
        require(actor, Action.CHANGE, sheet)
    if reviewer_score is not None or clear_reviewer:
        require(actor, Action.CHANGE, sheet.indicator_set)
    problems = Problems()
    if indicator.indicator_set_id != sheet.indicator_set_id:
        problems.add("indicator", _("指标不在本评分表的指标体系中"))
    elif indicator.children.exists():
        problems.add("indicator", _("只能给末级指标打分"))
    for field_name, value in (("self_score", self_score), ("reviewer_score", reviewer_score)):
        if value is not None and not 0 <= Decimal(str(value)) <= indicator.max_score:
            problems.add(
                field_name,
                _("得分应在0到满分%(max)s之间") % {"max": plain(indicator.max_score)},
            )
    problems.raise_if_any()
    row, created = Score.objects.get_or_create(sheet=sheet, indicator=indicator)
    before = None if created else audit.state(row)
    if self_score is not None:
        row.self_score = Decimal(str(self_score))
    if reviewer_score is not None:
        row.reviewer_score = Decimal(str(reviewer_score))
    elif clear_reviewer:
        row.reviewer_score = None
    if evidence is not None:
        row.evidence = evidence
    row.save()
    audit.changed(actor, row, before, org_path=sheet.org.path, object_repr=f"{sheet} {indicator}")
    return row


def leaves_of(indicator_set: IndicatorSet) -> list[Indicator]:
    """The set's scored indicators (those without children), in tree order."""
    indicators = list(Indicator.objects.filter(indicator_set=indicator_set))
    parents = {node.parent_id for node in indicators}
    return [node for node, _level in walk(indicators) if node.pk not in parents]


@transaction.atomic
def open_sheets(actor, indicator_set: IndicatorSet) -> int:
    """A score sheet for every org directly below the issuing org that has none yet (and
    existed in the set's year); how many were opened."""
    require(actor, Action.CHANGE, indicator_set)
    issuer = indicator_set.org
    have = set(
        ScoreSheet.objects.filter(indicator_set=indicator_set).values_list("org_id", flat=True)
    )
    year_end = dt.date(indicator_set.year, 12, 31)
    opened = 0
    for org in Organization.objects.filter(
        path__startswith=issuer.path, depth=issuer.depth + 1
    ).order_by("path"):
        if org.pk in have or (org.founded_on and org.founded_on > year_end):
            continue
        create_sheet(actor, indicator_set, org=org)
        opened += 1
    return opened


def _score_problems(problems: Problems, field_name: str, indicator: Indicator, value) -> None:
    if value is not None and not 0 <= Decimal(str(value)) <= indicator.max_score:
        problems.add(
            field_name,
            _("“%(name)s”的得分应在0到满分%(max)s之间")
            % {"name": indicator.name, "max": plain(indicator.max_score)},
        )


@transaction.atomic
def enter_review(
    actor,
    sheet: ScoreSheet,
    *,
    scores: dict[int, Decimal | None],
    leader_comment: str | None = None,
    democratic_rate=None,
) -> ScoreSheet:
    """The assessor's (the issuing org's) scores of one sheet, entered together: every leaf
    score in 0..满分 (each bad one named, nothing saved unless all pass), with the 领导点评
    and the 民主测评 rate. `scores` maps leaf indicator id -> score (None: not scored, so an
    emptied field takes an earlier score back). One audit row per changed score."""
    require(actor, Action.CHANGE, sheet.indicator_set)
    leaves = {leaf.pk: leaf for leaf in leaves_of(sheet.indicator_set)}
    problems = Problems()
    for pk, value in scores.items():
        if pk not in leaves:
            problems.add(NON_FIELD_ERRORS, _("指标不在本评分表的指标体系中"))
        else:
            _score_problems(problems, f"score_{pk}", leaves[pk], value)
    _rate(problems, democratic_rate)
    problems.raise_if_any()
    existing = {row.indicator_id: row for row in Score.objects.filter(sheet=sheet)}
    for pk, value in scores.items():
        old = existing.get(pk)
        if value is None:
            if old is not None and old.reviewer_score is not None:
                score(actor, sheet, leaves[pk], clear_reviewer=True)
            continue
        if old is not None and old.reviewer_score == Decimal(str(value)):
            continue
        score(actor, sheet, leaves[pk], reviewer_score=value)
    if leader_comment is not None or democratic_rate is not None:
        review_sheet(actor, sheet, leader_comment=leader_comment, democratic_rate=democratic_rate)
    return sheet


@transaction.atomic
def enter_self_assessment(actor, sheet: ScoreSheet, *, rows: dict[int, dict]) -> ScoreSheet:
    """The scored org's self-scores, each with its evidence: text and, optionally, a file
    (PDF, Word, Excel or an image) put on the upload store for whoever may read the sheet
    (the org's and the issuing org's readers: the file's org is the scored org, inside the
    issuer's subtree). A new file replaces the score's earlier one. `rows` maps leaf id ->
    {"self_score", "evidence", "file"}; all checked first, nothing saved unless all pass."""
    require(actor, Action.CHANGE, sheet)
    leaves = {leaf.pk: leaf for leaf in leaves_of(sheet.indicator_set)}
    problems = Problems()
    for pk, row in rows.items():
        if pk not in leaves:
            problems.add(NON_FIELD_ERRORS, _("指标不在本评分表的指标体系中"))
        else:
            _score_problems(problems, f"self_{pk}", leaves[pk], row.get("self_score"))
    problems.raise_if_any()
    existing = {row.indicator_id: row for row in Score.objects.filter(sheet=sheet)}
    for pk, row in rows.items():
        old = existing.get(pk)
        value, evidence, upload = row.get("self_score"), row.get("evidence"), row.get("file")
        unchanged = (
            old is not None
            and (value is None or old.self_score == Decimal(str(value)))
            and (evidence is None or old.evidence == evidence)
        )
        if upload is None and (unchanged or (old is None and value is None and not evidence)):
            continue
        saved = score(actor, sheet, leaves[pk], self_score=value, evidence=evidence)
        if upload is not None:
            _attach(actor, saved, upload, sheet.org.path, f"evidence_{pk}")
    return sheet


EVIDENCE_KINDS = ("pdf", "docx", "xlsx", "image")


def _attach(actor, obj, upload, org_path: str, field_name: str) -> None:
    """Put `upload` on the store as `obj.evidence_file` (readable by readers of
    `org_path`), removing the file it replaces."""
    try:
        stored = uploads.save(actor, upload, org_path=org_path, kinds=EVIDENCE_KINDS)
    except ValidationError as exc:
        raise ValidationError({field_name: exc.messages}) from exc
    old = obj.evidence_file
    before = audit.state(obj, UNAUDITED)
    obj.evidence_file = stored
    obj.save(update_fields=["evidence_file"])
    audit.changed(actor, obj, before, exclude=UNAUDITED, org_path=org_path)
    if old is not None:
        uploads.delete(actor, old)


# --- external evaluations -----------------------------------------------------------------

EVALUATION_FIELDS = (
    "name",
    "body",
    "year",
    "held_on",
    "ranked_among",
    "rank",
    "participants",
    "score",
    "note",
)


def _evaluation_problems(evaluation: Evaluation) -> Problems:
    problems = Problems()
    _year(problems, evaluation.year)
    _not_future(problems, "held_on", evaluation.held_on)
    if evaluation.rank is None or evaluation.rank < 1:
        problems.add("rank", _("名次应为正整数"))
    elif evaluation.participants is not None and evaluation.rank > evaluation.participants:
        problems.add("rank", _("名次不能大于参评单位数"))
    if (
        Evaluation.objects.filter(org=evaluation.org, name=evaluation.name, year=evaluation.year)
        .exclude(pk=evaluation.pk)
        .exists()
    ):
        problems.add("year", _("该党组织本年度的这项测评结果已登记"))
    return problems


@transaction.atomic
def record_evaluation(actor, *, org: Organization, **data) -> Evaluation:
    require(actor, Action.ADD, org)
    evaluation = Evaluation(org=org, **{k: data.get(k) for k in EVALUATION_FIELDS if k in data})
    evaluation.note = evaluation.note or ""
    _evaluation_problems(evaluation).raise_if_any()
    evaluation.save()
    audit.created(actor, evaluation, exclude=UNAUDITED, org_path=org.path)
    return evaluation


@transaction.atomic
def update_evaluation(actor, evaluation: Evaluation, **data) -> Evaluation:
    require(actor, Action.CHANGE, evaluation)
    before = audit.state(evaluation, UNAUDITED)
    for key in EVALUATION_FIELDS:
        if key in data:
            setattr(evaluation, key, data[key] if data[key] is not None or key != "note" else "")
    _evaluation_problems(evaluation).raise_if_any()
    evaluation.save()
    audit.changed(actor, evaluation, before, exclude=UNAUDITED, org_path=evaluation.org.path)
    return evaluation


@transaction.atomic
def delete_evaluation(actor, evaluation: Evaluation) -> None:
    require(actor, Action.DELETE, evaluation)
    audit.deleted(actor, evaluation, exclude=UNAUDITED, org_path=evaluation.org.path)
    evaluation.delete()


# --- 表彰 ------------------------------------------------------------------------------------


def _honour_problems(honour: Honour) -> Problems:
    problems = Problems()
    _year(problems, honour.year)
    if honour.kind not in HonourKind.values:
        problems.add("kind", _("请选择表彰类别"))
    if honour.level not in HonourLevel.values:
        problems.add("level", _("请选择表彰级别"))
    if honour.kind in PERSON_HONOURS and honour.member_id is None:
        problems.add("member", _("个人表彰须选择党员"))
    if honour.kind == HonourKind.ADVANCED_ORG and honour.member_id is not None:
        problems.add("member", _("先进基层党组织是集体表彰, 不选择党员"))
    if honour.kind == HonourKind.OTHER and not honour.title.strip():
        problems.add("title", _("其他表彰请填写荣誉称号"))
    if honour.member_id is not None and honour.member.org_id != honour.org_id:
        problems.add("member", _("党员不在所选党组织"))
    _not_future(problems, "nominated_on", honour.nominated_on)
    return problems


HONOUR_FIELDS = (
    "kind",
    "title",
    "level",
    "year",
    "org",
    "member",
    "awarded_by",
    "nominated_on",
    "note",
)


@transaction.atomic
def nominate_honour(actor, **data) -> Honour:
    """A nomination; with a member, the honour counts under the member's org."""
    member = data.get("member")
    if member is not None and data.get("org") is None:
        data["org"] = member.org
    require(actor, Action.ADD, data["org"])
    honour = Honour(**{k: data[k] for k in HONOUR_FIELDS if k in data})
    honour.title, honour.note = honour.title or "", honour.note or ""
    _honour_problems(honour).raise_if_any()
    honour.save()
    audit.created(actor, honour, exclude=UNAUDITED, org_path=honour.org.path)
    return honour


@transaction.atomic
def update_honour(actor, honour: Honour, **data) -> Honour:
    require(actor, Action.CHANGE, honour)
    before = audit.state(honour, UNAUDITED)
    for key in HONOUR_FIELDS:
        if key in data:
            setattr(honour, key, data[key] if data[key] is not None or key == "member" else "")
    _honour_problems(honour).raise_if_any()
    honour.save()
    audit.changed(actor, honour, before, exclude=UNAUDITED, org_path=honour.org.path)
    require(actor, Action.CHANGE, honour)
    return honour


@transaction.atomic
def publicise_honour(actor, honour: Honour, *, start: dt.date, end: dt.date) -> Honour:
    require(actor, Action.CHANGE, honour)
    problems = Problems()
    if honour.status != HonourStatus.NOMINATED:
        problems.add("start", _("只有已推荐的表彰才能公示"))
    if start < honour.nominated_on:
        problems.add("start", _("公示不能早于推荐日期"))
    if end < start:
        problems.add("end", _("公示结束日期不能早于开始日期"))
    problems.raise_if_any()
    before = audit.state(honour, UNAUDITED)
    honour.publicity_from, honour.publicity_to = start, end
    honour.status = HonourStatus.PUBLICISED
    honour.save()
    audit.changed(actor, honour, before, exclude=UNAUDITED, org_path=honour.org.path)
    return honour


@transaction.atomic
def decide_honour(actor, honour: Honour, *, approve: bool, on: dt.date) -> Honour:
    """Approval after the 公示 has ended (or refusal at any point before approval)."""
    require(actor, Action.CHANGE, honour)
    problems = Problems()
    _not_future(problems, "on", on)
    if honour.status in (HonourStatus.APPROVED, HonourStatus.REJECTED):
        problems.add("on", _("该表彰已有结论"))
    elif approve and honour.status != HonourStatus.PUBLICISED:
        problems.add("on", _("须经公示后才能批准"))
    elif approve and on <= honour.publicity_to:
        problems.add("on", _("公示期满后才能批准(公示至%(day)s)") % {"day": honour.publicity_to})
    problems.raise_if_any()
    before = audit.state(honour, UNAUDITED)
    honour.status = HonourStatus.APPROVED if approve else HonourStatus.REJECTED
    honour.decided_on = on
    honour.save()
    audit.changed(actor, honour, before, exclude=UNAUDITED, org_path=honour.org.path)
    return honour


@transaction.atomic
def delete_honour(actor, honour: Honour) -> None:
    require(actor, Action.DELETE, honour)
    audit.deleted(actor, honour, exclude=UNAUDITED, org_path=honour.org.path)
    honour.delete()


def bulk_record_honours(actor, honours: Sequence[Honour], *, description: str) -> int:
    """Decided honours in bulk (history entered at once, the demo's years): each checked as
    `nominate_honour` checks it and carrying its 公示 and decision dates, one audit row."""
    problems = []
    for honour in honours:
        found = _honour_problems(honour)
        if honour.status == HonourStatus.APPROVED and not (
            honour.publicity_to and honour.decided_on and honour.decided_on > honour.publicity_to
        ):
            found.add("decided_on", _("公示期满后才能批准"))
        problems += [message for messages in found.errors.values() for message in messages]
    if problems:
        raise ValidationError(sorted(set(problems)))
    with transaction.atomic():
        Honour.objects.bulk_create(honours, batch_size=500)
        audit.batch(
            actor,
            AuditAction.IMPORT,
            org_path=Organization.common_path([honour.org.path for honour in honours]),
            object_repr=description,
            honours=len(honours),
        )
    return len(honours)
