"""The forms of 创先争优与示范: each one feeds one service; the choices offered are what the
user may act on (`restrict`)."""

import datetime as dt

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import uploads
from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.excellence import services
from dangjian.excellence.models import (
    FIVE_GOOD_CRITERIA,
    STAR_CHOICES,
    FiveGoodCheck,
    FiveGoodChecklist,
    Fulfilment,
    Level,
    PostKind,
)
from dangjian.members.models import Member
from dangjian.members.pick import MemberPickField, pickable
from dangjian.orgs.models import Organization

CHOOSE = _("请选择")


def _orgs(user, action=Action.ADD):
    return Organization.objects.restrict(user, action).order_by("path")


class OrgForm(BootstrapMixin, forms.Form):
    """A form whose record belongs to an org chosen among those the user may add under;
    editing keeps the record's org."""

    org = forms.ModelChoiceField(
        label=_("党组织"), queryset=Organization.objects.none(), empty_label=CHOOSE
    )

    def __init__(self, *args, user, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        if obj is not None:
            del self.fields["org"]
        else:
            self.fields["org"].queryset = _orgs(user)


class MemberForm(BootstrapMixin, forms.Form):
    member = MemberPickField(label=_("党员"), queryset=Member.objects.none(), empty_label=CHOOSE)

    def __init__(self, *args, user, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        if obj is not None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = pickable(user)


# -- "五个好" -------------------------------------------------------------------------------


class FiveGoodCheckForm(OrgForm):
    """The self-check: one "met" box and one evidence field per item of the checklist."""

    self_checked_on = forms.DateField(label=_("自查日期"))
    summary = forms.CharField(
        label=_("自查小结"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, obj: FiveGoodCheck | None = None, **kwargs):
        super().__init__(*args, user=user, obj=obj, **kwargs)
        if obj is not None:
            checklist = obj.checklist
            self.initial.update(self_checked_on=obj.self_checked_on, summary=obj.summary)
        else:
            checklist = FiveGoodChecklist.objects.in_force(timezone.localdate())
            self.initial.setdefault("self_checked_on", timezone.localdate())
        self.checklist = checklist
        self.item_fields = []
        for criterion, items in checklist.grouped() if checklist else []:
            for index, text in items:
                answer = obj.answers.get(str(index), {}) if obj else {}
                self.fields[f"met_{index}"] = forms.BooleanField(
                    label=f"{criterion}: {text}", required=False, initial=answer.get("met")
                )
                self.fields[f"evidence_{index}"] = forms.CharField(
                    label=_("佐证材料"),
                    required=False,
                    max_length=500,
                    initial=answer.get("evidence"),
                )
                self.item_fields.append((f"met_{index}", f"evidence_{index}"))
        # BootstrapMixin ran before these fields existed.
        for met, evidence in self.item_fields:
            self.fields[met].widget.attrs["class"] = "form-check-input"
            self.fields[evidence].widget.attrs["class"] = "form-control"

    def answers(self, data) -> dict:
        return {
            met.removeprefix("met_"): {"met": data.get(met), "evidence": data.get(evidence) or ""}
            for met, evidence in self.item_fields
        }


class CheckReviewForm(BootstrapMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=_("验收结论"),
        choices=[("1", _("验收通过")), ("0", _("退回整改"))],
        coerce=lambda v: v == "1",
    )
    reviewed_on = forms.DateField(label=_("验收日期"), initial=timezone.localdate)
    note = forms.CharField(
        label=_("验收意见或退回理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


# -- 党建示范点 -----------------------------------------------------------------------------


class PointForm(OrgForm):
    applied_on = forms.DateField(label=_("申报日期"), initial=timezone.localdate)
    application = forms.CharField(
        label=_("申报材料摘要"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, obj=None, **kwargs):
        super().__init__(*args, user=user, obj=obj, **kwargs)
        if obj is not None:
            self.initial.update(applied_on=obj.applied_on, application=obj.application)


class EvaluateForm(BootstrapMixin, forms.Form):
    evaluated_on = forms.DateField(label=_("评估日期"), initial=timezone.localdate)
    score = forms.DecimalField(label=_("评估得分"), min_value=0, max_value=100, decimal_places=1)


class DecideForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("日期"), initial=timezone.localdate)


class PointReviewForm(BootstrapMixin, forms.Form):
    reviewed_on = forms.DateField(label=_("复核日期"), initial=timezone.localdate)
    kept = forms.TypedChoiceField(
        label=_("复核结论"),
        choices=[("1", _("保留称号")), ("0", _("撤销称号"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("复核意见"), required=False, max_length=200)


# -- 评星定格, 公开承诺 ---------------------------------------------------------------------


def _year_field():
    return forms.IntegerField(
        label=_("年度"), min_value=1921, max_value=9999, initial=lambda: timezone.localdate().year
    )


class StarRatingForm(MemberForm):
    year = _year_field()
    self_stars = forms.TypedChoiceField(
        label=_("自评"),
        choices=[("", "—"), *STAR_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    peer_stars = forms.TypedChoiceField(
        label=_("互评"),
        choices=[("", "—"), *STAR_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    stars = forms.TypedChoiceField(label=_("支部评定星级"), choices=STAR_CHOICES, coerce=int)
    rated_on = forms.DateField(label=_("评定日期"), initial=timezone.localdate)
    note = forms.CharField(label=_("评语"), required=False, max_length=200)

    def __init__(self, *args, user, obj=None, **kwargs):
        super().__init__(*args, user=user, obj=obj, **kwargs)
        if obj is not None:
            del self.fields["year"]
            for name in ("self_stars", "peer_stars", "stars", "rated_on", "note"):
                self.initial[name] = getattr(obj, name)


class StarCriteriaForm(BootstrapMixin, forms.Form):
    """A year's 评星定格 criteria: the items, what each star means, the caps (percent of a
    branch's members; blank: no cap). Editing keeps the year."""

    year = _year_field()
    items = forms.CharField(
        label=_("评定项目"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一项"),
        max_length=2000,
    )

    def __init__(self, *args, obj=None, start_from=None, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(5, 0, -1):
            self.fields[f"meaning_{n}"] = forms.CharField(
                label=_("%(n)d星的含义") % {"n": n}, max_length=200
            )
            self.fields[f"cap_{n}"] = forms.IntegerField(
                label=_("%(n)d星比例上限(%%)") % {"n": n},
                min_value=0,
                max_value=100,
                required=False,
                help_text=_("占本支部党员数的百分比, 不填则不限"),
            )
            for name in (f"meaning_{n}", f"cap_{n}"):
                self.fields[name].widget.attrs["class"] = "form-control"
        if obj is not None:
            del self.fields["year"]
        source = obj or start_from  # a new set starts from the latest one (or the defaults)
        if source is not None:
            self.initial.update(
                items=source.items,
                **{f"meaning_{k}": v for k, v in source.meanings.items()},
                **{f"cap_{k}": v for k, v in source.caps.items()},
            )

    def content(self, data) -> dict:
        """The service's arguments from the cleaned data."""
        return {
            "items": data["items"],
            "meanings": {str(n): data[f"meaning_{n}"] for n in range(1, 6)},
            "caps": {
                str(n): data[f"cap_{n}"] for n in range(1, 6) if data.get(f"cap_{n}") is not None
            },
        }


class FiveGoodChecklistForm(BootstrapMixin, forms.Form):
    """A version of the "五个好" checklist: its name, the day it takes effect, and the
    sub-items of each of the five criteria as text, one item a line. A new version or a
    copy starts from an earlier one (`start_from`); the day of a copy is left to choose."""

    name = forms.CharField(label=_("标准名称"), max_length=100)
    effective_from = forms.DateField(
        label=_("施行日期"), help_text=_("此日及以后的自查按本标准进行")
    )

    def __init__(self, *args, obj: FiveGoodChecklist | None = None, start_from=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in FIVE_GOOD_CRITERIA:
            self.fields[f"items_{key}"] = forms.CharField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                help_text=_("检查细目, 每行一项"),
                max_length=4000,
                required=False,  # the service says which criterion lacks an item
            )
        source = obj or start_from
        if source is not None:
            self.initial.update(
                {f"items_{key}": text for key, text in services.checklist_lines(source).items()}
            )
        else:
            self.initial.update(
                {
                    f"items_{key}": "\n".join(t for k, t in services.DEFAULT_CHECKLIST if k == key)
                    for key, _label in FIVE_GOOD_CRITERIA
                }
            )
        if obj is not None:
            self.initial.update(name=obj.name, effective_from=obj.effective_from)

    def content(self, data) -> dict:
        """The service's arguments from the cleaned data."""
        return {
            "name": data["name"],
            "effective_from": data["effective_from"],
            "items": {key: data.get(f"items_{key}") or "" for key, _label in FIVE_GOOD_CRITERIA},
        }


class CriteriaCopyForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("新年度"), min_value=1921, max_value=9999)


class CommitmentForm(MemberForm):
    year = _year_field()
    text = forms.CharField(label=_("承诺内容"), widget=forms.Textarea(attrs={"rows": 4}))
    made_on = forms.DateField(label=_("承诺日期"), initial=timezone.localdate)
    member_agreed = forms.BooleanField(label=_("本人同意公开"), required=False)
    branch_agreed = forms.BooleanField(label=_("支部同意公开"), required=False)

    def __init__(self, *args, user, obj=None, **kwargs):
        super().__init__(*args, user=user, obj=obj, **kwargs)
        if obj is not None:
            del self.fields["year"], self.fields["made_on"]
            for name in ("text", "member_agreed", "branch_agreed"):
                self.initial[name] = getattr(obj, name)


class CommitmentReviewForm(BootstrapMixin, forms.Form):
    stage = forms.ChoiceField(
        label=_("评议"), choices=[("mid", _("年中评议")), ("final", _("年终评议"))]
    )
    reviewed_on = forms.DateField(label=_("评议日期"), initial=timezone.localdate)
    fulfilment = forms.ChoiceField(
        label=_("兑现情况(年终)"),
        choices=[("", "—"), *[c for c in Fulfilment.choices if c[0] != Fulfilment.PENDING]],
        required=False,
    )
    note = forms.CharField(label=_("评议意见"), required=False, max_length=200)


# -- posts, exemplars, campaigns ------------------------------------------------------------


class _Initial:
    fields_from_obj: tuple[str, ...] = ()

    def fill(self, obj):
        if obj is not None:
            for name in self.fields_from_obj:
                self.initial[name] = getattr(obj, name)


class PostForm(_Initial, OrgForm):
    fields_from_obj = ("kind", "name", "holder", "holder_name", "start_on", "end_on", "covers")
    kind = forms.ChoiceField(label=_("类别"), choices=PostKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    holder = MemberPickField(label=_("党员"), queryset=Member.objects.none(), required=False)
    holder_name = forms.CharField(
        label=_("负责人"), max_length=50, required=False, help_text=_("不填则为所选党员")
    )
    start_on = forms.DateField(label=_("设立日期"), initial=timezone.localdate)
    end_on = forms.DateField(label=_("撤销日期"), required=False)
    covers = forms.CharField(label=_("职责或覆盖范围"), max_length=200, required=False)

    def __init__(self, *args, user, obj=None, **kwargs):
        super().__init__(*args, user=user, obj=obj, **kwargs)
        self.fields["holder"].queryset = pickable(user)
        self.fill(obj)

    def clean(self):
        data = super().clean()
        if not data.get("holder") and not data.get("holder_name"):
            self.add_error("holder_name", _("请选择党员或填写负责人"))
        return data


def _honours(user):
    """Approved 表彰 the user may see, for the exemplar's picker (assessment.Honour by its
    app label: assessment is a sibling app, not imported)."""
    honour = apps.get_model("assessment", "Honour")
    return (
        honour.objects.restrict(user, Action.VIEW)
        .filter(status=services.HONOUR_APPROVED)
        .select_related("org", "member")
        .order_by("-year", "org__path", "id")
    )


class ExemplarForm(_Initial, OrgForm):
    fields_from_obj = services.EXEMPLAR_FIELDS
    member = MemberPickField(label=_("党员"), queryset=Member.objects.none(), required=False)
    name = forms.CharField(
        label=_("典型名称"),
        max_length=100,
        required=False,
        help_text=_("集体典型填写集体名称; 不填则为所选党员"),
    )
    title = forms.CharField(label=_("荣誉称号"), max_length=100)
    level = forms.ChoiceField(label=_("表彰级别"), choices=Level.choices)
    recognised_on = forms.DateField(label=_("表彰日期"))
    story = forms.CharField(
        label=_("先进事迹"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    honour = forms.ModelChoiceField(
        label=_("对应表彰"),
        queryset=Member.objects.none(),  # assessment.Honour in scope, set in __init__
        required=False,
        help_text=_("已批准的表彰记录; 个人典型选授予该党员的表彰, 集体典型选授予本组织的表彰"),
    )
    honour_note = forms.CharField(
        label=_("表彰说明"),
        max_length=100,
        required=False,
        help_text=_("系统中没有记录的表彰, 用文字说明"),
    )

    def __init__(self, *args, user, obj=None, from_honour=None, **kwargs):
        super().__init__(*args, user=user, obj=obj, **kwargs)
        self.fields["member"].queryset = pickable(user)
        honours = _honours(user)
        if obj is not None and obj.honour_id:
            # The record's own link stays choosable even if made by someone who sees more.
            honours = honours | type(obj.honour).objects.filter(pk=obj.honour_id)
        self.fields["honour"].queryset = honours
        self.fill(obj)
        if obj is None and from_honour:
            self._start_from_honour(honours, from_honour)

    def _start_from_honour(self, honours, pk) -> None:
        """A new exemplar made from a 表彰's page (`?honour=`): filled from the record, if
        the user may see it (else the form starts empty)."""
        honour = honours.filter(pk=pk).first() if str(pk).isdigit() else None
        if honour is None:
            return
        self.initial.update(
            honour=honour.pk,
            org=honour.org_id,
            member=honour.member_id,
            name="" if honour.member_id else honour.org.name,
            title=honour.display_title,
            level=honour.level if honour.level in Level.values else "",
            recognised_on=honour.decided_on,
        )

    def clean(self):
        data = super().clean()
        if not data.get("member") and not data.get("name"):
            self.add_error("name", _("请选择党员或填写典型名称"))
        return data


class PublishForm(BootstrapMixin, forms.Form):
    on = forms.DateField(
        label=_("公开日期"),
        required=False,
        initial=timezone.localdate,
        help_text=_("留空则撤下, 不再公开"),
    )


class PhotoForm(BootstrapMixin, forms.Form):
    """One photo of an exemplar: checked by the upload store's own rules on the form."""

    photo = uploads.UploadField(
        label=_("照片(JPG、PNG)"),
        kinds=("image",),
        help_text=_("上传后重新编码, 去除拍摄位置等信息"),
    )
    caption = forms.CharField(label=_("照片说明"), max_length=100, required=False)


class CampaignForm(_Initial, OrgForm):
    fields_from_obj = ("name", "start_on", "end_on", "content")
    name = forms.CharField(label=_("活动名称"), max_length=100, initial=_("四比三优两满意"))
    start_on = forms.DateField(label=_("开始日期"))
    end_on = forms.DateField(label=_("结束日期"), required=False)
    content = forms.CharField(
        label=_("活动内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, obj=None, **kwargs):
        super().__init__(*args, user=user, obj=obj, **kwargs)
        self.fill(obj)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)
