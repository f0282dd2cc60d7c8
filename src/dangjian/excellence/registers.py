"""The registers of 创先争优与示范, declared on the kit: lists with filters and Excel export,
details with audit history, create/edit/delete through the services; the workflow steps
(验收, 评估, 评选, 复核, 评议, 公开) are small pages of their own (views.py) linked from the
details."""

import django_filters
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.registers import Column, Register, register
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.excellence import forms as F
from dangjian.excellence import services
from dangjian.excellence.models import (
    Campaign,
    CheckStatus,
    Commitment,
    DemonstrationPoint,
    Exemplar,
    FiveGoodCheck,
    Fulfilment,
    Level,
    PointLevel,
    Post,
    PostKind,
    StarRating,
)


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("年度"))
        kwargs.setdefault("min_value", 1921)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


def _allowed(reg, user, obj, action) -> bool:
    return reg.queryset(user, action).filter(pk=obj.pk).exists()


class _OrgRegister(Register):
    """Shared declarations: the org column, the form given the viewer and the record."""

    org_paths = ("org__path",)
    select_related = ("org",)

    def form_kwargs(self, request, obj=None) -> dict:
        return {"user": request.user, "obj": obj}

    def form_notice(self, request, form):
        for name in ("org", "member"):
            field = form.fields.get(name)
            if field is not None and not field.queryset.exists():
                return gettext("您的管理范围内没有可选的党组织或党员")
        return None


ORG = Column(_("党组织"), "org.name", link_to=("org-detail", "org_id"))


# -- "五个好" -------------------------------------------------------------------------------


class FiveGoodFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=CheckStatus.choices, empty_label=_("全部")
    )
    year = YearFilter()

    class Meta:
        model = FiveGoodCheck
        fields = []


def _check_badge(check):
    return {CheckStatus.PASSED: "success", CheckStatus.RETURNED: "warning"}.get(
        check.status, "info"
    )


@register
class FiveGoodRegister(_OrgRegister):
    model = FiveGoodCheck
    name = "fivegood"
    title = _("“五个好”检查")
    filterset = FiveGoodFilterSet
    search_fields = ("org__name",)
    search_placeholder = _("党组织名称")
    ordering = ("-self_checked_on", "-id")
    select_related = ("org", "checklist")
    columns = (
        Column(_("党组织"), "org.name", link="detail"),
        Column(_("年度"), "year"),
        Column(_("自查日期"), "self_checked_on", css="text-nowrap"),
        Column(_("达标细目"), lambda c: f"{c.met_count}/{len(c.checklist.items)}"),
        Column(_("状态"), "get_status_display", badge=_check_badge),
        Column(_("验收日期"), "reviewed_on", css="text-nowrap hide-sm"),
        Column(_("验收意见或退回理由"), "review_note", html=False),
    )
    detail_columns = (
        ORG,
        Column(_("检查标准"), "checklist.name"),
        Column(_("年度"), "year"),
        Column(_("自查日期"), "self_checked_on"),
        Column(_("自查小结"), "summary"),
        Column(_("状态"), "get_status_display"),
        Column(_("验收日期"), "reviewed_on"),
        Column(_("验收意见或退回理由"), "review_note"),
    )
    form_class = F.FiveGoodCheckForm
    add_label = _("登记自查")
    empty_text = _("还没有“五个好”检查记录")
    detail_template = "excellence/fivegood_detail.html"

    def create(self, actor, data):
        form = F.FiveGoodCheckForm(user=actor)  # the items' field names
        return services.submit_check(
            actor,
            data["org"],
            self_checked_on=data["self_checked_on"],
            answers=form.answers(data),
            summary=data.get("summary") or "",
        )

    def update(self, actor, obj, data):
        form = F.FiveGoodCheckForm(user=actor, obj=obj)
        return services.update_check(
            actor,
            obj,
            self_checked_on=data["self_checked_on"],
            answers=form.answers(data),
            summary=data.get("summary") or "",
        )

    def delete(self, actor, obj):
        services.delete_check(actor, obj)

    def detail_context(self, request, obj):
        may_review = (
            obj.status == CheckStatus.SUBMITTED
            and services.reviewable_checks(request.user).filter(pk=obj.pk).exists()
        )
        items = [
            (criterion, [(text, obj.answers.get(str(i), {})) for i, text in rows])
            for criterion, rows in obj.checklist.grouped()
        ]
        history = (
            FiveGoodCheck.objects.filter(org=obj.org)
            .exclude(pk=obj.pk)
            .order_by("-self_checked_on")
        )
        return {"may_review": may_review, "items": items, "org_history": history[:20]}


