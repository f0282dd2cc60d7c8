"""外部测评 ranks from Excel: the template, every bad row listed with nothing written, a
good file recorded (and a row for an evaluation already recorded taken as its change)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.assessment import services
from dangjian.assessment.models import Evaluation
from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def _xlsx(headers, rows):
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("测评.xlsx", out.getvalue())


def test_external_evaluations_import_all_or_nothing(world, login):
    client = login(world, "county_admin")
    url = reverse("evaluation-import")
    template = client.get(url + "?template=1")
    book = openpyxl.load_workbook(io.BytesIO(template.content), read_only=True)
    headers = list(next(book.worksheets[0].iter_rows(values_only=True)))
    assert headers[:4] == ["党组织代码", "党组织名称", "测评名称", "组织测评单位"]
    assert "填写说明" in book.sheetnames
    recorded = services.record_evaluation(
        CLI,
        org=world.orgs["county"],
        name="政风行风测评",
        body="县政府",
        year=2024,
        held_on=dt.date(2024, 12, 20),
        ranked_among="全县",
        rank=12,
    )

    def row(code, name="政风行风测评", year=2025, held="2025-12-20", rank=3, participants=20):
        return [code, "", name, "县政府", year, held, "全县", rank, participants, None, None]

    bad = _xlsx(
        headers,
        [
            row("T-BA"),
            row("T-BX"),  # the other county: out of scope
            row("T-BB", rank=21),
            row("T-BA"),  # the same org, evaluation and year again
            row("T-JB", held="2099-01-01"),
            row("T-GB", rank=0),
        ],
    )
    response = client.post(url, {"upload": bad})
    assert [str(p) for p in response.context["problems"]] == [
        "第7行 [名次] 不能小于1",
        "第3行 [党组织代码] 没有找到该代码的党组织, 或不在您的管理范围内",
        "第4行 [名次] 名次不能大于参评单位数",
        "第5行 [年度] 与第2行是同一党组织同一测评同一年度",
        "第6行 [结果公布日期] 日期不能晚于今天",
    ]
    assert Evaluation.objects.count() == 1
    good = _xlsx(headers, [row("T-BA"), row("T-COUNTY", year=2024, held="2024-12-20", rank=8)])
    assert client.post(url, {"upload": good}).status_code == 302
    recorded.refresh_from_db()
    assert recorded.rank == 8
    assert Evaluation.objects.get(org=world.orgs["ba"]).rank == 3
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1
    assert login(world, "member").get(url).status_code == 404
