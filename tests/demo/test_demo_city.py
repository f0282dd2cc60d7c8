"""示例市 (INTERFACES 5), loaded once for the package (tests/demo/conftest.py): the seed
speech's 2010 figures are counted back from the records with plain queries and with the
statistics engine."""

import datetime as dt
import io
import re
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q, Sum
from django.utils import timezone

from dangjian.core.dates import add_years, age_on
from dangjian.core.models import AuditAction, AuditEntry, RoleAssignment
from dangjian.core.validators import id_birth_date, id_sex, validate_id_number, validate_phone
from dangjian.members.models import Member, MemberEvent, Membership
from dangjian.orgs.models import (
    MassOrganization,
    Organization,
    OrgKind,
    Position,
    PositionTitle,
    School,
)
from dangjian.stats import dashboard
from dangjian.stats.engine import statistics

SEED_DAY = dt.date(2010, 12, 31)
CAMPAIGN = (dt.date(2009, 1, 1), SEED_DAY)
ACCOUNT_LINE = re.compile(r"^账号 (\S+) 密码 (\S+) (\S+)$", re.MULTILINE)


def subtree(code: str):
    return Organization.objects.get(code=code).subtree()


def existing_on(day: dt.date) -> Q:
    return Q(founded_on__isnull=True) | Q(founded_on__lte=day)


def spells_on(day: dt.date):
    return Membership.objects.filter(start_on__lte=day).filter(
        Q(end_on__isnull=True) | Q(end_on__gt=day)
    )


def test_it_prints_the_five_demo_accounts(demo_output):
    accounts = ACCOUNT_LINE.findall(demo_output)
    usernames = [username for username, _, _ in accounts]
    assert usernames == ["admin", "county", "branch", "member", "jijian"]
    assert ("admin", "Demo@2026a", "市教育局党委管理员") in accounts
    assert [who for username, _, who in accounts if username == "jijian"] == ["市教育局纪检"]
    for _, password, _ in accounts:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        assert len(password) >= 8 and sum(classes) >= 3


def test_it_lets_every_printed_account_log_in_with_its_role(demo_output, city, client):
    accounts = ACCOUNT_LINE.findall(demo_output)
    for username, password, _ in accounts:
        assert client.login(username=username, password=password), username
        client.logout()
    User = get_user_model()
    roles = {
        (a.user.username, a.role, a.org.code)
        for a in RoleAssignment.objects.select_related("user", "org")
    }
    assert ("admin", "admin", "DEMO") in roles
    assert ("jijian", "discipline", "DEMO") in roles
    assert ("county", "organiser", "DEMO-XIAN1") in roles
    branch = Organization.objects.get(name="示例区第三中学党支部")
    assert ("branch", "organiser", branch.code) in roles
    member = Member.objects.get(user=User.objects.get(username="member"))
    assert member.org == branch and member.status == "active"
    assert not Position.objects.current().filter(org=branch, holder_name=member.name).exists()
    secretary = Position.objects.current().get(org=branch, title=PositionTitle.SECRETARY)
    assert User.objects.get(username="branch").first_name == secretary.holder_name


def test_it_covers_the_district_schools_as_the_speech_reports(city):
    district = subtree("DEMO-QU")
    orgs_2010 = Counter(district.filter(existing_on(SEED_DAY)).values_list("kind", flat=True))
    assert orgs_2010[OrgKind.GENERAL_BRANCH] == 14
    assert orgs_2010[OrgKind.BRANCH] == 78
    assert orgs_2010[OrgKind.JOINT_BRANCH] == 15
    schools = School.objects.filter(
        Q(covering_org__in=district) | Q(covering_org__isnull=True, supervising_org__in=district)
    )
    assert schools.count() == 111
    covered = schools.filter(covering_org__in=district.filter(founded_on__lte=SEED_DAY)).count()
    assert covered == 111
    # 12 学区 and 2 高中 党总支, their first committees by 考察任命 in 2009-2010.
    general = district.filter(kind=OrgKind.GENERAL_BRANCH)
    assert general.filter(name__endswith="学区党总支").count() == 12
    assert general.filter(name__endswith="中学党总支").count() == 2
    for org in general:
        assert dt.date(2009, 1, 1) <= org.founded_on <= SEED_DAY
        first = Position.objects.filter(org=org, title=PositionTitle.SECRETARY).order_by(
            "start_on"
        )[0]
        assert first.formed_by == "appointment" and first.start_on == org.founded_on
    for joint in district.filter(kind=OrgKind.JOINT_BRANCH):
        assert 2 <= joint.covered_schools.count() <= 5
    assert district.filter(kind=OrgKind.GROUP).exists()


