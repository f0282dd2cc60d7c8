"""Every write to the org network: validate, save, audit, re-check scope, in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from treebeard.exceptions import InvalidMoveToDescendant

from dangjian.core import audit
from dangjian.core.audit import AuditAction, record
from dangjian.core.roles import Action
from dangjian.core.scope import NotInScope, is_unrestricted, require
from dangjian.orgs import rules
from dangjian.orgs.models import (
    BRANCH_KINDS,
    MassOrganization,
    Organization,
    OrgKind,
    Position,
    School,
)

ORG_FIELDS = ("code", "name", "kind", "founded_on", "dissolved_on", "term_start", "term_years")
SCHOOL_FIELDS = (
    "code",
    "name",
    "stage",
    "ownership",
    "locality",
    "supervising_org",
    "district",
    "staff_count",
    "teacher_count",
    "student_count",
    "covering_org",
)


def _raise_with_model_errors(errors: dict, obj, **clean) -> None:
    """Raise the domain `errors` together with the model's own field checks, all at once, so
    the form shows every problem in one round."""
    try:
        obj.full_clean(**clean)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_org(org: Organization, parent: Organization | None) -> None:
    errors: dict[str, list[str]] = {}
    problem = rules.parent_problem(org.kind, parent.kind if parent else None)
    if problem:
        errors.setdefault("kind", []).append(problem)
    problem = rules.term_years_problem(org.term_years)
    if problem:
        errors.setdefault("term_years", []).append(problem)
    if org.founded_on and org.founded_on > timezone.localdate():
        errors.setdefault("founded_on", []).append(_("成立日期不能晚于今天"))
    if org.dissolved_on and org.founded_on and org.dissolved_on < org.founded_on:
        errors.setdefault("dissolved_on", []).append(_("撤销日期不能早于成立日期"))
    if org.pk:
        for child in Organization.objects.get_children(org):
            problem = rules.parent_problem(child.kind, org.kind)
            if problem:
                errors.setdefault("kind", []).append(
                    _("下级组织“%(child)s”与新的组织类别不符: %(why)s")
                    % {"child": child.name, "why": problem}
                )
        if org.kind not in BRANCH_KINDS and org.members.exists():
            errors.setdefault("kind", []).append(
                _("该组织下有党员, 组织类别只能是党支部、联合党支部或临时党支部")
            )
    _raise_with_model_errors(
        errors, org, exclude=["path", "depth", "numchild"], validate_unique=True
    )


def _editing(obj, allowed: tuple[str, ...], fields: dict):
    """The record locked for the edit, its audit state before it, and the allowed `fields`
    set on it; the caller checks, saves and audits."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = audit.state(obj)
    for key in allowed:
        if key in fields:
            setattr(obj, key, fields[key])
    return obj, before


@transaction.atomic
def create_org(actor, *, parent: Organization | None, **fields) -> Organization:
    if parent is None:
        if not is_unrestricted(actor):
            raise NotInScope()
    else:
        require(actor, Action.ADD, parent)
    org = Organization(**{k: fields.get(k) for k in ORG_FIELDS if k in fields})
    _check_org(org, parent)
    org = (
        Organization.objects.add_child(parent, instance=org)
        if parent
        else Organization.objects.add_root(instance=org)
    )
    audit.created(actor, org, org_path=org.path)
    require(actor, Action.VIEW, org)
    return org


@transaction.atomic
def update_org(actor, org: Organization, **fields) -> Organization:
    require(actor, Action.CHANGE, org)
    org, before = _editing(org, ORG_FIELDS, fields)
    _check_org(org, Organization.objects.get_parent(org))
    org.save()
    audit.changed(actor, org, before, org_path=org.path)
    require(actor, Action.VIEW, org)
    return org


@transaction.atomic
def move_org(actor, org: Organization, new_parent: Organization) -> Organization:
    require(actor, Action.CHANGE, org)
    require(actor, Action.ADD, new_parent)
    if Organization.objects.get_parent(org) is None:
        raise ValidationError({"parent": [_("根组织不能移动")]})
    problem = rules.parent_problem(org.kind, new_parent.kind)
    if problem:
        raise ValidationError({"parent": [problem]})
    old_parent = Organization.objects.get_parent(org)
    try:
        Organization.objects.move(org, new_parent, "last-child")
    except InvalidMoveToDescendant:
        raise ValidationError({"parent": [_("不能把组织移动到它自己的下级组织之下")]}) from None
    org.refresh_from_db()
    record(
        actor,
        AuditAction.MOVE,
        org,
        changes={"parent": [old_parent.code, new_parent.code]},
        org_path=org.path,
    )
    require(actor, Action.VIEW, org)
    return org


@transaction.atomic
def delete_org(actor, org: Organization) -> None:
    require(actor, Action.DELETE, org)
    org = Organization.objects.get(pk=org.pk)
    blockers = []
    if org.numchild:
        blockers.append(_("有下级组织"))
    if org.members.exists():
        blockers.append(_("有党员"))
    if org.covered_schools.exists() or org.supervised_schools.exists():
        blockers.append(_("有关联学校"))
    if blockers:
        raise ValidationError(_("不能删除: 该组织%(why)s") % {"why": "、".join(blockers)})
    audit.deleted(actor, org, org_path=org.path)
    org.delete()


