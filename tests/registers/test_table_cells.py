"""The list table's cells are finished in Python (core.registers.views.table_rows): the
markup the table partial used to build cell by cell, and `get_<field>_display` read from a
dict built once instead of Django's method (which hashes every label on each call)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils.safestring import mark_safe

from dangjian.core.registers.base import Column, _display, _display_field
from dangjian.core.registers.views import _cell_html
from dangjian.members.models import Member

DASH = '<span class="text-muted">—</span>'


@pytest.mark.parametrize(
    ("value", "url", "badge", "html"),
    [
        ("王芳", None, None, "王芳"),
        ("<b>&", None, None, "&lt;b&gt;&amp;"),
        (mark_safe("<i>已</i>"), None, None, "<i>已</i>"),
        (None, None, None, DASH),
        ("", None, None, DASH),
        (0, None, None, "0"),
        (Decimal("12.5"), None, None, "12.5"),
        ("2024-06-01", None, None, "2024-06-01"),
        ("王芳", "/members/1/?a=1&b=2", None, '<a href="/members/1/?a=1&amp;b=2">王芳</a>'),
        (None, "/x/", None, '<a href="/x/">—</a>'),
        ("", "/x/", None, '<a href="/x/"></a>'),
        ("预备党员", None, "warning", '<span class="badge text-bg-warning">预备党员</span>'),
        (
            "王芳",
            "/x/",
            "secondary",
            '<span class="badge text-bg-secondary"><a href="/x/">王芳</a></span>',
        ),
        (
            ["甲", "<乙>"],
            None,
            None,
            '<span class="badge text-bg-light border fw-normal">甲</span> '
            '<span class="badge text-bg-light border fw-normal">&lt;乙&gt;</span> ',
        ),
        (("甲",), None, "info", '<span class="badge text-bg-info">甲</span> '),
        ([], None, None, DASH),
    ],
)
def test_a_cell_is_the_markup_the_partial_made(value, url, badge, html):
    assert _cell_html(value, url, badge) == html


def choice_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices and _display_field(model, f"get_{field.name}_display"):
                yield model, field


def test_every_choice_label_is_what_django_shows():
    """For every choice field of every model: each value, an unknown one and none."""
    fields = list(choice_fields())
    assert len(fields) > 50
    for model, field in fields:
        for value in [*(v for v, _label in field.flatchoices), "no-such-value", None]:
            obj = model()
            setattr(obj, field.attname, value)
            expected = getattr(obj, f"get_{field.name}_display")()
            assert _display(field, value) == expected, (model, field.name, value)
            assert Column("x", f"get_{field.name}_display").get(obj) == expected


def test_a_display_method_a_model_writes_itself_is_called():
    assert _display_field(Member, "get_category_display") is None
    member = Member(converted_on=dt.date(2000, 1, 1))
    assert Column("x", "get_category_display").get(member) == "正式党员"


def test_a_quick_select_is_the_markup_of_django_select():
    """Every select of every register's filter bar, blank and with each value chosen."""
    from django import forms

    from dangjian.core.forms import QuickSelect
    from dangjian.core.registers import registry

    compared = 0
    for reg in registry.values():
        if reg.filterset is None:
            continue
        for name, field in reg.filterset_class()().form.fields.items():
            if not isinstance(field.widget, QuickSelect):
                continue
            plain = forms.Select(attrs=field.widget.attrs, choices=field.widget.choices)
            for value in ["", *(v for v, _label in field.widget.choices), "<x>"]:
                attrs = {"id": f"id_{name}", "required": False, "aria-x": True}
                html = field.widget.render(name, value, attrs)
                assert html == plain.render(name, value, attrs), (reg.name, name, value)
                compared += 1
    grouped = [("甲组", [("a", "<A>"), ("b", "B")]), ("c", "C")]
    html = QuickSelect(choices=grouped).render("g", "b", {"class": "form-select"})
    assert html == forms.Select(choices=grouped).render("g", "b", {"class": "form-select"})
    assert compared > 100


def test_a_badge_colour_is_escaped_like_any_value():
    html = _cell_html("x", None, '"><script>')
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html
    assert "<script>" not in _cell_html(["x"], None, "<script>")