def test_it_gives_every_branch_three_full_members_on_the_report_date(city):
    branches = Organization.objects.filter(
        kind__in=[OrgKind.BRANCH, OrgKind.JOINT_BRANCH], founded_on__lte=SEED_DAY
    )
    assert branches.count() > 93
    full = Counter(
        spells_on(SEED_DAY)
        .filter(member__converted_on__lte=SEED_DAY)
        .values_list("org_id", flat=True)
    )
    assert [b.code for b in branches if full[b.pk] < 3] == []


def test_it_admitted_192_members_in_2009_and_2010(city):
    in_city = Member.objects.filter(org__path__startswith=city.path)
    assert in_city.filter(joined_on__range=CAMPAIGN).count() == 192
    joined = MemberEvent.objects.filter(kind="joined", on__range=CAMPAIGN)
    assert joined.count() == 192
    assert not MemberEvent.objects.filter(kind="moved_in", member__joined_on__range=CAMPAIGN)
    admitted = in_city.filter(joined_on__range=CAMPAIGN)
    converted = admitted.exclude(converted_on__isnull=True)
    assert all(add_years(m.joined_on, 1) <= m.converted_on for m in converted)
    assert sum(add_years(m.joined_on, 1) == m.converted_on for m in converted) > 150
    assert admitted.filter(person_type="teacher").count() > 140


def test_it_has_party_member_teachers_at_34_8_percent_of_teachers(city):
    teachers = School.objects.filter(
        Q(supervising_org__path__startswith=city.path) | Q(covering_org__path__startswith=city.path)
    ).aggregate(total=Sum("teacher_count"))["total"]
    party_teachers = (
        spells_on(SEED_DAY)
        .filter(org__path__startswith=city.path, member__person_type="teacher")
        .count()
    )
    assert round(party_teachers / teachers, 4) == 0.348


def test_it_has_league_and_pioneer_organisations_in_every_school_that_needs_one(city):
    mass = MassOrganization.objects.filter(existing_on(SEED_DAY))
    assert mass.filter(kind="youth_league_committee").count() == 49
    assert mass.filter(kind="young_pioneers").count() == 448
    for kind, stages in (
        ("youth_league_committee", ["junior", "senior", "complete", "nine_year", "vocational"]),
        ("young_pioneers", ["primary", "junior", "nine_year"]),
    ):
        without = School.objects.filter(stage__in=stages).exclude(mass_orgs__kind=kind)
        assert not without.exists()
        founded = mass.filter(kind=kind).values_list("founded_on", flat=True)
        assert all(dt.date(2009, 1, 1) <= day <= SEED_DAY for day in founded)
    assert MassOrganization.objects.filter(kind="union").count() == School.objects.count()


def test_it_agrees_with_the_statistics_engine(city):
    district = statistics(Organization.objects.get(code="DEMO-QU"), SEED_DAY)
    assert district["schools"] == {"total": 111, "covered": 111, "coverage": 1.0}
    assert district["orgs"]["党总支"] == 14
    assert district["orgs"]["党支部"] == 78
    assert district["orgs"]["联合党支部"] == 15
    whole = statistics(city, SEED_DAY, period=CAMPAIGN)
    assert whole["teachers"]["ratio"] == 0.348
    assert whole["mass_orgs"]["团委"] == 49
    assert whole["mass_orgs"]["少先队大队"] == 448
    assert whole["changes"]["joined"] == 192


