"""Forms for sign-in, passwords and user management. They only check input; the writes and
the scope checks that matter happen in accounts/services.py."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import BootstrapMixin
from dangjian.core.models import RoleAssignment
from dangjian.core.roles import Action, Role
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

# A county holds thousands of members: the select shows the first ones and a search box
# (htmx, answered by the form's own view) fetches the rest; validation still covers the whole scope.
MEMBER_OPTIONS = 50


class LoginForm(BootstrapMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class OwnPasswordForm(BootstrapMixin, PasswordChangeForm):
    """Validation only; the view saves through services.set_password so the change is audited."""


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.code}）"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return member_label(obj)


def member_label(member: Member) -> str:
    return gettext("%(name)s (%(org)s) 身份证尾号 %(suffix)s") % {
        "name": member.name,
        "org": member.org.name,
        "suffix": member.masked_id[-4:],
    }


def manageable_orgs(actor):
    return Organization.objects.restrict(actor, Action.MANAGE_USERS)


def linkable_members(actor):
    """Members without an account that the actor may change and whose org the actor manages."""
    return (
        Member.objects.restrict(actor, Action.CHANGE)
        .filter(user__isnull=True, org__in=manageable_orgs(actor))
        .select_related("org")
        .order_by("org__path", "name", "id")
    )


def roles_in_scope(actor):
    return RoleAssignment.objects.restrict(actor, Action.MANAGE_USERS).select_related("org")


def member_options(actor, search: str = "", selected: Member | None = None) -> list:
    members = list(linkable_members(actor).search(search)[:MEMBER_OPTIONS])
    if selected is not None and selected not in members:
        members.insert(0, selected)
    return members


class RoleFieldsMixin(forms.Form):
    """Organisation, role and (for 党员本人) the member the account belongs to."""

    org = OrgChoiceField(
        label=_("党组织"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("角色覆盖该党组织及其全部下级组织"),
    )
    # No preselected role: an admin must choose, never grant 管理员 by accident.
    role = forms.ChoiceField(label=_("角色"), choices=[("", "---------"), *Role.choices])
    member_search = forms.CharField(
        label=_("查找党员"),
        required=False,
        help_text=_("仅“党员本人”角色需要:输入姓名、拼音或身份证尾号4位"),
    )
    member = MemberChoiceField(
        label=_("党员"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("党员本人角色的党组织以该党员所在党组织为准"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["org"].queryset = manageable_orgs(actor)
        self.fields["member"].queryset = linkable_members(actor)
        search = self.fields["member_search"]
        search.widget.attrs.update(
            {
                "placeholder": gettext("姓名 / 拼音 / 身份证尾号"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#id_member",
                "autocomplete": "off",
            }
        )
        search.widget.input_type = "search"
        self._limit_member_options()

    def _limit_member_options(self) -> None:
        field = self.fields["member"]
        selected = None
        if self.is_bound and self.data.get(self.add_prefix("member")):
            try:
                selected = field.clean(self.data.get(self.add_prefix("member")))
            except forms.ValidationError:
                selected = None
        field.widget.choices = [("", field.empty_label)] + [
            (m.pk, member_label(m)) for m in member_options(self.actor, selected=selected)
        ]

    def set_options_url(self, url: str) -> None:
        self.fields["member_search"].widget.attrs["hx-get"] = url

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.MEMBER_SELF:
            member = data.get("member")
            if member is None:
                self.add_error("member", gettext("党员本人角色须选择一名党员"))
            else:
                data["org"] = member.org
        elif role and data.get("org") is None:
            self.add_error("org", gettext("请选择党组织"))
        return data


class PasswordPairMixin(forms.Form):
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "至少8位, 含小写字母、大写字母、数字、其他字符中的至少3类, 不能与账号或姓名相似"
        ),
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", gettext("两次输入的密码不一致"))
        return data


class UserCreateForm(BootstrapMixin, PasswordPairMixin, RoleFieldsMixin):
    username = forms.CharField(
        label=_("账号"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("登录用的账号,150个字符以内,可用字母、数字和 @/./+/-/_"),
    )
    full_name = forms.CharField(label=_("姓名"), max_length=150)

    field_order = [
        "username",
        "full_name",
        "password",
        "password2",
        "role",
        "org",
        "member_search",
        "member",
    ]


class GrantForm(BootstrapMixin, RoleFieldsMixin):
    field_order = ["role", "org", "member_search", "member"]


class SetPasswordForm(BootstrapMixin, PasswordPairMixin):
    pass


class TokenForm(BootstrapMixin, forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        max_length=20,
        help_text=_("身份验证器应用中的6位数字, 或一个恢复码"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class SecurityFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    locked = forms.BooleanField(label=_("只看已锁定"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = gettext("账号或姓名")
