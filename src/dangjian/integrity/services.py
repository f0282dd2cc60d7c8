"""Writes of 廉政建设 records. Each checks the actor's scope on the record and on its org
(ADD/CHANGE/DELETE for risks and education, the 纪检 role for the confidential records),
validates with Chinese messages, saves and audits in one transaction, and checks again
afterwards, so nobody moves a record out of their own subtree.

A case's outcome against a member becomes that member's 党纪处分 record (the one 发展党员
and elections read: 留党察看 stops votes and introductions for its period), and 开除党籍 ends
the membership as a dated 出党 event."""

import datetime as dt
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.dates import add_years
from dangjian.core.models import AuditAction
from dangjian.core.roles import Action
from dangjian.core.scope import NotInScope, require
from dangjian.integrity.models import (
    Case,
    CaseKind,
    Education,
    Measure,
    PartyOutcome,
    Petition,
    Risk,
    Talk,
)
from dangjian.members import services as members
from dangjian.members.choices import EventKind, Status
from dangjian.orgs.models import Organization
from dangjian.recruitment import services as recruitment

# What each form may set; anything else in `data` is refused.
RISK_FIELDS = (
    "org",
    "domain",
    "post",
    "people",
    "description",
    "level",
    "found_on",
    "confirmed_on",
    "reviewed_on",
    "review_note",
)
MEASURE_FIELDS = ("risk", "content", "owner", "set_on", "review_on")
EDUCATION_FIELDS = (
    "org",
    "kind",
    "held_on",
    "title",
    "speaker",
    "place",
    "attendance",
    "note",
)
PETITION_FIELDS = (
    "org",
    "received_on",
    "channel",
    "subject",
    "petitioner",
    "progress",
    "result",
    "resolved_on",
    "reply",
    "satisfaction",
)
CASE_FIELDS = (
    "org",
    "kind",
    "subject_name",
    "member",
    "post",
    "source",
    "matter",
    "received_on",
    "checked_on",
    "filed_on",
    "reviewed_on",
    "closed_on",
    "party_outcome",
    "probation_years",
    "government_outcome",
    "appeal_on",
    "appeal_result",
)
TALK_FIELDS = ("org", "kind", "held_on", "person_name", "post", "by_whom", "matter", "follow_up")

# The audit shows a confidential record by kind and number only, never by a name.
UNAUDITED = ("created_at", "updated_at")


class Problems:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(problems: Problems, obj, *fields: str) -> None:
    today = _today()
    for field in fields:
        value = getattr(obj, field)
        if value is not None and value > today:
            problems.add(field, _("日期不能晚于今天"))


def _in_order(problems: Problems, obj, pairs) -> None:
    """Each later date on or after the earlier one (the funnel and the case's stages)."""
    for earlier, later, message in pairs:
        first, second = getattr(obj, earlier), getattr(obj, later)
        if (
            second is not None
            and first is None
            or second is not None
            and first is not None
            and second < first
        ):
            problems.add(later, message)


def _assign(obj, data: dict, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("无法设置的字段: %(f)s") % {"f": "、".join(sorted(unknown))})
    for field, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(obj, field, value)


def _path(obj) -> str:
    org = obj.risk.org if isinstance(obj, Measure) else obj.org
    return org.path


def _save(actor, obj, before, action_on_org: str, check) -> None:
    """Scope on the (new) org, the record's rules, save, audit, scope again."""
    org = obj.risk.org if isinstance(obj, Measure) else obj.org
    require(actor, action_on_org, org)
    check(obj)
    obj.save()
    audit.changed(actor, obj, before, org_path=_path(obj), exclude=UNAUDITED)
    require(actor, Action.VIEW, obj)


def _create(actor, model, data, allowed, check, action=Action.ADD):
    obj = model()
    _assign(obj, data, allowed)
    _save(actor, obj, None, action, check)
    return obj


