"""Building pipelines through the services, with fixed dates, for the recruitment tests."""

import datetime as dt
import itertools
from decimal import Decimal

from django.urls import reverse
from personas import make_id

from dangjian.core.context import CLI
from dangjian.core.dates import add_years
from dangjian.members import services as member_services
from dangjian.recruitment import services
from dangjian.recruitment.models import Decision, Outcome, Recommendation

D = dt.date
TODAY = D(2026, 11, 20)
BIRTH = D(1996, 5, 10)
APPLIED = D(2023, 1, 10)
OLD_JOIN = D(2010, 7, 1)
MEETING = D(2024, 6, 3)
APPROVAL = D(2024, 6, 20)
_ids = itertools.count(700)

# Steps 2-14 and the 公示 of one applicant (applied 2023-01-10): the 公示 starts on a Monday,
# so its five working days end on Friday 2024-05-17.
STANDARD = (
    ("talk", D(2023, 1, 20), {}),
    ("activist", D(2023, 3, 1), {"method": Recommendation.LEAGUE}),
    ("activist_filing", D(2023, 3, 5), {}),
    ("contacts", D(2023, 3, 6), {"members": "contacts"}),
    ("review", D(2023, 9, 1), {"note": "表现良好"}),
    ("candidate", D(2024, 3, 1), {}),
    ("candidate_filing", D(2024, 3, 5), {}),
    ("introducers", D(2024, 3, 10), {"members": "introducers"}),
    ("political_review", D(2024, 4, 1), {"note": "合格"}),
    ("training", D(2024, 4, 10), {"by": "业余党校", "hours": Decimal(24)}),
    ("committee_review", D(2024, 5, 6), {}),
    ("publicity", D(2024, 5, 13), {}),
    ("pre_review", D(2024, 5, 20), {}),
    ("application_form", D(2024, 5, 22), {}),
)
# The same, ending with a 支部大会 on 29 February 2024 (applied 2022-10-10).
LEAP = (
    ("talk", D(2022, 10, 20), {}),
    ("activist", D(2022, 12, 1), {"method": Recommendation.LEAGUE}),
    ("activist_filing", D(2022, 12, 5), {}),
    ("contacts", D(2022, 12, 6), {"members": "contacts"}),
    ("review", D(2023, 6, 1), {}),
    ("candidate", D(2023, 12, 1), {}),
    ("candidate_filing", D(2023, 12, 5), {}),
    ("introducers", D(2023, 12, 10), {"members": "introducers"}),
    ("political_review", D(2024, 1, 5), {}),
    ("training", D(2024, 1, 10), {"days": Decimal(3)}),
    ("committee_review", D(2024, 1, 15), {}),
    ("publicity", D(2024, 1, 22), {}),
    ("pre_review", D(2024, 2, 19), {}),
    ("application_form", D(2024, 2, 20), {}),
)


def new_id(birth: dt.date = BIRTH, sex: str = "male") -> str:
    return make_id(birth, next(_ids), sex, area="640104")


def new_recruit(
    org,
    applied_on=APPLIED,
    *,
    name="赵申请",
    birth=BIRTH,
    sex="male",
    actor=CLI,
    **extra,
):
    fields = {
        "name": name,
        "sex": sex,
        "ethnicity": "汉族",
        "id_number": new_id(birth, sex),
        "education": "bachelor",
        "person_type": "teacher",
        "org": org,
        "applied_on": applied_on,
    }
    fields.update(extra)
    return services.create_recruit(actor, **fields)


def applicant_data(name, birth, org, applied_on, *, sex="male", **extra) -> dict:
    """What the applicant form and the API post for a new applicant; `org` as each expects."""
    return {
        "name": name,
        "sex": sex,
        "id_number": new_id(birth, sex),
        "education": "bachelor",
        "person_type": "teacher",
        "org": org,
        "applied_on": applied_on,
        **extra,
    }


def api_talk(client, recruit):
    """The first talk recorded through the API, as a JSON client sends it."""
    return client.post(
        reverse("api-recruit-steps", args=[recruit.pk]),
        {"key": "talk", "on": "2023-01-20"},
        content_type="application/json",
    )


def step(recruit, key, on, actor=CLI, **data):
    return services.record_step(actor, recruit, key, on=on, **data)


def advance(recruit, contacts, introducers, schedule=STANDARD, stop_before=None, actor=CLI):
    """Record the schedule's steps in order, up to (not including) `stop_before`."""
    people = {"contacts": contacts, "introducers": introducers}
    for key, on, data in schedule:
        if key == stop_before:
            break
        data = {k: people[v] if k == "members" else v for k, v in data.items()}
        step(recruit, key, on, actor=actor, **data)
    recruit.refresh_from_db()
    return recruit


def full_members(org, count: int, joined=OLD_JOIN):
    """`count` more full members in `org` (joined long ago). ID numbers come from their own
    area code: the shared world's counter lives in a conftest module this file cannot share."""
    converted = add_years(joined, 1)
    return [
        member_services.create_member(
            CLI,
            name=f"老党员{index}",
            sex="male",
            ethnicity="汉族",
            id_number=make_id(D(1980, 3, 3), next(_ids), "male", area="640105"),
            education="bachelor",
            org=org,
            person_type="teacher",
            joined_on=joined,
            converted_on=converted,
        )
        for index in range(count)
    ]


def ballots(voters, *, present: int, yes: int, written: int = 0, excused: int = 0):
    """The first `excused` voters do not count as should-attend; then `present` attend and
    `written` send a written opinion; the rest are absent. The first `yes` of those who
    vote say yes, the others no."""
    rows = []
    votes_left = yes
    for index, member in enumerate(voters):
        if index < excused:
            rows.append({"member": member, "should_attend": False})
            continue
        position = index - excused
        attended = position < present
        wrote = not attended and position < present + written
        choice = ""
        if attended or wrote:
            choice = "yes" if votes_left > 0 else "no"
            votes_left -= choice == "yes"
        rows.append({"member": member, "attended": attended, "written": wrote, "choice": choice})
    return rows


def admit(recruit, voters, meeting=MEETING, approval=APPROVAL, actor=CLI):
    step(
        recruit,
        "branch_meeting",
        meeting,
        actor=actor,
        ballots=ballots(voters, present=len(voters), yes=len(voters)),
    )
    step(recruit, "committee_talk", meeting + dt.timedelta(days=7), actor=actor)
    step(recruit, "approval", approval, actor=actor, outcome=Outcome.APPROVED)
    recruit.refresh_from_db()
    return recruit


def conversion_meeting(recruit, voters, meeting, decision=Decision.CONVERT, **extra):
    if not recruit.steps.filter(key="conversion_request").exists():
        step(recruit, "conversion_request", meeting - dt.timedelta(days=14))
    return step(
        recruit,
        "conversion_meeting",
        meeting,
        decision=decision,
        ballots=ballots(voters, present=len(voters), yes=len(voters)),
        **extra,
    )


def convert(recruit, voters, meeting, approval, decision=Decision.CONVERT, **extra):
    conversion_meeting(recruit, voters, meeting, decision, **extra)
    step(recruit, "conversion_approval", approval, outcome=Outcome.APPROVED)
    recruit.refresh_from_db()
    return recruit
