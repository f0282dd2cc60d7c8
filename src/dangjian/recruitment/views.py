"""Pages of 发展党员: the pipeline board (per branch, per committee), a person's record
and printable timeline, the step forms (支部大会 votes one candidate at a time), the
paperwork, 源头工程 figures and the local-practice settings. Personal data: never cached."""

import datetime as dt
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Subquery
from django.forms import HiddenInput
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.core.dates import age_on
from dangjian.core.excel import xlsx_response
from dangjian.core.forms import apply_service_errors, form_page, record_page
from dangjian.core.registers.views import audit_history, filter_context
from dangjian.core.roles import Action
from dangjian.core.scope import can, is_unrestricted
from dangjian.core.views import paginate, query_without_page
from dangjian.members.choices import Status
from dangjian.members.forms import org_in_query
from dangjian.members.models import Member, Membership, probationary_on, spell_in_force
from dangjian.orgs.models import Organization
from dangjian.recruitment import documents, excel, rulefile, services
from dangjian.recruitment import rules as R
from dangjian.recruitment.forms import (
    AttachmentForm,
    BallotFormSet,
    CloseForm,
    RecruitForm,
    RuleFileForm,
    SettingsForm,
    StepForm,
)
from dangjian.recruitment.models import (
    Attachment,
    Recruit,
    RecruitmentSettings,
    RuleSet,
    Stage,
    Step,
)
from dangjian.recruitment.registers import RecruitRegister
from dangjian.recruitment.stats import source_figures, training_rows


def _allowed(user, model, pk, action) -> bool:
    return model.objects.restrict(user, action).filter(pk=pk).exists()