def _update(actor, obj, data, allowed, check, action=Action.CHANGE):
    require(actor, action, obj)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = audit.state(obj, UNAUDITED)
    _assign(obj, data, allowed)
    _save(actor, obj, before, action, check)
    return obj


def _delete(actor, obj, action=Action.DELETE) -> None:
    require(actor, action, obj)
    audit.deleted(actor, obj, org_path=_path(obj), exclude=UNAUDITED)
    obj.delete()


# -- 廉政风险防控 -------------------------------------------------------------------------


def check_risk(risk: Risk) -> None:
    problems = Problems()
    _not_future(problems, risk, "found_on", "confirmed_on", "reviewed_on")
    _in_order(
        problems,
        risk,
        (
            ("found_on", "confirmed_on", _("评估确认日期不能早于排查日期")),
            ("confirmed_on", "reviewed_on", _("风险点须先经评估确认, 复查日期不能早于确认日期")),
        ),
    )
    problems.raise_if_any()


@transaction.atomic
def create_risk(actor, **data) -> Risk:
    return _create(actor, Risk, data, RISK_FIELDS, check_risk)


@transaction.atomic
def update_risk(actor, risk: Risk, **data) -> Risk:
    return _update(actor, risk, data, RISK_FIELDS, check_risk)


@transaction.atomic
def delete_risk(actor, risk: Risk) -> None:
    _delete(actor, risk)


def check_measure(measure: Measure) -> None:
    problems = Problems()
    _not_future(problems, measure, "set_on")
    risk = measure.risk
    if risk.confirmed_on is None:
        problems.add("risk", _("该风险点尚未经评估确认, 不能制定防控措施"))
    elif measure.set_on is not None and measure.set_on < risk.confirmed_on:
        problems.add(
            "set_on", _("制定日期不能早于风险点的确认日期 %(d)s") % {"d": risk.confirmed_on}
        )
    if measure.review_on is not None and measure.set_on and measure.review_on < measure.set_on:
        problems.add("review_on", _("检查日期不能早于制定日期"))
    problems.raise_if_any()


@transaction.atomic
def create_measure(actor, **data) -> Measure:
    # A measure changes its risk point: CHANGE on the risk's org.
    return _create(actor, Measure, data, MEASURE_FIELDS, check_measure, action=Action.CHANGE)


@transaction.atomic
def update_measure(actor, measure: Measure, **data) -> Measure:
    return _update(actor, measure, data, MEASURE_FIELDS, check_measure)


@transaction.atomic
def delete_measure(actor, measure: Measure) -> None:
    _delete(actor, measure, Action.CHANGE)


# -- 廉政教育 -----------------------------------------------------------------------------


def check_education(record: Education) -> None:
    problems = Problems()
    _not_future(problems, record, "held_on")
    problems.raise_if_any()


@transaction.atomic
def create_education(actor, **data) -> Education:
    return _create(actor, Education, data, EDUCATION_FIELDS, check_education)


@transaction.atomic
def update_education(actor, record: Education, **data) -> Education:
    return _update(actor, record, data, EDUCATION_FIELDS, check_education)


@transaction.atomic
def delete_education(actor, record: Education) -> None:
    _delete(actor, record)


# -- 信访 (confidential) ------------------------------------------------------------------


def petition_due_on(received_on: dt.date) -> dt.date:
    """The last day in time: DANGJIAN_PETITION_DAYS calendar days after receipt."""
    return received_on + dt.timedelta(days=settings.DANGJIAN_PETITION_DAYS)


def check_petition(petition: Petition) -> None:
    problems = Problems()
    _not_future(problems, petition, "received_on", "resolved_on")
    _in_order(problems, petition, (("received_on", "resolved_on", _("办结日期不能早于受理日期")),))
    if petition.resolved_on and not petition.result:
        problems.add("result", _("办结的信访件须填写办理结果"))
    if petition.satisfaction and not petition.resolved_on:
        problems.add("satisfaction", _("办结后才能填写信访人满意度"))
    problems.raise_if_any()
    petition.due_on = petition_due_on(petition.received_on)