# -- 党建示范点 -----------------------------------------------------------------------------


def _by_level(queryset, name, value):
    today = timezone.localdate()
    if value == PointLevel.REVOKED:
        return queryset.filter(revoked_on__isnull=False)
    live = queryset.filter(revoked_on__isnull=True)
    return {
        PointLevel.APPLIED: live.filter(evaluated_on__isnull=True),
        PointLevel.EVALUATED: live.filter(evaluated_on__isnull=False, bureau_on__isnull=True),
        PointLevel.BUREAU: live.filter(bureau_on__isnull=False, city_on__isnull=True),
        PointLevel.CITY: live.filter(city_on__isnull=False),
        "standard": live.filter(meets_standard=True, evaluated_on__lte=today),
    }.get(value, queryset)


class PointFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        label=_("进度"),
        choices=[*PointLevel.choices, ("standard", _("达到示范点标准"))],
        empty_label=_("全部"),
        method=_by_level,
    )
    year = YearFilter(label=_("评选年度"), field_name="bureau_on", lookup_expr="year")

    class Meta:
        model = DemonstrationPoint
        fields = []


def _level_badge(point):
    return {
        PointLevel.CITY: "danger",
        PointLevel.BUREAU: "warning",
        PointLevel.REVOKED: "secondary",
    }.get(point.level)


@register
class PointRegister(_OrgRegister):
    model = DemonstrationPoint
    name = "demopoint"
    title = _("党建示范点")
    filterset = PointFilterSet
    search_fields = ("org__name",)
    search_placeholder = _("党组织名称")
    ordering = ("-applied_on", "-id")
    select_related = ("org", "bureau")
    columns = (
        Column(_("党组织"), "org.name", link="detail"),
        Column(_("申报日期"), "applied_on", css="text-nowrap"),
        Column(_("评估得分"), "score"),
        Column(_("达到标准"), "meets_standard", css="hide-sm"),
        Column(_("进度"), "get_level_display", badge=_level_badge),
        Column(_("评为局级"), "bureau_on", css="text-nowrap hide-sm"),
        Column(_("推荐市级"), "city_on", css="text-nowrap hide-sm"),
        Column(_("撤销称号"), "revoked_on", html=False),
        Column(_("撤销理由"), "revoke_reason", html=False),
    )
    detail_columns = (
        ORG,
        Column(_("申报日期"), "applied_on"),
        Column(_("申报材料摘要"), "application"),
        Column(_("评估日期"), "evaluated_on"),
        Column(_("评估得分"), "score"),
        Column(_("达标分数线"), "standard_score"),
        Column(_("达到示范点标准"), "meets_standard"),
        Column(_("进度"), "get_level_display"),
        Column(_("评选党委"), "bureau.name"),
        Column(_("评为局级示范点日期"), "bureau_on"),
        Column(_("推荐为市级示范点日期"), "city_on"),
        Column(_("撤销称号日期"), "revoked_on"),
        Column(_("撤销理由"), "revoke_reason"),
    )
    form_class = F.PointForm
    add_label = _("申报示范点")
    empty_text = _("还没有党建示范点申报")
    detail_template = "excellence/demopoint_detail.html"
    list_template = "excellence/demopoint_list.html"

    def create(self, actor, data):
        return services.apply_point(
            actor,
            data["org"],
            applied_on=data["applied_on"],
            application=data.get("application") or "",
        )

    def update(self, actor, obj, data):
        return services.update_point(
            actor, obj, applied_on=data["applied_on"], application=data.get("application") or ""
        )

    def delete(self, actor, obj):
        services.delete_point(actor, obj)

    def list_context(self, request, queryset):
        """This year's selections against the plan, per bureau the user may select for."""
        from dangjian.orgs.models import COMMITTEE_KINDS, Organization

        year = timezone.localdate().year
        bureaus = Organization.objects.restrict(request.user, Action.CHANGE).filter(
            kind__in=COMMITTEE_KINDS, pk__in=DemonstrationPoint.objects.values("bureau_id")
        )[:20]
        warnings = [w for b in bureaus for w in services.selection_warnings(b, year)]
        return {"plan_warnings": warnings, "plan_year": year}

    def detail_context(self, request, obj):
        bureau = obj.bureau or services.bureau_of(obj.org)
        may = services.decidable_points(request.user).filter(pk=obj.pk).exists()
        steps = []
        if may and not obj.revoked_on:
            if not obj.bureau_on:
                steps.append(("evaluate", gettext("评估打分")))
                if obj.meets_standard:
                    steps.append(("bureau", gettext("评为局级示范点")))
            else:
                if not obj.city_on:
                    steps.append(("city", gettext("推荐为市级示范点")))
                steps.append(("review", gettext("年度复核")))
        warnings = (
            services.selection_warnings(bureau, obj.bureau_on.year)
            if obj.bureau_on and bureau
            else []
        )
        return {"steps": steps, "reviews": obj.reviews.all(), "plan_warnings": warnings}


