"""The paperwork as .docx, generated from the records: it opens with python-docx and
names the person and the dates."""

import io

import pytest
from django.urls import reverse
from docx import Document

from tests.recruitment.helpers import D, admit, advance, convert, new_recruit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def converted(world):
    pair = [world.members["a1"], world.members["a2"]]
    recruit = admit(advance(new_recruit(world.orgs["ba"], name="孙文书"), pair, pair), pair)
    return convert(recruit, pair, D(2025, 6, 3), D(2025, 6, 20))


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def fetch(client, recruit, kind) -> str:
    response = client.get(reverse("recruit-documents", args=[recruit.pk]), {"kind": kind})
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    return text_of(response.content)


def test_it_writes_the_publicity_notice(world, login, converted):
    text = fetch(login(world, "secretary_a"), converted, "publicity")
    assert "关于孙文书同志拟发展为中共预备党员的公示" in text
    for expected in (
        "2024年5月13日",
        "2024年5月17日",
        "2023年1月10日",
        "2024年3月1日",
        "张三",
        "李四",
    ):
        assert expected in text
    assert converted.id_number not in text


def test_it_writes_the_pre_review_request(world, login, converted):
    text = fetch(login(world, "secretary_a"), converted, "pre_review")
    assert "关于孙文书同志入党预审的请示" in text
    assert "测试县教体局党委" in text and "2024年5月13日至2024年5月17日" in text


def test_it_writes_the_branch_meeting_resolution(world, login, converted):
    text = fetch(login(world, "secretary_a"), converted, "resolution")
    assert "接收孙文书同志为中共预备党员的决议" in text
    assert "2024年6月3日" in text and "赞成2票，反对0票，弃权0票" in text


def test_it_writes_the_conversion_notice(world, login, converted):
    text = fetch(login(world, "county_admin"), converted, "conversion")
    assert "关于孙文书同志转为中共正式党员的通知" in text
    assert "党龄自2025年6月3日算起" in text and "2025年6月20日" in text


def test_it_offers_only_documents_whose_steps_exist(world, login):
    recruit = new_recruit(world.orgs["ba"], name="周申请")
    client = login(world, "secretary_a")
    page = client.get(reverse("recruit-documents", args=[recruit.pk]))
    assert page.status_code == 200 and "相关步骤尚未记录" in page.content.decode()
    response = client.get(reverse("recruit-documents", args=[recruit.pk]), {"kind": "publicity"})
    assert response.status_code == 404
