"""考核 score entry through the pages: the assessor (the issuing org's admin) opens the
sheets and enters scores per indicator, the total computed on save; the scored org files its
self-assessment with evidence files on the upload store; the ranking page; the Excel import
(all-or-nothing, every bad row listed) and export of scores; the 民主测评 import."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from uploadfiles import pdf_upload

from dangjian.assessment import excel, services
from dangjian.assessment.models import Score, ScoreSheet
from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(world):
    """第一学区党总支's set for 2025: 基础工作 (满分60, two leaves of 40) and 加分 (满分5,
    weight 2, two leaves of 4), its direct orgs 甲小学 and 乙中学 to be scored."""
    s = services.create_indicator_set(CLI, org=world.orgs["gb"], year=2025, name="年度考核")
    basic = services.add_indicator(CLI, s, name="基础工作", max_score=60)
    a = services.add_indicator(CLI, s, name="三会一课", max_score=40, parent=basic)
    b = services.add_indicator(CLI, s, name="发展党员", max_score=40, parent=basic)
    bonus = services.add_indicator(CLI, s, name="加分", max_score=5, weight=2)
    c = services.add_indicator(CLI, s, name="创新项目", max_score=4, parent=bonus)
    d = services.add_indicator(CLI, s, name="表彰", max_score=4, parent=bonus)
    return s, [a, b, c, d]


def _review_data(leaves, values, **extra):
    data = {f"score_{leaf.pk}": value for leaf, value in zip(leaves, values, strict=True)}
    return {"leader_comment": "", "democratic_rate": "", **data, **extra}


def test_the_assessor_opens_sheets_and_enters_scores_with_the_total_on_save(world, login, scored):
    s, leaves = scored
    client = login(world, "county_admin")
    opened = client.post(reverse("indicatorset-open-sheets", args=[s.pk]))
    assert opened.status_code == 302
    sheets = {sheet.org.code: sheet for sheet in ScoreSheet.objects.filter(indicator_set=s)}
    assert set(sheets) == {"T-BA", "T-BB"}
    sheet = sheets["T-BA"]
    url = reverse("scoresheet-review", args=[sheet.pk])
    assert client.get(url).status_code == 200
    # 40 + 30 = 70, capped at 60; bonus 4 + 4 = 8 capped at 5, weight 2: 10. Total 70.
    response = client.post(
        url,
        _review_data(leaves, ["40", "30", "4", "4"], leader_comment="扎实", democratic_rate="96"),
    )
    assert response.status_code == 302 and response.url == reverse(
        "scoresheet-detail", args=[sheet.pk]
    )
    page = client.get(response.url)
    text = page.content.decode()
    assert "当前总分70.00分" in text and page.context["total"] == Decimal("70.00")
    assert "封顶" in text
    sheet.refresh_from_db()
    assert (sheet.leader_comment, sheet.democratic_rate) == ("扎实", Decimal("96"))
    assert AuditEntry.objects.filter(object_type="assessment.score").count() == 4
    ranking = client.get(reverse("indicatorset-ranking", args=[s.pk]))
    assert [(r.sheet.org.code, r.rank, r.total) for r in ranking.context["ranking"]][0] == (
        "T-BA",
        1,
        Decimal("70.00"),
    )
    assert "新" in ranking.content.decode()


def test_a_score_beyond_the_maximum_is_refused_by_name_and_nothing_is_saved(world, login, scored):
    s, leaves = scored
    sheet = services.create_sheet(CLI, s, org=world.orgs["ba"])
    client = login(world, "county_admin")
    response = client.post(
        reverse("scoresheet-review", args=[sheet.pk]),
        _review_data(leaves, ["38", "41", "-1", "3"]),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[f"score_{leaves[1].pk}"] == ["“发展党员”的得分应在0到满分40之间"]
    assert errors[f"score_{leaves[2].pk}"] == ["“创新项目”的得分应在0到满分4之间"]
    assert not Score.objects.filter(sheet=sheet).exists()


def test_only_the_assessor_enters_the_assessors_scores(world, login, scored):
    s, leaves = scored
    sheet = services.create_sheet(CLI, s, org=world.orgs["ba"])
    url = reverse("scoresheet-review", args=[sheet.pk])
    client = login(world, "secretary_a")  # the scored org: self-assessment only
    assert client.get(url).status_code == 404
    assert client.post(url, _review_data(leaves, ["40", "40", "4", "4"])).status_code == 404
    assert client.get(reverse("scoresheet-detail", args=[sheet.pk])).status_code == 200
    client = login(world, "secretary_b")  # another branch: not even the sheet
    assert client.get(reverse("scoresheet-detail", args=[sheet.pk])).status_code == 404
    assert client.post(reverse("indicatorset-open-sheets", args=[s.pk])).status_code == 404
    assert not Score.objects.exists() and ScoreSheet.objects.count() == 1


def test_the_self_assessment_keeps_evidence_files_for_readers_of_the_assessment(
    world, login, scored
):
    s, leaves = scored
    sheet = services.create_sheet(CLI, s, org=world.orgs["ba"])
    client = login(world, "secretary_a")
    data = {f"self_{leaf.pk}": "" for leaf in leaves}
    data |= {f"self_{leaves[0].pk}": "38", f"evidence_{leaves[0].pk}": "会议记录12本"}
    data[f"file_{leaves[0].pk}"] = pdf_upload("会议记录.pdf")
    response = client.post(reverse("scoresheet-self", args=[sheet.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    row = Score.objects.get(sheet=sheet, indicator=leaves[0])
    assert (row.self_score, row.evidence) == (Decimal("38"), "会议记录12本")
    stored = row.evidence_file
    assert stored is not None and stored.name == "会议记录.pdf"
    file_url = reverse("stored-file", args=[stored.pk])
    assert file_url in client.get(reverse("scoresheet-detail", args=[sheet.pk])).content.decode()
    assert client.get(file_url).status_code == 200
    assert login(world, "county_admin").get(file_url).status_code == 200  # the assessor
    assert login(world, "secretary_b").get(file_url).status_code == 404
    # A file that is not a document is refused with the store's message; nothing saved.
    client = login(world, "secretary_a")
    data[f"file_{leaves[0].pk}"] = SimpleUploadedFile("x.pdf", b"not really a pdf")
    data[f"self_{leaves[0].pk}"] = "20"
    response = client.post(reverse("scoresheet-self", args=[sheet.pk]), data)
    assert "文件类型不符" in str(response.context["form"].errors[f"file_{leaves[0].pk}"])
    row.refresh_from_db()
    assert row.self_score == Decimal("38") and row.evidence_file_id == stored.pk


def _xlsx(headers, rows, name="评分.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


SCORE_HEADERS = ["党组织代码", "党组织名称", "指标", "满分", "考核得分"]


def test_scores_import_all_or_nothing_listing_every_bad_row(world, login, scored):
    s, leaves = scored
    client = login(world, "county_admin")
    url = reverse("indicatorset-scores-import", args=[s.pk])
    bad = _xlsx(
        SCORE_HEADERS,
        [
            ["T-BA", "甲小学党支部", "基础工作 / 三会一课", 40, 35],
            ["T-BA", "甲小学党支部", "基础工作 / 发展党员", 40, 45],
            ["T-BX", "", "基础工作 / 三会一课", 40, 10],
            ["T-BB", "甲小学党支部", "基础工作 / 三会一课", 40, 10],
            ["T-BB", "", "基础工作", 60, 10],
            ["T-BA", "", "基础工作/三会一课", 40, 30],
            ["T-BB", "", "加分 / 表彰", 4, "很好"],
        ],
    )
    response = client.post(url, {"upload": bad})
    assert response.status_code == 200
    problems = [str(p) for p in response.context["problems"]]
    assert problems == [
        "第8行 [考核得分] 应为数字",
        "第3行 [考核得分] 得分应在0到满分40之间",
        "第4行 [党组织代码] “T-BX”不是第一学区党总支的直属党组织",
        "第5行 [党组织名称] 名称与代码T-BB的党组织“乙中学党支部”不一致",
        "第6行 [指标] 本指标体系中没有末级指标“基础工作”",
        "第7行 [指标] 与第2行是同一党组织的同一指标",
    ]
    assert not Score.objects.exists() and not ScoreSheet.objects.exists()
    good = _xlsx(
        SCORE_HEADERS,
        [
            ["T-BA", "甲小学党支部", "基础工作 / 三会一课", 40, 35],
            ["T-BA", "", "加分 / 创新项目", 4, 3.5],
            ["T-BB", "乙中学党支部", "基础工作 / 发展党员", 40, 38],
            ["T-BB", "", "加分 / 表彰", 4, None],
        ],
    )
    response = client.post(url, {"upload": good})
    assert response.status_code == 302
    got = sorted(
        (row.sheet.org.code, row.indicator.name, row.reviewer_score)
        for row in Score.objects.select_related("sheet__org", "indicator")
    )
    assert got == [
        ("T-BA", "三会一课", Decimal("35")),
        ("T-BA", "创新项目", Decimal("3.5")),
        ("T-BB", "发展党员", Decimal("38")),
    ]
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1
    # Someone who may not assess has no import page.
    assert login(world, "secretary_a").get(url).status_code == 404


def test_the_scores_export_is_the_import_layout_and_reimports(world, login, scored):
    s, leaves = scored
    sheet = services.create_sheet(CLI, s, org=world.orgs["ba"])
    services.enter_review(CLI, sheet, scores={leaves[0].pk: Decimal("35")})
    client = login(world, "county_admin")
    response = client.get(reverse("indicatorset-scores-xlsx", args=[s.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == SCORE_HEADERS
    assert ("T-BA", "甲小学党支部", "基础工作 / 三会一课", 40, 35) in [tuple(r) for r in rows[1:]]
    assert len(rows) == 1 + 4
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 1
    again = client.post(
        reverse("indicatorset-scores-import", args=[s.pk]),
        {"upload": SimpleUploadedFile("回传.xlsx", response.content)},
    )
    assert again.status_code == 302
    assert Score.objects.get().reviewer_score == Decimal("35")
    template = client.get(reverse("indicatorset-scores-import", args=[s.pk]) + "?template=1")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(template.content), read_only=True)
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert [r[2] for r in rows[1:]] == [
        "基础工作 / 三会一课",
        "基础工作 / 发展党员",
        "加分 / 创新项目",
        "加分 / 表彰",
    ]
    assert all(r[4] is None for r in rows[1:])


def test_democratic_results_import_with_template(world, login, scored):
    s, _leaves = scored
    client = login(world, "county_admin")
    url = reverse("indicatorset-democratic-import", args=[s.pk])
    template = client.get(url + "?template=1")
    book = openpyxl.load_workbook(io.BytesIO(template.content), read_only=True)
    headers = next(book.worksheets[0].iter_rows(values_only=True))
    assert list(headers) == ["党组织代码", "党组织名称", "民主测评满意率(%)"]
    assert "填写说明" in book.sheetnames
    headers = list(headers)
    bad = _xlsx(
        headers,
        [
            ["T-BA", "甲小学党支部", 101],
            ["T-CITY", "", 90],
            ["T-BB", "", None],
            ["T-BA", "", 95.123],
            ["T-BB", "", 90],
        ],
    )
    response = client.post(url, {"upload": bad})
    problems = [str(p) for p in response.context["problems"]]
    assert problems == [
        "第2行 [民主测评满意率(%)] 不能大于100",
        "第4行 [民主测评满意率(%)] 不能为空",
        "第5行 [民主测评满意率(%)] 最多2位小数",
        "第3行 [党组织代码] “T-CITY”不是第一学区党总支的直属党组织",
        "第5行 [党组织代码] 与第2行是同一党组织",
        "第6行 [党组织代码] 与第4行是同一党组织",
    ]
    assert not ScoreSheet.objects.exists()
    good = _xlsx(headers, [["T-BA", "甲小学党支部", 95.5], ["T-BB", "", 88]])
    assert client.post(url, {"upload": good}).status_code == 302
    rates = dict(ScoreSheet.objects.values_list("org__code", "democratic_rate"))
    assert rates == {"T-BA": Decimal("95.5"), "T-BB": Decimal("88")}
    audit = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert "民主测评" in audit.object_repr


def test_the_score_template_is_declared_once(world, scored):
    """The import page, the template and the export read one column spec."""
    s, _leaves = scored
    assert excel.SCORE_TEMPLATE.headers == SCORE_HEADERS
    assert excel.score_importer(s).template is excel.SCORE_TEMPLATE


def test_emptying_a_score_takes_it_back_and_the_total_follows(world, login, scored):
    s, leaves = scored
    sheet = services.create_sheet(CLI, s, org=world.orgs["ba"])
    client = login(world, "county_admin")
    url = reverse("scoresheet-review", args=[sheet.pk])
    client.post(url, _review_data(leaves, ["40", "30", "4", ""]))
    assert client.post(url, _review_data(leaves, ["40", "", "4", ""])).status_code == 302
    kept = {row.indicator_id: row.reviewer_score for row in Score.objects.filter(sheet=sheet)}
    assert kept == {leaves[0].pk: Decimal("40"), leaves[1].pk: None, leaves[2].pk: Decimal("4")}
    page = client.get(reverse("scoresheet-detail", args=[sheet.pk]))
    assert page.context["total"] == Decimal("48.00")  # 40 + bonus 4 x weight 2
    cleared = AuditEntry.objects.filter(object_type="assessment.score").latest("pk")
    assert cleared.action == AuditAction.UPDATE and cleared.changes["reviewer_score"][1] is None
