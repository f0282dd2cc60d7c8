"""The 发展党员 import template (recruits.xlsx): one row per dated step, the person's own
columns repeated (or left empty) on each of their rows, and its export in the same layout.

The importer does not know the rules of the 细则: it replays each person's rows, in date
order, through the services (`create_recruit`, `record_step`, `close_recruit`,
`update_recruit`) inside a savepoint that is rolled back, and reports every refusal on the
row and column it came from. The write replays them again, for real, in the import's one
transaction. A person whose ID number and 申请日期 match a pipeline already stored is that
pipeline: the steps already recorded are matched by step and date, and only the rows after
them are recorded (so an export re-imports with no change)."""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import audit
from dangjian.core.audit import AuditAction
from dangjian.core.crypto import decrypt_id
from dangjian.core.excel import (
    CellError,
    CellProblem,
    Column,
    Importer,
    ParsedRow,
    Plan,
    Template,
    choice,
    code,
    dates,
    integer,
    sha256_bytes,
    text,
)
from dangjian.core.roles import Action
from dangjian.core.scope import NotInScope
from dangjian.core.validators import mask_id_number, validate_id_number
from dangjian.members.choices import ETHNIC_GROUPS, Backbone, Education, PersonType, Sex
from dangjian.members.models import Member
from dangjian.orgs.models import Organization, School
from dangjian.recruitment import rules as R
from dangjian.recruitment import services
from dangjian.recruitment.models import (
    CloseReason,
    Decision,
    Outcome,
    Recommendation,
    Recruit,
    RuleSet,
    Step,
)

APPLICATION = "application"
# Separators of a list in one cell: 、 ， , ； ; and line breaks.
_LIST_SPLIT = re.compile(r"[、，,；;\n]+")
# "张三", "张三(0014)" or "张三（0014）": a name, optionally the ID number's last 4 characters.
_NAMED = re.compile(r"^(?P<name>[^()（）:：]+?)\s*(?:[(（](?P<suffix>[0-9Xx]{4})[)）])?$")
_VOTE = re.compile(r"^(?P<who>[^:：]+?)\s*[:：]\s*(?P<what>\S+)$")


def id_number(value) -> str:
    try:
        return validate_id_number(value)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def decimal_value(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("应为数字"))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise CellError(_("应为数字")) from None
    if not number.is_finite() or number < 0 or number > 9999:
        raise CellError(_("应为0至9999之间的数字"))
    return number


class StepLabels:
    """The step names of the stored rule sets, read when the template is drawn (the rule
    sets are data): what 填写说明 lists and the drop-down offers."""

    def _labels(self) -> list[str]:
        try:
            book = R.RuleBook.load()
        except RuleSet.DoesNotExist:
            return []
        latest = R.Rules(book.rule_sets[-1])
        return [*(d.label for d in latest.steps.values()), latest.name(R.CLOSE_KEY)]

    def __iter__(self):
        return iter(self._labels())

    def __len__(self) -> int:
        return len(self._labels())


def step_keys(book: R.RuleBook) -> dict[str, str]:
    """Label -> step key, over every rule set: "(3) 推荐和确定入党积极分子", the plain name
    where only one step has it, and the step number; "终止发展" ends a pipeline early."""
    found: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for rule_set in book.rule_sets:
        for definition in R.Rules(rule_set).steps.values():
            found.setdefault(definition.label, definition.key)
            names.setdefault(definition.name, set()).add(definition.key)
            if definition.no:
                found.setdefault(str(definition.no), definition.key)
    for name, keys in names.items():
        if len(keys) == 1:
            found.setdefault(name, next(iter(keys)))
    found[str(_("终止发展"))] = R.CLOSE_KEY
    return {_normal(label): key for label, key in found.items()}


