"""The annual work summary: a .docx that opens (python-docx), in the official layout, whose
figures are the engine's for the subtree and period."""

import datetime as dt
import io

from django.urls import reverse
from docx import Document
from docx.shared import Pt
from personas import add_member

from dangjian.core.context import CLI
from dangjian.orgs import services as orgs
from dangjian.orgs.models import MassOrganization
from dangjian.stats import report
from dangjian.stats.engine import statistics


def read(content: bytes):
    document = Document(io.BytesIO(content))
    return document, "\n".join(p.text for p in document.paragraphs)


def test_it_writes_the_periods_figures_into_the_draft(world):
    orgs.save_mass_org(CLI, MassOrganization(school=world.schools["a"], kind="young_pioneers"))
    orgs.save_mass_org(
        CLI, MassOrganization(school=world.schools["b"], kind="youth_league_committee")
    )
    city = world.orgs["city"]
    document, text = read(report.annual_report(city, dt.date(2009, 1, 1), dt.date(2010, 12, 31)))
    stats = statistics(city, dt.date(2010, 12, 31), (dt.date(2009, 1, 1), dt.date(2010, 12, 31)))
    assert stats["changes"]["joined"] == 9
    assert document.paragraphs[0].text == "测试市教育局党委2009—2010年党建工作总结"
    for expected in (
        # 基本情况: 党委3 (city, county, county2), 党总支1, 党支部2 (乙中学's came in 2012), 联合1.
        "截至2010年12月31日，测试市教育局党委共有各级党组织7个，其中党委3个、党总支1个、"
        "党支部2个、联合党支部1个；共有党员9名，其中正式党员0名、预备党员9名。",
        "女党员4名，占44.4%",
        # Founded in the period: 学区党总支 2009-03-01, 甲小学党支部 2009-06-01, 联合 2010-01-01.
        "2009—2010年，新建党组织3个（党总支1个、党支部1个、联合党支部1个）",
        # 乙中学 was not covered yet: 4 of 6 schools.
        "为6所学校建立健全了1个党总支、2个党支部、1个联合党支部，4所学校建立了党组织，"
        "党组织覆盖率达到66.7%（期初为16.7%），尚有2所学校未建立党组织。",
        "2009—2010年共发展党员9名，0名预备党员按期转为正式党员。",
        "全系统专任教师79名，其中党员8名，中小学党员教师的比例达到10.1%（期初为0%）。",
        "学校中建立团委1个、少先队大队1个。",
        "共青团组织覆盖率100%（应建1所，已建1所）；少先队大队覆盖率16.7%（应建6所，已建1所）",
        "期初党员0名，期末党员9名。党员增加9名，其中发展党员9名",
        "尚有2所学校未建立党组织",
    ):
        assert expected in text, expected
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h[:2] for h in headings[:6]] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert headings[-1] == "附表：主要统计数据"
    table = document.tables[0]
    cells = {row.cells[0].text: (row.cells[1].text, row.cells[2].text) for row in table.rows}
    assert cells["党员总数(名)"] == ("0", "9")
    # 戊小学党支部 has no founding date: it covers its school on every day.
    assert cells["学校党组织覆盖率"] == ("16.7%", "66.7%")
    assert cells["党员教师比例"] == ("0%", "10.1%")


def test_it_follows_the_subtree_and_a_period_within_a_year(world):
    add_member(
        world.orgs["ba"],
        "新党员",
        birth=dt.date(1999, 9, 9),
        joined=dt.date(2025, 3, 1),
        converted=None,
    )
    _, text = read(
        report.annual_report(world.orgs["ba"], dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    )
    assert "甲小学党支部2025年1月1日至2025年6月30日党建工作总结" in text
    assert "共有党员4名，其中正式党员2名、预备党员2名" in text
    assert "2025年1月1日至2025年6月30日共发展党员1名" in text
    assert (
        "1所学校建立了党组织，党组织覆盖率达到100%（期初为100%），继续保持了党组织对学校的全覆盖。"
        in text
    )
    assert "现有预备党员2名" in text
    assert "另一县" not in text


def test_it_lays_the_draft_out_in_the_official_style(world):
    document, _ = read(
        report.annual_report(world.orgs["county"], dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    )
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.top_margin.cm, 1) == 3.7 and round(section.left_margin.cm, 1) == 2.8
    fonts = {}
    for name in ("Normal", "Title", "Heading 1"):
        style = document.styles[name]
        east_asia = style.element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        fonts[name] = (east_asia, style.font.size)
    assert fonts == {
        "Normal": ("仿宋_GB2312", Pt(16)),
        "Title": ("方正小标宋简体", Pt(22)),
        "Heading 1": ("黑体", Pt(16)),
    }
    assert document.styles["Normal"].paragraph_format.first_line_indent == Pt(32)
    table_xml = next(
        rel.target_part.blob
        for rel in document.part.rels.values()
        if rel.reltype.endswith("/fontTable")
    ).decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in table_xml
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in table_xml
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer


def test_it_downloads_the_draft_for_the_users_scope(world, login):
    client = login(world, "county_admin")
    url = reverse("stats-report-docx")
    response = client.get(
        url, {"org": world.orgs["gb"].pk, "from": "2024-01-01", "to": "2024-12-31"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == report.DOCX_CONTENT_TYPE
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    _, text = read(response.content)
    assert "第一学区党总支2024年党建工作总结" in text
    assert "2024年共发展党员1名" in text
    assert client.get(url, {"org": world.orgs["bx"].pk}).status_code == 404
    assert client.get(url, {"to": "2024-13-01", "from": "2024-01-01"}).status_code == 400
    page = client.get(reverse("stats-report"), {"org": world.orgs["gb"].pk})
    assert page.status_code == 200
    assert f"{url}?org={world.orgs['gb'].pk}" in page.content.decode()
    assert login(world, "member").get(url).status_code == 404
