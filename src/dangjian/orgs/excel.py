"""Import templates of the org network (INTERFACES 4.1 党组织 and 4.2 学校): the column specs,
the set-based checks (a few queries per file, never one per row) and the upserts, which
write every row of a valid file in one transaction and audit the file once."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import audit
from dangjian.core.audit import AuditAction
from dangjian.core.batches import in_chunks, pks_in
from dangjian.core.excel import (
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
    text,
)
from dangjian.core.roles import Action
from dangjian.core.scope import is_unrestricted
from dangjian.orgs import rules
from dangjian.orgs.models import (
    BRANCH_KINDS,
    Locality,
    Organization,
    OrgKind,
    Ownership,
    School,
    SchoolStage,
)
from dangjian.orgs.services import SCHOOL_FIELDS

CHUNK = 500


def _audit_import(actor, template: str, source: str, sha256: str, created, updated, paths):
    audit.batch(
        actor,
        AuditAction.IMPORT,
        org_path=Organization.common_path(paths),
        object_repr=_("导入%(what)s: %(f)s") % {"what": template, "f": source},
        template=template,
        file=source,
        sha256=sha256,
        created=len(created),
        updated=len(updated),
        codes=sorted([*created, *updated])[:1000],
    )


def _set_changes(obj, values: dict) -> bool:
    """Set `values` on a record; whether any differed. Related records are compared by key,
    so no query runs per row."""
    differs = False
    for key, value in values.items():
        field_ = obj._meta.get_field(key)
        new = value.pk if field_.is_relation and value is not None else value
        if getattr(obj, field_.attname) != new:
            setattr(obj, key, value)
            differs = True
    return differs


# -- 党组织 -----------------------------------------------------------------------------------

ORG_TEMPLATE = Template(
    "orgs",
    gettext_lazy("党组织"),
    [
        Column(
            "code",
            gettext_lazy("组织代码"),
            required=True,
            parse=code(),
            note=gettext_lazy("唯一, 1-32位字母、数字、下划线或连字符; 已有代码视为修改"),
            sample="XX-ZB01",
            export="code",
            as_text=True,
        ),
        Column(
            "name",
            gettext_lazy("组织名称"),
            required=True,
            parse=text(100),
            sample=gettext_lazy("示例小学党支部"),
            export="name",
            width=30,
        ),
        Column(
            "kind",
            gettext_lazy("组织类别"),
            required=True,
            parse=choice(OrgKind),
            sample=gettext_lazy("党支部"),
            export="kind",
        ),
        Column(
            "parent_code",
            gettext_lazy("上级组织代码"),
            column_required=True,
            parse=code(),
            note=gettext_lazy("根组织留空; 可填写系统中已有的代码, 或本文件中(前后均可)定义的代码"),
            sample="XX-XQ01",
            export=lambda o: getattr(o, "parent_code", "") or "",
            as_text=True,
        ),
        Column(
            "founded_on",
            gettext_lazy("成立日期"),
            parse=dates(),
            note=gettext_lazy("日期, 如2010-07-01"),
            sample=dt.date(2009, 6, 1),
            export="founded_on",
        ),
        Column(
            "term_start",
            gettext_lazy("本届任期开始"),
            parse=dates(),
            note=gettext_lazy("日期"),
            sample=dt.date(2024, 6, 1),
            export="term_start",
        ),
        Column(
            "term_years",
            gettext_lazy("任期年限"),
            parse=integer(1, 5),
            note=gettext_lazy("1-5的整数; 不填按组织类别默认(党委5年, 党总支、党支部3年)"),
            sample=3,
            export="term_years",
        ),
    ],
    description=gettext_lazy(
        "党小组只能隶属于党支部、联合党支部或临时党支部; 上级关系不能形成循环。"
    ),
)
# Kept by PinyinNamed.fill_derived(); bulk writes list them beside the changed fields.
PINYIN_FIELDS = ("name_pinyin", "name_initials")
ORG_UPDATE_FIELDS = ("name", "kind", "founded_on", "term_start", "term_years")


@dataclass
class OrgPlan:
    creates: list[dict] = field(default_factory=list)  # in parent-first order
    updates: list[tuple[Organization, dict]] = field(default_factory=list)
    moves: list[tuple[str, str]] = field(default_factory=list)  # (code, new parent code)


def with_parent_codes(orgs):
    """Set `parent_code` on each org (one query), for export."""
    orgs = list(orgs)
    parent_paths = {o.path[: -Organization.steplen] for o in orgs if o.depth > 1}
    codes = {}
    for org in in_chunks(Organization.objects.only("path", "code"), "path", parent_paths):
        codes[org.path] = org.code
    for org in orgs:
        org.parent_code = codes.get(org.path[: -Organization.steplen], "") if org.depth > 1 else ""
    return orgs


def check_orgs(actor, rows: list[ParsedRow], problems: list[CellProblem], progress=None) -> Plan:
    """Every rule of INTERFACES 4.1 over the whole file: codes unique in the file, parents
    existing or defined anywhere in the file, kinds that may hang under their parent, no
    cycles (through existing orgs too), and the actor's scope (a code outside it is an
    error that says nothing about that org)."""
    t = ORG_TEMPLATE
    today = timezone.localdate()

    def add(row, key, message):
        problems.append(t.problem(row.number, key, message))

    file_rows: dict[str, ParsedRow] = {}
    for row in rows:
        code_ = row.get("code")
        if code_ is None:
            continue
        if code_ in file_rows:
            add(row, "code", _("组织代码与第%(r)d行重复") % {"r": file_rows[code_].number})
            row.bad.add("code")
            continue
        file_rows[code_] = row
    referenced = {row.get("parent_code") for row in rows if row.get("parent_code")}
    existing = {
        org.code: org
        for org in in_chunks(Organization.objects.all(), "code", set(file_rows) | referenced)
    }
    # Existing ancestors of everything involved, for parent kinds and cycle walks.
    ancestor_paths = {
        org.path[: i * Organization.steplen]
        for org in existing.values()
        for i in range(1, org.depth)
    }
    by_path = {org.path: org for org in existing.values()}
    for org in in_chunks(Organization.objects.all(), "path", ancestor_paths - set(by_path)):
        by_path[org.path] = org
    known = {org.code: org for org in by_path.values()}
    existing_pks = [org.pk for org in existing.values()]
    visible = pks_in(Organization.objects.restrict(actor, Action.VIEW), existing_pks)
    changeable = pks_in(Organization.objects.restrict(actor, Action.CHANGE), existing_pks)
    addable = pks_in(Organization.objects.restrict(actor, Action.ADD), existing_pks)
    unrestricted = is_unrestricted(actor)

    def current_parent_code(org: Organization) -> str | None:
        if org.depth <= 1:
            return None
        parent = by_path.get(org.path[: -Organization.steplen])
        return parent.code if parent else None

    def final_parent(code_: str) -> str | None:
        row = file_rows.get(code_)
        if row is not None:
            return row.get("parent_code")
        org = existing.get(code_) or known.get(code_)
        return current_parent_code(org) if org else None

    def final_kind(code_: str) -> str | None:
        row = file_rows.get(code_)
        if row is not None:
            return row.get("kind")
        org = existing.get(code_)
        return org.kind if org else None

    plan = OrgPlan()
    usable: dict[str, ParsedRow] = {}
    for code_, row in file_rows.items():
        org = existing.get(code_)
        parent_code = row.get("parent_code")
        before = len(problems)
        if org is not None:
            if org.pk not in visible:
                add(row, "code", _("组织代码已被使用, 不能导入; 请换用其他代码"))
                continue
            if org.pk not in changeable:
                add(row, "code", _("您没有修改该党组织的权限"))
                continue
        if "parent_code" not in row.bad:
            parent = existing.get(parent_code) if parent_code else None
            moving = org is None or current_parent_code(org) != parent_code
            if parent_code is None:
                if org is not None and org.depth > 1:
                    add(row, "parent_code", _("上级组织代码不能为空(只有根组织没有上级)"))
                elif org is None and not unrestricted:
                    add(row, "parent_code", _("上级组织代码不能为空"))
            elif parent_code == code_:
                add(row, "parent_code", _("上级组织不能是本组织"))
            elif parent is None and parent_code not in file_rows:
                add(
                    row,
                    "parent_code",
                    _("上级组织代码“%(c)s”不存在或不在您的权限范围内, 本文件中也没有")
                    % {"c": parent_code},
                )
            elif parent is not None and parent.pk not in visible:
                add(
                    row,
                    "parent_code",
                    _("上级组织代码“%(c)s”不存在或不在您的权限范围内") % {"c": parent_code},
                )
            elif parent is not None and moving and parent.pk not in addable:
                add(
                    row,
                    "parent_code",
                    _("您没有在上级组织“%(c)s”下新增组织的权限") % {"c": parent_code},
                )
            if org is not None and org.depth <= 1 and parent_code is not None:
                add(row, "parent_code", _("根组织不能移动到其他组织之下"))
        kind = row.get("kind")
        if kind is not None and "parent_code" not in row.bad and len(problems) == before:
            parent_kind = final_kind(parent_code) if parent_code else None
            if parent_code is None or parent_kind is not None:
                problem = rules.parent_problem(kind, parent_kind)
                if problem:
                    add(row, "kind", problem)
        for key in ("founded_on", "term_start"):
            value = row.get(key)
            if value is not None and value > today:
                add(row, key, _("不能晚于今天"))
        if len(problems) == before and not row.bad:
            usable[code_] = row

    # Cycles: walk each row's final parent chain (file rows first, then existing orgs).
    in_cycle: set[str] = set()
    for code_ in usable:
        chain = [code_]
        seen = {code_}
        current = final_parent(code_)
        while current is not None:
            if current in seen:
                loop = chain[chain.index(current) :] + [current]
                for member in loop:
                    if member in usable and member not in in_cycle:
                        in_cycle.add(member)
                        add(
                            usable[member],
                            "parent_code",
                            _("上级关系形成循环: %(loop)s") % {"loop": " → ".join(loop)},
                        )
                break
            seen.add(current)
            chain.append(current)
            current = final_parent(current)
    for code_ in in_cycle:
        usable.pop(code_, None)

    # A changed kind must still fit the existing children and hold no members unless a
    # branch kind.
    rekinded = [
        existing[c]
        for c, row in usable.items()
        if c in existing and existing[c].kind != row.get("kind")
    ]
    if rekinded:
        q = Q()
        for org in rekinded:
            q |= Q(path__startswith=org.path, depth=org.depth + 1)
        children: dict[str, list[Organization]] = {}
        for child in Organization.objects.filter(q):
            children.setdefault(child.path[: -Organization.steplen], []).append(child)
        with_members = set(
            Organization.objects.filter(
                pk__in=[o.pk for o in rekinded], members__isnull=False
            ).values_list("pk", flat=True)
        )
        for org in rekinded:
            row = usable[org.code]
            new_kind = row.get("kind")
            for child in children.get(org.path, []):
                if child.code in file_rows and file_rows[child.code].get("parent_code") != org.code:
                    continue  # moved away in this file; its own row is checked
                child_kind = final_kind(child.code) if child.code in file_rows else child.kind
                problem = rules.parent_problem(child_kind, new_kind)
                if problem:
                    add(
                        row,
                        "kind",
                        _("下级组织“%(child)s”与新的组织类别不符: %(why)s")
                        % {"child": child.code, "why": problem},
                    )
            if new_kind not in BRANCH_KINDS and org.pk in with_members:
                add(row, "kind", _("该组织下有党员, 组织类别只能是党支部、联合党支部或临时党支部"))

    if problems:
        return Plan(0, 0, plan)
    # Parent-first order for the new orgs: a parent is created before its children.
    created: set[str] = set()
    pending = [c for c in usable if c not in existing]
    while pending:
        ready = [
            c
            for c in pending
            if (p := usable[c].get("parent_code")) is None
            or p not in usable
            or p in existing
            or p in created
        ]
        for c in ready:
            plan.creates.append({"code": c, **usable[c].values})
            created.add(c)
        pending = [c for c in pending if c not in created]
    for c, row in usable.items():
        org = existing.get(c)
        if org is None:
            continue
        plan.updates.append((org, {k: row.get(k) for k in ORG_UPDATE_FIELDS}))
        parent_code = row.get("parent_code")
        if parent_code is not None and parent_code != current_parent_code(org):
            plan.moves.append((c, parent_code))
    # Moves run parent-first too, so a subtree moved twice lands where the file says.
    depth_in_file = {}

    def file_depth(c, guard=0):
        if c in depth_in_file:
            return depth_in_file[c]
        parent = final_parent(c)
        value = 0 if parent is None or guard > 1000 else file_depth(parent, guard + 1) + 1
        depth_in_file[c] = value
        return value

    plan.moves.sort(key=lambda move: file_depth(move[0]))
    return Plan(len(plan.creates), len(plan.updates), plan)


@transaction.atomic
def import_orgs(actor, plan: OrgPlan, *, source: str, sha256: str) -> tuple[int, int, int]:
    """Write a checked file: new orgs in bulk (paths computed as treebeard would), moves
    through treebeard, field changes in bulk; one audit row for the file."""
    by_code = {
        org.code: org
        for org in in_chunks(
            Organization.objects.all(),
            "code",
            {row["parent_code"] for row in plan.creates if row.get("parent_code")},
        )
    }
    next_step: dict[str, int] = {}
    new_children: dict[str, int] = {}
    new_orgs: list[Organization] = []

    def allocate(parent_path: str, depth: int) -> str:
        if parent_path not in next_step:
            last = Organization.objects.filter(path__startswith=parent_path, depth=depth).aggregate(
                last=Max("path")
            )["last"]
            next_step[parent_path] = (
                Organization._str2int(last[-Organization.steplen :]) + 1 if last else 1
            )
        step = next_step[parent_path]
        next_step[parent_path] = step + 1
        return Organization._get_path(parent_path, depth, step)

    for row in plan.creates:
        parent = by_code.get(row["parent_code"]) if row.get("parent_code") else None
        depth = parent.depth + 1 if parent else 1
        org = Organization(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            founded_on=row.get("founded_on"),
            term_start=row.get("term_start"),
            term_years=row.get("term_years"),
            depth=depth,
            numchild=0,
        )
        org.path = allocate(parent.path if parent else "", depth)
        if parent is not None:
            if parent.pk is None:
                parent.numchild += 1
            else:
                new_children[parent.path] = new_children.get(parent.path, 0) + 1
        by_code[org.code] = org
        new_orgs.append(org)
    for org in new_orgs:
        org.fill_derived()
    Organization.objects.bulk_create(new_orgs, batch_size=CHUNK)
    for path, count in new_children.items():
        Organization.objects.filter(path=path).update(numchild=F("numchild") + count)

    changed = [org for org, values in plan.updates if _set_changes(org, values)]
    if changed:
        for org in changed:
            org.fill_derived()
        Organization.objects.bulk_update(
            changed, [*ORG_UPDATE_FIELDS, *PINYIN_FIELDS], batch_size=CHUNK
        )
    for code_, parent_code in plan.moves:
        org = Organization.objects.get(code=code_)
        parent = Organization.objects.get(code=parent_code)
        Organization.objects.move(org, parent, "last-child")
    _audit_import(
        actor,
        _("党组织"),
        source,
        sha256,
        [o.code for o in new_orgs],
        [o.code for o, _v in plan.updates],
        [o.path for o in new_orgs] + [o.path for o, _v in plan.updates],
    )
    moved = {code_ for code_, _parent in plan.moves}
    return len(new_orgs), len(plan.updates), len({o.code for o in changed} | moved)


ORG_IMPORTER = Importer(
    template=ORG_TEMPLATE,
    check=check_orgs,
    apply=import_orgs,
    label=gettext_lazy("党组织"),
)


# -- 学校 -------------------------------------------------------------------------------------

SCHOOL_TEMPLATE = Template(
    "schools",
    gettext_lazy("学校"),
    [
        Column(
            "code",
            gettext_lazy("学校代码"),
            required=True,
            parse=code(),
            note=gettext_lazy("唯一, 1-32位字母、数字、下划线或连字符; 已有代码视为修改"),
            sample="XX-S001",
            export="code",
            as_text=True,
        ),
        Column(
            "name",
            gettext_lazy("学校名称"),
            required=True,
            parse=text(100),
            sample=gettext_lazy("示例小学"),
            export="name",
            width=30,
        ),
        Column(
            "stage",
            gettext_lazy("学段"),
            required=True,
            parse=choice(SchoolStage),
            sample=gettext_lazy("小学"),
            export="stage",
        ),
        Column(
            "ownership",
            gettext_lazy("办学性质"),
            required=True,
            parse=choice(Ownership),
            sample=gettext_lazy("公办"),
            export="ownership",
        ),
        Column(
            "locality",
            gettext_lazy("城乡类别"),
            required=True,
            parse=choice(Locality),
            sample=gettext_lazy("乡村"),
            export="locality",
        ),
        Column(
            "supervising_code",
            gettext_lazy("主管党组织代码"),
            required=True,
            parse=code(),
            note=gettext_lazy("主管该校党建工作的党委、党工委或党总支的组织代码"),
            sample="XX-XQ01",
            export="supervising_org.code",
            as_text=True,
        ),
        Column(
            "district",
            gettext_lazy("所属县区"),
            parse=text(50),
            sample=gettext_lazy("示例区"),
            export="district",
        ),
        Column(
            "staff_count",
            gettext_lazy("教职工数"),
            required=True,
            parse=integer(0),
            note=gettext_lazy("不小于0的整数"),
            sample=40,
            export="staff_count",
        ),
        Column(
            "teacher_count",
            gettext_lazy("专任教师数"),
            required=True,
            parse=integer(0),
            note=gettext_lazy("不小于0的整数, 不能大于教职工数"),
            sample=35,
            export="teacher_count",
        ),
        Column(
            "student_count",
            gettext_lazy("学生数"),
            required=True,
            parse=integer(0),
            note=gettext_lazy("不小于0的整数"),
            sample=600,
            export="student_count",
        ),
        Column(
            "covering_code",
            gettext_lazy("党组织代码"),
            parse=code(),
            note=gettext_lazy(
                "覆盖该校的党支部、联合党支部、临时党支部、党总支或党委的组织代码, "
                "须在主管党组织的下级范围内; 留空表示尚未建立党组织"
            ),
            sample="XX-ZB01",
            export="covering_org.code",
            as_text=True,
        ),
    ],
    description=gettext_lazy("一个党组织可以覆盖多所学校(联合党支部)。"),
)
SCHOOL_UPDATE_FIELDS = tuple(name for name in SCHOOL_FIELDS if name != "code")


@dataclass
class SchoolPlan:
    creates: list[School] = field(default_factory=list)
    updates: list[tuple[School, dict]] = field(default_factory=list)


def check_schools(actor, rows: list[ParsedRow], problems: list[CellProblem], progress=None) -> Plan:
    """INTERFACES 4.2 over the whole file, in a handful of queries: codes unique, the
    supervising org a 党委/党工委/党总支 in scope, the covering org a branch kind (or 党总支/
    党委) inside the supervisor's subtree, 专任教师数 <= 教职工数."""
    t = SCHOOL_TEMPLATE

    def add(row, key, message):
        problems.append(t.problem(row.number, key, message))

    file_rows: dict[str, ParsedRow] = {}
    for row in rows:
        code_ = row.get("code")
        if code_ is None:
            continue
        if code_ in file_rows:
            add(row, "code", _("学校代码与第%(r)d行重复") % {"r": file_rows[code_].number})
            row.bad.add("code")
            continue
        file_rows[code_] = row
    existing = {s.code: s for s in in_chunks(School.objects.all(), "code", file_rows)}
    existing_pks = [s.pk for s in existing.values()]
    visible_schools = pks_in(School.objects.restrict(actor, Action.VIEW), existing_pks)
    changeable_schools = pks_in(School.objects.restrict(actor, Action.CHANGE), existing_pks)
    org_codes = {
        row.get(key)
        for row in rows
        for key in ("supervising_code", "covering_code")
        if row.get(key)
    }
    orgs = {o.code: o for o in in_chunks(Organization.objects.all(), "code", org_codes)}
    org_pks = [o.pk for o in orgs.values()]
    org_visible = pks_in(Organization.objects.restrict(actor, Action.VIEW), org_pks)
    org_addable = pks_in(Organization.objects.restrict(actor, Action.ADD), org_pks)
    org_changeable = pks_in(Organization.objects.restrict(actor, Action.CHANGE), org_pks)

    def linked_org(row, key, kind_problem):
        """The org a code in `key` names, if it is in scope and of a fitting kind."""
        code_ = row.get(key)
        if code_ is None:
            return None
        org = orgs.get(code_)
        if org is None or org.pk not in org_visible:
            add(row, key, _("组织代码“%(c)s”不存在或不在您的权限范围内") % {"c": code_})
            return None
        problem = kind_problem(org.kind)
        if problem:
            add(row, key, problem)
            return None
        return org

    plan = SchoolPlan()
    for code_, row in file_rows.items():
        before = len(problems)
        school = existing.get(code_)
        if school is not None:
            if school.pk not in visible_schools:
                add(row, "code", _("学校代码已被使用, 不能导入; 请换用其他代码"))
                continue
            if school.pk not in changeable_schools:
                add(row, "code", _("您没有修改该学校的权限"))
                continue
        supervisor = linked_org(row, "supervising_code", rules.supervisor_problem)
        if supervisor is not None and school is None and supervisor.pk not in org_addable:
            add(row, "supervising_code", _("您没有在该主管党组织下新增学校的权限"))
        covering = linked_org(row, "covering_code", rules.covering_problem)
        if covering is not None:
            relinked = school is None or school.covering_org_id != covering.pk
            if relinked and covering.pk not in org_changeable:
                add(row, "covering_code", _("您没有修改该党组织的权限"))
            elif supervisor is not None and not covering.path.startswith(supervisor.path):
                add(
                    row,
                    "covering_code",
                    _("覆盖学校的党组织必须在主管党组织“%(s)s”的下级范围内")
                    % {"s": supervisor.code},
                )
        staff, teachers = row.get("staff_count"), row.get("teacher_count")
        if staff is not None and teachers is not None:
            problem = rules.school_counts_problem(staff, teachers)
            if problem:
                add(row, "teacher_count", problem)
        if len(problems) != before or row.bad:
            continue
        values = {
            "name": row.get("name"),
            "stage": row.get("stage"),
            "ownership": row.get("ownership"),
            "locality": row.get("locality"),
            "supervising_org": supervisor,
            "district": row.get("district") or "",
            "staff_count": staff,
            "teacher_count": teachers,
            "student_count": row.get("student_count"),
            "covering_org": covering,
        }
        if school is None:
            plan.creates.append(School(code=code_, **values))
        else:
            plan.updates.append((school, values))
    return Plan(len(plan.creates), len(plan.updates), plan)


@transaction.atomic
def import_schools(actor, plan: SchoolPlan, *, source: str, sha256: str) -> tuple[int, int, int]:
    changed = [school for school, values in plan.updates if _set_changes(school, values)]
    for school in [*plan.creates, *changed]:
        school.fill_derived()
    School.objects.bulk_create(plan.creates, batch_size=CHUNK)
    if changed:
        School.objects.bulk_update(
            changed, [*SCHOOL_UPDATE_FIELDS, *PINYIN_FIELDS], batch_size=CHUNK
        )
    touched = [*plan.creates, *(s for s, _v in plan.updates)]
    _audit_import(
        actor,
        _("学校"),
        source,
        sha256,
        [s.code for s in plan.creates],
        [s.code for s, _v in plan.updates],
        [s.supervising_org.path for s in touched] or [""],
    )
    return len(plan.creates), len(plan.updates), len(changed)


SCHOOL_IMPORTER = Importer(
    template=SCHOOL_TEMPLATE,
    check=check_schools,
    apply=import_schools,
    label=gettext_lazy("学校"),
)