SEX = choice(Sex)
ETHNICITY = choice(ETHNIC_GROUPS)
EDUCATION = choice(Education)
PERSON_TYPE = choice(PersonType)
BACKBONE = choice(Backbone)
METHOD = choice(Recommendation)
OUTCOME = choice({gettext_lazy("批准"): Outcome.APPROVED, gettext_lazy("不批准"): Outcome.REJECTED})
DECISION = choice(Decision)
CLOSE_REASON = choice(
    {label: value for value, label in CloseReason.choices if value != CloseReason.CANCELLED}
)
VOTES = {
    "赞成": {"attended": True, "choice": "yes"},
    "反对": {"attended": True, "choice": "no"},
    "弃权": {"attended": True, "choice": "abstain"},
    "书面赞成": {"written": True, "choice": "yes"},
    "书面反对": {"written": True, "choice": "no"},
    "书面弃权": {"written": True, "choice": "abstain"},
    "缺席": {},
    "请假": {"should_attend": False},
    "列席": {"attended": True, "observer": True},
}
VOTE_LABELS = {
    (True, False, "yes", False): "赞成",
    (True, False, "no", False): "反对",
    (True, False, "abstain", False): "弃权",
    (False, True, "yes", False): "书面赞成",
    (False, True, "no", False): "书面反对",
    (False, True, "abstain", False): "书面弃权",
    (True, False, "", True): "列席",
}

# Columns of a person, filled on the 递交入党申请书 row (and repeated or left empty after).
PERSON_KEYS = (
    "name",
    "sex",
    "ethnicity",
    "education",
    "person_type",
    "org_code",
    "work_unit_code",
    "phone",
    "title",
    "backbone",
)
NEEDED_FOR_APPLICATION = ("sex", "ethnicity", "education", "person_type")

