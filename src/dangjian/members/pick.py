"""Picking a member in a form without drawing every member in scope into the page: a city's
administrator may change tens of thousands. The select holds the chosen member and the
first `PICK_LIMIT` others; a search box above it fetches the matches (name, full pinyin or
initials, `MemberQuerySet.search`) from `member-pick` as one types (htmx). The field still
accepts any member of its queryset, so validation is the scope check it always was."""

import copy

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

from dangjian.core.roles import Action
from dangjian.members.models import Member

PICK_LIMIT = 50


def pickable(user):
    """The members a form may pick: in force, in the user's scope for changes."""
    return (
        Member.objects.restrict(user, Action.CHANGE)
        .current()
        .select_related("org")
        .order_by("org__path", "name", "pk")
    )


def member_label(member: Member) -> str:
    return f"{member.name} ({member.org.name})"


class MemberPickSelect(forms.Select):
    template_name = "members/widgets/member_pick.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["pick_url"] = reverse_lazy("member-pick")
        return context

    def optgroups(self, name, value, attrs=None):
        """The chosen member and the first PICK_LIMIT others, not the whole queryset."""
        iterator = self.choices
        queryset = iterator.queryset
        chosen = [int(v) for v in value if str(v).isdigit()]
        rows = list(queryset.filter(pk__in=chosen)) if chosen else []
        rows += queryset.exclude(pk__in=chosen)[:PICK_LIMIT]
        shown = copy.copy(self)
        empty = iterator.field.empty_label
        shown.choices = [*([("", empty)] if empty is not None else []), *map(iterator.choice, rows)]
        return forms.Select.optgroups(shown, name, value, attrs)


class MemberPickField(forms.ModelChoiceField):
    """A member of `queryset` (set by the form, normally `pickable(user)`)."""

    widget = MemberPickSelect

    def label_from_instance(self, obj):
        return member_label(obj)


@login_required
@never_cache
def member_pick(request):
    """The options of a member picker matching `?pick_q=`."""
    text = request.GET.get("pick_q", "")[:50]
    members = list(pickable(request.user).search(text)[:PICK_LIMIT])
    options = [(member.pk, member_label(member)) for member in members]
    return render(request, "members/_pick_options.html", {"options": options, "text": text})