def _parse_day(value, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except (TypeError, ValueError):
        return default


# --- board -------------------------------------------------------------------------------


# The stage cards count Recruit rows; at 预备党员 that is only those who came through the
# pipeline recorded here, so the card says so. The figure named 预备党员 is the statistics
# engine's (members in force not yet converted, see members.models.probationary_on).
PIPELINE_LABELS = {Stage.PROBATIONARY: _lazy("经发展程序的预备党员")}


def _probationary_members(user, org: Organization | None, day: dt.date) -> int:
    """The engine's 预备党员 for the board's scope: spells in force on `day` in the orgs the
    user may see (within `org`), not converted by then."""
    orgs = Organization.objects.restrict(user).order_by()
    if org is not None:
        orgs = orgs.filter(path__startswith=org.path)
    return (
        Membership.objects.order_by()
        .filter(spell_in_force(day), probationary_on(day), org__in=orgs.values("pk"))
        .count()
    )


def _board(request, org: Organization | None):
    user = request.user
    today = timezone.localdate()
    reg = RecruitRegister.instance
    base = reg.queryset(user)
    if org is not None:
        base = base.filter(org__path__startswith=org.path)
    counts = dict(
        base.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    latest_step = Step.objects.filter(recruit=OuterRef("pk")).order_by("-on", "-id")
    order = (
        ("name_pinyin", "pk")
        if request.GET.get("sort") == "name"
        else (F("next_due_on").asc(nulls_last=True), "org__path", "pk")
    )
    recruits, filterset = reg.filter(base, request.GET, request)
    recruits = (
        recruits.select_related("org", "work_unit", "member")
        .annotate(last_key=Subquery(latest_step.values("key")[:1]))
        .annotate(last_on=Subquery(latest_step.values("on")[:1]))
        .order_by(*order)
    )
    page = paginate(request, recruits)
    book = R.RuleBook.load()
    rules = book.on(today)
    rows = list(page.object_list)
    for recruit in rows:
        recruit.last_label = rules.name(recruit.last_key) if recruit.last_key else ""
        recruit.overdue = recruit.next_due_on is not None and recruit.next_due_on < today
        departed = recruit.member_id and recruit.member.status != Status.ACTIVE
        recruit.overdue = recruit.overdue and recruit.is_open and not departed
        recruit.due_label = rules.name(recruit.next_due_kind) if recruit.next_due_kind else ""
    stages = [
        (value, PIPELINE_LABELS.get(value, label), counts.get(value, 0))
        for value, label in Stage.choices
    ]
    probationary = _probationary_members(user, org, today)
    overdue = base.pending().filter(next_due_on__lt=today).count()
    return render(
        request,
        "recruitment/board.html",
        {
            **filter_context(reg, request, filterset),
            "org": org,
            "page": page,
            "rows": rows,
            "stages": stages,
            "probationary": probationary,
            "overdue": overdue,
            "today": today,
            "query": query_without_page(request),
            "can_add": can(user, Action.ADD),
            "can_settings": org is not None and _allowed(user, Organization, org.pk, Action.CHANGE),
        },
    )


@login_required
@never_cache
def board(request):
    # The whole board is for holders of a subtree role; a member has none (issue 21.7).
    if not can(request.user, Action.VIEW):
        raise Http404
    return _board(request, None)


@login_required
@never_cache
def org_board(request, pk):
    org = get_object_or_404(Organization.objects.restrict(request.user), pk=pk)
    return _board(request, org)


# --- a person ----------------------------------------------------------------------------


def _recruit(request, pk, action=Action.VIEW):
    return get_object_or_404(
        Recruit.objects.restrict(request.user, action).select_related("org", "work_unit", "member"),
        pk=pk,
    )


def _timeline(recruit: Recruit, book: R.RuleBook):
    """The catalogue of the rule set in force today, each step with what was recorded."""
    steps = list(
        recruit.steps.select_related("rule_set")
        .prefetch_related("people__member", "ballots__member", "attachments")
        .order_by("on", "id")
    )
    for step in steps:
        rules = book.for_step(step)
        step.label = rules.name(step.key)
        step.rule_set_name = rules.rule_set.code
        step.contacts = [p.member for p in step.people.all()]
    return steps


def _catalogue(book: R.RuleBook, steps, today: dt.date):
    rules = book.on(today)
    by_key = R.group(steps)
    phases = []
    for definition in rules.steps.values():
        if not phases or phases[-1][0] != definition.phase:
            phases.append((definition.phase, R.phase_label(definition.phase), []))
        phases[-1][2].append((definition, by_key.get(definition.key, [])))
    return phases


@login_required
@never_cache
def recruit_detail(request, pk):
    recruit = _recruit(request, pk)
    user = request.user
    today = timezone.localdate()
    book = R.RuleBook.load()
    local = R.local_for(recruit.org)
    steps = _timeline(recruit, book)
    fields = R.derive(steps, book)
    dues = [
        {"label": book.on(today).name(d.kind), "on": d.on, "overdue": d.on < today}
        for d in R.dues(fields, steps, book, local)
    ]
    rules = book.on(today)
    hours, days = R.training_totals(steps)
    min_days, min_hours = rules.training
    can_change = _allowed(user, Recruit, recruit.pk, Action.CHANGE)
    can_delete = _allowed(user, Recruit, recruit.pk, Action.DELETE)
    departed = bool(recruit.member_id) and recruit.member.status != Status.ACTIVE
    if departed:
        dues = []
    last = max(steps, key=lambda s: (s.created_at, s.pk), default=None)
    hints = []
    if recruit.stage == Stage.ACTIVIST and recruit.activist_on:
        earliest = R.shift(recruit.activist_on, 1, "years")
        interval = rules.interval("candidate", "activist")
        if interval is not None and R.resolve(interval.min, local) is not None:
            earliest = R.shift(recruit.activist_on, R.resolve(interval.min, local), interval.unit)
        hints.append(_("最早可于%(d)s确定为发展对象") % {"d": earliest.isoformat()})
    facts_kinds = []
    if recruit.stage != Stage.APPLICANT:
        facts = documents.Facts.of(recruit)
        facts_kinds = [kind for kind in documents.KINDS if kind.available(facts)]
    return render(
        request,
        "recruitment/detail.html",
        {
            "recruit": recruit,
            "age": age_on(recruit.birth_date, today),
            "steps": steps,
            "dues": dues,
            "hints": hints,
            "hours": hours,
            "days": days,
            "min_hours": min_hours,
            "min_days": min_days,
            "training_met": R.training_met(rules, hours, days),
            "can_change": can_change,
            "can_step": can_change and recruit.is_open,
            "can_close": can_change
            and (
                recruit.stage in (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE)
                or (recruit.stage == Stage.PROBATIONARY and departed)
            ),
            "can_delete": can_delete and not recruit.member_id,
            "deletable_step": last.pk
            if can_delete and last and last.key != "application"
            else None,
            "attachments": recruit.attachments.select_related("step").order_by("uploaded_at"),
            "documents": facts_kinds,
            "member_visible": recruit.member_id
            and _allowed(user, Member, recruit.member_id, Action.VIEW),
            "org_visible": _allowed(user, Organization, recruit.org_id, Action.VIEW),
            "history": audit_history(user, recruit),
        },
    )


@login_required
@never_cache
def recruit_timeline(request, pk):
    recruit = _recruit(request, pk)
    today = timezone.localdate()
    book = R.RuleBook.load()
    steps = _timeline(recruit, book)
    hours, days = R.training_totals(steps)
    return render(
        request,
        "recruitment/timeline.html",
        {
            "recruit": recruit,
            "phases": _catalogue(book, steps, today),
            "others": [s for s in steps if book.for_step(s).step(s.key) is None],
            "hours": hours,
            "days": days,
            "today": today,
            "committee": services.approving_committee(recruit.org),
        },
    )


# A form about one person (or a new one), back to the person's page once saved.
_recruit_page = partial(record_page, name="recruit", detail="recruit-detail")


@login_required
@never_cache
def recruit_create(request):
    if not can(request.user, Action.ADD):
        raise Http404()
    initial = {"applied_on": timezone.localdate(), **org_in_query(request)}
    form = RecruitForm(request.POST or None, user=request.user, initial=initial)
    return _recruit_page(
        request,
        form,
        lambda _data: services.create_recruit(request.user, **form.service_kwargs()),
        lambda recruit: _("已登记入党申请人“%(name)s”") % {"name": recruit.name},
        "recruitment/recruit_form.html",
        None,
    )


@login_required
@never_cache
def recruit_edit(request, pk):
    recruit = _recruit(request, pk, Action.CHANGE)
    form = RecruitForm(request.POST or None, user=request.user, recruit=recruit)
    return _recruit_page(
        request,
        form,
        lambda _data: services.update_recruit(request.user, recruit, **form.service_kwargs()),
        _("已保存“%(name)s”的信息") % {"name": recruit.name},
        "recruitment/recruit_form.html",
        recruit,
    )


@login_required
@require_POST
def recruit_delete(request, pk):
    recruit = _recruit(request, pk, Action.DELETE)
    name = recruit.name
    try:
        services.delete_recruit(request.user, recruit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("recruit-detail", pk=pk)
    messages.success(request, _("已删除“%(name)s”的发展记录") % {"name": name})
    return redirect("recruit-board")


@login_required
@never_cache
def recruit_close(request, pk):
    recruit = _recruit(request, pk, Action.CHANGE)
    form = CloseForm(request.POST or None)
    return _recruit_page(
        request,
        form,
        lambda data: services.close_recruit(request.user, recruit, **data),
        _("已终止“%(name)s”的发展") % {"name": recruit.name},
        "recruitment/close.html",
        recruit,
    )


# --- steps -------------------------------------------------------------------------------


def _available(user, recruit: Recruit, rules: R.Rules) -> list[R.StepDef]:
    steps = list(recruit.steps.all())
    by_key = R.group(steps)
    found = []
    for definition in rules.steps.values():
        if definition.key == "application" or recruit.stage not in definition.stages:
            continue
        if not definition.repeatable and R.latest(by_key, definition.key) is not None:
            continue
        if not all(R.latest(by_key, req) is not None for req in definition.requires):
            continue
        if not services.can_record(user, recruit, definition):
            continue
        found.append(definition)
    return found


@login_required
@never_cache
def recruit_step(request, pk):
    recruit = _recruit(request, pk, Action.CHANGE)
    user = request.user
    today = timezone.localdate()
    book = R.RuleBook.load()
    key = request.POST.get("key") or request.GET.get("key") or ""
    available = _available(user, recruit, book.on(today))
    if not key:
        return render(
            request,
            "recruitment/step_choose.html",
            {"recruit": recruit, "available": available},
        )
    on = _parse_day(request.POST.get("on") or request.GET.get("on"), today)
    rules = book.on(on)
    definition = rules.step(key)
    if definition is None or key == "application":
        raise Http404()
    local = R.local_for(recruit.org)
    form = StepForm(
        request.POST or None,
        key=key,
        recruit=recruit,
        user=user,
        local=local,
        initial={"on": on},
    )
    if definition.vote:
        # The voters depend on the date: it is chosen above the form and kept as given.
        form.fields["on"].widget = HiddenInput()
    voters = services.eligible_voters(recruit.org, on) if definition.vote else []
    observers = services.eligible_observers(recruit.org, on) if definition.vote else []
    ballots = None
    if definition.vote:
        ballots = BallotFormSet(
            request.POST or None,
            prefix="ballot",
            initial=[{"member": m.pk, "should_attend": True} for m in voters]
            + [{"member": m.pk, "should_attend": False} for m, _why in observers],
        )
        _label_ballots(ballots, voters, observers)
    if request.method == "POST" and "load" not in request.POST:
        valid = form.is_valid() and (ballots is None or ballots.is_valid())
        if valid:
            data = form.service_kwargs()
            if ballots is not None:
                data["ballots"] = [b.cleaned_data for b in ballots if b.cleaned_data]
            try:
                step = services.record_step(user, recruit, key, **data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
                if hasattr(exc, "error_dict") and "ballots" in exc.message_dict:
                    form.add_error(None, exc.message_dict["ballots"])
            else:
                messages.success(
                    request,
                    _("已记录“%(step)s”(%(date)s)") % {"step": definition.name, "date": step.on},
                )
                if step.outcome_reason:
                    messages.warning(
                        request,
                        _("表决未通过: %(reason)s") % {"reason": step.outcome_reason},
                    )
                for warning in step.warnings:
                    messages.warning(request, warning)
                return redirect("recruit-detail", pk=recruit.pk)
    quorum = rules.fraction("quorum")
    majority = rules.fraction("majority")
    return render(
        request,
        "recruitment/step_form.html",
        {
            "recruit": recruit,
            "definition": definition,
            "form": form,
            "ballots": ballots,
            "voters": voters,
            "on": on,
            "quorum": quorum,
            "majority": majority,
            "rule_set": rules.rule_set,
        },
    )


@login_required
@require_POST
def step_delete(request, pk):
    step = get_object_or_404(
        Step.objects.restrict(request.user, Action.DELETE).select_related("recruit__org"), pk=pk
    )
    recruit_pk = step.recruit_id
    try:
        services.delete_step(request.user, step)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已删除该步骤"))
    return redirect("recruit-detail", pk=recruit_pk)


# --- attachments and documents -----------------------------------------------------------


@login_required
@never_cache
def attachment_add(request, pk):
    recruit = _recruit(request, pk, Action.CHANGE)
    book = R.RuleBook.load()
    labels = {s.key: book.for_step(s).name(s.key) for s in recruit.steps.all()}
    form = AttachmentForm(
        request.POST or None, request.FILES or None, recruit=recruit, labels=labels
    )
    return _recruit_page(
        request,
        form,
        lambda data: services.add_attachment(
            request.user,
            recruit,
            upload=data["upload"],
            title=data["title"],
            step=data.get("step"),
        ),
        _("已上传材料"),
        "recruitment/attachment_form.html",
        recruit,
    )


@login_required
@never_cache
def attachment_download(request, pk):
    attachment = get_object_or_404(
        Attachment.objects.restrict(request.user).select_related("recruit"), pk=pk
    )
    suffix = attachment.file.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"{attachment.title}.{suffix}",
    )


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(
        Attachment.objects.restrict(request.user, Action.CHANGE).select_related("recruit__org"),
        pk=pk,
    )
    recruit_pk = attachment.recruit_id
    services.delete_attachment(request.user, attachment)
    messages.success(request, _("已删除材料"))
    return redirect("recruit-detail", pk=recruit_pk)


@login_required
@never_cache
def recruit_documents(request, pk):
    recruit = _recruit(request, pk)
    facts = documents.Facts.of(recruit)
    kind = documents.KINDS_BY_KEY.get(request.GET.get("kind", ""))
    if request.GET.get("kind"):
        if kind is None or not kind.available(facts):
            raise Http404()
        response = HttpResponse(
            kind.build(facts),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = _content_disposition(documents.file_name(kind, recruit))
        return response
    return render(
        request,
        "recruitment/documents.html",
        {
            "recruit": recruit,
            "kinds": [(kind, kind.available(facts)) for kind in documents.KINDS],
        },
    )


def _content_disposition(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"document.docx\"; filename*=UTF-8''{quote(name)}"


# --- figures, rules, settings ----------------------------------------------------------------


def _scope_root(request):
    """The org chosen by ?org=CODE within the user's view scope, else None (all in scope)."""
    code = request.GET.get("org", "")
    if not code:
        return None
    return Organization.objects.restrict(request.user).filter(code=code).first()


@login_required
@never_cache
def sources(request):
    user = request.user
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 1990), today.year)
    period = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    root = _scope_root(request)
    recruits = Recruit.objects.restrict(user)
    if root is not None:
        recruits = recruits.filter(org__path__startswith=root.path)
    local = R.local_for(root) if root else R.default_local()
    figures = source_figures(recruits, period, min(period[1], today), local)
    rules = R.RuleBook.load().on(today)
    page = paginate(request, training_rows(recruits))
    rows = list(page.object_list)
    for row in rows:
        row.met = R.training_met(rules, row.training_hours or 0, row.training_days or 0)
    roots = Organization.objects.restrict(user).filter(depth__lte=3).order_by("path")[:200]
    min_days, min_hours = rules.training
    return render(
        request,
        "recruitment/sources.html",
        {
            "figures": figures,
            "year": year,
            "years": list(range(today.year, today.year - 15, -1)),
            "root": root,
            "roots": roots,
            "page": page,
            "rows": rows,
            "query": query_without_page(request),
            "local": local,
            "min_days": min_days,
            "min_hours": min_hours,
        },
    )


@login_required
@never_cache
def rule_sets(request):
    sets = list(RuleSet.objects.restrict(request.user).order_by("effective_from"))
    book = R.RuleBook(sets) if sets else None
    shown = []
    for rule_set in sets:
        rules = book._rules[rule_set.pk]
        shown.append(
            {
                "rule_set": rule_set,
                "rules": rules,
                "steps": list(rules.steps.values()),
                "intervals": rules.intervals,
            }
        )
    defaults = RecruitmentSettings.objects.restrict(request.user).filter(org__isnull=True).first()
    return render(request, "recruitment/rules.html", {"sets": shown, "defaults": defaults})


@login_required
@never_cache
def settings_edit(request, pk):
    org = get_object_or_404(Organization.objects.restrict(request.user, Action.CHANGE), pk=pk)
    row = RecruitmentSettings.objects.filter(org=org).first()
    inherited = R.local_for(org)
    initial = {name: getattr(inherited, name) for name in services.LOCAL_FIELDS}
    form = SettingsForm(request.POST or None, instance=row, initial=None if row else initial)
    return form_page(
        request,
        form,
        lambda data: services.save_settings(request.user, org, **data),
        _("已保存%(org)s的本地做法设置") % {"org": org.name},
        done=reverse("recruit-org-board", args=[org.pk]),
        template="recruitment/settings_form.html",
        context={"org": org, "own": row is not None},
    )


def _label_ballots(ballots, voters, observers) -> None:
    """Name each row of the 支部大会 form; rows of those who may only attend (列席: 预备党员,
    留党察看) say why and offer no vote."""
    names = {m.pk: (m.name, "") for m in voters}
    names.update({m.pk: (m.name, why) for m, why in observers})
    for ballot in ballots:
        member = ballot.initial.get("member") or ballot.data.get(f"{ballot.prefix}-member")
        name, why = names.get(int(member) if str(member).isdigit() else 0, ("", ""))
        ballot.member_name, ballot.observer_reason = name, why


@login_required
@never_cache
def rule_set_load(request):
    """Load a revision of the 细则 from a file: checked and compared with the set before
    it, shown, then written only when the administrator confirms (the same content is
    checked again then). Rule sets apply to every org: unrestricted users only."""
    if not is_unrestricted(request.user):
        raise Http404()
    form = RuleFileForm(request.POST or None, request.FILES or None)
    plan = problems = None
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["content"]
        confirmed = "confirm" in request.POST
        try:
            if confirmed:
                plan = services.load_rule_set(request.user, content)
            else:
                plan = services.plan_rule_set(request.user, content)
        except rulefile.RuleFileError as exc:
            problems = exc.problems
        else:
            if confirmed or plan.action == "unchanged":
                names = {"code": plan.file.code, "name": plan.file.name}
                if plan.action == "unchanged":
                    messages.info(request, _("规则集“%(code)s”与已载入的相同, 未作修改") % names)
                else:
                    messages.success(request, _("已载入规则集“%(code)s”《%(name)s》") % names)
                return redirect("recruit-rules")
            if isinstance(content, bytes):
                content = content.decode("utf-8-sig")
            form = RuleFileForm(initial={"content": content})
    return render(
        request,
        "recruitment/rules_load.html",
        {"form": form, "plan": plan, "problems": problems},
    )


@login_required
@never_cache
def rule_set_export(request, pk):
    """A stored rule set as its file (loads back unchanged)."""
    rule_set = get_object_or_404(RuleSet.objects.restrict(request.user), pk=pk)
    response = HttpResponse(rulefile.export(rule_set), content_type="application/json")
    response["Content-Disposition"] = _content_disposition(f"rules-{rule_set.code}.json")
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def recruit_export(request):
    """The pipeline list as it is filtered now, one row per step in the 发展党员 import
    layout, so the file goes back in unchanged. Full ID numbers only on a POST (a reveal,
    audited) by a holder of the reveal permission, for the people within it."""
    full_id = (
        request.method == "POST"
        and request.POST.get("full_id") == "1"
        and can(request.user, Action.REVEAL_ID)
    )
    rows, _filterset = RecruitRegister.instance.filter(
        Recruit.objects.restrict(request.user, Action.VIEW), request.GET, request
    )
    content, _count = excel.export_recruits(
        request.user, rows, full_id=full_id, filter_text=query_without_page(request)
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(content, _("发展党员_%(d)s.xlsx") % {"d": stamp})