RECRUIT_TEMPLATE = Template(
    "recruits",
    gettext_lazy("发展党员"),
    [
        Column(
            "id_number",
            gettext_lazy("公民身份号码"),
            required=True,
            parse=id_number,
            note=gettext_lazy("18位, 单元格须设为文本格式; 同一人的各行填同一号码"),
            sample="640102200001010010",
            width=22,
            as_text=True,
        ),
        Column(
            "name",
            gettext_lazy("姓名"),
            required=True,
            parse=text(50),
            sample=gettext_lazy("张三"),
        ),
        Column(
            "sex",
            gettext_lazy("性别"),
            column_required=True,
            parse=SEX,
            note=gettext_lazy("“递交入党申请书”行必填, 须与公民身份号码一致"),
            sample=gettext_lazy("男"),
        ),
        Column(
            "ethnicity",
            gettext_lazy("民族"),
            column_required=True,
            parse=ETHNICITY,
            note=gettext_lazy("“递交入党申请书”行必填"),
            sample="汉族",
        ),
        Column(
            "education",
            gettext_lazy("学历"),
            column_required=True,
            parse=EDUCATION,
            note=gettext_lazy("“递交入党申请书”行必填"),
            sample=gettext_lazy("大学本科"),
        ),
        Column(
            "person_type",
            gettext_lazy("人员类型"),
            column_required=True,
            parse=PERSON_TYPE,
            note=gettext_lazy("“递交入党申请书”行必填"),
            sample=gettext_lazy("专任教师"),
        ),
        Column(
            "org_code",
            gettext_lazy("所在党支部代码"),
            required=True,
            parse=code(),
            note=gettext_lazy("党支部、联合党支部或临时党支部的组织代码, 须在您的管理范围内"),
            sample="XX-ZB01",
            as_text=True,
        ),
        Column(
            "work_unit_code",
            gettext_lazy("工作或学习单位代码"),
            parse=code(),
            note=gettext_lazy("学校代码"),
            sample="XX-S001",
            as_text=True,
        ),
        Column("phone", gettext_lazy("联系电话"), parse=text(20), as_text=True),
        Column("title", gettext_lazy("职务或专业技术职务"), parse=text(50)),
        Column("backbone", gettext_lazy("骨干类别"), parse=BACKBONE),
        Column(
            "step",
            gettext_lazy("步骤"),
            required=True,
            parse=text(60),
            choices=StepLabels(),
            note=gettext_lazy(
                "发展党员工作细则的步骤名称(可带序号, 如“(3) 推荐和确定入党积极分子”, "
                "或只填序号3); 每人一行“递交入党申请书”, 其余步骤各占一行"
            ),
            sample=gettext_lazy("(1) 递交入党申请书"),
            width=30,
        ),
        Column(
            "on",
            gettext_lazy("日期"),
            required=True,
            parse=dates(),
            note=gettext_lazy("步骤的日期, 不能晚于今天; 同一人的各步骤按日期先后核对"),
            sample=dt.date(2024, 3, 1),
        ),
        Column("by", gettext_lazy("经办人或单位"), parse=text(100)),
        Column(
            "method",
            gettext_lazy("推荐方式"),
            parse=METHOD,
            note=gettext_lazy("“推荐和确定入党积极分子”行必填"),
        ),
        Column(
            "people",
            gettext_lazy("培养联系人或入党介绍人"),
            parse=text(500),
            note=gettext_lazy(
                "“指定培养联系人”“确定入党介绍人”行填写正式党员姓名, 以顿号分隔; "
                "同名时在姓名后加身份证号后4位, 如 张三(0014)"
            ),
            width=24,
        ),
        Column(
            "hours",
            gettext_lazy("培训学时"),
            parse=decimal_value,
            note=gettext_lazy("“开展集中培训”行填学时或天数"),
        ),
        Column("days", gettext_lazy("培训天数"), parse=decimal_value),
        Column(
            "end_on",
            gettext_lazy("公示结束日期"),
            parse=dates(),
            note=gettext_lazy("“发展对象公示”行; 不填则按公示期最早结束日"),
        ),
        Column(
            "votes",
            gettext_lazy("表决情况"),
            parse=text(4000),
            note=gettext_lazy(
                "支部大会行: 每位党员“姓名:意见”, 以顿号分隔; 意见为赞成、反对、弃权、"
                "书面赞成、书面反对、书面弃权、缺席、请假或列席; 未列出的有表决权党员按缺席计"
            ),
            width=40,
        ),
        Column(
            "outcome",
            gettext_lazy("审批结果"),
            parse=OUTCOME,
            note=gettext_lazy("上级党委审批、审批转正行必填"),
        ),
        Column(
            "decision",
            gettext_lazy("转正决议"),
            parse=DECISION,
            note=gettext_lazy("“支部大会讨论转正”行必填"),
        ),
        Column(
            "extension_months",
            gettext_lazy("延长预备期(月)"),
            parse=integer(1, 24),
            note=gettext_lazy("决议为延长预备期时填写"),
        ),
        Column(
            "special_reason",
            gettext_lazy("特殊情况说明"),
            parse=text(200),
            note=gettext_lazy("审批超过三个月时须说明理由"),
        ),
        Column(
            "close_reason",
            gettext_lazy("终止原因"),
            parse=CLOSE_REASON,
            note=gettext_lazy("“终止发展”行必填"),
        ),
        Column("note", gettext_lazy("说明"), parse=text(1000)),
    ],
    description=gettext_lazy(
        "每行是一个人的一个步骤; 同一公民身份号码的各行是同一人, 按日期先后用与页面录入相同的"
        "发展党员工作细则规则核对(步骤顺序、间隔期限、表决、审批权限等)。"
        "公民身份号码和申请日期与已登记的发展记录相同的, 已记录的步骤保持不变, 只追加其后的步骤。"
        "文件中任何一行有错误, 整个文件都不会导入。"
    ),
)

# Service field names -> template columns (a refusal is shown on the cell it is about).
FIELD_COLUMNS = {
    "name": "name",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "education": "education",
    "person_type": "person_type",
    "id_number": "id_number",
    "org": "org_code",
    "work_unit": "work_unit_code",
    "phone": "phone",
    "title": "title",
    "backbone": "backbone",
    "applied_on": "on",
    "on": "on",
    "key": "step",
    "members": "people",
    "ballots": "votes",
    "method": "method",
    "hours": "hours",
    "days": "hours",
    "end_on": "end_on",
    "outcome": "outcome",
    "decision": "decision",
    "extension_months": "extension_months",
    "special_reason": "special_reason",
    "reason": "close_reason",
    "note": "note",
    "by": "by",
}


