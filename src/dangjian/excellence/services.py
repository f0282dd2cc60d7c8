"""Every write of 创先争优与示范: validate (Chinese messages keyed by field), save and audit in
one transaction, checking the actor's scope before and after. Views, the API, tests and the
demo loader call these.

The rules that are local practice are settings (DANGJIAN_DEMO_POINT_*, DANGJIAN_STAR_CAP_*)
or the year's criteria record: the yearly 15-20 局级示范点 (more is refused, fewer is a
warning the pages show), 2-3 推荐市级, the standard score, the star caps. "以上/以下"
include the number."""

import datetime as dt
import math
from collections import Counter
from decimal import Decimal
from functools import partial
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, uploads
from dangjian.core.audit import AuditAction, record
from dangjian.core.notifications import notify
from dangjian.core.roles import Action
from dangjian.core.scope import NotInScope, is_unrestricted, require, scope_paths
from dangjian.core.validators import personal_data_in
from dangjian.excellence.models import (
    FIVE_GOOD_CRITERIA,
    Campaign,
    CheckStatus,
    Commitment,
    DemonstrationPoint,
    DemonstrationReview,
    Exemplar,
    ExemplarPhoto,
    FiveGoodCheck,
    FiveGoodChecklist,
    Fulfilment,
    Post,
    StarCriteria,
    StarRating,
)
from dangjian.members.models import Member, Membership, spell_in_force
from dangjian.orgs.models import COMMITTEE_KINDS, Organization

UNAUDITED = ("created_at",)


def _today() -> dt.date:
    return timezone.localdate()