def _check_school(school: School) -> None:
    errors: dict[str, list[str]] = {}
    supervisor = school.supervising_org if school.supervising_org_id else None
    if supervisor is not None:
        problem = rules.supervisor_problem(supervisor.kind)
        if problem:
            errors.setdefault("supervising_org", []).append(problem)
    covering = school.covering_org if school.covering_org_id else None
    if covering is not None:
        problem = rules.covering_problem(covering.kind)
        if problem:
            errors.setdefault("covering_org", []).append(problem)
        elif supervisor is not None and not covering.path.startswith(supervisor.path):
            errors.setdefault("covering_org", []).append(
                _("覆盖学校的党组织必须在主管党组织“%(s)s”的下级范围内") % {"s": supervisor.name}
            )
    problem = rules.school_counts_problem(school.staff_count or 0, school.teacher_count or 0)
    if problem:
        errors.setdefault("teacher_count", []).append(problem)
    _raise_with_model_errors(errors, school, validate_constraints=False)


def _require_school_orgs(actor, school: School) -> None:
    """Whoever links a school to orgs must be allowed to edit under them."""
    if school.supervising_org_id:
        require(actor, Action.VIEW, school.supervising_org)
    if school.covering_org_id:
        require(actor, Action.CHANGE, school.covering_org)


@transaction.atomic
def create_school(actor, **fields) -> School:
    school = School(**{k: fields[k] for k in SCHOOL_FIELDS if k in fields})
    if school.supervising_org_id:
        require(actor, Action.ADD, school.supervising_org)
    _require_school_orgs(actor, school)
    _check_school(school)
    school.save()
    audit.created(actor, school, org_path=school.supervising_org.path)
    require(actor, Action.VIEW, school)
    return school


@transaction.atomic
def update_school(actor, school: School, **fields) -> School:
    require(actor, Action.CHANGE, school)
    school, before = _editing(school, SCHOOL_FIELDS, fields)
    if (before["covering_org"], before["supervising_org"]) != (
        school.covering_org_id,
        school.supervising_org_id,
    ):
        _require_school_orgs(actor, school)
    _check_school(school)
    school.save()
    audit.changed(actor, school, before, org_path=school.supervising_org.path)
    require(actor, Action.VIEW, school)
    return school


@transaction.atomic
def delete_school(actor, school: School) -> None:
    require(actor, Action.DELETE, school)
    if school.staff_members.exists():
        raise ValidationError(_("不能删除: 有党员的工作单位是该学校"))
    audit.deleted(actor, school, org_path=school.supervising_org.path)
    school.delete()


def _school_path(school: School) -> str:
    return (school.covering_org or school.supervising_org).path


@transaction.atomic
def save_mass_org(actor, mass_org: MassOrganization) -> MassOrganization:
    require(actor, Action.CHANGE, mass_org.school)
    before = (
        None if mass_org.pk is None else audit.state(MassOrganization.objects.get(pk=mass_org.pk))
    )
    if (
        mass_org.founded_on
        and mass_org.dissolved_on
        and mass_org.dissolved_on < mass_org.founded_on
    ):
        raise ValidationError({"dissolved_on": [_("撤销日期不能早于成立日期")]})
    mass_org.full_clean()
    mass_org.save()
    audit.changed(actor, mass_org, before, org_path=_school_path(mass_org.school))
    return mass_org


@transaction.atomic
def delete_mass_org(actor, mass_org: MassOrganization) -> None:
    require(actor, Action.CHANGE, mass_org.school)
    audit.deleted(actor, mass_org, org_path=_school_path(mass_org.school))
    mass_org.delete()


@transaction.atomic
def save_position(actor, position: Position) -> Position:
    require(actor, Action.CHANGE, position.org)
    before = None if position.pk is None else audit.state(Position.objects.get(pk=position.pk))
    if position.start_on and position.end_on and position.end_on < position.start_on:
        raise ValidationError({"end_on": [_("离任日期不能早于任职日期")]})
    if position.org.kind == OrgKind.GROUP:
        raise ValidationError({"org": [_("党小组不设班子, 只设组长")]})
    if position.member_id is not None:
        # The link is what other modules count; the name is kept for history and lists.
        holder = position.member
        linked_before = before.get("member") if before else None
        if position.member_id != linked_before:
            _check_holder(actor, position)
        if not position.holder_name:
            position.holder_name = holder.name
        elif position.holder_name != holder.name:
            raise ValidationError({"holder_name": [_("姓名与所选党员不一致")]})
    position.full_clean()
    position.save()
    audit.changed(actor, position, before, org_path=position.org.path)
    return position


def _check_holder(actor, position: Position) -> None:
    """A newly linked holder must be a member the actor may see, of the seat's org or an
    org under it (what the seat form offers): an API client cannot link anyone else."""
    members = Position._meta.get_field("member").related_model.objects
    visible = members.restrict(actor, Action.VIEW).filter(pk=position.member_id)
    if not visible.exists():
        raise ValidationError({"member": [_("所选党员不存在或不在您的管理范围内")]})
    if not visible.filter(org__path__startswith=position.org.path).exists():
        raise ValidationError(
            {"member": [_("所选党员不是%(org)s(含下级)的党员") % {"org": position.org.name}]}
        )


@transaction.atomic
def delete_position(actor, position: Position) -> None:
    require(actor, Action.DELETE, position.org)
    audit.deleted(actor, position, org_path=position.org.path)
    position.delete()
