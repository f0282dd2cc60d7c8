"""`/me/`: a member's, a 预备党员's and an applicant's own pages, and that nothing there (or
anywhere a member can go) reaches another member's data, whatever id is tried."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse
from personas import PASSWORD, add_user, id_numbers_in
from uploadfiles import pdf_upload

from dangjian.core import selfservice as cards
from dangjian.core.context import CLI
from dangjian.core.models import Notification
from dangjian.core.notifications import notify
from dangjian.core.registers import todo_items
from dangjian.members import lifecycle
from dangjian.selfservice import services
from dangjian.selfservice.models import Correction, ThoughtReport
from tests.recruitment.helpers import new_recruit


def test_it_shows_a_member_their_own_record_masked_with_the_declared_cards(world, login):
    a1 = world.members["a1"]
    seen = []
    cards.add(
        "test-card",
        "includes/empty.html",
        lambda request, member: seen.append(member) or {"message": "卡片内容"},
    )
    try:
        page = login(world, "member").get(reverse("me-home"))
    finally:
        cards.cards.pop("test-card")
    body = page.content.decode()
    assert page.status_code == 200
    assert a1.name in body and a1.masked_id in body and not id_numbers_in(body)
    assert "卡片内容" in body and seen == [a1]
    assert "申请更正" in body and "申请转接" in body
    assert "思想汇报" not in body  # a full member writes none
    assert world.members["a2"].name not in body


def test_it_sends_a_correction_request_to_the_branch(world, login):
    client = login(world, "member")
    response = client.post(
        reverse("me-correction"), {"field": "联系电话", "text": "应为13900001111"}
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.member == world.members["a1"]
    items = [
        i for i in todo_items(world.users["secretary_a"], dt.date.today()) if i.kind == "correction"
    ]
    assert [i.url for i in items] == [reverse("me-corrections-detail", args=[correction.pk])]
    assert Notification.objects.filter(user=world.users["secretary_a"]).exists()
    assert not [
        i for i in todo_items(world.users["secretary_b"], dt.date.today()) if i.kind == "correction"
    ]
    handled = login(world, "secretary_a").post(
        reverse("me-corrections-edit", args=[correction.pk]), {"status": "done", "reply": "已更正"}
    )
    assert handled.status_code == 302
    correction.refresh_from_db()
    assert correction.status == "done"
    assert Notification.objects.filter(user=world.users["member"], url=reverse("me-home")).exists()


def test_it_lets_the_member_ask_for_a_transfer(world, login):
    client = login(world, "member")
    response = client.post(reverse("me-transfer"), {"to_org": "T-BB", "reason": "调往乙中学"})
    assert response.status_code == 302
    body = client.get(reverse("me-home")).content.decode()
    assert "乙中学党支部" in body and "待转出方审批" in body
    data = client.get(reverse("api-me")).json()
    assert data["member"]["id_number"] == world.members["a1"].masked_id
    assert [t["status"] for t in data["transfers"]] == ["requested"]


def test_it_shows_a_probationary_member_the_report_reminder_and_takes_a_report(world, client):
    a3 = world.members["a3"]  # 预备党员
    user = add_user("a3-self", world.orgs["ba"], "member_self", member=a3)
    client.force_login(user)
    body = client.get(reverse("me-home")).content.decode()
    assert "本季度还没有提交思想汇报" in body
    response = client.post(
        reverse("me-report"), {"title": "第四季度思想汇报", "upload": pdf_upload()}
    )
    assert response.status_code == 302
    report = ThoughtReport.objects.get(user=user)
    assert report.org == world.orgs["ba"] and report.file.owner == user
    body = client.get(reverse("me-home")).content.decode()
    assert "本季度还没有提交思想汇报" not in body and "第四季度思想汇报" in body
    assert client.get(report.file.url).status_code == 200


def test_it_shows_an_applicant_their_timeline(world, client):
    recruit = new_recruit(world.orgs["bb"], name="孙申请")
    account = get_user_model().objects.create_user("applicant", password=PASSWORD)
    services.link_applicant(world.users["county_admin"], recruit, account)
    client.force_login(account)
    body = client.get(reverse("me-home")).content.decode()
    assert "孙申请" in body and "我的发展进程" in body and "提交入党申请" in body
    assert "本季度还没有提交思想汇报" in body
    response = client.post(reverse("me-report"), {"title": "思想汇报", "upload": pdf_upload()})
    assert response.status_code == 302
    assert ThoughtReport.objects.get(user=account).recruit == recruit
    data = client.get(reverse("api-me")).json()
    assert data["member"] is None and data["timeline"][0]["label"] == "提交入党申请"
    # Nothing else is theirs: the member pages and the correction form are 404.
    assert client.get(reverse("me-correction")).status_code == 404
    assert client.get(reverse("member-list")).status_code == 404


def test_it_never_reaches_another_members_data_from_me(world, login):
    w = world
    a2 = w.members["a2"]
    other_user = add_user("a2-self", w.orgs["ba"], "member_self", member=a2)
    other_transfer = lifecycle.request_transfer(CLI, a2, to_org=w.orgs["bb"])
    other_note = notify(other_user, "别人的提醒", "/me/")
    other_correction = services.request_correction(other_user, field="姓名", text="别人的更正")
    a3 = w.members["a3"]
    prob = add_user("a3-self", w.orgs["ba"], "member_self", member=a3)
    other_report = services.submit_thought_report(prob, title="别人的汇报", upload=pdf_upload())
    flowing = lifecycle.register_flowing(CLI, a2, out_on=dt.date(2025, 1, 1), destination="外地")

    client = login(w, "member")
    for url in (
        reverse("member-detail", args=[a2.pk]),
        reverse("api-member-detail", args=[a2.pk]),
        reverse("transfer-detail", args=[other_transfer.pk]),
        reverse("api-transfer-detail", args=[other_transfer.pk]),
        reverse("transfer-cancel", args=[other_transfer.pk]),
        reverse("me-corrections-detail", args=[other_correction.pk]),
        reverse("me-thought-reports-detail", args=[other_report.pk]),
        other_report.file.url,
        reverse("flowing-detail", args=[flowing.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("notification-open", args=[other_note.pk])).status_code == 404
    assert client.post(reverse("transfer-cancel", args=[other_transfer.pk])).status_code == 404
    # Ids in the query of the own pages change nothing: the page is always the signed-in one's.
    for query in (f"?member={a2.pk}", f"?id={a2.pk}", f"?pk={a2.pk}&user={other_user.pk}"):
        body = client.get(reverse("me-home") + query).content.decode()
        assert a2.name not in body and "别人的" not in body
        data = client.get(reverse("api-me") + query).json()
        assert data["member"]["id"] == w.members["a1"].pk
    transfers = client.get(reverse("api-transfer-list")).json()["results"]
    assert other_transfer.pk not in {row["id"] for row in transfers}
    notes = client.get(reverse("notification-list")).content.decode()
    assert "别人的提醒" not in notes