# -- 党员评星定格 ---------------------------------------------------------------------------


class StarFilterSet(django_filters.FilterSet):
    year = YearFilter()
    stars = django_filters.ChoiceFilter(
        label=_("星级"), choices=[(str(n), "★" * n) for n in range(1, 6)], empty_label=_("全部")
    )

    class Meta:
        model = StarRating
        fields = []


def _stars(rating) -> str:
    return "★" * rating.stars


@register
class StarRatingRegister(_OrgRegister):
    model = StarRating
    name = "starrating"
    title = _("党员评星定格")
    filterset = StarFilterSet
    search_fields = ("member__name", "member__name_pinyin")
    search_placeholder = _("党员姓名")
    ordering = ("-year", "org__path", "-stars", "id")
    select_related = ("org", "member")
    columns = (
        Column(_("党员"), "member.name", link="detail"),
        ORG,
        Column(_("年度"), "year"),
        Column(_("自评"), "self_stars", css="hide-sm"),
        Column(_("互评"), "peer_stars", css="hide-sm"),
        Column(_("星级"), _stars, export_value="stars", badge=lambda r: "warning"),
        Column(_("评定日期"), "rated_on", css="text-nowrap hide-sm"),
        Column(_("评语"), "note", html=False),
    )
    detail_columns = (
        Column(_("党员"), "member.name"),
        ORG,
        Column(_("年度"), "year"),
        Column(_("自评"), "get_self_stars_display"),
        Column(_("互评"), "get_peer_stars_display"),
        Column(_("评定星级"), "get_stars_display"),
        Column(_("评定日期"), "rated_on"),
        Column(_("评语"), "note"),
    )
    form_class = F.StarRatingForm
    add_label = _("评定星级")
    empty_text = _("还没有评星定格记录")
    list_template = "excellence/starrating_list.html"
    detail_template = "excellence/starrating_detail.html"

    def can_add(self, user) -> bool:
        return can(user, Action.CHANGE)

    def create(self, actor, data):
        return services.rate_member(
            actor,
            data["member"],
            year=data["year"],
            stars=data["stars"],
            rated_on=data["rated_on"],
            self_stars=data.get("self_stars"),
            peer_stars=data.get("peer_stars"),
            note=data.get("note") or "",
        )

    def update(self, actor, obj, data):
        return services.update_rating(
            actor,
            obj,
            **{k: data.get(k) for k in ("stars", "self_stars", "peer_stars", "rated_on")},
            note=data.get("note") or "",
        )

    def delete(self, actor, obj):
        services.delete_rating(actor, obj)

    def list_context(self, request, queryset):
        """The distribution of the listed ratings (a branch's, when filtered to one)."""
        counts = services.distribution(queryset.order_by())
        total = sum(counts.values())
        rows = [
            (n, "★" * int(n), counts[n], round(100 * counts[n] / total, 1) if total else 0)
            for n in counts
        ]
        return {"distribution": list(reversed(rows)), "distribution_total": total}

    def detail_context(self, request, obj):
        criteria = services.criteria_for(obj.year)
        commitments = Commitment.objects.restrict(request.user).filter(
            member=obj.member, year=obj.year
        )
        return {"criteria": criteria, "commitments": commitments}


# -- 党员公开承诺 ---------------------------------------------------------------------------


class CommitmentFilterSet(django_filters.FilterSet):
    year = YearFilter()
    fulfilment = django_filters.ChoiceFilter(
        label=_("兑现情况"), choices=Fulfilment.choices, empty_label=_("全部")
    )
    published = django_filters.ChoiceFilter(
        label=_("公开"),
        choices=[("yes", _("已公开")), ("no", _("未公开"))],
        empty_label=_("全部"),
        method="by_published",
    )

    class Meta:
        model = Commitment
        fields = []

    def by_published(self, queryset, name, value):
        return queryset.filter(published_on__isnull=(value != "yes"))


