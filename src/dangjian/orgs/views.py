"""Pages of the org network (组织网络) and schools. Every queryset is restricted to the
user's scope for the action at hand, so an object outside it is a 404; every write goes
through orgs.services, which validates, audits and re-checks scope."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.core.forms import form_page
from dangjian.core.registers.views import audit_history
from dangjian.core.roles import Action
from dangjian.core.views import paginate, query_without_page
from dangjian.orgs import rules, services
from dangjian.orgs.forms import (
    MassOrgForm,
    MoveForm,
    OrgForm,
    PositionForm,
)
from dangjian.orgs.models import (
    MassOrganization,
    Organization,
    Position,
    PositionTitle,
    School,
)
from dangjian.orgs.registers import OrgRegister

# orgs sits below members in the layering, so it names the member model through the
# reverse relation and uses the stored values of members.choices (Status.ACTIVE,
# PersonType.TEACHER) instead of importing them.
ACTIVE = "active"
TEACHER = "teacher"
MEMBERS_SHOWN = 20
SEARCH_PAGE_SIZE = 50
# 书记 first, then 副书记, then committee members: the order a 班子 is read out in.
TITLE_ORDER = Case(
    *[When(title=value, then=Value(i)) for i, value in enumerate(PositionTitle.values)],
    default=Value(len(PositionTitle.values)),
)


def _member_model():
    return Organization._meta.get_field("members").related_model


def _allowed(user, action: str, obj) -> bool:
    return type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists()


def _annotate_nodes(qs, user):
    """Active members in each node's subtree (as far as the user may see them)."""
    members = (
        _member_model()
        .objects.restrict(user, Action.VIEW)
        .filter(status=ACTIVE, org__path__startswith=OuterRef("path"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return qs.annotate(member_count=Subquery(members, output_field=IntegerField()))


def _visible_orgs(user):
    return Organization.objects.restrict(user, Action.VIEW)


def _scope_roots(user):
    """Top of the user's scope: the real roots for a superuser, otherwise the visible orgs
    whose parent is not visible (the roots of the user's subtrees)."""
    visible = _visible_orgs(user)
    if user.is_superuser:
        return visible.filter(depth=1)
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
    return visible.exclude(Exists(_visible_orgs(user).filter(path=parent_path)))


def _visible_ancestors(user, orgs) -> dict[str, list[Organization]]:
    """Visible ancestors of each org, root first, in one query."""
    wanted = {org.path[: i * Organization.steplen] for org in orgs for i in range(1, org.depth)}
    found = {o.path: o for o in _visible_orgs(user).filter(path__in=wanted)}
    return {
        org.path: [
            found[org.path[: i * Organization.steplen]]
            for i in range(1, org.depth)
            if org.path[: i * Organization.steplen] in found
        ]
        for org in orgs
    }


@login_required
def org_tree(request):
    user = request.user
    if not OrgRegister.instance.may_list(user):
        raise Http404
    text = request.GET.get("q", "").strip()
    context = {"q": text}
    if text:
        matches, _filterset = OrgRegister.instance.filter(_visible_orgs(user), {"q": text})
        matches = _annotate_nodes(matches.order_by("path"), user)
        page = paginate(request, matches, SEARCH_PAGE_SIZE)
        ancestors = _visible_ancestors(user, page.object_list)
        context.update(
            page=page,
            query=query_without_page(request),
            results=[(org, ancestors[org.path]) for org in page.object_list],
        )
    else:
        context["nodes"] = _annotate_nodes(_scope_roots(user), user)
    context["today"] = timezone.localdate()
    return render(request, "orgs/org_tree.html", context)


@login_required
def org_children(request, pk):
    org = get_object_or_404(_visible_orgs(request.user), pk=pk)
    children = _annotate_nodes(
        _visible_orgs(request.user).filter(path__startswith=org.path, depth=org.depth + 1),
        request.user,
    )
    return render(
        request, "orgs/_tree_nodes.html", {"nodes": children, "today": timezone.localdate()}
    )


@login_required
def org_detail(request, pk):
    user = request.user
    org = get_object_or_404(_visible_orgs(user), pk=pk)
    today = timezone.localdate()
    ancestors = _visible_ancestors(user, [org])[org.path]
    children = _annotate_nodes(
        _visible_orgs(user).filter(path__startswith=org.path, depth=org.depth + 1), user
    )
    schools = School.objects.restrict(user, Action.VIEW).select_related(
        "supervising_org", "covering_org"
    )
    members = org.members.restrict(user, Action.VIEW).filter(status=ACTIVE)
    counts = members.aggregate(
        total=Count("pk"),
        full=Count("pk", filter=Q(converted_on__lte=today)),
    )
    subtree_total = (
        _member_model()
        .objects.restrict(user, Action.VIEW)
        .filter(status=ACTIVE, org__path__startswith=org.path)
        .count()
    )
    positions = Position.objects.restrict(user, Action.VIEW).filter(org=org)
    current_positions = list(positions.current(today).order_by(TITLE_ORDER, "start_on"))
    past_positions = positions.filter(end_on__lte=today).order_by("-end_on", TITLE_ORDER)
    probationary = counts["total"] - counts["full"]
    can_change = _allowed(user, Action.CHANGE, org)
    context = {
        "org": org,
        "today": today,
        "ancestors": ancestors,
        "children": children,
        "covered_schools": schools.filter(covering_org=org),
        "supervised_schools": schools.filter(supervising_org=org),
        "members": members.order_by("name", "pk")[:MEMBERS_SHOWN],
        "member_total": counts["total"],
        "full_count": counts["full"],
        "probationary_count": probationary,
        "subtree_total": subtree_total,
        "current_positions": current_positions,
        "past_positions": past_positions,
        "election_status": rules.election_status(
            org.next_election_on, today, max(settings.DANGJIAN_TERM_REMINDER_MONTHS)
        ),
        "hints": rules.branch_hints(
            org.kind,
            full_members=counts["full"],
            members=counts["total"],
            current_seats=len(current_positions),
        ),
        "can_add": _allowed(user, Action.ADD, org),
        "can_change": can_change,
        "can_move": can_change and org.depth > 1,
        "can_delete": _allowed(user, Action.DELETE, org),
        "history": audit_history(user, org),
    }
    return render(request, "orgs/org_detail.html", context)


def _form_page(request, form, save, message, *, done, title, cancel_url, notice=None, **more):
    """The one form page of orgs and schools (`more`: the org or school it is about, the
    button's label). `notice` replaces the form when there is nothing the user could
    submit, and then nothing is saved."""
    context = {"title": title, "cancel_url": cancel_url, "notice": notice, "submit": _("保存")}
    context |= more
    if notice is not None:
        return render(request, "orgs/form.html", {"form": form, **context})
    return form_page(
        request, form, save, message, done=done, template="orgs/form.html", context=context
    )


def _org_url(org) -> str:
    return reverse("org-detail", args=[org.pk])


@login_required
def org_create(request, parent_pk):
    parent = get_object_or_404(
        Organization.objects.restrict(request.user, Action.ADD), pk=parent_pk
    )
    return _form_page(
        request,
        OrgForm(request.POST or None),
        lambda data: services.create_org(request.user, parent=parent, **data),
        lambda org: _("已新增党组织“%(name)s”") % {"name": org.name},
        done=_org_url,
        title=_("新增下级组织"),
        cancel_url=_org_url(parent),
        org=parent,
    )


@login_required
def org_move(request, pk):
    org = get_object_or_404(Organization.objects.restrict(request.user, Action.CHANGE), pk=pk)
    form = MoveForm(request.POST or None, user=request.user, org=org)
    notice = None
    if org.depth == 1:
        notice = _("根组织不能移动")
    elif not form.fields["parent"].queryset.exists():
        notice = _("您的权限范围内没有可以作为该组织上级的党组织")
    return _form_page(
        request,
        form,
        lambda data: services.move_org(request.user, org, data["parent"]),
        lambda org: _("已移动党组织“%(name)s”") % {"name": org.name},
        done=_org_url,
        title=_("移动党组织"),
        cancel_url=_org_url(org),
        org=org,
        submit=_("移动"),
        notice=notice,
    )


@login_required
@require_POST
def org_delete(request, pk):
    org = get_object_or_404(Organization.objects.restrict(request.user, Action.DELETE), pk=pk)
    parent = Organization.objects.get_parent(org)
    try:
        services.delete_org(request.user, org)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("org-detail", org.pk)
    messages.success(request, _("已删除党组织“%(name)s”") % {"name": org.name})
    if parent is not None and _allowed(request.user, Action.VIEW, parent):
        return redirect("org-detail", parent.pk)
    return redirect("org-tree")


@dataclass(frozen=True)
class _Part:
    """A part of an org or a school (a 班子 seat, a 群团组织): added, edited and deleted from
    its owner's page and back there after each, saved through `save(actor, unsaved
    instance)`. One declaration per kind of part instead of three views each."""

    model: type
    form: type
    owner: str
    owner_model: type
    noun: str
    save: Callable
    delete: Callable
    delete_action: Action
    form_takes_user: bool = False  # the form narrows its choices to the viewer's scope

    def _form(self, request, instance):
        kwargs = {"user": request.user} if self.form_takes_user else {}
        return self.form(request.POST or None, instance=instance, **kwargs)

    def _get(self, request, pk, action):
        queryset = self.model.objects.restrict(request.user, action).select_related(self.owner)
        return get_object_or_404(queryset, pk=pk)

    def _page(self, request, form, owner, message: str, title: str):
        back = reverse(f"{self.owner}-detail", args=[owner.pk])
        return _form_page(
            request,
            form,
            lambda _data: self.save(request.user, form.save(commit=False)),
            message,
            done=back,
            title=title,
            cancel_url=back,
            **{self.owner: owner},
        )

    def create(self, request, **kwargs):
        owner = get_object_or_404(
            self.owner_model.objects.restrict(request.user, Action.CHANGE),
            pk=kwargs[f"{self.owner}_pk"],
        )
        form = self._form(request, self.model(**{self.owner: owner}))
        noun = {"part": self.noun}
        return self._page(
            request, form, owner, _("已新增%(part)s") % noun, _("新增%(part)s") % noun
        )

    def edit(self, request, pk):
        part = self._get(request, pk, Action.CHANGE)
        form = self._form(request, part)
        noun = {"part": self.noun}
        owner = getattr(part, self.owner)
        return self._page(
            request, form, owner, _("已保存%(part)s") % noun, _("编辑%(part)s") % noun
        )

    def remove(self, request, pk):
        part = self._get(request, pk, self.delete_action)
        self.delete(request.user, part)
        messages.success(request, _("已删除%(part)s") % {"part": self.noun})
        return redirect(f"{self.owner}-detail", getattr(part, f"{self.owner}_id"))

    def views(self):
        """The create, edit and delete views, in that order."""
        return (
            login_required(self.create),
            login_required(self.edit),
            login_required(require_POST(self.remove)),
        )


position_create, position_edit, position_delete = _Part(
    Position,
    PositionForm,
    "org",
    Organization,
    gettext_lazy("班子成员"),
    services.save_position,
    services.delete_position,
    Action.DELETE,
    form_takes_user=True,
).views()


@login_required
def school_detail(request, pk):
    user = request.user
    school = get_object_or_404(
        School.objects.restrict(user, Action.VIEW).select_related(
            "supervising_org", "covering_org"
        ),
        pk=pk,
    )
    party_teachers = (
        school.staff_members.restrict(user, Action.VIEW)
        .filter(status=ACTIVE, person_type=TEACHER)
        .count()
    )
    visible_org_ids = set(
        _visible_orgs(user)
        .filter(pk__in=[pk for pk in (school.supervising_org_id, school.covering_org_id) if pk])
        .values_list("pk", flat=True)
    )
    can_change = _allowed(user, Action.CHANGE, school)
    context = {
        "school": school,
        "mass_orgs": MassOrganization.objects.restrict(user, Action.VIEW).filter(school=school),
        "party_teachers": party_teachers,
        "party_teacher_percent": (
            100 * party_teachers / school.teacher_count if school.teacher_count else None
        ),
        "visible_org_ids": visible_org_ids,
        "can_change": can_change,
        "can_delete": _allowed(user, Action.DELETE, school),
        "history": audit_history(user, school),
    }
    return render(request, "orgs/school_detail.html", context)


massorg_create, massorg_edit, massorg_delete = _Part(
    MassOrganization,
    MassOrgForm,
    "school",
    School,
    gettext_lazy("群团组织"),
    services.save_mass_org,
    services.delete_mass_org,
    # A 群团组织 is part of the school's record: whoever may change the school removes it.
    Action.CHANGE,
).views()
