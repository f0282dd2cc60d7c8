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
from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import audit
from dangjian.core.dates import add_years
from dangjian.core.excel import Column, Importer, Plan, Template, text
from dangjian.core.models import AuditAction
from dangjian.core.roles import Action
from dangjian.core.scope import NotInScope, require
from dangjian.integrity.models import (
    AttendanceSource,
    Case,
    CaseKind,
    Education,
    EducationAttendance,
    Measure,
    PartyOutcome,
    Petition,
    Risk,
    Talk,
)
from dangjian.members import services as members
from dangjian.members.choices import EventKind, Status
from dangjian.members.models import Member
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


def attendance_candidates(actor, education: Education):
    """Who may be recorded at an activity: members of its org or an org below it whom the
    actor may see, who were members on its day (joined by then, not left before)."""
    return (
        Member.objects.restrict(actor, Action.VIEW)
        .filter(org__path__startswith=education.org.path, joined_on__lte=education.held_on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=education.held_on))
        .exclude(pk__in=education.attendees.values("member_id"))
        .select_related("org")
        .order_by("org__path", "name", "pk")
    )


def _write_attendance(actor, education: Education, member_ids: list[int], source: str) -> int:
    EducationAttendance.objects.bulk_create(
        [
            EducationAttendance(education=education, member_id=pk, source=source)
            for pk in member_ids
        ],
        batch_size=1000,
    )
    audit.record(
        actor,
        AuditAction.CREATE,
        education,
        changes={"attendees": [None, len(member_ids)], "source": [None, source]},
        org_path=education.org.path,
        object_repr=_("登记廉政教育参加人员: %(e)s %(n)d人")
        % {"e": education, "n": len(member_ids)},
    )
    return len(member_ids)


@transaction.atomic
def record_attendance(actor, education: Education, members, *, source=AttendanceSource.LIST) -> int:
    """Members who attended, checked together: all of them members of the activity's org
    (or below) on its day, in the actor's view, and not recorded yet; else nothing is
    written and every problem is named."""
    require(actor, Action.CHANGE, education)
    members = list(members)
    if not members:
        raise ValidationError({"members": [_("请选择参加人员")]})
    allowed = set(
        attendance_candidates(actor, education)
        .filter(pk__in=[m.pk for m in members])
        .values_list("pk", flat=True)
    )
    taken = set(education.attendees.values_list("member_id", flat=True))
    problems = Problems()
    again = sorted(m.name for m in members if m.pk in taken)
    if again:
        problems.add("members", _("已登记过: %(names)s") % {"names": "、".join(again)})
    outside = sorted(m.name for m in members if m.pk not in allowed and m.pk not in taken)
    if outside:
        problems.add(
            "members",
            _("不是%(org)s及下级党组织当时的党员(或不在您的管理范围内): %(names)s")
            % {"org": education.org.name, "names": "、".join(outside)},
        )
    problems.raise_if_any()
    return _write_attendance(actor, education, sorted({m.pk for m in members}), source)


@transaction.atomic
def remove_attendance(actor, education: Education, member: Member) -> None:
    """A member recorded by mistake: taken off the activity's list (audited)."""
    require(actor, Action.CHANGE, education)
    deleted, _rows = education.attendees.filter(member=member).delete()
    if not deleted:
        raise ValidationError(_("该党员不在本次活动的参加人员中"))
    audit.record(
        actor,
        AuditAction.DELETE,
        education,
        changes={"attendees": [member.pk, None]},
        org_path=education.org.path,
        object_repr=_("删除廉政教育参加人员: %(e)s %(name)s")
        % {"e": education, "name": member.name},
    )


