"""The quarterly 思想汇报 reminder as a notification: `dangjian remind` sends it to each
applicant, activist, candidate and 预备党员 with an account and nothing submitted this
quarter, once per person and quarter however often it runs; a full member gets none; with
--as only the people in that user's scope."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from personas import PASSWORD, add_user
from uploadfiles import pdf_upload

from dangjian.core.models import AuditAction, AuditEntry, Notification
from dangjian.selfservice import services
from tests.recruitment.helpers import new_recruit

Q4 = dt.date(2026, 11, 20)


@pytest.fixture
def writers(world):
    probationary = add_user("a3-self", world.orgs["ba"], "member_self", member=world.members["a3"])
    recruit = new_recruit(world.orgs["bb"], name="孙申请")
    applicant = get_user_model().objects.create_user("applicant", password=PASSWORD)
    services.link_applicant(world.users["county_admin"], recruit, applicant)
    return probationary, applicant


def _reminders(user):
    return list(Notification.objects.filter(user=user, text__contains="思想汇报"))


def _remind(*args):
    call_command("remind", *args)


def test_it_reminds_each_writer_once_a_quarter(world, writers):
    probationary, applicant = writers
    _remind("--date", Q4.isoformat())
    for user in writers:
        notes = _reminders(user)
        assert len(notes) == 1
        assert "2026年第4季度" in notes[0].text and "2026-12-31" in notes[0].text
        assert notes[0].url == reverse("me-report")
    assert _reminders(world.users["member"]) == []  # a full member writes none
    rows = AuditEntry.objects.filter(action=AuditAction.CREATE, object_repr__contains="思想汇报")
    assert rows.count() == 1
    # Run again the same day, and later in the quarter: nothing new.
    _remind("--date", Q4.isoformat())
    _remind("--date", "2026-12-30")
    assert [len(_reminders(user)) for user in writers] == [1, 1]
    assert rows.count() == 1
    # Read or not, the next quarter brings the next one.
    Notification.objects.update(read_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    _remind("--date", "2027-01-02")
    assert [len(_reminders(user)) for user in writers] == [2, 2]
    assert "2027年第1季度" in _reminders(probationary)[0].text


def test_it_skips_who_has_submitted_this_quarter(world, writers):
    probationary, applicant = writers
    services.submit_thought_report(applicant, title="思想汇报", upload=pdf_upload(), today=Q4)
    _remind("--date", Q4.isoformat())
    assert len(_reminders(probationary)) == 1
    assert _reminders(applicant) == []


def test_it_reminds_only_the_scope_of_the_user_given(world, writers):
    probationary, applicant = writers
    _remind("--date", Q4.isoformat(), "--as", "secretary_b")  # 乙中学: the applicant only
    assert _reminders(probationary) == [] and len(_reminders(applicant)) == 1


def test_it_names_an_unknown_reminder(world):
    with pytest.raises(CommandError, match="没有这项提醒"):
        _remind("--only", "nonsense")
    with pytest.raises(CommandError, match="日期格式"):
        _remind("--date", "2026-13-01")
