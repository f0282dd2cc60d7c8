"""The shared page pieces (core/templatetags/page_parts): what every detail and list page
is built from, so a slip here shows on every page at once."""

import datetime as dt

from django.template import Context, Template
from django.urls import reverse

LOAD = "{% load i18n page_parts %}"


def render(source, **context):
    return Template(LOAD + source).render(Context(context))


def test_field_rows_take_the_label_from_the_model_and_show_display_values(world):
    member = next(iter(world.members.values()))
    member.phone = ""
    member.converted_on = dt.date(2011, 7, 1)
    html = render('{% field_rows member "sex converted_on phone" %}', member=member)
    assert "性别" in html and member.get_sex_display() in html
    assert "转正日期" in html and "2011-07-01" in html
    # An empty field shows a dash, not an empty cell.
    assert '联系电话</dt><dd class="col-7 col-sm-8">—</dd>' in html


def test_table_or_empty_shows_the_table_or_the_message():
    source = (
        '{% table_or_empty rows=rows empty=_("没有记录") table_id="t" %}'
        "<tbody>{% for r in rows %}<tr><td>{{ r }}</td></tr>{% endfor %}</tbody>"
        "{% endtable_or_empty %}"
    )
    html = render(source, rows=["甲", "<b>"])
    assert 'id="t"' in html and "<td>甲</td>" in html and "&lt;b&gt;" in html
    assert "没有记录" not in html
    empty = render(source, rows=[])
    assert "没有记录" in empty and "<table" not in empty


def test_card_wraps_body_and_column_and_links_the_header_action():
    html = render(
        '{% card title=_("基本信息") column="col-lg-6" css="h-100" card_id="c" %}正文{% endcard %}'
    )
    assert html.index('<div class="col-lg-6">') < html.index('<div class="card h-100" id="c">')
    assert '<div class="card-header">基本信息</div>' in html
    assert '<div class="card-body">正文</div>' in html
    bare = render(
        '{% card title="班子" body=False action_url="/add/" action_label="新增" %}<ul></ul>{% endcard %}'
    )
    assert "card-body" not in bare and 'href="/add/"' in bare and "新增" in bare


def test_breadcrumbs_link_each_step_and_mark_the_current_page(db):
    html = render(
        '{% breadcrumbs here=name %}{% crumb "school-list" _("学校") %}{% endbreadcrumbs %}',
        name="一中<script>",
    )
    assert 'aria-label="位置"' in html
    link = f'<li class="breadcrumb-item"><a href="{reverse("school-list")}">学校</a></li>'
    assert link in html
    assert 'aria-current="page">一中&lt;script&gt;</li>' in html


def test_page_heading_puts_actions_beside_the_title():
    html = render(
        '{% page_heading align="start" %}<h1>标题</h1>{% heading_actions %}<a>编辑</a>'
        "{% endpage_heading %}"
    )
    assert "align-items-start" in html
    assert html.index("<h1>标题</h1>") < html.index(
        '<div class="d-flex flex-wrap gap-2"><a>编辑</a>'
    )


def test_form_card_renders_the_form_and_its_buttons_and_nothing_else():
    from django import forms
    from django.template.loader import render_to_string

    class NoteForm(forms.Form):
        note = forms.CharField(label="说明")

    html = render_to_string(
        "includes/form_card.html",
        {"form": NoteForm(), "submit": "登记", "cancel_url": "/back/", "confirm": "确定?"},
    )
    assert 'data-confirm="确定?"' in html and ">登记</button>" in html and 'href="/back/"' in html
    assert "说明" in html
    # Template comments must not leak into the page.
    assert "{#" not in html and "expects" not in html
    notice = render_to_string(
        "includes/form_card.html", {"notice": "不能修改", "cancel_url": "/x/"}
    )
    assert "不能修改" in notice and "<form" not in notice and 'href="/x/"' in notice
