"""The workflow pages of 创先争优与示范 outside the kit's create/edit: 验收 of a "五个好"
check, the steps of a 示范点 (评估, 局级评选, 推荐市级, 年度复核), the reviews of a
commitment, publishing an exemplar and its photos, and the three-year tracker of the 示范点
plan. The steps are declared on the kit (`Register.step`): each POST runs one service; the
record comes through `restrict` (or the deciding committee's query), so out of scope is 404."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from dangjian.core.forms import form_page
from dangjian.core.roles import Action
from dangjian.core.scope import can, is_unrestricted, scope_paths
from dangjian.excellence import forms as F
from dangjian.excellence import services
from dangjian.excellence.models import (
    Commitment,
    DemonstrationPoint,
    Exemplar,
    ExemplarPhoto,
    FiveGoodCheck,
    FiveGoodChecklist,
    StarCriteria,
    StarRating,
    at_standard_q,
)
from dangjian.excellence.registers import (
    CommitmentRegister,
    ExemplarRegister,
    FiveGoodRegister,
    PointRegister,
)
from dangjian.excellence.stats import school_orgs
from dangjian.orgs.models import Organization

check_review = FiveGoodRegister.instance.step(
    F.CheckReviewForm,
    lambda user, check, d: services.review_check(
        user, check, passed=d["passed"], reviewed_on=d["reviewed_on"], note=d.get("note") or ""
    ),
    gettext_lazy("已记录验收结论"),
    gettext_lazy("“五个好”验收"),
    objects=services.reviewable_checks,
)


def _point_save(step):
    def save(user, point, data):
        if step == "evaluate":
            return services.evaluate_point(
                user, point, evaluated_on=data["evaluated_on"], score=data["score"]
            )
        if step == "bureau":
            return services.select_bureau(user, point, on=data["on"])
        if step == "city":
            return services.recommend_city(user, point, on=data["on"])
        return services.review_point(
            user,
            point,
            reviewed_on=data["reviewed_on"],
            kept=data["kept"],
            note=data.get("note") or "",
        )

    return save


POINT_STEPS = {
    step: PointRegister.instance.step(
        form_class,
        _point_save(step),
        gettext_lazy("已保存“%(step)s”") % {"step": title},
        title,
        objects=services.decidable_points,
    )
    for step, form_class, title in (
        ("evaluate", F.EvaluateForm, gettext_lazy("评估打分")),
        ("bureau", F.DecideForm, gettext_lazy("评为局级示范点")),
        ("city", F.DecideForm, gettext_lazy("推荐为市级示范点")),
        ("review", F.PointReviewForm, gettext_lazy("年度复核")),
    )
}


@login_required
def point_step(request, pk: int):
    """`?step=evaluate|bureau|city|review`: the step's own page (the kit's step view)."""
    step = request.POST.get("step") or request.GET.get("step") or "evaluate"
    if step not in POINT_STEPS:
        raise Http404
    return POINT_STEPS[step](request, pk)


commitment_review = CommitmentRegister.instance.step(
    F.CommitmentReviewForm,
    lambda user, commitment, d: services.review_commitment(
        user,
        commitment,
        stage=d["stage"],
        reviewed_on=d["reviewed_on"],
        note=d.get("note") or "",
        fulfilment=d.get("fulfilment") or "",
    ),
    gettext_lazy("已记录评议"),
    gettext_lazy("承诺评议"),
)


@login_required
@require_POST
def commitment_consent(request, pk: int):
    """The member's own consent to publishing their commitment, given or withdrawn from the
    /me/ card (`agree=1|0`); anyone else's commitment is 404."""
    commitment = services.commitment_of(request.user, pk)
    if commitment is None:
        raise Http404
    agreed = request.POST.get("agree") == "1"
    try:
        services.set_member_consent(request.user, commitment, agreed=agreed)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if commitment.published_on:
            messages.success(request, _("已同意公开, 承诺已在党务公开网页公开"))
        elif agreed:
            messages.success(request, _("已同意公开, 待支部同意后公开"))
        else:
            messages.success(request, _("已撤回公开同意, 承诺不再公开"))
    return redirect("me-home")


exemplar_publish = ExemplarRegister.instance.step(
    F.PublishForm,
    lambda user, exemplar, d: services.publish_exemplar(user, exemplar, on=d.get("on")),
    gettext_lazy("已更新公开状态"),
    gettext_lazy("公开先进典型"),
    initial=lambda exemplar: {"on": exemplar.published_on or timezone.localdate()},
)