@dataclass
class PersonRows:
    """One pipeline of the file: the rows of one ID number, in date order."""

    number: str
    rows: list[ParsedRow] = field(default_factory=list)
    # The stored pipeline this file continues (same ID number and 申请日期), if any.
    existing_pk: int | None = None


@dataclass
class RecruitPlan:
    people: list[PersonRows] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Report:
    def __init__(self, problems: list[CellProblem]):
        self.problems = problems
        self.bad_rows: set[int] = set()

    def add(self, row: ParsedRow, key: str, message) -> None:
        self.bad_rows.add(row.number)
        self.problems.append(RECRUIT_TEMPLATE.problem(row.number, key, str(message)))

    def refusal(self, row: ParsedRow, exc: Exception, default: str = "step") -> None:
        if isinstance(exc, NotInScope):
            self.add(row, "org_code", _("该党支部不在您的管理范围内"))
            return
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.add(row, FIELD_COLUMNS.get(name, default), message)
            return
        for message in exc.messages:
            self.add(row, default, message)


# -- checking ---------------------------------------------------------------------------


def _normal(label: str) -> str:
    return re.sub(r"\s+", "", str(label)).replace("（", "(").replace("）", ")")


def _step_key(row: ParsedRow, labels: dict[str, str]) -> str | None:
    """The step key of the 步骤 cell: spaces and full-width brackets do not matter."""
    value = row.get("step")
    if value is None:
        return None
    value = _normal(value)
    return labels.get(value) or labels.get(re.sub(r"^\(\d+\)", "", value))


def _group(rows: list[ParsedRow], labels, report: _Report) -> list[PersonRows]:
    """Rows by ID number, each person's in date order (the file's order within a day); a
    second 递交入党申请书 of one number, a person without one, or person columns that
    disagree between rows are problems."""
    people: dict[str, PersonRows] = {}
    for row in rows:
        number = row.get("id_number")
        if number is None:
            continue
        key = _step_key(row, labels)
        if key is None and "step" not in row.bad:
            report.add(
                row,
                "step",
                _("“%(v)s”不是发展党员工作细则中的步骤; 可选值见填写说明表“步骤”列")
                % {"v": row.get("step")},
            )
            row.bad.add("step")
        row.values["_key"] = key
        people.setdefault(number, PersonRows(number)).rows.append(row)
    ordered = []
    for person in people.values():
        person.rows.sort(key=lambda r: (r.get("on") or dt.date.max, r.number))
        applications = [r for r in person.rows if r.get("_key") == APPLICATION]
        if not applications:
            first = person.rows[0]
            report.add(
                first,
                "step",
                _("该公民身份号码没有“递交入党申请书”行; 每人须有一行递交入党申请书"),
            )
        for extra in applications[1:]:
            report.add(
                extra,
                "id_number",
                _("公民身份号码与第%(row)d行重复: 同一人只能有一行递交入党申请书")
                % {"row": applications[0].number},
            )
        if applications:
            head = applications[0]
            for key in PERSON_KEYS:
                expected = head.get(key)
                for row in person.rows:
                    value = row.get(key)
                    if row is head or value is None or key in row.bad or value == expected:
                        continue
                    report.add(
                        row,
                        key,
                        _("与同一人第%(row)d行(递交入党申请书)填写的不一致") % {"row": head.number},
                    )
            for key in NEEDED_FOR_APPLICATION:
                if head.get(key) is None and key not in head.bad:
                    report.add(head, key, _("“递交入党申请书”行不能为空"))
            # The application first, then the rest by date.
            person.rows.remove(head)
            person.rows.insert(0, head)
        ordered.append(person)
    return ordered


@dataclass
class _Lookups:
    orgs: dict[str, Organization]
    schools: dict[str, School]
    labels: dict[str, str]


def _lookups(actor, rows: list[ParsedRow]) -> _Lookups:
    org_codes = {r.get("org_code") for r in rows if r.get("org_code")}
    school_codes = {r.get("work_unit_code") for r in rows if r.get("work_unit_code")}
    orgs = {
        org.code: org
        for org in Organization.objects.restrict(actor, Action.ADD).filter(code__in=org_codes)
    }
    schools = {school.code: school for school in School.objects.filter(code__in=school_codes)}
    try:
        labels = step_keys(R.RuleBook.load())
    except RuleSet.DoesNotExist:
        labels = {}
    return _Lookups(orgs, schools, labels)