@transaction.atomic
def create_petition(actor, **data) -> Petition:
    return _create(actor, Petition, data, PETITION_FIELDS, check_petition, action=Action.DISCIPLINE)


@transaction.atomic
def update_petition(actor, petition: Petition, **data) -> Petition:
    return _update(actor, petition, data, PETITION_FIELDS, check_petition, action=Action.DISCIPLINE)


@transaction.atomic
def delete_petition(actor, petition: Petition) -> None:
    _delete(actor, petition, Action.DISCIPLINE)


# -- 线索和案件 (confidential) ------------------------------------------------------------

# Outcomes that are a 党纪处分 record on the member (the kinds recruitment.Sanction knows).
SANCTION_KINDS = {
    PartyOutcome.WARNING: "warning",
    PartyOutcome.SERIOUS_WARNING: "serious_warning",
    PartyOutcome.REMOVAL: "removal",
    PartyOutcome.PROBATION: "probation",
}


def check_case(case: Case) -> None:
    problems = Problems()
    _not_future(
        problems,
        case,
        "received_on",
        "checked_on",
        "filed_on",
        "reviewed_on",
        "closed_on",
        "appeal_on",
    )
    _in_order(
        problems,
        case,
        (
            ("received_on", "checked_on", _("初核日期不能早于线索受理日期")),
            ("received_on", "closed_on", _("办结日期不能早于线索受理日期")),
            ("checked_on", "filed_on", _("立案须先经初核, 立案日期不能早于初核日期")),
            ("filed_on", "reviewed_on", _("审查须先立案, 审查终结日期不能早于立案日期")),
            ("closed_on", "appeal_on", _("申诉须在结案之后")),
        ),
    )
    if case.kind == CaseKind.ASSISTED and (
        case.filed_on or case.party_outcome or case.government_outcome
    ):
        problems.add("kind", _("协助外单位核查的线索由外单位立案和处理, 此处不登记立案和处分"))
    if case.filed_on and case.closed_on and not case.reviewed_on:
        problems.add("reviewed_on", _("已立案的案件须审查终结后才能结案"))
    if (case.party_outcome or case.government_outcome) and not (case.filed_on and case.closed_on):
        problems.add("party_outcome", _("处分须在立案审查并结案时作出"))
    if case.party_outcome == PartyOutcome.PROBATION:
        if case.probation_years not in (1, 2):
            problems.add("probation_years", _("留党察看期限为一年或两年"))
    elif case.probation_years is not None:
        problems.add("probation_years", _("只有留党察看才有期限"))
    if case.member_id and case.member.name != case.subject_name:
        problems.add("member", _("党员档案与被反映人姓名不一致"))
    # The member must be within the case's org, the discipline role's own subtree.
    if case.member_id and not case.member.org.path.startswith(case.org.path):
        problems.add("member", _("该党员不在承办党组织的范围内"))
    if not (case.appeal_on or not case.appeal_result):
        problems.add("appeal_on", _("填写申诉结果须同时填写申诉日期"))
    problems.raise_if_any()


def _apply_outcome(actor, case: Case, before: dict | None) -> None:
    """The outcome's effect on the member's record, once, when it is first decided."""
    if case.member_id is None or not case.party_outcome:
        return
    if before is not None and before.get("party_outcome") == case.party_outcome:
        return
    if case.sanction_id is not None or (
        case.party_outcome == PartyOutcome.EXPULSION and case.member.status != Status.ACTIVE
    ):
        raise ValidationError(
            {"party_outcome": [_("处分已登记到党员档案, 如需变更请通过申诉复查程序")]}
        )
    on = case.closed_on
    if case.party_outcome == PartyOutcome.EXPULSION:
        members.record_leaving(actor, case.member, kind=EventKind.EXPELLED, on=on, authorised=True)
        return
    end_on = (
        add_years(on, case.probation_years)
        if case.party_outcome == PartyOutcome.PROBATION
        else None
    )
    case.sanction = recruitment.record_sanction(
        actor,
        case.member,
        kind=SANCTION_KINDS[case.party_outcome],
        start_on=on,
        end_on=end_on,
        note=_("纪检案件处分决定"),  # never the matter: the sanction list is not confidential
        authorised=True,
    )
    case.save(update_fields=["sanction"])


