"""The steps of a 换届 record that are not its fields: the ballot sheet of a round (totals
and one row per candidate), the appointees of a 考察任命, and the superior's approval; and
the 学校领导班子 overview (each school's current 班子 against the standard seats, 缺额 flagged,
party-member share, and the appointments of a period). Every queryset is restricted; every
write is a service of orgs.elections."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.forms import form_page
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.core.views import paginate, query_without_page
from dangjian.orgs import elections as services
from dangjian.orgs import rules
from dangjian.orgs.forms import (
    ApprovalForm,
    BallotForm,
    CorrectionForm,
    candidate_formset,
    electable_members,
)
from dangjian.orgs.models import (
    Election,
    LeaderTitle,
    Organization,
    School,
    SchoolLeader,
    SelectedBy,
)


def _election(user, pk) -> Election:
    return get_object_or_404(
        Election.objects.restrict(user, Action.CHANGE).select_related("org"), pk=pk
    )


def _detail(election) -> str:
    return reverse("election-detail", args=[election.pk])


@login_required
def election_ballots(request, pk):
    """The ballot sheet of the next round (or the appointees of a 考察任命)."""
    user = request.user
    election = _election(user, pk)
    if election.approved_on:
        raise Http404
    appointment = not election.by_ballot
    members = electable_members(user, election)
    seats = services.seats_left(election)
    previous = election.rounds.count()
    rows = max(seats + max(1, -(-seats // 5)) + 1, 4)
    data = request.POST if request.method == "POST" else None
    totals = None if appointment else BallotForm(data, prefix="b")
    formset = candidate_formset(data, members=members, rows=rows, appointment=appointment)
    errors: list[str] = []
    if data is not None and formset.is_valid() and (totals is None or totals.is_valid()):
        try:
            if appointment:
                services.record_appointees(user, election, formset.rows())
            else:
                services.record_round(
                    user, election, **totals.cleaned_data, candidates=formset.rows()
                )
        except ValidationError as exc:
            found = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, texts in found.items():
                if totals is not None and field in totals.fields:
                    totals.add_error(field, texts)
                else:
                    errors.extend(texts)
        else:
            messages.success(
                request, _("已保存选举结果") if not appointment else _("已登记任命人选")
            )
            return redirect(_detail(election))
    elif data is not None:
        errors.extend(formset.non_form_errors())
    return render(
        request,
        "orgs/election_ballots.html",
        {
            "election": election,
            "totals": totals,
            "formset": formset,
            "errors": errors,
            "appointment": appointment,
            "seats": seats if previous else election.seats,
            "round_number": previous + 1,
            "margin_needed": rules.margin_needed(seats) if election.committee else seats,
            "no_members": not appointment and not members.exists(),
        },
    )


@login_required
def election_approve(request, pk):
    user = request.user
    election = _election(user, pk)
    if election.approved_on:
        raise Http404
    form = ApprovalForm(request.POST or None, initial={"approved_on": timezone.localdate()})
    return form_page(
        request,
        form,
        lambda data: services.approve_election(user, election, **data),
        _("已登记上级批复, 新一届班子已生效"),
        done=_detail(election),
        template="orgs/form.html",
        context={
            "title": _("登记上级批复"),
            "cancel_url": _detail(election),
            "org": election.org,
            "submit": _("登记批复"),
            "confirm": _("批复后, 该组织现任班子将于选举日离任, 当选人员自选举日起任职。确定吗?"),
        },
    )


@login_required
def election_correct(request, pk):
    """更正已批复的换届, for the approving level (the superior org), with a reason."""
    user = request.user
    election = get_object_or_404(
        Election.objects.restrict(user, Action.VIEW).select_related("org"), pk=pk
    )
    if not election.approved_on or not services.may_correct(user, election):
        raise Http404
    form = CorrectionForm(request.POST or None, election=election)
    return form_page(
        request,
        form,
        lambda data: services.correct_election(user, election, **form.service_data()),
        _("已更正该次换届, 更正前的班子记录已保留"),
        done=_detail(election),
        template="orgs/form.html",
        context={
            "title": _("更正已批复的换届选举"),
            "cancel_url": _detail(election),
            "org": election.org,
            "submit": _("保存更正"),
            "confirm": _("更正后, 原批复产生的班子记录将标记为已更正, 按更正后的名单任职。确定吗?"),
        },
    )


# -- 学校领导班子概况 ----------------------------------------------------------------------


def _year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 1949 <= year <= 9999 else default


def leadership_changes(schools, start: dt.date, end: dt.date) -> dict:
    """Appointments of the period (both ends included) in these schools, from the records:
    schools that got a 党组织书记, party-member 副校长 chosen by 公开竞聘, schools whose 班子
    was adjusted (any appointment)."""
    row = (
        SchoolLeader.objects.order_by()
        .filter(school__in=schools.values("pk"), start_on__gte=start, start_on__lte=end)
        .aggregate(
            secretaries=Count("school", filter=Q(title=LeaderTitle.SECRETARY), distinct=True),
            open_vice=Count(
                "pk",
                filter=Q(
                    title=LeaderTitle.VICE_PRINCIPAL,
                    party_member=True,
                    selected_by=SelectedBy.OPEN_COMPETITION,
                ),
            ),
            adjusted=Count("school", distinct=True),
        )
    )
    return row


@login_required
def school_leadership(request):
    """Each school's current 党政领导班子 against the standard seats."""
    user = request.user
    if not can(user, Action.VIEW):
        raise Http404
    today = timezone.localdate()
    schools = School.objects.restrict(user, Action.VIEW).order_by("code")
    code = (request.GET.get("org") or "").strip()[:32]
    org = Organization.objects.restrict(user, Action.VIEW).filter(code=code).first()
    if code:
        # An org outside the scope (or unknown) lists nothing, as the registers' filter does.
        path = org.path if org else None
        schools = (
            schools.filter(
                Q(covering_org__path__startswith=path) | Q(supervising_org__path__startswith=path)
            )
            if path
            else schools.none()
        )
    standard = services.leadership_standard()
    current = SchoolLeader.objects.restrict(user, Action.VIEW).current(today)
    totals = current.filter(school__in=schools.values("pk")).aggregate(
        total=Count("pk"), party=Count("pk", filter=Q(party_member=True))
    )
    page = paginate(request, schools)
    leaders: dict[int, list] = {}
    for leader in current.filter(school__in=[s.pk for s in page.object_list]).order_by(
        "title", "start_on"
    ):
        leaders.setdefault(leader.school_id, []).append(leader)
    rows = []
    for school in page.object_list:
        held = leaders.get(school.pk, [])
        vacancies = []
        for title, count in standard.items():
            missing = count - sum(1 for leader in held if leader.title == title)
            if missing > 0:
                vacancies.append((LeaderTitle(title).label, missing))
        party = sum(1 for leader in held if leader.party_member)
        rows.append(
            {
                "school": school,
                "leaders": held,
                "vacancies": vacancies,
                "party_pct": round(100 * party / len(held)) if held else None,
            }
        )
    year_to = _year(request.GET.get("to"), today.year)
    year_from = _year(request.GET.get("from"), year_to - 1)
    if year_from > year_to:
        year_from, year_to = year_to, year_from
    changes = leadership_changes(schools, dt.date(year_from, 1, 1), dt.date(year_to, 12, 31))
    return render(
        request,
        "orgs/school_leadership.html",
        {
            "page": page,
            "rows": rows,
            "standard": [(LeaderTitle(t).label, n) for t, n in standard.items()],
            "totals": totals,
            "party_pct": round(100 * totals["party"] / totals["total"])
            if totals["total"]
            else None,
            "changes": changes,
            "year_from": year_from,
            "year_to": year_to,
            "org": org,
            "org_code": code,
            "query": query_without_page(request),
        },
    )
