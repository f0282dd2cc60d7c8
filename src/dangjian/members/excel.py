"""The members import template (INTERFACES 4.3): column spec, the set-based checks (one
query per foreign-key column, existing ID numbers through `Member.objects.with_id_numbers`
only) and the export in the same layout, so an unmasked export re-imports unchanged."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.batches import in_chunks, pks_in
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
    text,
)
from dangjian.core.roles import Action
from dangjian.core.validators import mask_id_number, validate_id_number
from dangjian.members import rules, services
from dangjian.members.choices import (
    ETHNIC_GROUPS,
    Backbone,
    Category,
    Education,
    PersonType,
    Sex,
    Status,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Organization, School


def id_number(value) -> str:
    """GB 11643 through the shared validator; a number typed by Excel is refused with the
    reason (its last digits are already lost), never repaired."""
    try:
        return validate_id_number(value)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


SEX = choice(Sex)
EDUCATION = choice(Education)
PERSON_TYPE = choice(PersonType)
CATEGORY = choice(Category)
BACKBONE = choice(Backbone)


def _category(member, today: dt.date) -> str:
    converted = member.converted_on
    return Category.FULL if converted and converted <= today else Category.PROBATIONARY


MEMBER_TEMPLATE = Template(
    "members",
    gettext_lazy("党员"),
    [
        Column(
            "name",
            gettext_lazy("姓名"),
            required=True,
            parse=text(50),
            sample=gettext_lazy("张三"),
            export="name",
        ),
        Column(
            "sex",
            gettext_lazy("性别"),
            required=True,
            parse=SEX,
            note=gettext_lazy("须与公民身份号码第17位一致"),
            sample=gettext_lazy("男"),
            export="sex",
        ),
        Column(
            "ethnicity",
            gettext_lazy("民族"),
            required=True,
            parse=choice(ETHNIC_GROUPS),
            sample="汉族",
            export="ethnicity",
        ),
        Column(
            "id_number",
            gettext_lazy("公民身份号码"),
            required=True,
            parse=id_number,
            note=gettext_lazy(
                "18位, 校验位正确, 末位x可小写; 单元格须设为文本格式(按数字保存会丢失末尾位数)"
            ),
            sample="640102198505010014",
            width=22,
            as_text=True,
        ),
        Column(
            "birth_date",
            gettext_lazy("出生日期"),
            parse=dates(),
            note=gettext_lazy("可不填; 填写时须与公民身份号码一致"),
            sample=dt.date(1985, 5, 1),
            export="birth_date",
        ),
        Column(
            "education",
            gettext_lazy("学历"),
            required=True,
            parse=EDUCATION,
            sample=gettext_lazy("大学本科"),
            export="education",
        ),
        Column(
            "org_code",
            gettext_lazy("所在党组织代码"),
            required=True,
            parse=code(),
            note=gettext_lazy("党支部、联合党支部或临时党支部的组织代码, 须在您的管理范围内"),
            sample="XX-ZB01",
            export="org.code",
            as_text=True,
        ),
        Column(
            "work_unit_code",
            gettext_lazy("工作单位代码"),
            parse=code(),
            note=gettext_lazy("学校代码"),
            sample="XX-S001",
            export="work_unit.code",
            as_text=True,
        ),
        Column(
            "person_type",
            gettext_lazy("人员类型"),
            required=True,
            parse=PERSON_TYPE,
            sample=gettext_lazy("专任教师"),
            export="person_type",
        ),
        Column(
            "category",
            gettext_lazy("党员类别"),
            required=True,
            parse=CATEGORY,
            sample=gettext_lazy("正式党员"),
            export=lambda m: CATEGORY.label_of(_category(m, timezone.localdate())),
        ),
        Column(
            "joined_on",
            gettext_lazy("入党日期"),
            required=True,
            parse=dates(),
            note=gettext_lazy("支部大会接收为预备党员的日期; 入党时须年满18岁, 不能晚于今天"),
            sample=dt.date(2010, 7, 1),
            export="joined_on",
        ),
        Column(
            "converted_on",
            gettext_lazy("转正日期"),
            column_required=True,
            parse=dates(),
            note=gettext_lazy("正式党员必填, 在入党日期后满1年至2年之间; 预备党员不填"),
            sample=dt.date(2011, 7, 1),
            export="converted_on",
        ),
        Column(
            "phone",
            gettext_lazy("联系电话"),
            parse=text(20),
            note=gettext_lazy("以1开头的11位手机号码, 或带区号的固定电话(如0951-1234567)"),
            sample="13800138000",
            export="phone",
            as_text=True,
        ),
        Column(
            "title",
            gettext_lazy("专业技术职务"),
            parse=text(50),
            sample=gettext_lazy("一级教师"),
            export="title",
        ),
        Column(
            "backbone",
            gettext_lazy("骨干类别"),
            parse=BACKBONE,
            sample=gettext_lazy("无"),
            export="backbone",
        ),
    ],
    description=gettext_lazy(
        "公民身份号码已存在的行修改该党员的信息(须在您的管理范围内), 其余行新增党员。"
        "文件中任何一行有错误, 整个文件都不会导入。"
    ),
)

# Member rule fields (members.rules) -> template column keys.
RULE_COLUMNS = {
    "name": "name",
    "sex": "sex",
    "id_number": "id_number",
    "birth_date": "birth_date",
    "org": "org_code",
    "joined_on": "joined_on",
    "converted_on": "converted_on",
    "phone": "phone",
}


# The arguments of members.rules.member_problems, in the order a row keeps them.
RULE_ARGUMENTS = (
    "name",
    "sex",
    "id_number",
    "birth_date",
    "org_kind",
    "category",
    "joined_on",
    "converted_on",
    "phone",
    "today",
)


def _rule_problems(add, number: int, bad: set, arguments: tuple) -> bool:
    """The record rules (members.rules) of one row, told against the file's columns;
    False if the row broke any."""
    id_number = arguments[2]
    ok = True
    problems = rules.member_problems(**dict(zip(RULE_ARGUMENTS, arguments, strict=True)))
    for rule_field, messages in problems.items():
        key = RULE_COLUMNS.get(rule_field, rule_field)
        if key in bad or (key == "id_number" and id_number is None):
            continue
        for message in messages:
            add(number, key, message)
            ok = False
    return ok


@dataclass
class MemberPlan:
    creates: list[dict] = field(default_factory=list)
    updates: list[tuple[Member, dict]] = field(default_factory=list)
    # Written anyway, told to the user: e.g. more party-member teachers than teachers.
    warnings: list[str] = field(default_factory=list)
    # For each create, its row number and the arguments of its record rules, which run
    # while the rows before are written (`late_check`) or, when nothing is written, all
    # at once (`check_rest`). None once checked.
    late: list[tuple[int, tuple] | None] = field(default_factory=list)
    add: object = None

    def late_check(self, index: int) -> bool:
        number, arguments = self.late[index]
        self.late[index] = None
        return _rule_problems(self.add, number, set(), arguments)

    def check_rest(self) -> None:
        for index, pending in enumerate(self.late):
            if pending is not None:
                self.late_check(index)


def _by_code(queryset, codes) -> dict:
    return {obj.code: obj for obj in in_chunks(queryset, "code", codes)}


def check_members(actor, rows: list[ParsedRow], problems: list[CellProblem], progress=None) -> Plan:
    """Every rule of INTERFACES 4.3 for every row, in a fixed number of queries: the orgs
    (one query), the schools (one), the existing ID numbers (one per 500) and the scope
    of those found. An ID number registered outside the actor's scope is an error that
    names nobody and no org. The record rules of a new record without other problems are
    left to the writing (Plan.rest): Python checks them while the database takes the rows
    before, instead of leaving the database idle for a second per 100,000 rows."""
    t = MEMBER_TEMPLATE
    today = timezone.localdate()

    def add_at(number, key, message):
        problems.append(t.problem(number, key, message))

    def add(row, key, message):
        add_at(row.number, key, message)

    orgs = _by_code(
        Organization.objects.restrict(actor, Action.VIEW).only("pk", "code", "kind", "path"),
        (row.values["org_code"] for row in rows if row.values.get("org_code")),
    )
    addable = pks_in(
        Organization.objects.restrict(actor, Action.ADD), [o.pk for o in orgs.values()]
    )
    schools = _by_code(
        School.objects.restrict(actor, Action.VIEW).only("pk", "code"),
        (row.values["work_unit_code"] for row in rows if row.values.get("work_unit_code")),
    )
    first_seen: dict[str, int] = {}
    for row in rows:
        number = row.values.get("id_number")
        if number is None:
            continue
        if number in first_seen:
            add(row, "id_number", _("公民身份号码与第%(r)d行重复") % {"r": first_seen[number]})
            row.bad.add("id_number")
        else:
            first_seen[number] = row.number
    existing = services.existing_id_numbers(first_seen)
    changeable = pks_in(
        Member.objects.restrict(actor, Action.CHANGE), [m.pk for m in existing.values()]
    )
    if progress:
        progress(0.2)

    plan = MemberPlan()
    not_found = _("组织代码“%(c)s”不存在或不在您的管理范围内")
    total = len(rows)
    for index, row in enumerate(rows, start=1):
        if progress and index % 5000 == 0:
            progress(0.2 + 0.8 * index / total)
        values = row.values
        bad = row.bad
        before = len(problems)
        member = None
        number = values["id_number"]
        if number is not None and "id_number" not in bad:
            member = existing.get(number)
            if member is not None and member.pk not in changeable:
                add(row, "id_number", _("该公民身份号码已在您的管理范围之外登记, 不能导入或修改"))
                member = None
                bad.add("id_number")
        org = None
        org_code = values["org_code"]
        if org_code is not None:
            org = orgs.get(org_code)
            if org is None:
                add(row, "org_code", not_found % {"c": org_code})
            elif (member is None or member.org_id != org.pk) and org.pk not in addable:
                add(row, "org_code", not_found % {"c": org_code})
                org = None
        work_unit = None
        unit_code = values["work_unit_code"]
        if unit_code is not None:
            work_unit = schools.get(unit_code)
            if work_unit is None:
                add(
                    row,
                    "work_unit_code",
                    _("学校代码“%(c)s”不存在或不在您的权限范围内") % {"c": unit_code},
                )
        arguments = (
            values["name"],
            values["sex"],
            number if "id_number" not in bad else None,
            values["birth_date"],
            org.kind if org is not None else None,
            values["category"],
            values["joined_on"],
            values["converted_on"],
            values["phone"],
            today,
        )
        fields = {
            "name": values["name"],
            "sex": values["sex"],
            "ethnicity": values["ethnicity"],
            "education": values["education"],
            "org": org,
            "work_unit": work_unit,
            "person_type": values["person_type"],
            "joined_on": values["joined_on"],
            "converted_on": values["converted_on"],
            "phone": values["phone"] or "",
            "title": values["title"] or "",
            "backbone": values["backbone"] or "",
        }
        if member is None and not bad and len(problems) == before:
            # A new record with no problem so far: its record rules run as the rows
            # before it are written (or all at once if nothing is).
            plan.creates.append({**fields, "id_number": number, "category": values["category"]})
            plan.late.append((row.number, arguments))
            continue
        _rule_problems(add_at, row.number, bad, arguments)
        moving = member is not None and org is not None and member.org_id != org.pk
        if moving and member.status != Status.ACTIVE:
            add(row, "org_code", _("该党员党籍状态不是“正常”, 不能调动"))
        if len(problems) != before or bad:
            continue
        plan.updates.append((member, fields))
    plan.warnings = teacher_warnings(plan, today)
    plan.add = add_at
    return Plan(len(plan.creates), len(plan.updates), plan, rest=plan.check_rest)


def teacher_warnings(plan: MemberPlan, day: dt.date) -> list[str]:
    """A school whose party-member 专任教师 would outnumber its 专任教师 after this import:
    either figure may be the wrong one (the school record is often a year old), so the
    import is written and the user told, in one query for the schools concerned."""
    added: dict[int, int] = {}
    moved = []
    for fields in plan.creates:
        if fields["person_type"] == PersonType.TEACHER and fields["work_unit"] is not None:
            added[fields["work_unit"].pk] = added.get(fields["work_unit"].pk, 0) + 1
    for member, fields in plan.updates:
        unit = fields["work_unit"]
        was = member.person_type == PersonType.TEACHER and member.work_unit_id
        if fields["person_type"] == PersonType.TEACHER and unit is not None and was != unit.pk:
            added[unit.pk] = added.get(unit.pk, 0) + 1
        if was and (fields["person_type"] != PersonType.TEACHER or not unit or was != unit.pk):
            moved.append(was)
    for pk in moved:
        added[pk] = added.get(pk, 0) - 1
    if not added:
        return []
    warnings = []
    for school in (
        School.objects.filter(pk__in=added)
        .annotate(
            party_teachers=Count(
                "staff_members",
                filter=Q(
                    staff_members__person_type=PersonType.TEACHER,
                    staff_members__status=Status.ACTIVE,
                ),
            )
        )
        .order_by("code")
    ):
        after = school.party_teachers + added[school.pk]
        if added[school.pk] > 0 and after > school.teacher_count:
            warnings.append(
                _(
                    "学校“%(s)s”导入后党员专任教师 %(n)d 名, 超过该校专任教师数 %(t)d 名;"
                    " 已照常导入, 请核对党员的人员类型或学校的专任教师数"
                )
                % {"s": school.name, "n": after, "t": school.teacher_count}
            )
    return warnings


def _drain(items: list):
    """Yield and forget: the writer then holds the only reference to each row."""
    items.reverse()
    while items:
        yield items.pop()


def import_members(actor, plan: MemberPlan, *, source: str, sha256: str) -> tuple[int, int, int]:
    return services.import_members(
        actor,
        creates=_drain(plan.creates),
        updates=plan.updates,
        source=source,
        sha256=sha256,
        late_check=plan.late_check,
    )


MEMBER_IMPORTER = Importer(
    template=MEMBER_TEMPLATE,
    check=check_members,
    apply=import_members,
    label=gettext_lazy("党员"),
)


# What an export row reads: `values_list(*EXPORT_FIELDS, named=True)` is enough.
EXPORT_FIELDS = (
    "pk",
    "name",
    "sex",
    "ethnicity",
    "id_cipher",
    "birth_date",
    "education",
    "org_id",
    "work_unit_id",
    "person_type",
    "joined_on",
    "converted_on",
    "phone",
    "title",
    "backbone",
)


def export_row_builder(
    full_ids: set[int] | None = None,
    org_codes: dict[int, str] | None = None,
    school_codes: dict[int, str] | None = None,
):
    """A row function for `MEMBER_TEMPLATE.export_workbook`: the ID number in full for the
    members in `full_ids` (the caller has checked the reveal permission), masked (first 3
    and last 4 kept) for everyone else. With `org_codes`/`school_codes` (pk -> code) it
    takes named rows of `EXPORT_FIELDS` as well as members: a big export builds no model
    instance, no org and no school per member."""
    full_ids = full_ids or set()
    today = timezone.localdate()

    def id_number(member):
        number = decrypt_id(member.id_cipher)
        return number if member.pk in full_ids else mask_id_number(number)

    overrides = {"id_number": id_number}
    if org_codes is not None:
        overrides["org_code"] = lambda member: org_codes[member.org_id]
    if school_codes is not None:
        overrides["work_unit_code"] = lambda member: (
            school_codes[member.work_unit_id] if member.work_unit_id else ""
        )
    overrides["category"] = lambda member: CATEGORY.label_map[_category(member, today)]
    return MEMBER_TEMPLATE.exporter(**overrides)