def test_it_continues_the_history_to_today(city):
    today = dt.date.today()
    joined_by_year = Counter(
        MemberEvent.objects.filter(kind="joined", on__gt=SEED_DAY).values_list(
            "on__year", flat=True
        )
    )
    for year in range(2011, today.year):
        assert 80 <= joined_by_year[year] <= 125, year
    assert MemberEvent.objects.filter(kind="transferred", on__gt=SEED_DAY).count() > 50
    assert MemberEvent.objects.filter(kind="deceased", on__gt=SEED_DAY).exists()
    assert MemberEvent.objects.filter(kind="moved_out", on__gt=SEED_DAY).count() > 100
    active = Member.objects.filter(status="active")
    year_ago = add_years(today, -1)
    assert active.filter(converted_on__isnull=True, joined_on__gt=year_ago).count() > 20
    assert active.filter(converted_on__isnull=True, joined_on__lte=year_ago).count() >= 2
    orgs = list(Organization.objects.exclude(kind=OrgKind.GROUP))
    assert any(org.election_overdue(today) for org in orgs)
    due_soon = [
        org
        for org in orgs
        if org.next_election_on and today <= org.next_election_on <= today + dt.timedelta(90)
    ]
    assert due_soon
    secretaries = set(
        Position.objects.current(today)
        .filter(title=PositionTitle.SECRETARY)
        .values_list("org_id", flat=True)
    )
    assert [org.code for org in orgs if org.pk not in secretaries] == []
    uncovered = School.objects.filter(covering_org__isnull=True)
    assert 0 < uncovered.count() < 10
    district = Organization.objects.get(code="DEMO-QU")
    assert not uncovered.filter(supervising_org__path__startswith=district.path).exists()


def test_it_makes_believable_people(city):
    today = dt.date.today()
    members = list(Member.objects.all())
    assert len(members) > 5000
    for member in members:
        assert validate_id_number(member.id_number) == member.id_number
        assert member.id_number[:6] in {"640502", "640521", "640522", "640501"}
        assert id_sex(member.id_number) == member.sex
        assert id_birth_date(member.id_number) == member.birth_date
        assert age_on(member.birth_date, member.joined_on) >= 18
        if member.phone:
            validate_phone(member.phone)
    active = [m for m in members if m.status == "active"]
    ages = [age_on(m.birth_date, today) for m in active]
    assert max(ages) <= 75
    assert min(ages) >= 18
    assert all(age_on(m.birth_date, today) >= 22 for m in active if m.person_type != "student")
    ethnic = Counter(m.ethnicity for m in active)
    assert ethnic.most_common(2)[0][0] == "汉族" and ethnic.most_common(2)[1][0] == "回族"
    assert 0.1 < ethnic["回族"] / len(active) < 0.4
    teachers = [m for m in active if m.person_type == "teacher"]
    assert 0.5 < sum(m.sex == "female" for m in teachers) / len(teachers) < 0.7
    education = Counter(m.education for m in active)
    assert education["bachelor"] + education["college"] > 0.75 * len(active)
    backbone = Counter(m.backbone for m in teachers)
    assert 0 < backbone["famous"] < backbone["skilled"]
    assert {m.person_type for m in active} >= {"teacher", "manager", "support", "retired"}
    assert min(m.joined_on for m in members).year < 1980


def test_it_audits_the_load_as_the_command_line(city):
    batches = AuditEntry.objects.filter(action=AuditAction.IMPORT, actor_name="cli")
    dues = batches.filter(object_repr__endswith="年党费")  # the 党费 batch (demo/dues.py)
    assert dues.count() == 1
    # The members' batches; the modules' histories (责任与考核, 党费...) write one row each.
    imports = batches.filter(changes__has_key="count").exclude(pk__in=dues)
    assert imports.count() == 2
    assert sum(entry.changes["count"][1] for entry in imports) == Member.objects.count()
    assert not AuditEntry.objects.exclude(actor_name="cli").exists()


def test_it_does_not_load_the_city_twice(demo_output, city):
    before = (Organization.objects.count(), School.objects.count(), Member.objects.count())
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    after = (Organization.objects.count(), School.objects.count(), Member.objects.count())
    assert after == before
    assert ACCOUNT_LINE.findall(out.getvalue()) == ACCOUNT_LINE.findall(demo_output)
    assert "跳过加载" in out.getvalue()


def test_no_school_has_more_party_member_teachers_than_teachers(city):
    """The dashboard's 党员教师比例 per school stays at or below 100%, on the report date, a
    year ago and today, while the city's 34.8% holds (the test above)."""
    today = timezone.localdate()
    for day in (SEED_DAY, add_years(today, -1), today):
        top, _bottom = dashboard.build(city, day).ranked_schools()
        assert top and top[0].ratio <= 1.0, (day, top[0].name, top[0].ratio)
        counts = Counter(
            spells_on(day)
            .filter(person_type="teacher", work_unit__isnull=False)
            .values_list("work_unit", flat=True)
        )
        for school in School.objects.all():
            assert counts[school.pk] <= school.teacher_count, (day, school.name)