exemplar_photo_add = ExemplarRegister.instance.step(
    F.PhotoForm,
    lambda user, exemplar, d: services.add_exemplar_photo(
        user, exemplar, d["photo"], caption=d.get("caption") or ""
    ),
    gettext_lazy("已上传照片"),
    gettext_lazy("上传照片"),
)


@login_required
@require_POST
def exemplar_photo_delete(request, pk: int, photo: int):
    """Remove a photo (the page asks before posting): the record and the stored file."""
    exemplar = get_object_or_404(Exemplar.objects.restrict(request.user, Action.CHANGE), pk=pk)
    found = get_object_or_404(
        ExemplarPhoto.objects.select_related("file"), pk=photo, exemplar=exemplar
    )
    services.delete_exemplar_photo(request.user, found)
    messages.success(request, _("已删除照片"))
    return redirect("exemplar-detail", exemplar.pk)


# -- city-wide reference data: 评星定格标准 and the "五个好" checklist ----------------------


class CityReference:
    """The pages of reference data that apply city-wide (a year's 评星定格标准, a dated
    version of the "五个好" checklist): plain pages outside the org-scoped kit, like the
    发展党员 rule sets. Anyone with a role over some org reads them; only a city
    administrator (`services.may_set_criteria`) sets them; a record in use is the record of
    what was decided under it, so its edit page sends to the copy instead."""

    def __init__(self, *, list_url: str, crumbs: tuple, body_template: str, body_name: str):
        self.list_url, self.crumbs = list_url, crumbs
        self.body_template, self.body_name = body_template, body_name

    @staticmethod
    def readable(user) -> None:
        if not can(user, Action.VIEW):
            raise Http404

    @staticmethod
    def setter(user) -> None:
        if not services.may_set_criteria(user):
            raise Http404

    def record(self, request, model, pk: int):
        """The record to edit or copy, for a setter only."""
        self.setter(request.user)
        return get_object_or_404(model.objects.restrict(request.user, Action.VIEW), pk=pk)

    def locked(self, request, used: int, message: str, copy_url: str):
        """A record in use: say so and go to its copy (None while it may be edited)."""
        if not used:
            return None
        messages.warning(request, message)
        return redirect(copy_url)

    def page(self, request, form, save, message, *, record=None, title="", copying=False):
        return form_page(
            request,
            form,
            save,
            message,
            done=reverse(self.list_url),
            template="excellence/reference_form.html",
            context={
                self.body_name: record,
                "record": record,
                "title": title,
                "copying": copying,
                "crumbs": self.crumbs,
                "body_template": self.body_template,
                "cancel_url": reverse(self.list_url),
            },
        )


STAR_CRITERIA = CityReference(
    list_url="starcriteria-list",
    crumbs=(
        ("starrating-list", gettext_lazy("党员评星定格")),
        ("starcriteria-list", gettext_lazy("评星定格标准")),
    ),
    body_template="excellence/_criteria_body.html",
    body_name="criteria",
)