def _existing(actor, person: PersonRows, applied_on) -> Recruit | None:
    """The stored pipeline of this ID number begun on the same day, if the actor may change
    it; one outside the actor's scope stays unknown (the services then refuse the number
    as already in the pipeline, revealing nothing more)."""
    candidates = Recruit.objects.with_id_number(person.number).filter(applied_on=applied_on)
    return candidates.restrict(actor, Action.CHANGE).select_related("org", "member").first()


def _person_fields(head: ParsedRow, look: _Lookups) -> dict:
    values = {key: head.get(key) for key in ("name", "sex", "ethnicity", "education")}
    values["person_type"] = head.get("person_type")
    values["id_number"] = head.get("id_number")
    values["phone"] = head.get("phone") or ""
    values["title"] = head.get("title") or ""
    values["backbone"] = head.get("backbone") or ""
    values["org"] = look.orgs.get(head.get("org_code"))
    values["work_unit"] = look.schools.get(head.get("work_unit_code"))
    return values


def _names(text_value: str) -> list[tuple[str, str | None]]:
    found = []
    for part in _LIST_SPLIT.split(text_value or ""):
        part = part.strip()
        if not part:
            continue
        match = _NAMED.match(part)
        if match is None:
            raise CellError(_("无法识别“%(v)s”, 应为姓名或 姓名(身份证号后4位)") % {"v": part})
        found.append((match["name"].strip(), (match["suffix"] or "").upper() or None))
    return found


def _pick(candidates: list[Member], name: str, suffix: str | None) -> Member:
    chosen = [m for m in candidates if m.name == name and (suffix is None or m.id_suffix == suffix)]
    if not chosen:
        raise CellError(_("找不到党员“%(n)s”") % {"n": name})
    if len(chosen) > 1:
        raise CellError(
            _("有%(k)d名党员名叫“%(n)s”, 请在姓名后加身份证号后4位, 如 %(n)s(1234)")
            % {"k": len(chosen), "n": name}
        )
    return chosen[0]


def _people(actor, recruit: Recruit, value: str) -> list[int]:
    """培养联系人 or 入党介绍人 by name: among the branch's members first, else among
    the members the actor may see; the service then checks who may serve."""
    names = _names(value)
    visible = Member.objects.restrict(actor, Action.VIEW)
    pks = []
    for name, suffix in names:
        local = list(visible.filter(org=recruit.org, name=name))
        try:
            member = _pick(local, name, suffix)
        except CellError:
            member = _pick(list(visible.filter(name=name)), name, suffix)
        pks.append(member.pk)
    return pks


def _ballots(recruit: Recruit, on: dt.date, value: str) -> list[dict]:
    """The 表决情况 cell as the service's ballots: each named member's attendance and vote,
    among the branch's members with a vote or who may attend without one that day."""
    members = [*services.eligible_voters(recruit.org, on)]
    members += [m for m, _why in services.eligible_observers(recruit.org, on)]
    rows = []
    for part in _LIST_SPLIT.split(value or ""):
        part = part.strip()
        if not part:
            continue
        match = _VOTE.match(part)
        if match is None or match["what"] not in VOTES:
            raise CellError(
                _("无法识别“%(v)s”, 应为 姓名:意见, 意见为%(list)s")
                % {"v": part, "list": "、".join(VOTES)}
            )
        (name, suffix), *_rest = _names(match["who"]) or [(match["who"], None)]
        try:
            member = _pick(members, name, suffix)
        except CellError:
            raise CellError(
                _("“%(n)s”不是本支部在%(d)s有表决权或可列席的党员") % {"n": name, "d": on}
            ) from None
        rows.append({"member": member.pk, **VOTES[match["what"]]})
    return rows


