"""Definition-list rows read from a model's own fields.

Detail pages list many plain fields; taking the label from the field's verbose_name and the
value from its display form keeps those rows identical to the form labels and spares every
page a hand-written row per field. Rows that need links, badges or notes stay in the page.
"""

import datetime

from django import template
from django.template.defaultfilters import date as format_date
from django.utils import timezone

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