@login_required
@require_safe
@never_cache
def criteria_list(request):
    """Every year's criteria with how many ratings were decided under it; the defaults of
    the settings apply to a year without its own set."""
    STAR_CRITERIA.readable(request.user)
    sets = list(StarCriteria.objects.restrict(request.user).order_by("-year"))
    used = dict(
        StarRating.objects.order_by()
        .filter(year__in=[c.year for c in sets])
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    for criteria in sets:
        criteria.used = used.get(criteria.year, 0)
    year = timezone.localdate().year
    return render(
        request,
        "excellence/criteria_list.html",
        {
            "sets": sets,
            "may_set": services.may_set_criteria(request.user),
            "defaults": services.criteria_for(year) if year not in {c.year for c in sets} else None,
            "this_year": year,
        },
    )


@login_required
@never_cache
def criteria_create(request):
    STAR_CRITERIA.setter(request.user)
    # Start from the latest set (or the defaults): the usual change is a small one.
    latest = StarCriteria.objects.order_by("-year").first()
    years = set(StarCriteria.objects.values_list("year", flat=True))
    year = timezone.localdate().year
    while year in years:
        year += 1
    form = F.StarCriteriaForm(
        request.POST or None,
        start_from=latest or services.criteria_for(year),
        initial={"year": year},
    )
    return STAR_CRITERIA.page(
        request,
        form,
        lambda d: services.create_star_criteria(request.user, year=d["year"], **form.content(d)),
        lambda c: _("已新增%(name)s") % {"name": c},
        title=_("新增评星定格标准"),
    )


@login_required
@never_cache
def criteria_edit(request, pk: int):
    criteria = STAR_CRITERIA.record(request, StarCriteria, pk)
    used = services.criteria_used(criteria)
    locked = STAR_CRITERIA.locked(
        request,
        used,
        _("%(year)d年已有%(n)d名党员按此标准评定星级, 标准不能再修改; 可复制为新年度的标准")
        % {"year": criteria.year, "n": used},
        reverse("starcriteria-copy", args=[criteria.pk]),
    )
    if locked:
        return locked
    form = F.StarCriteriaForm(request.POST or None, obj=criteria)
    return STAR_CRITERIA.page(
        request,
        form,
        lambda d: services.update_star_criteria(request.user, criteria, **form.content(d)),
        _("已保存%(name)s") % {"name": criteria},
        record=criteria,
        title=_("修改%(name)s") % {"name": criteria},
    )


@login_required
@never_cache
def criteria_copy(request, pk: int):
    criteria = STAR_CRITERIA.record(request, StarCriteria, pk)
    existing = set(StarCriteria.objects.values_list("year", flat=True))
    year = max(existing | {timezone.localdate().year - 1}) + 1
    form = F.CriteriaCopyForm(request.POST or None, initial={"year": year})
    return STAR_CRITERIA.page(
        request,
        form,
        lambda d: services.copy_star_criteria(request.user, criteria, year=d["year"]),
        lambda c: _("已复制为%(name)s") % {"name": c},
        record=criteria,
        title=_("复制%(name)s为新年度的标准") % {"name": criteria},
        copying=True,
    )


CHECKLISTS = CityReference(
    list_url="fivegood-checklists",
    crumbs=(
        ("fivegood-list", gettext_lazy("“五个好”检查")),
        ("fivegood-checklists", gettext_lazy("“五个好”检查标准")),
    ),
    body_template="excellence/_checklist_body.html",
    body_name="checklist",
)


@login_required
@require_safe
@never_cache
def checklist_list(request):
    """Every dated version of the "五个好" checklist, the one in force today marked, with
    how many checks were made against each."""
    CHECKLISTS.readable(request.user)
    versions = list(FiveGoodChecklist.objects.restrict(request.user).order_by("-effective_from"))
    used = dict(
        FiveGoodCheck.objects.order_by().values_list("checklist_id").annotate(n=Count("pk"))
    )
    current = FiveGoodChecklist.objects.in_force(timezone.localdate())
    for checklist in versions:
        checklist.used = used.get(checklist.pk, 0)
        checklist.current = current is not None and checklist.pk == current.pk
    return render(
        request,
        "excellence/checklist_list.html",
        {"versions": versions, "may_set": services.may_set_criteria(request.user)},
    )


def _checklist_save(request, form, checklist=None):
    def save(data):
        content = form.content(data)
        if checklist is None:
            return services.create_checklist(request.user, **content)
        return services.update_checklist(request.user, checklist, **content)

    return save


@login_required
@never_cache
def checklist_create(request):
    """A new version, starting from the one in force (or the defaults)."""
    CHECKLISTS.setter(request.user)
    latest = FiveGoodChecklist.objects.order_by("-effective_from").first()
    form = F.FiveGoodChecklistForm(request.POST or None, start_from=latest)
    return CHECKLISTS.page(
        request,
        form,
        _checklist_save(request, form),
        lambda c: _("已新增%(name)s") % {"name": c},
        title=_("新增“五个好”检查标准"),
    )


@login_required
@never_cache
def checklist_edit(request, pk: int):
    checklist = CHECKLISTS.record(request, FiveGoodChecklist, pk)
    used = services.checklist_used(checklist)
    locked = CHECKLISTS.locked(
        request,
        used,
        _("已有%(n)d次“五个好”检查按此标准进行, 标准不能再修改; 可复制为新版本") % {"n": used},
        reverse("fivegood-checklist-copy", args=[checklist.pk]),
    )
    if locked:
        return locked
    form = F.FiveGoodChecklistForm(request.POST or None, obj=checklist)
    return CHECKLISTS.page(
        request,
        form,
        _checklist_save(request, form, checklist),
        _("已保存%(name)s") % {"name": checklist},
        record=checklist,
        title=_("修改%(name)s") % {"name": checklist},
    )


@login_required
@never_cache
def checklist_copy(request, pk: int):
    """A new version starting from this one (which stays as it was): the same form, filled
    from it, with a new name and date."""
    checklist = CHECKLISTS.record(request, FiveGoodChecklist, pk)
    form = F.FiveGoodChecklistForm(request.POST or None, start_from=checklist)
    return CHECKLISTS.page(
        request,
        form,
        _checklist_save(request, form),
        lambda c: _("已复制为%(name)s") % {"name": c},
        record=checklist,
        title=_("复制%(name)s为新版本") % {"name": checklist},
        copying=True,
    )


# -- the three-year tracker -----------------------------------------------------------------


def _root_for(user, code: str | None) -> Organization:
    orgs = Organization.objects.restrict(user, Action.VIEW)
    if code:
        return get_object_or_404(orgs, code=code)
    if is_unrestricted(user):
        root = Organization.objects.filter(depth=1).order_by("path").first()
    else:
        paths = scope_paths(user, Action.VIEW)
        root = orgs.filter(path=paths[0]).first() if paths else None
    if root is None:
        raise Http404
    return root


def tracker_rows(root: Organization, days: list[dt.date]) -> list[dict]:
    """Per child of `root` (a county under the city) and for `root` itself: the share of
    school orgs at the standard on each day. Two queries per day, whatever the tree."""
    children = list(
        Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1).order_by(
            "path"
        )
    )
    width = Organization.steplen * (root.depth + 1)
    rows = {c.path: {"org": c, "shares": []} for c in children}
    whole = {"org": root, "shares": []}
    for day in days:
        orgs = school_orgs(root.path, day)
        paths = dict(orgs.values_list("pk", "path"))
        at = set(
            DemonstrationPoint.objects.order_by()
            .filter(at_standard_q(day), org_id__in=list(paths))
            .values_list("org_id", flat=True)
        )
        totals: dict[str, list[int]] = {}
        for pk, path in paths.items():
            slot = totals.setdefault(path[:width], [0, 0])
            slot[0] += pk in at
            slot[1] += 1
        for path, row in rows.items():
            done, total = totals.get(path, [0, 0])
            row["shares"].append((done, total, round(100 * done / total, 1) if total else 0.0))
        whole["shares"].append(
            (len(at), len(paths), round(100 * len(at) / len(paths), 1) if paths else 0.0)
        )
    return [row for row in rows.values() if any(t for _d, t, _s in row["shares"])] + [whole]


