"""A column's export read by attribute name: what the download, import and export share."""

from types import SimpleNamespace

import pytest

from dangjian.core.excel import Column, Template, choice, integer, text

# Label -> stored value; a second label for a value is read but never written.
COLOURS = {"红": "red", "蓝": "blue", "深蓝": "blue"}

TEMPLATE = Template(
    "things",
    "物品",
    [
        Column("name", "名称", parse=text(10), export="name"),
        Column("colour", "颜色", parse=choice(COLOURS), export="colour"),
        Column("owner_code", "所属代码", export="owner.code"),
        Column("count", "数量", parse=integer(0), export=lambda o: o.count * 2),
        Column("secret", "不导出"),
    ],
)


def thing(owner=None):
    return SimpleNamespace(name="灯", colour="blue", owner=owner, count=3, secret="x")


def test_a_named_choice_is_written_as_the_label_it_is_read_back_from():
    row = TEMPLATE.exporter()(thing(SimpleNamespace(code="A-1")))
    assert row == ["灯", "蓝", "A-1", 6, ""]
    assert TEMPLATE.by_key["colour"].parse(row[1]) == "blue"
    # Column.export stays a function of the record, whatever form it was declared in.
    assert TEMPLATE.by_key["colour"].export(thing()) == "蓝"


def test_an_empty_link_is_an_empty_cell():
    assert TEMPLATE.export_row(thing(owner=None))[2] == ""


def test_overrides_replace_a_column_and_unknown_keys_are_refused():
    row = TEMPLATE.exporter(secret=lambda o: "***")(thing())
    assert row[-1] == "***"
    with pytest.raises(KeyError):
        TEMPLATE.exporter(nonsense=lambda o: "")