@register
class CommitmentRegister(_OrgRegister):
    model = Commitment
    name = "commitment"
    title = _("党员公开承诺")
    filterset = CommitmentFilterSet
    search_fields = ("member__name", "text")
    search_placeholder = _("党员姓名或承诺内容")
    ordering = ("-year", "org__path", "id")
    select_related = ("org", "member")
    columns = (
        Column(_("党员"), "member.name", link="detail"),
        ORG,
        Column(_("年度"), "year"),
        Column(_("承诺内容"), "text", css="hide-sm"),
        Column(_("公开日期"), "published_on", css="text-nowrap hide-sm"),
        Column(_("年中评议"), "mid_note", html=False),
        Column(
            _("兑现情况"),
            "get_fulfilment_display",
            badge=lambda c: "success" if c.fulfilment == Fulfilment.FULFILLED else None,
        ),
        Column(_("年终评议"), "final_note", html=False),
    )
    detail_columns = (
        Column(_("党员"), "member.name"),
        ORG,
        Column(_("年度"), "year"),
        Column(_("承诺内容"), "text"),
        Column(_("承诺日期"), "made_on"),
        Column(_("本人同意公开"), "member_agreed"),
        Column(_("支部同意公开"), "branch_agreed"),
        Column(_("公开日期"), "published_on"),
        Column(_("年中评议"), "mid_note"),
        Column(_("年中评议日期"), "mid_reviewed_on"),
        Column(_("兑现情况"), "get_fulfilment_display"),
        Column(_("年终评议"), "final_note"),
        Column(_("年终评议日期"), "final_reviewed_on"),
    )
    form_class = F.CommitmentForm
    add_label = _("登记承诺")
    empty_text = _("还没有公开承诺")
    detail_template = "excellence/commitment_detail.html"

    def can_add(self, user) -> bool:
        return can(user, Action.CHANGE)

    def create(self, actor, data):
        return services.make_commitment(
            actor,
            data["member"],
            year=data["year"],
            text=data["text"],
            made_on=data["made_on"],
            member_agreed=data.get("member_agreed", False),
            branch_agreed=data.get("branch_agreed", False),
        )

    def update(self, actor, obj, data):
        return services.update_commitment(
            actor,
            obj,
            text=data["text"],
            member_agreed=data.get("member_agreed", False),
            branch_agreed=data.get("branch_agreed", False),
        )

    def delete(self, actor, obj):
        services.delete_commitment(actor, obj)

    def detail_context(self, request, obj):
        return {"may_review": _allowed(self, request.user, obj, Action.CHANGE)}


# -- 先锋岗 / 责任区 / 示范窗口 --------------------------------------------------------------


class PostFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=PostKind.choices, empty_label=_("全部")
    )
    current = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("yes", _("现有")), ("no", _("已撤销"))],
        empty_label=_("全部"),
        method="by_current",
    )

    class Meta:
        model = Post
        fields = []

    def by_current(self, queryset, name, value):
        today = timezone.localdate()
        from django.db.models import Q

        live = Q(end_on__isnull=True) | Q(end_on__gte=today)
        return queryset.filter(live) if value == "yes" else queryset.exclude(live)


@register
class PostRegister(_OrgRegister):
    model = Post
    name = "vanguardpost"
    title = _("先锋岗·责任区·示范窗口")
    filterset = PostFilterSet
    search_fields = ("name", "holder_name", "covers")
    search_placeholder = _("名称、负责人或职责")
    ordering = ("org__path", "kind", "-start_on", "id")
    columns = (
        Column(_("名称"), "name", link="detail"),
        Column(_("类别"), "get_kind_display"),
        ORG,
        Column(_("负责人"), "holder_name"),
        Column(_("职责或覆盖范围"), "covers", css="hide-sm"),
        Column(_("设立日期"), "start_on", css="text-nowrap hide-sm"),
        Column(_("撤销日期"), "end_on", css="text-nowrap hide-sm"),
    )
    form_class = F.PostForm
    add_label = _("设立")
    empty_text = _("还没有党员先锋岗、责任区或示范窗口")

    def create(self, actor, data):
        data = dict(data)
        return services.create_post(actor, data.pop("org"), **data)

    def update(self, actor, obj, data):
        return services.update_post(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_post(actor, obj)


# -- 先进典型 -------------------------------------------------------------------------------


class ExemplarFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        label=_("表彰级别"), choices=Level.choices, empty_label=_("全部")
    )
    year = YearFilter(field_name="recognised_on", lookup_expr="year")
    published = django_filters.ChoiceFilter(
        label=_("公开"),
        choices=[("yes", _("已公开")), ("no", _("未公开"))],
        empty_label=_("全部"),
        method="by_published",
    )

    class Meta:
        model = Exemplar
        fields = []

    def by_published(self, queryset, name, value):
        return queryset.filter(published_on__isnull=(value != "yes"))