def _step_data(actor, recruit: Recruit, row: ParsedRow, report: _Report) -> dict | None:
    data = {
        name: row.get(name)
        for name in (
            "by",
            "note",
            "end_on",
            "hours",
            "days",
            "method",
            "outcome",
            "decision",
            "extension_months",
            "special_reason",
        )
        if row.get(name) is not None
    }
    try:
        if row.get("people"):
            data["members"] = _people(actor, recruit, row.get("people"))
    except CellError as exc:
        report.add(row, "people", exc.message)
        return None
    try:
        if row.get("votes"):
            data["ballots"] = _ballots(recruit, row.get("on"), row.get("votes"))
    except CellError as exc:
        report.add(row, "votes", exc.message)
        return None
    return data


def _skip_rest(person: PersonRows, after: ParsedRow, report: _Report) -> None:
    """Rows after a refused one are not checked: their outcome depends on it."""
    seen = False
    for row in person.rows:
        if row is after:
            seen = True
            continue
        if seen and row.number not in report.bad_rows:
            report.add(
                row,
                "step",
                _("同一人第%(row)d行的步骤未通过校验, 本行须在其更正后再核对")
                % {"row": after.number},
            )


@dataclass
class _Result:
    created: bool = False
    changed: bool = False
    warnings: list[str] = field(default_factory=list)


def _replay(actor, person: PersonRows, look: _Lookups, report: _Report) -> _Result:
    """Record one person's rows through the services, in order; stop at the first refusal
    (the rest is then reported as unchecked). Raises nothing: refusals are reported."""
    result = _Result()
    head = person.rows[0]
    fields = _person_fields(head, look)
    if fields["org"] is None:
        report.add(
            head,
            "org_code",
            _("党组织代码“%(c)s”不存在或不在您的管理范围内") % {"c": head.get("org_code")},
        )
        _skip_rest(person, head, report)
        return result
    if head.get("work_unit_code") and fields["work_unit"] is None:
        report.add(
            head,
            "work_unit_code",
            _("学校代码“%(c)s”不存在") % {"c": head.get("work_unit_code")},
        )
        _skip_rest(person, head, report)
        return result
    recruit = _existing(actor, person, head.get("on"))
    rows = person.rows[1:]
    if recruit is None:
        try:
            recruit = services.create_recruit(
                actor,
                applied_on=head.get("on"),
                by=head.get("by") or "",
                note=head.get("note") or "",
                **fields,
            )
        except (ValidationError, NotInScope) as exc:
            report.refusal(head, exc, default="id_number")
            _skip_rest(person, head, report)
            return result
        result.created = True
    else:
        person.existing_pk = recruit.pk
        rows = _unrecorded(recruit, person, report)
        if rows is None:
            return result
        changes = _person_changes(recruit, fields)
        if changes:
            try:
                recruit = services.update_recruit(actor, recruit, **changes)
            except (ValidationError, NotInScope) as exc:
                report.refusal(head, exc, default="name")
                _skip_rest(person, head, report)
                return result
            result.changed = True
    for row in rows:
        key = row.get("_key")
        data = _step_data(actor, recruit, row, report)
        if data is None:
            _skip_rest(person, row, report)
            return result
        try:
            if key == R.CLOSE_KEY:
                if not row.get("close_reason"):
                    report.add(row, "close_reason", _("“终止发展”行须填写终止原因"))
                    _skip_rest(person, row, report)
                    return result
                services.close_recruit(
                    actor,
                    recruit,
                    on=row.get("on"),
                    reason=row.get("close_reason"),
                    note=row.get("note") or "",
                )
            else:
                step = services.record_step(actor, recruit, key, on=row.get("on"), **data)
                result.warnings += [
                    _("第%(row)d行: %(w)s") % {"row": row.number, "w": warning}
                    for warning in step.warnings
                ]
        except (ValidationError, NotInScope) as exc:
            report.refusal(row, exc)
            _skip_rest(person, row, report)
            return result
        recruit.refresh_from_db()
        result.changed = True
    return result


