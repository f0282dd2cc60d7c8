"""Pages of the member registry (党员信息库). Every page carries personal data, so none is
cached; full ID numbers appear only through the audited reveal."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dangjian.core.dates import age_on
from dangjian.core.forms import record_page
from dangjian.core.registers.views import audit_history
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.members import services
from dangjian.members.choices import Status
from dangjian.members.forms import LeaveForm, MemberForm, RestoreForm, org_in_query
from dangjian.members.models import Member, MemberEvent
from dangjian.orgs.models import Organization, School


def _visible_ids(user, model, ids) -> set[int]:
    """Which of these orgs or schools the user may open, so only working links are shown."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return set()
    return set(model.objects.restrict(user).filter(pk__in=ids).values_list("pk", flat=True))


def _allowed(user, member: Member, action: str) -> bool:
    return Member.objects.restrict(user, action).filter(pk=member.pk).exists()


def _member(request, pk, action):
    return get_object_or_404(
        Member.objects.restrict(request.user, action).select_related("org"), pk=pk
    )


# A form about one member (or a new one), back to the member's page once saved.
_member_page = partial(record_page, name="member", detail="member-detail")


@login_required
@never_cache
def member_detail(request, pk):
    member = get_object_or_404(
        Member.objects.restrict(request.user).select_related("org", "work_unit", "user"), pk=pk
    )
    today = timezone.localdate()
    user = request.user
    events = list(
        MemberEvent.objects.restrict(user)
        .filter(member=member)
        .select_related("org", "from_org")
        .order_by("on", "id")
    )
    spells = list(member.spells.select_related("org").order_by("start_on", "id"))
    org_ids = {member.org_id, *(s.org_id for s in spells)}
    org_ids.update(pk for e in events for pk in (e.org_id, e.from_org_id))
    active = member.status == Status.ACTIVE
    can_change = _allowed(user, member, Action.CHANGE)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "age": age_on(member.birth_date, today),
            "party_years": (
                age_on(member.converted_on, today)
                if member.converted_on and member.converted_on <= today
                else None
            ),
            "events": events,
            "spells": spells,
            "visible_orgs": _visible_ids(user, Organization, org_ids),
            "visible_schools": _visible_ids(user, School, [member.work_unit_id]),
            "can_change": can_change,
            "can_leave": can_change and active,
            "can_restore": can_change and not active and member.status != Status.DECEASED,
            "can_delete": _allowed(user, member, Action.DELETE),
            "can_reveal": _allowed(user, member, Action.REVEAL_ID),
            "history": audit_history(user, member),
        },
    )


@login_required
@never_cache
@require_POST
def member_reveal_id(request, pk):
    member = _member(request, pk, Action.REVEAL_ID)
    number = services.reveal_id_number(request.user, member)
    template = "members/_id_number.html" if request.htmx else "members/member_reveal.html"
    return render(request, template, {"member": member, "id_number": number})


@login_required
@never_cache
def member_create(request):
    if not can(request.user, Action.ADD):
        raise Http404()
    form = MemberForm(request.POST or None, user=request.user, initial=org_in_query(request))
    return _member_page(
        request,
        form,
        lambda _data: services.create_member(request.user, **form.service_kwargs()),
        lambda member: " ".join(
            [_("已新增党员“%(name)s”") % {"name": member.name}, *getattr(member, "warnings", [])]
        ),
        "members/member_form.html",
        None,
    )


@login_required
@never_cache
def member_edit(request, pk):
    member = _member(request, pk, Action.CHANGE)
    form = MemberForm(request.POST or None, user=request.user, member=member)
    return _member_page(
        request,
        form,
        lambda _data: services.update_member(request.user, member, **form.service_kwargs()),
        lambda saved: " ".join(
            [_("已保存党员“%(name)s”的信息") % {"name": saved.name}, *saved.warnings]
        ),
        "members/member_form.html",
        member,
    )


@login_required
@never_cache
def member_leave(request, pk):
    member = _member(request, pk, Action.CHANGE)
    form = LeaveForm(request.POST or None, member=member)
    return _member_page(
        request,
        form,
        lambda data: services.record_leaving(request.user, member, **data),
        _("已登记党员“%(name)s”的变动") % {"name": member.name},
        "members/member_leave.html",
        member,
    )


@login_required
@never_cache
def member_restore(request, pk):
    member = _member(request, pk, Action.CHANGE)
    moved_out = member.status == Status.MOVED_OUT
    form = RestoreForm(request.POST or None, user=request.user)
    text = _("已登记党员“%(name)s”转回") if moved_out else _("已恢复党员“%(name)s”的党籍")
    return _member_page(
        request,
        form,
        lambda data: services.restore(request.user, member, **data),
        text % {"name": member.name},
        "members/member_restore.html",
        member,
        moved_out=moved_out,
    )


@login_required
@require_POST
def member_delete(request, pk):
    member = _member(request, pk, Action.DELETE)
    name = member.name
    try:
        services.delete_member(request.user, member)
    except ProtectedError:
        messages.error(
            request, _("党员“%(name)s”已有关联记录, 不能删除; 如已离开请登记变动") % {"name": name}
        )
        return redirect("member-detail", pk=pk)
    messages.success(request, _("已删除党员“%(name)s”的记录") % {"name": name})
    return redirect("member-list")