# The 表彰 record in assessment (its page; shown as a link to those who may open it).
HONOUR_LINK = ("honour-detail", "honour_id")


@register
class ExemplarRegister(_OrgRegister):
    model = Exemplar
    name = "exemplar"
    title = _("先进典型")
    filterset = ExemplarFilterSet
    search_fields = ("name", "title", "story")
    search_placeholder = _("名称、称号或事迹")
    ordering = ("-recognised_on", "id")
    prefetch_related = ("photos__file",)  # the API's photo links, one query per page
    select_related = ("org", "honour__member", "honour__org")
    columns = (
        Column(_("典型"), "name", link="detail"),
        Column(_("荣誉称号"), "title"),
        Column(_("级别"), "get_level_display"),
        ORG,
        Column(_("表彰日期"), "recognised_on", css="text-nowrap hide-sm"),
        Column(_("公开日期"), "published_on", css="text-nowrap hide-sm"),
        Column(_("对应表彰"), "honour_text", link_to=HONOUR_LINK, html=False),
        Column(_("先进事迹"), "story", html=False),
    )
    detail_columns = (
        Column(_("典型"), "name"),
        Column(_("党员"), "member.name"),
        ORG,
        Column(_("荣誉称号"), "title"),
        Column(_("表彰级别"), "get_level_display"),
        Column(_("表彰日期"), "recognised_on"),
        Column(_("表彰说明"), "honour_note"),
        Column(_("公开日期"), "published_on"),
    )
    form_class = F.ExemplarForm
    add_label = _("登记先进典型")
    empty_text = _("还没有先进典型")
    detail_template = "excellence/exemplar_detail.html"

    def form_kwargs(self, request, obj=None) -> dict:
        # From a 表彰's page: the new exemplar starts from that record.
        return {**super().form_kwargs(request, obj), "from_honour": request.GET.get("honour")}

    def create(self, actor, data):
        data = dict(data)
        return services.create_exemplar(actor, data.pop("org"), **data)

    def update(self, actor, obj, data):
        return services.update_exemplar(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_exemplar(actor, obj)

    def detail_context(self, request, obj):
        honour = obj.honour
        return {
            "may_publish": _allowed(self, request.user, obj, Action.CHANGE),
            "photos": list(obj.photos.select_related("file")),
            # The 表彰 record's page, linked only for a viewer who may open it.
            "honour_url": reverse(HONOUR_LINK[0], args=[honour.pk])
            if honour is not None
            and type(honour).objects.restrict(request.user).filter(pk=honour.pk).exists()
            else None,
        }


# -- 创先争优活动 ---------------------------------------------------------------------------


@register
class CampaignRegister(_OrgRegister):
    model = Campaign
    name = "campaign"
    title = _("创先争优活动")
    filterset = None
    search_fields = ("name", "content")
    search_placeholder = _("活动名称或内容")
    ordering = ("-start_on", "id")
    columns = (
        Column(_("活动名称"), "name", link="detail"),
        ORG,
        Column(_("开始日期"), "start_on", css="text-nowrap"),
        Column(_("结束日期"), "end_on", css="text-nowrap hide-sm"),
        Column(_("活动内容"), "content", html=False),
    )
    form_class = F.CampaignForm
    add_label = _("登记活动")
    empty_text = _("还没有创先争优活动")

    def create(self, actor, data):
        data = dict(data)
        return services.create_campaign(actor, data.pop("org"), **data)

    def update(self, actor, obj, data):
        return services.update_campaign(actor, obj, **data)

    def delete(self, actor, obj):
        services.delete_campaign(actor, obj)


def tracker_url() -> str:
    return reverse("demopoint-tracker")


PLAN = {
    "start": lambda: settings.DANGJIAN_DEMO_POINT_PLAN_START,
    "years": lambda: settings.DANGJIAN_DEMO_POINT_PLAN_YEARS,
    "target": lambda: settings.DANGJIAN_DEMO_POINT_TARGET_PERCENT,
}