def _unrecorded(recruit: Recruit, person: PersonRows, report: _Report) -> list | None:
    """The rows of a stored pipeline not yet recorded: every stored step must be in the
    file (same step, same date); the import only adds what follows."""
    remaining = list(person.rows[1:])
    for stored in recruit.steps.exclude(key=APPLICATION).order_by("on", "id"):
        match = next(
            (r for r in remaining if r.get("_key") == stored.key and r.get("on") == stored.on),
            None,
        )
        if match is None:
            book = R.RuleBook.load()
            report.add(
                person.rows[0],
                "step",
                _(
                    "该人员已登记的步骤“%(step)s”(%(date)s)不在文件中; "
                    "导入只追加步骤, 已登记的步骤请在发展党员页面修改"
                )
                % {"step": book.for_step(stored).name(stored.key), "date": stored.on},
            )
            _skip_rest(person, person.rows[0], report)
            return None
        remaining.remove(match)
    return remaining


def _person_changes(recruit: Recruit, fields: dict) -> dict:
    changes = {}
    for key, value in fields.items():
        if key == "id_number":
            continue
        current = getattr(recruit, key)
        if key in ("org", "work_unit"):
            same = getattr(current, "pk", None) == getattr(value, "pk", None)
        else:
            same = (current or "") == (value or "")
        if not same:
            changes[key] = value
    return changes


def _run(actor, people: list[PersonRows], look: _Lookups, report: _Report, progress=None):
    results = []
    total = max(1, len(people))
    for index, person in enumerate(people):
        if any(row.number in report.bad_rows or row.bad for row in person.rows):
            continue  # its cells are wrong already: the rules would only repeat them
        results.append(_replay(actor, person, look, report))
        if progress is not None and index % 20 == 0:
            progress(index / total)
    return results


def check_recruits(actor, rows: list[ParsedRow], problems: list[CellProblem], progress=None):
    """Every person replayed through the services in a savepoint that is rolled back."""
    report = _Report(problems)
    for problem in problems:
        report.bad_rows.add(problem.row)
    look = _lookups(actor, rows)
    people = _group(rows, look.labels, report)
    with transaction.atomic():
        results = _run(actor, people, look, report, progress)
        transaction.set_rollback(True)
    plan = RecruitPlan(people=people)
    for result in results:
        plan.warnings += result.warnings
    to_create = sum(1 for person in people if person.existing_pk is None)
    return Plan(to_create=to_create, to_update=len(people) - to_create, data=plan)


@transaction.atomic
def import_recruits(actor, plan: RecruitPlan, *, source: str, sha256: str):
    """The checked file for real, in the import's transaction; one audit row for the file
    besides the services' own rows (a person, each step)."""
    problems: list[CellProblem] = []
    report = _Report(problems)
    rows = [row for person in plan.people for row in person.rows]
    look = _lookups(actor, rows)
    for person in plan.people:
        person.existing_pk = None
    results = _run(actor, plan.people, look, report)
    if problems:
        # The database changed since the check: nothing is kept.
        raise ValidationError([str(problem) for problem in problems])
    created = sum(1 for result in results if result.created)
    updated = len(results) - created
    changed = sum(1 for result in results if result.changed and not result.created)
    codes = {row.get("org_code") for row in rows}
    audit.batch(
        actor,
        AuditAction.IMPORT,
        org_path=Organization.common_path(o.path for c, o in look.orgs.items() if c in codes),
        object_repr=_("导入发展党员: %(f)s") % {"f": source},
        file=source,
        sha256=sha256,
        created=created,
        updated=updated,
        changed=changed,
    )
    return created, updated, changed


RECRUIT_IMPORTER = Importer(
    template=RECRUIT_TEMPLATE,
    check=check_recruits,
    apply=import_recruits,
    label=gettext_lazy("发展党员"),
)


# -- export -----------------------------------------------------------------------------


def _member_label(member: Member, namesakes: set[str]) -> str:
    return f"{member.name}({member.id_suffix})" if member.name in namesakes else member.name