class Problems:
    """Field name -> Chinese messages, raised all at once."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field_name: str, message) -> None:
        self.errors.setdefault(field_name, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _not_future(problems: Problems, field: str, day: dt.date | None) -> None:
    if day is not None and day > _today():
        problems.add(field, _("日期不能晚于今天"))


def _created(actor, obj, org: Organization):
    require(actor, Action.VIEW, obj)  # still in the actor's scope once written
    audit.created(actor, obj, exclude=UNAUDITED, org_path=org.path, object_repr=str(obj))
    return obj


def _changed(actor, obj, before, org: Organization):
    obj.save()
    require(actor, Action.VIEW, obj)
    audit.changed(actor, obj, before, exclude=UNAUDITED, org_path=org.path, object_repr=str(obj))
    return obj


def _deleted(actor, obj, org: Organization) -> None:
    audit.deleted(actor, obj, exclude=UNAUDITED, org_path=org.path, object_repr=str(obj))
    obj.delete()


def _update_fields(obj, data: dict, allowed: tuple[str, ...]) -> None:
    for name in allowed:
        if name in data:
            setattr(obj, name, data[name])


# -- who may decide what ------------------------------------------------------------------


def _strictly_below(field: str, paths) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path}) & ~Q(**{field: path})
    return q


def reviewable_checks(user):
    """Checks the user may accept or return: the superior's 验收, so the check's org lies
    strictly below an org where the user may change things (never one's own branch)."""
    qs = FiveGoodCheck.objects.all()
    if is_unrestricted(user):
        return qs
    return qs.filter(_strictly_below("org__path", scope_paths(user, Action.CHANGE)))


def decidable_points(user):
    """Points whose selecting committee (the nearest 党委 above the org) the user may
    change: the org lies strictly below a committee inside the user's scope."""
    qs = DemonstrationPoint.objects.all()
    if is_unrestricted(user):
        return qs
    committees = []
    for path in scope_paths(user, Action.CHANGE):
        committees += Organization.objects.filter(
            path__startswith=path, kind__in=COMMITTEE_KINDS
        ).values_list("path", flat=True)
    return qs.filter(_strictly_below("org__path", committees))


# -- "五个好" -------------------------------------------------------------------------------

DEFAULT_CHECKLIST = (
    ("leadership", "班子成员政治坚定, 团结协作, 书记抓党建责任落实"),
    ("leadership", "民主集中制和“三重一大”决策制度执行到位"),
    ("members", "党员理想信念坚定, 学习培训学时达标"),
    ("members", "党员在教育教学中发挥先锋模范作用"),
    ("mechanism", "“三会一课”等组织生活制度落实, 记录完整"),
    ("mechanism", "党务公开、发展党员、党费收缴等工作规范"),
    ("results", "围绕教育教学中心工作, 学校发展成效明显"),
    ("results", "创先争优活动有载体、有成果"),
    ("reputation", "师生和家长对党组织和党员满意"),
    ("reputation", "无违纪违法和重大安全责任事故"),
)


def default_checklist_items() -> list[dict]:
    return [{"criterion": key, "text": text} for key, text in DEFAULT_CHECKLIST]


def _check_answers(problems: Problems, checklist: FiveGoodChecklist, answers: dict) -> dict:
    """Keep the answers of the checklist's items, each {"met": bool, "evidence": str}; an
    item reported as met needs its evidence."""
    clean = {}
    for index, _item in enumerate(checklist.items):
        answer = answers.get(str(index)) or answers.get(index) or {}
        met, evidence = bool(answer.get("met")), str(answer.get("evidence") or "").strip()
        if met and not evidence:
            problems.add(f"evidence_{index}", _("达标的细目须写明佐证材料"))
        clean[str(index)] = {"met": met, "evidence": evidence[:500]}
    return clean


# The checklist's versions: city-wide reference data, set like the 评星定格 criteria.

CHECKLIST_ITEM_MAX = 200


def checklist_used(checklist: FiveGoodChecklist) -> int:
    """How many checks were made against this version (which then stays as they saw it)."""
    return FiveGoodCheck.objects.filter(checklist=checklist).count()


def _checklist_problems(
    problems: Problems, *, name: str, effective_from: dt.date, items: dict, exclude_pk=None
) -> list[dict]:
    """Check a version's content; `items`: criterion key -> its sub-items (a list, or text
    with one item a line). Returns the stored form, [{"criterion", "text"}] in the five
    criteria's order."""
    if not (name or "").strip():
        problems.add("name", _("请填写标准名称"))
    if effective_from is None:
        problems.add("effective_from", _("请填写施行日期"))
    else:
        if (
            FiveGoodChecklist.objects.filter(effective_from=effective_from)
            .exclude(pk=exclude_pk)
            .exists()
        ):
            problems.add("effective_from", _("该日已有施行的检查标准, 请换一个施行日期"))
        # A check already made on or after the day was made against the version then in
        # force: a new version may not reach back under it.
        later = (
            FiveGoodCheck.objects.filter(self_checked_on__gte=effective_from)
            .order_by("-self_checked_on")
            .values_list("self_checked_on", flat=True)
            .first()
        )
        if later is not None:
            problems.add(
                "effective_from",
                _("%(d)s已有党组织按原标准自查, 新标准的施行日期应晚于该日")
                % {"d": later.isoformat()},
            )
    unknown = set(items) - {key for key, _label in FIVE_GOOD_CRITERIA}
    if unknown:
        problems.add("items", _("检查细目只能属于“五个好”的五项标准"))
    clean = []
    for key, label in FIVE_GOOD_CRITERIA:
        given = items.get(key) or []
        lines = given.splitlines() if isinstance(given, str) else list(given)
        texts = [str(line).strip() for line in lines if str(line).strip()]
        if not texts:
            problems.add(f"items_{key}", _("“%(c)s”至少要有一项检查细目") % {"c": label})
        if any(len(text) > CHECKLIST_ITEM_MAX for text in texts):
            problems.add(
                f"items_{key}",
                _("每项细目不超过%(n)d个字") % {"n": CHECKLIST_ITEM_MAX},
            )
        clean += [{"criterion": key, "text": text} for text in texts]
    return clean


def _require_city_setter(actor, what) -> None:
    if not may_set_criteria(actor):
        raise ValidationError(_("只有市级管理员可以设置%(what)s") % {"what": what})


@transaction.atomic
def create_checklist(
    actor, *, name: str, effective_from: dt.date, items: dict
) -> FiveGoodChecklist:
    """A new dated version of the "五个好" checklist: checks dated from `effective_from`
    are made against it, earlier checks keep theirs."""
    _require_city_setter(actor, _("“五个好”检查标准"))
    problems = Problems()
    clean = _checklist_problems(problems, name=name, effective_from=effective_from, items=items)
    problems.raise_if_any()
    checklist = FiveGoodChecklist.objects.create(
        name=name.strip(), effective_from=effective_from, items=clean
    )
    audit.created(actor, checklist, org_path="", object_repr=str(checklist))
    return checklist


@transaction.atomic
def update_checklist(
    actor, checklist: FiveGoodChecklist, *, name: str, effective_from: dt.date, items: dict
) -> FiveGoodChecklist:
    """A version is edited only while no check was made against it; after that it is the
    record of what those checks answered (copy it as a new version instead)."""
    _require_city_setter(actor, _("“五个好”检查标准"))
    # Lock the version: a check submitted meanwhile waits for this edit.
    checklist = FiveGoodChecklist.objects.select_for_update().get(pk=checklist.pk)
    used = checklist_used(checklist)
    if used:
        raise ValidationError(
            _("已有%(n)d次“五个好”检查按此标准进行, 不能再修改; 可复制为新版本") % {"n": used}
        )
    problems = Problems()
    clean = _checklist_problems(
        problems,
        name=name,
        effective_from=effective_from,
        items=items,
        exclude_pk=checklist.pk,
    )
    problems.raise_if_any()
    before = audit.state(checklist)
    checklist.name, checklist.effective_from, checklist.items = (
        name.strip(),
        effective_from,
        clean,
    )
    checklist.save()
    audit.changed(actor, checklist, before, org_path="", object_repr=str(checklist))
    return checklist


def checklist_lines(checklist: FiveGoodChecklist) -> dict[str, str]:
    """A version's sub-items as text, one item a line, per criterion (the editor's form)."""
    lines: dict[str, list[str]] = {key: [] for key, _label in FIVE_GOOD_CRITERIA}
    for item in checklist.items:
        lines.setdefault(item["criterion"], []).append(item["text"])
    return {key: "\n".join(texts) for key, texts in lines.items()}


@transaction.atomic
def submit_check(
    actor, org: Organization, *, self_checked_on: dt.date, answers: dict, summary: str = ""
) -> FiveGoodCheck:
    """A branch's self-check: against the checklist in force on its date."""
    require(actor, Action.ADD, org)
    problems = Problems()
    _not_future(problems, "self_checked_on", self_checked_on)
    checklist = FiveGoodChecklist.objects.in_force(self_checked_on)
    if checklist is None:
        raise ValidationError(_("尚未设置“五个好”检查标准"))
    # Lock the version against an edit in progress (`update_checklist`).
    checklist = FiveGoodChecklist.objects.select_for_update().get(pk=checklist.pk)
    if FiveGoodCheck.objects.filter(org=org, status=CheckStatus.SUBMITTED).exists():
        problems.add("self_checked_on", _("该党组织已有待验收的自查, 请先完成验收"))
    clean = _check_answers(problems, checklist, answers)
    problems.raise_if_any()
    check = FiveGoodCheck.objects.create(
        org=org,
        checklist=checklist,
        year=self_checked_on.year,
        self_checked_on=self_checked_on,
        answers=clean,
        summary=summary,
    )
    return _created(actor, check, org)


@transaction.atomic
def update_check(actor, check: FiveGoodCheck, **data) -> FiveGoodCheck:
    require(actor, Action.CHANGE, check)
    if check.status != CheckStatus.SUBMITTED:
        raise ValidationError(_("已验收的检查不能再修改, 请重新自查"))
    before = audit.state(check, UNAUDITED)
    problems = Problems()
    if "answers" in data:
        check.answers = _check_answers(problems, check.checklist, data["answers"])
    _update_fields(check, data, ("summary", "self_checked_on"))
    _not_future(problems, "self_checked_on", check.self_checked_on)
    problems.raise_if_any()
    check.year = check.self_checked_on.year
    return _changed(actor, check, before, check.org)


@transaction.atomic
def review_check(
    actor, check: FiveGoodCheck, *, passed: bool, reviewed_on: dt.date, note: str = ""
) -> FiveGoodCheck:
    """The superior's 验收: a branch never accepts its own check."""
    parent = Organization.objects.get_parent(check.org)
    require(actor, Action.CHANGE, parent or check.org)
    problems = Problems()
    if check.status != CheckStatus.SUBMITTED:
        problems.add("passed", _("该检查已验收"))
    _not_future(problems, "reviewed_on", reviewed_on)
    if reviewed_on < check.self_checked_on:
        problems.add("reviewed_on", _("验收日期不能早于自查日期"))
    if not passed and not note.strip():
        problems.add("note", _("退回须写明理由"))
    if passed and check.met_count < len(check.checklist.items):
        problems.add("passed", _("尚有细目未达标, 不能验收通过"))
    problems.raise_if_any()
    before = audit.state(check, UNAUDITED)
    check.status = CheckStatus.PASSED if passed else CheckStatus.RETURNED
    check.reviewed_on = reviewed_on
    check.review_note = note.strip()
    return _changed(actor, check, before, check.org)


@transaction.atomic
def delete_check(actor, check: FiveGoodCheck) -> None:
    require(actor, Action.DELETE, check)
    if check.status != CheckStatus.SUBMITTED:
        raise ValidationError(_("已验收的检查是历史记录, 不能删除"))
    _deleted(actor, check, check.org)


# -- 党建示范点 -----------------------------------------------------------------------------


def bureau_of(org: Organization) -> Organization | None:
    """The committee that selects the org's points: its nearest 党委/党工委 above it."""
    step = Organization.steplen
    above = [org.path[: step * depth] for depth in range(1, org.depth)]
    return (
        Organization.objects.filter(path__in=above, kind__in=COMMITTEE_KINDS)
        .order_by("-depth")
        .first()
    )


def standard_score() -> Decimal:
    return Decimal(settings.DANGJIAN_DEMO_POINT_STANDARD)


@transaction.atomic
def apply_point(
    actor, org: Organization, *, applied_on: dt.date, application: str = ""
) -> DemonstrationPoint:
    require(actor, Action.ADD, org)
    problems = Problems()
    _not_future(problems, "applied_on", applied_on)
    if bureau_of(org) is None:
        problems.add("org", _("该党组织没有上级党委, 不能申报示范点"))
    held = DemonstrationPoint.objects.filter(org=org, revoked_on__isnull=True).exclude(
        evaluated_on__isnull=False, meets_standard=False
    )
    if held.exists():
        problems.add("org", _("该党组织已有在评或在册的示范点"))
    problems.raise_if_any()
    point = DemonstrationPoint.objects.create(
        org=org, applied_on=applied_on, application=application
    )
    return _created(actor, point, org)


@transaction.atomic
def update_point(actor, point: DemonstrationPoint, **data) -> DemonstrationPoint:
    require(actor, Action.CHANGE, point)
    before = audit.state(point, UNAUDITED)
    _update_fields(point, data, ("applied_on", "application"))
    problems = Problems()
    _not_future(problems, "applied_on", point.applied_on)
    if point.evaluated_on and point.applied_on > point.evaluated_on:
        problems.add("applied_on", _("申报日期不能晚于评估日期"))
    problems.raise_if_any()
    return _changed(actor, point, before, point.org)


@transaction.atomic
def evaluate_point(
    actor, point: DemonstrationPoint, *, evaluated_on: dt.date, score: Decimal
) -> DemonstrationPoint:
    """Scored against the standard in force: 达标 at the standard score or above."""
    bureau = bureau_of(point.org)
    require(actor, Action.CHANGE, bureau or point.org)
    problems = Problems()
    _not_future(problems, "evaluated_on", evaluated_on)
    if evaluated_on < point.applied_on:
        problems.add("evaluated_on", _("评估日期不能早于申报日期"))
    if not Decimal(0) <= Decimal(score) <= Decimal(100):
        problems.add("score", _("得分应在0到100之间"))
    if point.bureau_on:
        problems.add("score", _("已评为示范点, 不能重新评估"))
    problems.raise_if_any()
    before = audit.state(point, UNAUDITED)
    point.evaluated_on, point.score = evaluated_on, Decimal(score)
    point.standard_score = standard_score()
    point.meets_standard = point.score >= point.standard_score
    return _changed(actor, point, before, point.org)


def bureau_count(bureau: Organization, year: int, exclude_pk=None) -> int:
    qs = DemonstrationPoint.objects.filter(bureau=bureau, bureau_on__year=year)
    return qs.exclude(pk=exclude_pk).count() if exclude_pk else qs.count()


def city_count(bureau: Organization, year: int) -> int:
    return DemonstrationPoint.objects.filter(bureau=bureau, city_on__year=year).count()


def selection_warnings(bureau: Organization, year: int) -> list[str]:
    """Fewer than the plan's yearly minimum is allowed but said."""
    found = []
    bureau_n, city_n = bureau_count(bureau, year), city_count(bureau, year)
    low, city_low = settings.DANGJIAN_DEMO_POINT_BUREAU_MIN, settings.DANGJIAN_DEMO_POINT_CITY_MIN
    if bureau_n < low:
        found.append(
            _("%(bureau)s%(year)d年已评局级示范点%(n)d个, 少于计划的%(low)d个")
            % {"bureau": bureau.name, "year": year, "n": bureau_n, "low": low}
        )
    if city_n < city_low:
        found.append(
            _("%(bureau)s%(year)d年已推荐市级示范点%(n)d个, 少于计划的%(low)d个")
            % {"bureau": bureau.name, "year": year, "n": city_n, "low": city_low}
        )
    return found


@transaction.atomic
def select_bureau(actor, point: DemonstrationPoint, *, on: dt.date) -> DemonstrationPoint:
    """局级评选: an evaluated point at the standard, within the bureau's yearly maximum."""
    bureau = bureau_of(point.org)
    if bureau is None:
        raise ValidationError(_("该党组织没有上级党委"))
    require(actor, Action.CHANGE, bureau)
    # The bureau's row is locked so two selections at once cannot pass the cap together.
    Organization.objects.select_for_update().filter(pk=bureau.pk).first()
    problems = Problems()
    _not_future(problems, "on", on)
    if not point.meets_standard or point.evaluated_on is None:
        problems.add("on", _("未经评估达标的申报不能评为示范点"))
    elif on < point.evaluated_on:
        problems.add("on", _("评选日期不能早于评估日期"))
    if point.bureau_on or point.revoked_on:
        problems.add("on", _("该申报已评选或已撤销"))
    most = settings.DANGJIAN_DEMO_POINT_BUREAU_MAX
    if bureau_count(bureau, on.year) >= most:
        problems.add(
            "on",
            _("%(bureau)s%(year)d年已评局级示范点%(n)d个, 已达每年%(most)d个的上限")
            % {"bureau": bureau.name, "year": on.year, "n": most, "most": most},
        )
    problems.raise_if_any()
    before = audit.state(point, UNAUDITED)
    point.bureau, point.bureau_on = bureau, on
    return _changed(actor, point, before, point.org)


@transaction.atomic
def recommend_city(actor, point: DemonstrationPoint, *, on: dt.date) -> DemonstrationPoint:
    """推荐市级: a titled bureau-level point, within the yearly maximum per bureau."""
    bureau = point.bureau
    if bureau is None or point.bureau_on is None:
        raise ValidationError({"on": [_("只有局级示范点才能推荐为市级示范点")]})
    require(actor, Action.CHANGE, bureau)
    Organization.objects.select_for_update().filter(pk=bureau.pk).first()
    problems = Problems()
    _not_future(problems, "on", on)
    if point.city_on or point.revoked_on:
        problems.add("on", _("该示范点已推荐或已撤销称号"))
    if on < point.bureau_on:
        problems.add("on", _("推荐日期不能早于评为局级示范点的日期"))
    most = settings.DANGJIAN_DEMO_POINT_CITY_MAX
    if city_count(bureau, on.year) >= most:
        problems.add(
            "on",
            _("%(bureau)s%(year)d年已推荐市级示范点%(n)d个, 已达每年%(most)d个的上限")
            % {"bureau": bureau.name, "year": on.year, "n": most, "most": most},
        )
    problems.raise_if_any()
    before = audit.state(point, UNAUDITED)
    point.city_on = on
    return _changed(actor, point, before, point.org)


@transaction.atomic
def review_point(
    actor, point: DemonstrationPoint, *, reviewed_on: dt.date, kept: bool, note: str = ""
) -> DemonstrationReview:
    """The yearly review: a point that fails it loses its title from that day, which takes
    it out of the share of orgs at the standard."""
    bureau = point.bureau or bureau_of(point.org)
    require(actor, Action.CHANGE, bureau or point.org)
    problems = Problems()
    _not_future(problems, "reviewed_on", reviewed_on)
    if point.bureau_on is None or point.revoked_on is not None:
        problems.add("kept", _("只有在册的示范点才能复核"))
    elif reviewed_on < point.bureau_on:
        problems.add("reviewed_on", _("复核日期不能早于评为示范点的日期"))
    if point.reviews.filter(year=reviewed_on.year).exists():
        problems.add("reviewed_on", _("该示范点本年度已复核"))
    if not kept and not note.strip():
        problems.add("note", _("撤销称号须写明理由"))
    problems.raise_if_any()
    review = DemonstrationReview.objects.create(
        point=point, year=reviewed_on.year, reviewed_on=reviewed_on, kept=kept, note=note.strip()
    )
    audit.created(actor, review, org_path=point.org.path, object_repr=str(point))
    if not kept:
        before = audit.state(point, UNAUDITED)
        point.revoked_on, point.revoke_reason = reviewed_on, note.strip()[:200]
        _changed(actor, point, before, point.org)
    return review


@transaction.atomic
def delete_point(actor, point: DemonstrationPoint) -> None:
    require(actor, Action.DELETE, point)
    if point.bureau_on:
        raise ValidationError(_("已评为示范点的记录是历史记录, 不能删除"))
    _deleted(actor, point, point.org)


# -- 党员评星定格 ---------------------------------------------------------------------------

DEFAULT_STAR_ITEMS = "政治素质\n学习提高\n履职尽责\n作用发挥\n遵规守纪\n公开承诺兑现"
DEFAULT_STAR_MEANINGS = {
    "5": "五星: 各方面表现突出, 起示范带头作用",
    "4": "四星: 表现优秀",
    "3": "三星: 表现良好, 合格",
    "2": "二星: 基本合格, 有明显不足",
    "1": "一星: 不合格, 须限期改正",
}


def criteria_for(year: int) -> StarCriteria:
    """The year's criteria; a year without its own record gets the settings' defaults (an
    unsaved record, so nothing is written by reading)."""
    found = StarCriteria.objects.filter(year=year).first()
    if found is not None:
        return found
    return StarCriteria(
        year=year,
        items=DEFAULT_STAR_ITEMS,
        meanings=DEFAULT_STAR_MEANINGS,
        caps={
            "5": settings.DANGJIAN_STAR_CAP_5_PERCENT,
            "4": settings.DANGJIAN_STAR_CAP_4_PERCENT,
        },
    )


def may_set_criteria(user) -> bool:
    """The criteria apply city-wide: only someone who may change a whole tree sets them."""
    if is_unrestricted(user):
        return True
    roots = Organization.objects.filter(depth=1).values_list("pk", flat=True)
    changeable = Organization.objects.all().restrict(user, Action.CHANGE)
    return changeable.filter(pk__in=list(roots)).exists()


def criteria_used(criteria: StarCriteria) -> int:
    """How many ratings were decided under the set (those of its year)."""
    return StarRating.objects.filter(year=criteria.year).count()


STAR_KEYS = ("1", "2", "3", "4", "5")


def _criteria_problems(problems: Problems, *, items: str, meanings: dict, caps: dict) -> dict:
    """Check a set's content; returns the caps as whole percents keyed "1".."5"."""
    if not (items or "").strip():
        problems.add("items", _("请填写评定项目, 每行一项"))
    if any(key not in STAR_KEYS for key in meanings):
        problems.add("meanings", _("星级含义只能对应1到5星"))
    clean = {}
    for key, value in caps.items():
        if value is None or value == "":
            continue
        try:
            percent = int(value)
        except (TypeError, ValueError):
            percent = -1
        if key not in STAR_KEYS or not 0 <= percent <= 100 or str(percent) != str(value).strip():
            problems.add(
                f"cap_{key}" if key in STAR_KEYS else "caps",
                _("星级比例上限应为0到100之间的整数(百分比)"),
            )
            continue
        clean[key] = percent
    if clean.get("4", 0) + clean.get("5", 0) > 100:
        problems.add("cap_4", _("四星和五星的比例上限合计不能超过100%"))
    return clean


def _criteria_year_problems(problems: Problems, year: int) -> None:
    if not 1921 <= int(year) <= _today().year + 1:
        problems.add("year", _("年度应在1921年至明年之间"))
    elif StarCriteria.objects.filter(year=year).exists():
        problems.add("year", _("%(year)d年已有评星定格标准, 请修改该年度的标准") % {"year": year})
    elif StarRating.objects.filter(year=year).exists():
        problems.add(
            "year",
            _("%(year)d年已有党员按原标准评定星级, 不能再为该年度另设标准") % {"year": year},
        )


def _require_criteria_setter(actor) -> None:
    _require_city_setter(actor, _("评星定格标准"))


@transaction.atomic
def create_star_criteria(
    actor, *, year: int, items: str, meanings: dict, caps: dict
) -> StarCriteria:
    """A year's criteria, set before its ratings: a year whose members were already rated
    (under the settings' defaults) keeps what they were rated under."""
    _require_criteria_setter(actor)
    problems = Problems()
    _criteria_year_problems(problems, year)
    clean = _criteria_problems(problems, items=items, meanings=meanings, caps=caps)
    problems.raise_if_any()
    criteria = StarCriteria.objects.create(
        year=year, items=items.strip(), meanings=dict(meanings), caps=clean
    )
    audit.created(actor, criteria, org_path="", object_repr=str(criteria))
    return criteria


@transaction.atomic
def update_star_criteria(
    actor, criteria: StarCriteria, *, items: str, meanings: dict, caps: dict
) -> StarCriteria:
    """A set is edited only while no rating was decided under it; after that it is the
    record of what those ratings meant (copy it for a new year instead)."""
    _require_criteria_setter(actor)
    # Lock the set: a rating of its year written meanwhile waits for this edit, and one
    # already written refuses it.
    criteria = StarCriteria.objects.select_for_update().get(pk=criteria.pk)
    if criteria_used(criteria):
        raise ValidationError(
            _("%(year)d年已有党员按此标准评定星级, 不能再修改; 可复制为新年度的标准")
            % {"year": criteria.year}
        )
    problems = Problems()
    clean = _criteria_problems(problems, items=items, meanings=meanings, caps=caps)
    problems.raise_if_any()
    before = audit.state(criteria)
    criteria.items, criteria.meanings, criteria.caps = items.strip(), dict(meanings), clean
    criteria.save()
    audit.changed(actor, criteria, before, org_path="", object_repr=str(criteria))
    return criteria


@transaction.atomic
def copy_star_criteria(actor, criteria: StarCriteria, *, year: int) -> StarCriteria:
    """A new year's set starting from an earlier one (which stays as it was)."""
    return create_star_criteria(
        actor, year=year, items=criteria.items, meanings=criteria.meanings, caps=criteria.caps
    )


@transaction.atomic
def set_star_criteria(actor, *, year: int, items: str, meanings: dict, caps: dict) -> StarCriteria:
    """Create the year's set or edit it (while unused): the command line's and the tests'
    one call."""
    found = StarCriteria.objects.filter(year=year).first()
    if found is None:
        return create_star_criteria(actor, year=year, items=items, meanings=meanings, caps=caps)
    return update_star_criteria(actor, found, items=items, meanings=meanings, caps=caps)


def branch_headcount(org_id: int, day: dt.date) -> int:
    return Membership.objects.filter(spell_in_force(day), org_id=org_id).count()


def star_cap(criteria: StarCriteria, stars: int, headcount: int) -> int | None:
    """How many members of a branch of `headcount` may get `stars` (None: no cap)."""
    percent = criteria.caps.get(str(stars))
    if percent is None:
        return None
    return math.floor(headcount * int(percent) / 100)


def _rating_problems(problems, *, member, org, year, stars, rated_on, exclude_pk=None):
    if not 1 <= int(stars) <= 5:
        problems.add("stars", _("星级应为1到5星"))
        return
    _not_future(problems, "rated_on", rated_on)
    if rated_on.year not in (year, year + 1):
        problems.add("rated_on", _("评定日期应在该年度或次年"))
    if StarRating.objects.filter(member=member, year=year).exclude(pk=exclude_pk).exists():
        problems.add("year", _("该党员本年度已评定星级"))
    criteria = criteria_for(year)
    headcount = branch_headcount(org.pk, min(rated_on, dt.date(year, 12, 31)))
    cap = star_cap(criteria, int(stars), headcount)
    if cap is not None:
        taken = (
            StarRating.objects.filter(org=org, year=year, stars=stars)
            .exclude(pk=exclude_pk)
            .count()
        )
        if taken + 1 > cap:
            problems.add(
                "stars",
                _("%(org)s%(year)d年%(stars)d星不超过党员数的%(pct)s%%(%(cap)d人), 已评%(taken)d人")
                % {
                    "org": org.name,
                    "year": year,
                    "stars": int(stars),
                    "pct": criteria.caps[str(int(stars))],
                    "cap": cap,
                    "taken": taken,
                },
            )


@transaction.atomic
def rate_member(
    actor,
    member: Member,
    *,
    year: int,
    stars: int,
    rated_on: dt.date,
    self_stars: int | None = None,
    peer_stars: int | None = None,
    note: str = "",
) -> StarRating:
    require(actor, Action.CHANGE, member)
    org = member.org
    # One branch's ratings are decided one at a time, so two at once cannot pass a cap; the
    # year's criteria are locked too, so they cannot be edited under a rating being made.
    Organization.objects.select_for_update().filter(pk=org.pk).first()
    list(StarCriteria.objects.select_for_update().filter(year=year))
    problems = Problems()
    _rating_problems(problems, member=member, org=org, year=year, stars=stars, rated_on=rated_on)
    problems.raise_if_any()
    rating = StarRating.objects.create(
        member=member,
        org=org,
        year=year,
        stars=stars,
        rated_on=rated_on,
        self_stars=self_stars,
        peer_stars=peer_stars,
        note=note,
    )
    return _created(actor, rating, org)


@transaction.atomic
def update_rating(actor, rating: StarRating, **data) -> StarRating:
    require(actor, Action.CHANGE, rating)
    Organization.objects.select_for_update().filter(pk=rating.org_id).first()
    before = audit.state(rating, UNAUDITED)
    _update_fields(rating, data, ("stars", "self_stars", "peer_stars", "rated_on", "note"))
    problems = Problems()
    _rating_problems(
        problems,
        member=rating.member,
        org=rating.org,
        year=rating.year,
        stars=rating.stars,
        rated_on=rating.rated_on,
        exclude_pk=rating.pk,
    )
    problems.raise_if_any()
    return _changed(actor, rating, before, rating.org)


@transaction.atomic
def delete_rating(actor, rating: StarRating) -> None:
    require(actor, Action.DELETE, rating)
    _deleted(actor, rating, rating.org)


def distribution(ratings) -> dict[str, int]:
    counts = Counter(str(stars) for stars in ratings.values_list("stars", flat=True))
    return {str(n): counts.get(str(n), 0) for n in range(1, 6)}


# -- 党员公开承诺 ---------------------------------------------------------------------------


def _publish_if_agreed(commitment: Commitment, day: dt.date) -> None:
    """Public once both the member and the branch agree; withdrawn if either stops. A text
    holding an ID number or a mobile number is never published (the portal shows it as
    written)."""
    if commitment.member_agreed and commitment.branch_agreed:
        if personal_data_in(commitment.text):
            raise ValidationError(
                {"text": [_("承诺内容含有身份证号或手机号, 不能公开; 请删去后再同意公开")]}
            )
        commitment.published_on = commitment.published_on or day
    else:
        commitment.published_on = None


@transaction.atomic
def make_commitment(
    actor,
    member: Member,
    *,
    year: int,
    text: str,
    made_on: dt.date,
    member_agreed: bool = False,
    branch_agreed: bool = False,
) -> Commitment:
    require(actor, Action.CHANGE, member)
    problems = Problems()
    _not_future(problems, "made_on", made_on)
    if not text.strip():
        problems.add("text", _("请填写承诺内容"))
    if made_on.year not in (year, year - 1):
        problems.add("made_on", _("承诺日期应在该年度或上年末"))
    problems.raise_if_any()
    commitment = Commitment(
        member=member,
        org=member.org,
        year=year,
        text=text.strip(),
        made_on=made_on,
        member_agreed=member_agreed,
        branch_agreed=branch_agreed,
    )
    _publish_if_agreed(commitment, made_on)
    commitment.save()
    return _created(actor, commitment, member.org)


@transaction.atomic
def update_commitment(actor, commitment: Commitment, **data) -> Commitment:
    """The branch's edit: the text, its own consent, and the member's consent when the
    member gave or withdrew it to the branch (on paper); the member may also give or
    withdraw it themself (`set_member_consent`). The member agreed to publish a text, not
    whatever it becomes: a changed text takes their consent back (and the commitment off
    the portal) until they give it again, and they are told."""
    require(actor, Action.CHANGE, commitment)
    before = audit.state(commitment, UNAUDITED)
    old_text = commitment.text
    _update_fields(commitment, data, ("text", "member_agreed", "branch_agreed"))
    if not commitment.text.strip():
        raise ValidationError({"text": [_("请填写承诺内容")]})
    text_changed = commitment.text.strip() != old_text.strip()
    if text_changed:
        commitment.member_agreed = False
    _publish_if_agreed(commitment, max(commitment.made_on, _today()))
    changed = _changed(actor, commitment, before, commitment.org)
    if text_changed and before.get("member_agreed"):
        notify(
            commitment.member.user,
            _("党支部修改了您%(year)s年的公开承诺, 如同意公开修改后的内容, 请重新确认")
            % {"year": commitment.year},
            reverse("me-home"),
        )
    return changed


def commitment_of(user, pk: int) -> Commitment | None:
    """The user's own commitment `pk` (as the member it names), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Commitment.objects.filter(pk=pk, member__user_id=user.pk).first()


@transaction.atomic
def set_member_consent(actor, commitment: Commitment, *, agreed: bool) -> Commitment:
    """The member's own say on publishing their commitment (from /me/): only the member the
    commitment names; with the branch's consent it goes on the portal, withdrawing takes it
    off at once. Audited like every write."""
    if commitment.member.user_id is None or commitment.member.user_id != actor.pk:
        raise NotInScope()
    require(actor, Action.VIEW, commitment)
    before = audit.state(commitment, UNAUDITED)
    commitment.member_agreed = agreed
    _publish_if_agreed(commitment, max(commitment.made_on, _today()))
    return _changed(actor, commitment, before, commitment.org)


@transaction.atomic
def review_commitment(
    actor,
    commitment: Commitment,
    *,
    stage: str,
    reviewed_on: dt.date,
    note: str = "",
    fulfilment: str = "",
) -> Commitment:
    """年中评议 (a note on progress) or 年终评议 (the fulfilment)."""
    require(actor, Action.CHANGE, commitment)
    problems = Problems()
    _not_future(problems, "reviewed_on", reviewed_on)
    if reviewed_on < commitment.made_on:
        problems.add("reviewed_on", _("评议日期不能早于承诺日期"))
    if stage == "final" and fulfilment not in (
        Fulfilment.FULFILLED,
        Fulfilment.PARTLY,
        Fulfilment.UNFULFILLED,
    ):
        problems.add("fulfilment", _("请选择兑现情况"))
    if stage not in ("mid", "final"):
        problems.add("stage", _("请选择年中或年终评议"))
    problems.raise_if_any()
    before = audit.state(commitment, UNAUDITED)
    if stage == "mid":
        commitment.mid_reviewed_on, commitment.mid_note = reviewed_on, note.strip()[:200]
    else:
        commitment.final_reviewed_on, commitment.final_note = reviewed_on, note.strip()[:200]
        commitment.fulfilment = fulfilment
    return _changed(actor, commitment, before, commitment.org)


@transaction.atomic
def delete_commitment(actor, commitment: Commitment) -> None:
    require(actor, Action.DELETE, commitment)
    _deleted(actor, commitment, commitment.org)


# -- posts, exemplars, campaigns ------------------------------------------------------------


def _period_problems(problems, start: dt.date, end: dt.date | None, start_field="start_on"):
    _not_future(problems, start_field, start)
    if end is not None and end < start:
        problems.add("end_on", _("结束日期不能早于开始日期"))


def _holder_problems(problems, holder: Member | None, org: Organization):
    if holder is not None and not holder.org.path.startswith(org.path):
        problems.add("holder", _("该党员不在本党组织"))


POST_FIELDS = ("kind", "name", "holder", "holder_name", "start_on", "end_on", "covers")


@transaction.atomic
def create_post(actor, org: Organization, **data) -> Post:
    require(actor, Action.ADD, org)
    post = Post(org=org)
    _update_fields(post, data, POST_FIELDS)
    if post.holder and not post.holder_name:
        post.holder_name = post.holder.name
    problems = Problems()
    _period_problems(problems, post.start_on, post.end_on)
    _holder_problems(problems, post.holder, org)
    problems.raise_if_any()
    post.save()
    return _created(actor, post, org)


@transaction.atomic
def update_post(actor, post: Post, **data) -> Post:
    require(actor, Action.CHANGE, post)
    before = audit.state(post, UNAUDITED)
    _update_fields(post, data, POST_FIELDS)
    problems = Problems()
    _period_problems(problems, post.start_on, post.end_on)
    _holder_problems(problems, post.holder, post.org)
    problems.raise_if_any()
    return _changed(actor, post, before, post.org)


@transaction.atomic
def delete_post(actor, post: Post) -> None:
    require(actor, Action.DELETE, post)
    _deleted(actor, post, post.org)


EXEMPLAR_FIELDS = (
    "member",
    "name",
    "title",
    "level",
    "recognised_on",
    "story",
    "honour",
    "honour_note",
)
# assessment.HonourStatus.APPROVED, by value: assessment is a sibling app (not imported).
HONOUR_APPROVED = "approved"


def honour_mismatch(exemplar: Exemplar, honour) -> str | None:
    """Why `honour` (an assessment.Honour) cannot be the 表彰 this exemplar came from: it is
    not approved, or it names another member (a person's honour) or another org (an org's
    honour); None when it fits."""
    if honour.status != HONOUR_APPROVED:
        return _("所选表彰尚未批准, 不能作为先进典型的依据")
    if honour.member_id is not None:
        if exemplar.member_id != honour.member_id:
            return _("所选表彰授予党员%(name)s, 先进典型应为同一名党员") % {
                "name": honour.member.name
            }
    elif exemplar.member_id is not None:
        return _("所选表彰授予党组织%(org)s, 应登记为集体典型(不选党员)") % {"org": honour.org.name}
    elif exemplar.org_id != honour.org_id:
        return _("所选表彰授予%(org)s, 与先进典型所在党组织不同") % {"org": honour.org.name}
    return None


def _exemplar_problems(problems, exemplar: Exemplar, actor=None, before_honour=None):
    _not_future(problems, "recognised_on", exemplar.recognised_on)
    if exemplar.member is not None and not exemplar.member.org.path.startswith(exemplar.org.path):
        problems.add("member", _("该党员不在本党组织"))
    if exemplar.published_on and exemplar.published_on < exemplar.recognised_on:
        problems.add("published_on", _("公开日期不能早于表彰日期"))
    honour = exemplar.honour
    if honour is None:
        return
    # A newly chosen 表彰 must be one the actor may see (a link kept as it was is not
    # re-checked: another user may have made it).
    if actor is not None and honour.pk != before_honour:
        visible = type(honour).objects.restrict(actor, Action.VIEW).filter(pk=honour.pk)
        if not visible.exists():
            problems.add("honour", _("所选表彰不存在或不在您的权限范围内"))
            return
    mismatch = honour_mismatch(exemplar, honour)
    if mismatch:
        problems.add("honour", mismatch)


@transaction.atomic
def create_exemplar(actor, org: Organization, **data) -> Exemplar:
    require(actor, Action.ADD, org)
    exemplar = Exemplar(org=org)
    _update_fields(exemplar, data, (*EXEMPLAR_FIELDS, "published_on"))
    if exemplar.member and not exemplar.name:
        exemplar.name = exemplar.member.name
    problems = Problems()
    _exemplar_problems(problems, exemplar, actor)
    problems.raise_if_any()
    exemplar.save()
    return _created(actor, exemplar, org)


@transaction.atomic
def update_exemplar(actor, exemplar: Exemplar, **data) -> Exemplar:
    require(actor, Action.CHANGE, exemplar)
    before = audit.state(exemplar, UNAUDITED)
    before_honour = exemplar.honour_id
    _update_fields(exemplar, data, EXEMPLAR_FIELDS)
    problems = Problems()
    _exemplar_problems(problems, exemplar, actor, before_honour)
    problems.raise_if_any()
    return _changed(actor, exemplar, before, exemplar.org)


@transaction.atomic
def publish_exemplar(actor, exemplar: Exemplar, *, on: dt.date | None) -> Exemplar:
    """Put the exemplar on the 党务公开 portal from `on` (not a later day: the photos
    become public with it), or take it off (None), photos too."""
    require(actor, Action.CHANGE, exemplar)
    before = audit.state(exemplar, UNAUDITED)
    exemplar.published_on = on
    problems = Problems()
    _exemplar_problems(problems, exemplar)
    _not_future(problems, "on", on)
    problems.raise_if_any()
    _changed(actor, exemplar, before, exemplar.org)
    for photo in exemplar.photos.select_related("file"):
        if photo.file.public != (on is not None):
            uploads.publish(actor, photo.file, on is not None)
    return exemplar


PHOTO_KINDS = ("image",)
PHOTOS_MAX = 12


@transaction.atomic
def add_exemplar_photo(actor, exemplar: Exemplar, uploaded, *, caption: str = "") -> ExemplarPhoto:
    """A photo through the upload store (checked and re-encoded there), readable like the
    exemplar (viewers of its org) and public while the exemplar is published."""
    require(actor, Action.CHANGE, exemplar)
    if exemplar.photos.count() >= PHOTOS_MAX:
        raise ValidationError(
            {"photo": [_("每个先进典型最多%(n)d张照片, 请先删除不用的照片") % {"n": PHOTOS_MAX}]}
        )
    try:
        stored = uploads.save(
            actor,
            uploaded,
            org_path=exemplar.org.path,
            kinds=PHOTO_KINDS,
            action=Action.VIEW,
            public=exemplar.published_on is not None,
        )
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    photo = ExemplarPhoto.objects.create(
        exemplar=exemplar, file=stored, caption=(caption or "").strip()[:100]
    )
    audit.created(actor, photo, org_path=exemplar.org.path, object_repr=str(exemplar))
    return photo


@transaction.atomic
def delete_exemplar_photo(actor, photo: ExemplarPhoto) -> None:
    exemplar = photo.exemplar
    require(actor, Action.CHANGE, exemplar)
    stored = photo.file
    audit.deleted(actor, photo, org_path=exemplar.org.path, object_repr=str(exemplar))
    photo.delete()
    uploads.delete(actor, stored)


@transaction.atomic
def delete_exemplar(actor, exemplar: Exemplar) -> None:
    """The exemplar with its photos (records and stored files)."""
    require(actor, Action.DELETE, exemplar)
    for photo in list(exemplar.photos.select_related("file")):
        delete_exemplar_photo(actor, photo)
    _deleted(actor, exemplar, exemplar.org)


CAMPAIGN_FIELDS = ("name", "start_on", "end_on", "content")


@transaction.atomic
def create_campaign(actor, org: Organization, **data) -> Campaign:
    require(actor, Action.ADD, org)
    campaign = Campaign(org=org)
    _update_fields(campaign, data, CAMPAIGN_FIELDS)
    problems = Problems()
    _period_problems(problems, campaign.start_on, campaign.end_on)
    problems.raise_if_any()
    campaign.save()
    return _created(actor, campaign, org)


@transaction.atomic
def update_campaign(actor, campaign: Campaign, **data) -> Campaign:
    require(actor, Action.CHANGE, campaign)
    before = audit.state(campaign, UNAUDITED)
    _update_fields(campaign, data, CAMPAIGN_FIELDS)
    problems = Problems()
    _period_problems(problems, campaign.start_on, campaign.end_on)
    problems.raise_if_any()
    return _changed(actor, campaign, before, campaign.org)


@transaction.atomic
def delete_campaign(actor, campaign: Campaign) -> None:
    require(actor, Action.DELETE, campaign)
    _deleted(actor, campaign, campaign.org)


# -- history in bulk (the demo loader, a migration from another system) ----------------------


_PLAIN_TYPES = (
    "BooleanField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "ForeignKey",
)


def insert_rows(model, rows: list, chunk: int = 5000) -> None:
    """New rows of `model` as executemany INSERTs, without their ids: what bulk_create does
    without its per-value preparation, which dominated the demo's load (ten thousands of
    ratings and commitments). A row is an unsaved instance or a dict of values by attname
    (no model instance per row; a missing field gets its default). Plain columns go in as
    they are, dates through the backend's adapter, lazy texts as text; auto_now(_add)
    columns get now; any other field prepares its own value as a save would (JSON)."""
    if not rows:
        return
    db = connections[router.db_for_write(model)]
    ops, now = db.ops, timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    as_dicts = isinstance(rows[0], dict)
    getters = []
    for f in fields:
        kind = f.get_internal_type()
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            stamp = f.get_db_prep_save(now, db)
            getters.append(lambda row, stamp=stamp: stamp)
            continue
        if as_dicts:
            read = partial(_dict_value, name=f.attname, default=f.get_default())
        else:
            read = attrgetter(f.attname)
        if kind == "DateField":
            prep = ops.adapt_datefield_value
        elif kind in ("CharField", "TextField"):
            prep = _text
        elif kind in _PLAIN_TYPES:
            getters.append(read)
            continue
        else:
            prep = partial(f.get_db_prep_save, connection=db)
        getters.append(lambda row, read=read, prep=prep: prep(read(row)))
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
    with db.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            cursor.executemany(
                sql, [tuple(get(row) for get in getters) for row in rows[start : start + chunk]]
            )


def _dict_value(row: dict, *, name: str, default):
    return row.get(name, default)


def _text(value):
    """A lazy label (a choice's) as its text; text and None as they are."""
    return value if isinstance(value, str | None) else str(value)


@transaction.atomic
def load_history(actor, root: Organization, records: dict, note: str) -> dict[str, int]:
    """Write many historical records at once (`records`: model -> unsaved rows; for the
    models nothing points at, dicts of values by attname will do), checked
    against the same yearly caps as one-by-one writes, with one audit row for the batch.
    Only an actor who may add in the whole of `root`'s subtree may do this."""
    require(actor, Action.ADD, root)
    problems = Problems()
    points = records.get(DemonstrationPoint, [])
    per_year = Counter((p.bureau_id, p.bureau_on.year) for p in points if p.bureau_on)
    if any(n > settings.DANGJIAN_DEMO_POINT_BUREAU_MAX for n in per_year.values()):
        problems.add("bureau_on", _("局级示范点超过每年上限"))
    per_year = Counter((p.bureau_id, p.city_on.year) for p in points if p.city_on)
    if any(n > settings.DANGJIAN_DEMO_POINT_CITY_MAX for n in per_year.values()):
        problems.add("city_on", _("市级示范点超过每年上限"))
    exemplars = [e for e in records.get(Exemplar, []) if getattr(e, "honour_id", None)]
    if exemplars:
        honours = Exemplar._meta.get_field("honour").related_model.objects.select_related(
            "org", "member"
        )
        found = honours.in_bulk({e.honour_id for e in exemplars})
        for exemplar in exemplars:
            honour = found.get(exemplar.honour_id)
            mismatch = _("表彰不存在") if honour is None else honour_mismatch(exemplar, honour)
            if mismatch:
                problems.add("honour", mismatch)
                break
    problems.raise_if_any()
    written = {}
    # Points get their ids back (the reviews point at them); nothing points at the others,
    # so their rows go in as plain INSERTs.
    points = records.get(DemonstrationPoint, [])
    DemonstrationPoint.objects.bulk_create(points, batch_size=1000)
    written["demonstrationpoint"] = len(points)
    for model in (FiveGoodCheck, StarRating, Commitment, Post, Exemplar, Campaign):
        rows = records.get(model, [])
        insert_rows(model, rows)
        written[model._meta.model_name] = len(rows)
    reviews = records.get(DemonstrationReview, [])
    for review in reviews:
        review.point_id = review.point.pk
    DemonstrationReview.objects.bulk_create(reviews, batch_size=1000)
    written["demonstrationreview"] = len(reviews)
    record(
        actor,
        AuditAction.CREATE,
        None,
        changes={"count": [None, written], "note": [None, note]},
        org_path=root.path,
        object_repr=note,
    )
    return written


def criteria_labels() -> dict[str, str]:
    return {key: str(label) for key, label in FIVE_GOOD_CRITERIA}
