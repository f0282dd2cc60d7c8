from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.members.models import Member
from dangjian.orgs.forms import OrgChoiceField
from dangjian.orgs.models import Organization
from dangjian.training import services
from dangjian.training.models import (
    Course,
    CourseKind,
    Level,
    MentorKind,
    Mentorship,
    Research,
    ResearchKind,
    Source,
    Training,
)

CHOOSE = _("请选择")


def _orgs(user, action=Action.ADD):
    return Organization.objects.restrict(user, action).order_by("path")


class ParseOnly:
    def _post_clean(self):
        """The service validates (and writes); the form only parses."""


class CourseForm(ParseOnly, BootstrapMixin, forms.ModelForm):
    org = OrgChoiceField(queryset=Organization.objects.none(), label=_("主办党组织"))

    class Meta:
        model = Course
        fields = ["org", "title", "kind", "level", "organiser", "hours", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = _orgs(user)
        self.fields["kind"].choices = [("", CHOOSE), *CourseKind.choices]
        self.fields["level"].choices = [("", CHOOSE), *Level.choices]


class TrainingForm(ParseOnly, BootstrapMixin, forms.ModelForm):
    org = OrgChoiceField(queryset=Organization.objects.none(), label=_("举办党组织"))
    hours = forms.DecimalField(
        label=_("学时"),
        max_digits=5,
        decimal_places=1,
        required=False,
        help_text=_("不填则取课程每期学时"),
    )

    class Meta:
        model = Training
        fields = ["course", "org", "on", "hours", "place", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = _orgs(user)
        self.fields["course"].queryset = (
            Course.objects.restrict(user, Action.VIEW).select_related("org").order_by("title")
        )
        self.fields["course"].label_from_instance = lambda c: f"{c.title}（{c.get_kind_display()}）"
        if not self.fields["course"].queryset.exists():
            self.fields["course"].help_text = _(
                "您的范围内还没有培训课程: 请先在“培训课程”中新增课程, 再登记培训班次"
            )


class AttendanceForm(BootstrapMixin, forms.Form):
    """Who attended a session: members from a list, and (业余党校) 积极分子 and 发展对象."""

    members = forms.ModelMultipleChoiceField(
        label=_("参训党员"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    recruits = forms.ModelMultipleChoiceField(
        label=_("积极分子、发展对象(业余党校)"),
        queryset=services.Recruit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    hours = forms.DecimalField(
        label=_("学时"),
        max_digits=5,
        decimal_places=1,
        required=False,
        help_text=_("不填则取本期学时"),
    )
    source = forms.ChoiceField(label=_("登记方式"), choices=Source.choices, initial=Source.LIST)
    certificate = forms.CharField(label=_("证书编号"), max_length=100, required=False)

    def __init__(self, *args, user, training: Training, **kwargs):
        super().__init__(*args, **kwargs)
        taken = training.attendance.values("member_id")
        self.fields["members"].queryset = (
            Member.objects.restrict(user, Action.VIEW)
            .current()
            .exclude(pk__in=taken)
            .filter(org__path__startswith=training.org.path)
            .select_related("org")
            .order_by("org__path", "name_pinyin")
        )
        self.fields["members"].label_from_instance = lambda m: f"{m.name}（{m.org.name}）"
        if training.course.kind == CourseKind.PARTY_SCHOOL:
            self.fields["recruits"].queryset = (
                services.visible_recruits(user)
                .filter(org__path__startswith=training.org.path)
                .exclude(pk__in=training.attendance.values("recruit_id"))
                .select_related("org")
                .order_by("org__path", "name_pinyin")
            )
            self.fields["recruits"].label_from_instance = lambda r: (
                f"{r.name}（{r.get_stage_display()}, {r.org.name}）"
            )
        else:
            del self.fields["recruits"]


class MentorshipForm(ParseOnly, BootstrapMixin, forms.ModelForm):
    org = OrgChoiceField(queryset=Organization.objects.none(), label=_("党组织"))

    class Meta:
        model = Mentorship
        fields = [
            "org",
            "kind",
            "mentor",
            "mentee_name",
            "started_on",
            "ended_on",
            "outcome",
            "outcome_on",
            "note",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = _orgs(user)
        self.fields["kind"].choices = [("", CHOOSE), *MentorKind.choices]
        self.fields["mentor"].queryset = (
            Member.objects.restrict(user, Action.VIEW)
            .current()
            .select_related("org")
            .order_by("org__path", "name_pinyin")
        )
        self.fields["mentor"].label_from_instance = lambda m: f"{m.name}（{m.org.name}）"


class ResearchForm(ParseOnly, BootstrapMixin, forms.ModelForm):
    org = OrgChoiceField(queryset=Organization.objects.none(), label=_("党组织"))

    class Meta:
        model = Research
        fields = ["org", "kind", "title", "authors", "level", "year", "outcome"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = _orgs(user)
        self.fields["kind"].choices = [("", CHOOSE), *ResearchKind.choices]
        self.fields["level"].choices = [("", CHOOSE), *Level.choices]
