"""Pieces every detail and list page is built from: cards, tables with an empty state, field rows.

Written once here so the pages only say what is in them; the Bootstrap skeleton around it
(and its accessibility details) then cannot drift apart from page to page.
"""

import datetime

from django import template
from django.template.base import token_kwargs
from django.template.defaultfilters import date as format_date
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()


def _display(obj, name):
    field = obj._meta.get_field(name)
    if field.choices:
        return field.verbose_name, getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if isinstance(value, datetime.datetime):
        value = format_date(
            timezone.localtime(value) if timezone.is_aware(value) else value, "Y-m-d H:i"
        )
    elif isinstance(value, datetime.date):
        value = format_date(value, "Y-m-d")
    return field.verbose_name, value


@register.inclusion_tag("includes/field_rows.html")
def field_rows(obj, names):
    """`{% field_rows member "name sex ethnicity" %}`: one dt/dd pair per named field, in order."""
    return {"rows": [_display(obj, name) for name in names.split()]}


@register.simple_tag
def crumb(url_name, label, *args):
    """`{% crumb "org-detail" org.name org.pk %}`: one linked step of a breadcrumb trail."""
    return format_html(
        '<li class="breadcrumb-item"><a href="{}">{}</a></li>', reverse(url_name, args=args), label
    )


class _WrapperNode(template.Node):
    """Renders its body, then hands it with the tag's keyword values to a partial."""

    def __init__(self, partial, nodelist, kwargs):
        self.partial, self.nodelist, self.kwargs = partial, nodelist, kwargs

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        values["content"] = self.nodelist.render(context)
        return render_to_string(self.partial, values)


class _HeadingNode(template.Node):
    def __init__(self, heading, actions, kwargs):
        self.heading, self.actions, self.kwargs = heading, actions, kwargs

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        values["heading"] = self.heading.render(context)
        values["actions"] = self.actions.render(context) if self.actions else ""
        return render_to_string("includes/page_heading.html", values)


@register.tag
def page_heading(parser, token):
    """`{% page_heading [align="start"] %}<h1>…</h1>{% heading_actions %}buttons{% endpage_heading %}`:
    a detail page's title with its badges, and its action buttons on the right (wrapping below
    on narrow screens)."""
    bits = token.split_contents()[1:]
    kwargs = token_kwargs(bits, parser)
    heading = parser.parse(("heading_actions", "endpage_heading"))
    actions = None
    if parser.next_token().contents == "heading_actions":
        actions = parser.parse(("endpage_heading",))
        parser.delete_first_token()
    return _HeadingNode(heading, actions, kwargs)


def _wrapper(partial, end):
    def compile_tag(parser, token):
        bits = token.split_contents()[1:]
        kwargs = token_kwargs(bits, parser)
        if bits:
            raise template.TemplateSyntaxError(f"{token.contents.split()[0]} takes only key=value")
        nodelist = parser.parse((end,))
        parser.delete_first_token()
        return _WrapperNode(partial, nodelist, kwargs)

    return compile_tag


# {% card title=... [column=...] [css=...] [card_id=...] [body=False] [action_url=... action_label=...
#    action_icon=...] %}...{% endcard %}: a Bootstrap card, optionally in a grid column, with an
# optional header link; the body is wrapped in .card-body unless body=False (lists, tables).
register.tag("card", _wrapper("includes/card.html", "endcard"))
# {% table_or_empty rows=... empty=... [css=...] [wrapper_css=...] [table_id=...] [page=... query=...] %}<thead>…</thead><tbody>…</tbody>
# {% endtable_or_empty %}: the table in a scrolling wrapper (then the pagination when given a
# page), or the empty-state message.
register.tag("table_or_empty", _wrapper("includes/table_or_empty.html", "endtable_or_empty"))
# {% breadcrumbs here=... [css=...] %}{% crumb ... %}…{% endbreadcrumbs %}: the trail of linked
# steps, then the current page (here), in a labelled nav.
register.tag("breadcrumbs", _wrapper("includes/breadcrumbs.html", "endbreadcrumbs"))