def export_rows(recruits, full_ids: set[int]):
    """Each recruit's steps as template rows, in date order: what the import reads back.
    ID numbers in full only for the recruits in `full_ids`, masked for everyone else."""
    book = R.RuleBook.load()
    recruits = list(recruits)
    steps = (
        Step.objects.filter(recruit__in=recruits)
        .prefetch_related("people__member", "ballots__member")
        .order_by("recruit_id", "on", "id")
    )
    by_recruit: dict[int, list[Step]] = {}
    for step in steps:
        by_recruit.setdefault(step.recruit_id, []).append(step)
    namesakes_by_org: dict[int, set[str]] = {}
    for recruit in recruits:
        if recruit.org_id not in namesakes_by_org:
            names = list(
                Member.objects.filter(org_id=recruit.org_id).values_list("name", flat=True)
            )
            namesakes_by_org[recruit.org_id] = {n for n in names if names.count(n) > 1}
        namesakes = namesakes_by_org[recruit.org_id]
        number = decrypt_id(recruit.id_cipher)
        person = [
            number if recruit.pk in full_ids else mask_id_number(number),
            recruit.name,
            SEX.label_of(recruit.sex),
            recruit.ethnicity,
            EDUCATION.label_of(recruit.education),
            PERSON_TYPE.label_of(recruit.person_type),
            recruit.org.code,
            recruit.work_unit.code if recruit.work_unit_id else "",
            recruit.phone,
            recruit.title,
            BACKBONE.label_of(recruit.backbone),
        ]
        for step in by_recruit.get(recruit.pk, ()):
            people = "、".join(_member_label(p.member, namesakes) for p in step.people.all())
            votes = "、".join(
                f"{_member_label(b.member, namesakes)}:{_vote_label(b)}"
                for b in step.ballots.all()
                if _vote_label(b) != "缺席"
            )
            yield [
                *person,
                book.for_step(step).name(step.key),
                step.on,
                step.by,
                METHOD.label_of(step.method),
                people,
                step.hours,
                step.days,
                step.end_on if step.key == "publicity" else None,
                votes,
                OUTCOME.label_of(step.outcome) if step.key.endswith("approval") else "",
                DECISION.label_of(step.decision),
                step.extension_months,
                step.special_reason,
                CLOSE_REASON.label_of(step.close_reason) if step.key == R.CLOSE_KEY else "",
                step.note,
            ]


def _vote_label(ballot) -> str:
    if not ballot.should_attend and not ballot.observer:
        return "请假"
    found = VOTE_LABELS.get((ballot.attended, ballot.written, ballot.choice, ballot.observer))
    return found or "缺席"


def export_recruits(actor, queryset, *, full_id: bool = False, filter_text: str = ""):
    """The pipelines of an already restricted queryset in the import layout, one row per
    step. ID numbers in full only with `full_id`, and only for the people the actor may
    reveal (Action.REVEAL_ID); one audit row with the count and the file's SHA-256."""
    queryset = queryset.select_related("org", "work_unit").order_by("org__path", "applied_on", "id")
    revealed: set[int] = set()
    if full_id:
        revealed = set(
            queryset.restrict(actor, Action.REVEAL_ID).order_by().values_list("pk", flat=True)
        )
    recruits = list(queryset)
    content = RECRUIT_TEMPLATE.export_workbook(export_rows(recruits, revealed), row=lambda r: r)
    audit.batch(
        actor,
        AuditAction.EXPORT,
        org_path=Organization.common_path(r.org.path for r in recruits),
        object_repr=_("导出%(what)s %(n)d条")
        % {"what": RECRUIT_TEMPLATE.title, "n": len(recruits)},
        template=RECRUIT_TEMPLATE.title,
        count=len(recruits),
        sha256=sha256_bytes(content),
        full_id=bool(full_id),
        revealed=len(revealed),
        filter=filter_text,
    )
    return content, len(recruits)


def export_subtree(actor, root: Organization, *, full_id: bool = False, filter_text: str = ""):
    """`dangjian export recruits --org CODE`: every pipeline (any stage) in the subtree of
    `root` the actor may see."""
    recruits = Recruit.objects.restrict(actor, Action.VIEW).filter(org__path__startswith=root.path)
    return export_recruits(actor, recruits, full_id=full_id, filter_text=filter_text)
