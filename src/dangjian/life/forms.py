"""Forms of the 组织生活 pages: they collect values; the services check the rules."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core import uploads
from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.life.models import (
    AbsenceReason,
    AttendanceStatus,
    Frequency,
    Grade,
    Meeting,
    MeetingKind,
    SeriesItem,
)
from dangjian.members.models import Member
from dangjian.orgs.models import COMMITTEE_KINDS, Organization, OrgKind


class MeetingForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "org",
            "kind",
            "title",
            "held_on",
            "place",
            "chair",
            "recorder",
            "speaker",
            "topic",
            "series_item",
            "agenda",
            "minutes",
            "decisions",
        ]
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["org"]
            org = self.instance.org
        else:
            self.fields["org"].queryset = (
                Organization.objects.restrict(user, Action.ADD)
                .exclude(kind__in=COMMITTEE_KINDS)
                .order_by("path")
            )
            org = None
        items = SeriesItem.objects.select_related("series").order_by(
            "-series__start_on", "position"
        )
        if org is not None:
            paths = [org.path[:i] for i in range(4, len(org.path) + 1, 4)]
            items = items.filter(series__org__path__in=paths)
        else:
            items = items.filter(Q(series__in=self._visible_series(user)))
        self.fields["series_item"].queryset = items
        self.fields["series_item"].label_from_instance = lambda i: f"{i.series.name}: {i.title}"
        self.fields["speaker"].help_text = _("党课必填")

    @staticmethod
    def _visible_series(user):
        from dangjian.life.models import Series

        return Series.objects.restrict(user, Action.VIEW).values("pk")


class GroupMembershipForm(BootstrapMixin, forms.Form):
    """编入党小组 (group, member, date) or, for a spell already recorded, 调出 (its end)."""

    group = forms.ModelChoiceField(label=_("党小组"), queryset=Organization.objects.none())
    member = forms.ModelChoiceField(label=_("党员"), queryset=Member.objects.none())
    start_on = forms.DateField(label=_("编入日期"))
    end_on = forms.DateField(label=_("调出日期"))

    def __init__(self, *args, user, instance=None, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            for name in ("group", "member", "start_on"):
                del self.fields[name]
            return
        del self.fields["end_on"]
        groups = Organization.objects.restrict(user, Action.CHANGE).filter(
            kind=OrgKind.GROUP, dissolved_on__isnull=True
        )
        self.fields["group"].queryset = groups.order_by("path")
        members = Member.objects.restrict(user, Action.VIEW)
        if group is not None and groups.filter(pk=group.pk).exists():
            # From a group's page: its branch's current members only.
            self.fields["group"].initial = group.pk
            branch_path = group.path[: -group.steplen]
            members = members.filter(org__path=branch_path)
        else:
            # Members of the branches holding the groups the user may change.
            paths = {
                path[: -Organization.steplen] for path in groups.values_list("path", flat=True)
            }
            members = members.filter(org__path__in=paths)
        self.fields["member"].queryset = members.order_by("name_pinyin", "pk")


class MarkForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("出席情况"),
        choices=[
            (v, label) for v, label in AttendanceStatus.choices if v != AttendanceStatus.OBSERVER
        ],
    )
    reason = forms.ChoiceField(
        label=_("缺席原因"), choices=[("", "—"), *AbsenceReason.choices], required=False
    )
    note = forms.CharField(label=_("说明"), max_length=100, required=False)


class GradeForm(BootstrapMixin, forms.Form):
    grade = forms.ChoiceField(
        label=_("评议等次"), choices=[("", "—"), *Grade.choices], required=False
    )
    followup = forms.CharField(label=_("不合格党员处置"), max_length=200, required=False)
    followup_on = forms.DateField(label=_("处置日期"), required=False)


class SeriesForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("发起党组织"), queryset=Organization.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100)
    start_on = forms.DateField(label=_("开始日期"))
    end_on = forms.DateField(label=_("结束日期"))
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    items = forms.CharField(
        label=_("活动项目"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一项: 活动名称, 可在行尾用“|”加会议类型, 如“上一次专题党课|党课”"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (
            Organization.objects.restrict(user, Action.ADD)
            .exclude(kind=OrgKind.GROUP)
            .order_by("path")
        )

    def clean_items(self):
        labels = {str(label): value for value, label in MeetingKind.choices}
        items = []
        for line in self.cleaned_data["items"].splitlines():
            title, _sep, kind = line.partition("|")
            if not title.strip():
                continue
            kind = kind.strip()
            if kind and kind not in labels:
                raise forms.ValidationError(_("会议类型“%(kind)s”无效") % {"kind": kind})
            items.append((title.strip(), labels.get(kind, MeetingKind.THEME_DAY)))
        return items


class FrequencyForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    frequency = forms.ChoiceField(label=_("频次"), choices=Frequency.choices)
    effective_from = forms.DateField(label=_("施行日期"))
    note = forms.CharField(label=_("依据"), max_length=200, required=False)


class FileForm(BootstrapMixin, forms.Form):
    file = uploads.UploadField(label=_("照片或附件"), kinds=("image", "pdf", "docx", "xlsx"))
