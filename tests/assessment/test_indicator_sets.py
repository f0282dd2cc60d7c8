"""Indicator sets through the pages: a set created and edited with its tree typed one
indicator a line, the rule on siblings' weights (a group's children, weighted, must reach
its 满分), every bad line named; a set already scored is not changed (Chinese message) and
is copied to a new year's set instead. And the 整改 report with its evidence file."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from uploadfiles import pdf_upload

from dangjian.assessment import services, tree
from dangjian.assessment.models import Indicator, IndicatorSet
from dangjian.core.context import CLI
from dangjian.core.models import StoredFile

pytestmark = pytest.mark.django_db

TREE = "\n".join(
    [
        "基础工作|60",
        "-三会一课|40|1|按记录计分",
        "-发展党员|40",
        "加分|5|2",
        "-创新项目|4",
        "-表彰|4",
    ]
)


def _shape(indicator_set):
    nodes = Indicator.objects.filter(indicator_set=indicator_set)
    return [
        (level, node.name, node.max_score, node.weight) for node, level in tree.walk(list(nodes))
    ]


def test_it_creates_and_edits_a_set_with_its_tree(world, login):
    client = login(world, "county_admin")
    response = client.post(
        reverse("indicatorset-create"),
        {"org": world.orgs["gb"].pk, "year": 2025, "name": "年度考核", "tree_text": TREE},
    )
    assert response.status_code == 302, response.context["form"].errors
    s = IndicatorSet.objects.get()
    assert _shape(s) == [
        (0, "基础工作", 60, 1),
        (1, "三会一课", 40, 1),
        (1, "发展党员", 40, 1),
        (0, "加分", 5, 2),
        (1, "创新项目", 4, 1),
        (1, "表彰", 4, 1),
    ]
    assert Indicator.objects.get(name="三会一课").guide == "按记录计分"
    edit = client.get(reverse("indicatorset-edit", args=[s.pk]))
    assert edit.context["form"].initial["tree_text"].splitlines()[1] == "-三会一课|40|1|按记录计分"
    response = client.post(
        reverse("indicatorset-edit", args=[s.pk]),
        {"year": 2025, "name": "年度考核", "tree_text": "组织建设|100\n-班子|50|1\n-队伍|50|1"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert [name for _l, name, _m, _w in _shape(s)] == ["组织建设", "班子", "队伍"]


def test_every_bad_line_is_named_and_nothing_is_saved(world, login):
    client = login(world, "county_admin")
    text = "\n".join(
        [
            "基础工作|60",
            "-三会一课|20",  # 20 + 30 = 50 < 60
            "-发展党员|30",
            "--细则|x",  # not a number
            "加分|5|2",
            "-创新|4|0",
            "-表彰|4|0",  # every weight 0
            "加分|3",  # same name among top-level siblings
            "---跳级|1",
            "满分缺失",
        ]
    )
    response = client.post(
        reverse("indicatorset-create"),
        {"org": world.orgs["gb"].pk, "year": 2025, "name": "年度考核", "tree_text": text},
    )
    assert response.context["form"].errors["tree_text"] == [
        "第4行: 满分“x”不是数字",
        "第10行: 缺少满分(格式: 名称|满分|权重|评分标准)",
    ]
    text = text.replace("--细则|x\n", "").replace("\n满分缺失", "")
    response = client.post(
        reverse("indicatorset-create"),
        {"org": world.orgs["gb"].pk, "year": 2025, "name": "年度考核", "tree_text": text},
    )
    assert response.context["form"].errors["tree_text"] == [
        "第7行: 同一级下已有指标“加分”",
        "第8行: 层级跳级(“-”比上一行多了不止一个)",
        "第1行: “基础工作”满分60分, 但下级指标按权重折算的满分合计只有50分, 应不少于本指标满分",
        "第4行: “加分”的下级指标权重不能全为0",
    ]
    assert not IndicatorSet.objects.exists() and not Indicator.objects.exists()


def _scored_set(world):
    rows, _problems = tree.parse(TREE)
    s = services.create_indicator_set(
        CLI, org=world.orgs["gb"], year=2025, name="年度考核", tree=rows
    )
    sheet = services.create_sheet(CLI, s, org=world.orgs["ba"])
    leaf = Indicator.objects.get(indicator_set=s, name="三会一课")
    services.score(CLI, sheet, leaf, reviewer_score=30)
    return s


def test_a_scored_set_is_not_changed_but_copied_to_a_new_year(world, login):
    s = _scored_set(world)
    client = login(world, "county_admin")
    edit = client.get(reverse("indicatorset-edit", args=[s.pk]))
    page = edit.content.decode()
    assert "该考核指标体系已有评分, 不能再修改" in page
    assert reverse("indicatorset-copy", args=[s.pk]) in page
    refused = client.post(
        reverse("indicatorset-edit", args=[s.pk]),
        {"year": 2025, "name": "改名", "tree_text": "新指标|100"},
    )
    assert refused.status_code == 200
    s.refresh_from_db()
    assert s.name == "年度考核" and len(_shape(s)) == 6
    with pytest.raises(ValidationError) as caught:
        services.update_indicator_set(CLI, s, name="改名")
    assert "复制为新年度" in str(caught.value)
    copied = client.post(reverse("indicatorset-copy", args=[s.pk]), {"year": 2026, "name": ""})
    assert copied.status_code == 302
    new = IndicatorSet.objects.get(year=2026)
    assert copied.url == reverse("indicatorset-edit", args=[new.pk])
    assert new.name == s.name and _shape(new) == _shape(s)
    assert client.get(copied.url).context["notice"] is None  # the copy can be edited
    again = client.post(reverse("indicatorset-copy", args=[s.pk]), {"year": 2026, "name": ""})
    assert "该年度已有同名的考核指标体系" in again.content.decode()
    # Nobody below the issuing org copies its set.
    assert (
        login(world, "secretary_a").get(reverse("indicatorset-copy", args=[s.pk])).status_code
        == 404
    )


def test_the_rectification_report_keeps_its_evidence_file(world, login):
    inspection = services.create_inspection(
        CLI,
        org=world.orgs["county"],
        topic="党费收缴专项督查",
        start_on=dt.date(2025, 3, 1),
        end_on=dt.date(2025, 3, 5),
        inspectors="督查组",
        targets=[world.orgs["ba"]],
    )
    item = services.add_rectification(
        CLI,
        inspection,
        org=world.orgs["ba"],
        finding="党费台账不完整",
        owner="张书记",
        found_on=dt.date(2025, 3, 5),
        deadline=dt.date(2025, 4, 5),
    )
    client = login(world, "secretary_a")
    form = client.get(reverse("rectification-report", args=[item.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in form
    response = client.post(
        reverse("rectification-report", args=[item.pk]),
        {
            "evidence": "已补齐台账",
            "submitted_on": "2025-04-01",
            "evidence_file": pdf_upload("台账.pdf"),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.evidence_file.name == "台账.pdf"
    file_url = reverse("stored-file", args=[item.evidence_file_id])
    county = login(world, "county_admin")
    assert file_url in county.get(reverse("rectification-detail", args=[item.pk])).content.decode()
    assert county.get(file_url).status_code == 200
    assert login(world, "secretary_b").get(file_url).status_code == 404
    # A second report replaces the file; the first leaves the store.
    first = item.evidence_file_id
    services.review_rectification(CLI, item, accept=False, on=dt.date(2025, 4, 2), note="不全")
    client = login(world, "secretary_a")
    client.post(
        reverse("rectification-report", args=[item.pk]),
        {
            "evidence": "再次补齐",
            "submitted_on": "2025-04-03",
            "evidence_file": pdf_upload("台账2.pdf"),
        },
    )
    item.refresh_from_db()
    assert item.evidence_file.name == "台账2.pdf"
    assert not StoredFile.objects.filter(pk=first).exists()