@login_required
@require_safe
@never_cache
def tracker(request):
    root = _root_for(request.user, request.GET.get("org"))
    today = timezone.localdate()
    start, years = settings.DANGJIAN_DEMO_POINT_PLAN_START, settings.DANGJIAN_DEMO_POINT_PLAN_YEARS
    target = settings.DANGJIAN_DEMO_POINT_TARGET_PERCENT
    days = [
        min(dt.date(start + i, 12, 31), today)
        for i in range(years)
        if dt.date(start + i, 1, 1) <= today
    ]
    if not days or days[-1] < today:
        days.append(today)
    labels = [
        _("%(y)d年底") % {"y": d.year} if d.month == 12 and d.day == 31 else _("今天") for d in days
    ]
    rows = tracker_rows(root, days)
    for row in rows:
        row["reached"] = bool(row["shares"]) and row["shares"][-1][2] >= target
    charts = {
        "tracker": {
            "kind": "bar",
            "percent": True,
            "categories": [row["org"].name for row in rows],
            "series": [
                {"name": str(label), "data": [row["shares"][i][2] for row in rows]}
                for i, label in enumerate(labels)
            ],
        }
    }
    return render(
        request,
        "excellence/tracker.html",
        {
            "root": root,
            "rows": rows,
            "labels": labels,
            "target": target,
            "plan_start": start,
            "plan_end": start + years - 1,
            "charts": charts,
            "list_url": reverse("demopoint-list"),
        },
    )


# -- /me/ -----------------------------------------------------------------------------------


def me_card(request, member) -> dict | None:
    """The member's own star ratings and this year's commitments, for the /me/ card; None
    when there is nothing of theirs to show."""
    ratings = list(StarRating.objects.filter(member=member).order_by("-year")[:3])
    year = timezone.localdate().year
    commitments = list(
        Commitment.objects.filter(member=member, year__gte=year - 1).order_by("-year", "id")
    )
    if not ratings and not commitments:
        return None
    return {
        "ratings": ratings,
        "latest": ratings[0] if ratings else None,
        "commitments": commitments,
    }