@transaction.atomic
def bulk_attendance(actor, pairs: list[tuple[Education, int]], note: str) -> int:
    """Many attendance records at once (the demo's years of activities): the same rules as
    `record_attendance` (the activity in the actor's CHANGE scope; each member within its
    org on its day; once per activity) checked with one query per table, then one INSERT
    in batches and one audit row."""
    if not pairs:
        return 0
    educations = {education.pk: education for education, _pk in pairs}
    allowed = set(
        Education.objects.restrict(actor, Action.CHANGE)
        .filter(pk__in=educations)
        .values_list("pk", flat=True)
    )
    if allowed != set(educations):
        raise NotInScope()
    facts = {
        pk: (path, joined_on, left_on)
        for pk, path, joined_on, left_on in Member.objects.filter(
            pk__in={pk for _e, pk in pairs}
        ).values_list("pk", "org__path", "joined_on", "left_on")
    }
    seen = set()
    for education, pk in pairs:
        path, joined_on, left_on = facts.get(pk, ("", None, None))
        if (
            not path.startswith(education.org.path)
            or joined_on is None
            or joined_on > education.held_on
            or (left_on is not None and left_on < education.held_on)
            or (education.pk, pk) in seen
        ):
            raise ValidationError(_("参加人员须为活动所属党组织及下级党组织当时的党员, 且不重复"))
        seen.add((education.pk, pk))
    # Plain INSERTs in chunks, no model instance per row (a city's years of activities are
    # tens of thousands of rows), as training's attendance batch does.
    db = connections[router.db_for_write(EducationAttendance)]
    ops, meta = db.ops, EducationAttendance._meta
    columns = ", ".join(
        ops.quote_name(meta.get_field(name).column)
        for name in ("education", "member", "source", "created_at")
    )
    sql = f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)"
    now = ops.adapt_datetimefield_value(timezone.now())
    source = AttendanceSource.LIST
    with db.cursor() as cursor:
        for start in range(0, len(pairs), 5000):
            cursor.executemany(
                sql,
                [(education.pk, pk, source, now) for education, pk in pairs[start : start + 5000]],
            )
    audit.batch(
        actor,
        AuditAction.CREATE,
        org_path=_common_path({education.org.path for education in educations.values()}),
        object_repr=note,
        model=EducationAttendance._meta.label_lower,
        count=len(pairs),
    )
    return len(pairs)


# The attendance sheet: one declarative column spec for the template, the parsing and the
# Chinese messages (core.excel).
ATTENDANCE_TEMPLATE = Template(
    "integrity_attendance",
    gettext_lazy("廉政教育参加人员"),
    [
        Column(
            "name",
            gettext_lazy("姓名"),
            required=True,
            parse=text(50),
            sample=gettext_lazy("张三"),
        ),
        Column(
            "suffix",
            gettext_lazy("身份证号后4位"),
            parse=text(4),
            note=gettext_lazy("同一党组织中有重名时填写, 用于区分"),
            sample="002X",
            as_text=True,
        ),
    ],
    description=gettext_lazy("每行一人; 须为本次活动所属党组织及下级党组织当时的党员"),
)


def check_attendance(education: Education, actor, rows, problems, progress=None) -> Plan:
    """Each row of a sheet in `ATTENDANCE_TEMPLATE` matched by name (and the ID number's last
    four where two share a name) among `attendance_candidates`; every bad row is added to
    `problems` with its number (the import page then writes nothing)."""
    by_name: dict[str, list[tuple[int, str]]] = {}
    for pk, name, suffix in attendance_candidates(actor, education).values_list(
        "pk", "name", "id_suffix"
    ):
        by_name.setdefault(name, []).append((pk, (suffix or "").upper()))
    taken = set(education.attendees.values_list("member_id", flat=True))
    recorded = set(Member.objects.filter(pk__in=taken).values_list("name", flat=True))
    chosen: dict[int, int] = {}
    for row in rows:
        if row.bad:
            continue
        name, suffix = row.get("name"), (row.get("suffix") or "").upper()

        def bad(message, row=row):
            problems.append(ATTENDANCE_TEMPLATE.problem(row.number, "name", message))

        found = [pk for pk, own in by_name.get(name, ()) if not suffix or own == suffix]
        if not found:
            if name in recorded:
                bad(_("“%(name)s”已登记过") % {"name": name})
            else:
                bad(
                    _("在%(org)s及下级党组织中没有当时的党员“%(name)s”")
                    % {"org": education.org.name, "name": name}
                )
        elif len(found) > 1:
            bad(_("有多名党员叫“%(name)s”, 请填写身份证号后4位") % {"name": name})
        elif found[0] in chosen:
            bad(_("与第%(n)d行是同一人") % {"n": chosen[found[0]]})
        else:
            chosen[found[0]] = row.number
    return Plan(to_create=len(chosen), to_update=0, data=sorted(chosen))


@transaction.atomic
def import_attendance(education: Education, actor, member_ids, *, source: str, sha256: str):
    """The checked rows written at once (the import page's `apply`), audited once."""
    require(actor, Action.CHANGE, education)
    return _write_attendance(actor, education, member_ids, AttendanceSource.IMPORT), 0, 0


def attendance_importer(education: Education) -> Importer:
    """The Excel import of one activity's attendees for `core.registers.imports.import_page`."""
    label = gettext_lazy("廉政教育参加人员")
    return Importer.about(
        education, ATTENDANCE_TEMPLATE, check_attendance, import_attendance, label
    )


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
