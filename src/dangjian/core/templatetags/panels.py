"""`{% panels "org" org %}`: the panels other apps declared for this page (core.panels)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from dangjian.core import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, page: str, obj):
    request = context.get("request")
    parts = [
        render_to_string(panel.template, {**extra, "object": obj}, request=request)
        for panel, extra in registry.render_list(page, request, obj)
    ]
    return mark_safe("".join(parts))  # noqa: S308 - each part is an escaped template's output
