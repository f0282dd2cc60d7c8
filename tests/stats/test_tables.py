"""The standard tables: the figures of the engine, a balance that adds up, and the same
figures in the .xlsx (opened with openpyxl) as on the page."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry
from dangjian.members import services as members
from dangjian.stats.tables import standard_tables

YEAR_2022 = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))


def movements(world):
    """In 2022 the county loses 李四 (suspended) and 钱七 (moved out); 李四 is restored and
    钱七 comes back to 丙丁联合党支部."""
    a2 = members.record_leaving(CLI, world.members["a2"], kind="suspended", on=dt.date(2022, 1, 1))
    members.restore(CLI, a2, on=dt.date(2022, 9, 1))
    b2 = members.record_leaving(CLI, world.members["b2"], kind="moved_out", on=dt.date(2022, 2, 1))
    members.restore(CLI, b2, on=dt.date(2022, 10, 1), org=world.orgs["jb"])


def as_dict(table):
    return {row[0]: row[1:] for row in table.rows}


def test_it_balances_members_and_changes_over_the_period(world):
    movements(world)
    tables = {t.key: t for t in standard_tables(world.orgs["county"], YEAR_2022[1], YEAR_2022)}
    changes = as_dict(tables["changes"])
    assert changes == {
        "期初党员数(2021-12-31)": [7],
        "本期增加: 发展党员": [0],
        "本期增加: 转入": [1],
        "本期增加: 恢复党籍": [1],
        "本期减少: 转出": [1],
        "本期减少: 出党、停止党籍、死亡等": [1],
        "期末党员数(2022-12-31)": [7],
        "本期预备党员转正": [0],
        "统计日党员数(2022-12-31)": [7],
        "其中: 正式党员": [7],
        "其中: 预备党员": [0],
    }
    assert balanced(changes)
    # A period that ends between the two returns.
    mid = (dt.date(2022, 1, 1), dt.date(2022, 9, 15))
    changes = as_dict(standard_tables(world.orgs["county"], mid[1], mid)[0])
    assert changes["期末党员数(2022-09-15)"] == [6]
    assert (changes["本期增加: 恢复党籍"], changes["本期增加: 转入"]) == ([1], [0])
    assert balanced(changes)


def balanced(changes: dict) -> bool:
    values = list(changes.values())
    opening, joined, moved_in, restored, moved_out, left, closing = (v[0] for v in values[:7])
    return opening + joined + moved_in + restored - moved_out - left == closing


def test_it_gives_each_structure_table_with_shares_and_a_total(world):
    tables = {
        t.key: t
        for t in standard_tables(
            world.orgs["county"], dt.date(2025, 6, 30), (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
        )
    }
    assert as_dict(tables["sex"]) == {"男": [5, 62.5], "女": [3, 37.5], "合计": [8, 100.0]}
    assert as_dict(tables["ethnicity"]) == {
        "汉族": [7, 87.5],
        "少数民族": [1, 12.5],
        "合计": [8, 100.0],
    }
    age = as_dict(tables["age"])
    assert age["30岁及以下"] == [1, 12.5]
    assert age["36-40岁"] == [7, 87.5]
    assert as_dict(tables["education"])["大学专科"] == [1, 12.5]
    assert as_dict(tables["person_type"])["管理人员"] == [1, 12.5]
    assert as_dict(tables["backbone"])["无"] == [8, 100.0]
    orgs = as_dict(tables["orgs"])
    assert orgs["党委"] == [1, 0]
    assert orgs["合计"] == [5, 0]
    schools = as_dict(tables["schools"])
    assert schools == {
        "本级": [1, 0, 0.0, 0, 5, 0, 0.0],
        "第一学区党总支": [2, 2, 100.0, 6, 50, 5, 10.0],
        "丙丁联合党支部": [2, 2, 100.0, 2, 14, 2, 14.29],
        "合计": [5, 4, 80.0, 8, 69, 7, 10.14],
    }
    mass = as_dict(tables["mass_orgs"])
    assert mass["少先队大队: 已建学校"] == [0, 5, 0.0]
    assert mass["工会: 组织数"] == [0, "", ""]


def test_it_counts_orgs_founded_in_the_period(world):
    tables = standard_tables(
        world.orgs["county"], dt.date(2012, 12, 31), (dt.date(2009, 1, 1), dt.date(2012, 12, 31))
    )
    orgs = as_dict(next(t for t in tables if t.key == "orgs"))
    assert orgs["党总支"] == [1, 1]
    assert orgs["党支部"] == [2, 2]
    assert orgs["联合党支部"] == [1, 1]
    assert orgs["合计"] == [5, 4]


def test_it_downloads_the_tables_as_one_workbook(world, login):
    movements(world)
    client = login(world, "county_admin")
    response = client.get(
        reverse("stats-tables-xlsx"),
        {"org": world.orgs["county"].pk, "from": "2022-01-01", "to": "2022-12-31"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == [
        "说明",
        "党员数量及变动",
        "党员性别构成",
        "党员民族构成",
        "党员年龄构成",
        "党员学历构成",
        "党员人员类型构成",
        "党员骨干类别构成",
        "党组织数量",
        "学校党组织覆盖情况",
        "群团组织建设情况",
    ]
    about = [row for row in book["说明"].iter_rows(values_only=True)]
    assert ("统计范围", "测试县教体局党委 (T-COUNTY)") in about
    assert ("统计期间", "2022-01-01 ~ 2022-12-31") in about
    changes = {row[0]: row[1] for row in book["党员数量及变动"].iter_rows(values_only=True)}
    assert changes["期初党员数(2021-12-31)"] == 7
    assert changes["本期增加: 转入"] == 1
    assert changes["本期减少: 出党、停止党籍、死亡等"] == 1
    coverage = list(book["学校党组织覆盖情况"].iter_rows(values_only=True))
    assert coverage[-1] == ("合计", 5, 4, 80.0, 7, 69, 6, 8.7)
    entry = AuditEntry.objects.filter(action=30).latest("id")
    assert "党内统计表" in entry.object_repr
    assert entry.actor == world.users["county_admin"]


def test_it_shows_the_tables_as_a_page(world, login):
    client = login(world, "county_admin")
    response = client.get(
        reverse("stats-tables"), {"org": world.orgs["gb"].pk, "date": "2025-06-30"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["org"] == world.orgs["gb"]
    assert response.context["period"] == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    for title in ("党员数量及变动", "党员年龄构成", "党员骨干类别构成", "群团组织建设情况"):
        assert title in html
    assert 'id="table-schools"' in html
    assert reverse("stats-tables-xlsx") + "?" in html
    assert "另一县" not in html


def test_it_keeps_the_tables_within_the_scope(world, login):
    client = login(world, "county_admin")
    other = world.orgs["county2"].pk
    assert client.get(reverse("stats-tables"), {"org": other}).status_code == 404
    assert client.get(reverse("stats-tables-xlsx"), {"org": other}).status_code == 404
    assert client.get(reverse("stats-tables-xlsx"), {"from": "2022-01-01"}).status_code == 400
    bad = client.get(reverse("stats-tables"), {"from": "2022-12-31", "to": "2022-01-01"})
    assert bad.status_code == 200
    assert "统计期间开始日期不能晚于结束日期" in bad.content.decode()
    assert login(world, "member").get(reverse("stats-tables")).status_code == 404