@transaction.atomic
def create_case(actor, **data) -> Case:
    case = _create(actor, Case, data, CASE_FIELDS, check_case, action=Action.DISCIPLINE)
    _apply_outcome(actor, case, None)
    return case


@transaction.atomic
def update_case(actor, case: Case, **data) -> Case:
    before = audit.state(Case.objects.get(pk=case.pk), UNAUDITED)  # a form may have set `case`
    case = _update(actor, case, data, CASE_FIELDS, check_case, action=Action.DISCIPLINE)
    _apply_outcome(actor, case, before)
    return case


@transaction.atomic
def delete_case(actor, case: Case) -> None:
    if case.sanction_id is not None or case.party_outcome == PartyOutcome.EXPULSION:
        raise ValidationError(_("处分已登记到党员档案的案件不能删除"))
    _delete(actor, case, Action.DISCIPLINE)


# -- 诫勉和提醒谈话 (confidential) --------------------------------------------------------


def check_talk(talk: Talk) -> None:
    problems = Problems()
    _not_future(problems, talk, "held_on")
    problems.raise_if_any()


@transaction.atomic
def create_talk(actor, **data) -> Talk:
    return _create(actor, Talk, data, TALK_FIELDS, check_talk, action=Action.DISCIPLINE)


@transaction.atomic
def update_talk(actor, talk: Talk, **data) -> Talk:
    return _update(actor, talk, data, TALK_FIELDS, check_talk, action=Action.DISCIPLINE)


@transaction.atomic
def delete_talk(actor, talk: Talk) -> None:
    _delete(actor, talk, Action.DISCIPLINE)


# -- many at once -------------------------------------------------------------------------

# Each model's rules and the action its writer needs on the org.
BULK = {
    Risk: (check_risk, Action.ADD),
    Measure: (check_measure, Action.CHANGE),
    Education: (check_education, Action.ADD),
    Petition: (check_petition, Action.DISCIPLINE),
    Case: (check_case, Action.DISCIPLINE),
    Talk: (check_talk, Action.DISCIPLINE),
}


def _common_path(paths: set[str]) -> str:
    common = os.path.commonprefix(sorted(paths)) if paths else ""
    return common[: len(common) - len(common) % Organization.steplen]


@transaction.atomic
def bulk_create(actor, objects: list, note: str) -> list:
    """Many new records of one model at once (the demo's years of history, an import): the
    same scope and rules as one by one, one audit row for the batch with the count. A case's
    outcome on a member changes the member's record, so such a case goes through
    `create_case`, never here."""
    if not objects:
        return []
    model = type(objects[0])
    check, action = BULK[model]
    orgs = {(obj.risk.org if model is Measure else obj.org) for obj in objects}
    allowed = set(
        Organization.objects.restrict(actor, action)
        .filter(pk__in=[org.pk for org in orgs])
        .values_list("pk", flat=True)
    )
    if any(org.pk not in allowed for org in orgs):
        raise NotInScope()
    for obj in objects:
        if type(obj) is not model:
            raise TypeError("bulk_create takes records of one model")
        if model is Case and obj.member_id and obj.party_outcome:
            raise ValidationError(_("对党员作出党纪处分的案件须逐件登记"))
        check(obj)
    model.objects.bulk_create(objects, batch_size=500)
    audit.batch(
        actor,
        AuditAction.CREATE,
        org_path=_common_path({org.path for org in orgs}),
        object_repr=note,
        model=model._meta.label_lower,
        count=len(objects),
    )
    return objects
