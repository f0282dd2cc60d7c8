"""示例市's 廉政建设 figures (INTERFACES 5) from the records through the statistics engine,
and the confidential records open to `jijian` alone."""

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.integrity.models import Case, Petition, Risk
from dangjian.integrity.registers import PetitionRegister, RiskRegister
from dangjian.orgs.models import Organization
from dangjian.stats.engine import statistics

SEED_DAY = dt.date(2010, 12, 31)
CAMPAIGN = (dt.date(2009, 1, 1), SEED_DAY)
User = get_user_model()
ACCOUNT_LINE = re.compile(r"^账号 (\S+) 密码 (\S+) (\S+)$", re.MULTILINE)


def test_it_reproduces_the_countys_risk_funnel(city):
    county = Organization.objects.get(code="DEMO-XIAN1")
    figures = statistics(county, SEED_DAY, period=CAMPAIGN)["integrity"]["risks"]
    assert figures["found"] == 163
    assert figures["confirmed"] == 38
    assert figures["measures"] >= 100


def test_it_reproduces_the_citys_petitions_and_cases(city):
    figures = statistics(city, SEED_DAY, period=CAMPAIGN)["integrity"]
    assert figures["petitions"]["resolved"] == 58
    assert figures["petitions"]["received"] >= 58
    cases = figures["cases"]
    assert cases["closed"] == 8
    assert cases["leads_assisted"] == 3
    assert cases["people_sanctioned"] == 6
    assert cases["opened"] >= cases["closed"]


def test_it_continues_the_integrity_history_to_today(city):
    today = timezone.localdate()
    this_year = dt.date(today.year, 1, 1)
    assert Petition.objects.filter(received_on__gte=this_year).exists() or today.month == 1
    jijian = User.objects.get(username="jijian")
    assert PetitionRegister.instance.todo(jijian, today), "overdue petitions on jijian's list"
    assert Petition.objects.filter(resolved_on__isnull=True, due_on__gte=today).exists()
    assert Case.objects.filter(received_on__year__gte=today.year - 1).exists()
    assert Risk.objects.filter(found_on__year__gte=today.year - 1).exists()
    admin = User.objects.get(username="admin")
    assert RiskRegister.instance.todo(admin, today), "risk points due for their yearly review"


def test_it_lets_jijian_read_the_cases_and_not_the_administrator(demo_output, city, client):
    passwords = {user: password for user, password, _ in ACCOUNT_LINE.findall(demo_output)}
    case = Case.objects.order_by("pk").first()
    assert client.login(username="jijian", password=passwords["jijian"])
    assert client.get(reverse("case-list")).status_code == 200
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 200
    client.logout()
    assert client.login(username="admin", password=passwords["admin"])
    assert client.get(reverse("case-list")).status_code == 404
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(User.objects.get(username="jijian"))
    assert api.get(reverse("api-case-list")).json()["count"] == Case.objects.count()
    api.force_authenticate(User.objects.get(username="admin"))
    assert api.get(reverse("api-case-list")).status_code == 403
    assert api.get(reverse("api-case-detail", args=[case.pk])).status_code == 404
    assert api.get("/api/petitions/").status_code == 403
    assert api.get("/api/risks/").status_code == 200


def test_it_links_the_sanctioned_cases_to_members_of_the_city(city):
    """Every sanctioned case names a real member of the handling org; a 党纪处分 is that
    member's sanction record (shown on their record), and the figures above still hold."""
    from dangjian.recruitment.models import Sanction

    sanctioned = Case.objects.exclude(party_outcome="", government_outcome="")
    assert sanctioned.exists()
    for case in sanctioned.select_related("member__org", "org"):
        assert case.member is not None, case.pk
        assert case.member.name == case.subject_name
        assert case.member.org.path.startswith(case.org.path)
        if case.party_outcome:
            assert case.sanction is not None and case.sanction.member_id == case.member_id
    party = sanctioned.exclude(party_outcome="")
    assert Sanction.objects.filter(pk__in=party.values("sanction")).count() == party.count()


def test_it_counts_education_attendance_from_members(city, client):
    from django.db.models import Count

    from dangjian.integrity.models import Education, EducationAttendance

    counted = Education.objects.annotate(n=Count("attendees"))
    assert counted.filter(n__gt=0).count() == counted.count()
    row = EducationAttendance.objects.select_related("education__org", "member__org").first()
    assert row.member.org.path.startswith(row.education.org.path)
    assert row.member.joined_on <= row.education.held_on
