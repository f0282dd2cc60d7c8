"""民主评议党员: 优秀 capped at a share of those graded (a setting, 1/3 by default: 3 of 9
pass, 4 of 9 are refused); 不合格 keeps its follow-up; only the roster is graded."""

import pytest
from personas import add_member

from dangjian.life import services
from dangjian.life.models import ReviewGrade
from tests.life.helpers import D, meeting


@pytest.fixture
def review(world):
    ba = world.orgs["ba"]
    for i in range(6):
        add_member(ba, f"评议{i}", joined=D(2015, 1, 1), converted=D(2016, 1, 1))
    return meeting(ba, "review", D(2025, 12, 20))


def grades(review, excellent: int):
    ids = list(review.attendances.values_list("member_id", flat=True).order_by("member_id"))
    assert len(ids) == 9
    return {
        pk: ("excellent" if i < excellent else "qualified", "", None) for i, pk in enumerate(ids)
    }


def test_it_accepts_excellent_up_to_the_cap(world, review):
    services.record_grades(world.users["secretary_a"], review, grades(review, 3))
    assert ReviewGrade.objects.filter(meeting=review, grade="excellent").count() == 3


def test_it_refuses_excellent_over_the_cap(world, review):
    with pytest.raises(services.ValidationError) as caught:
        services.record_grades(world.users["secretary_a"], review, grades(review, 4))
    assert "超过参评党员9人的1/3" in str(caught.value)
    assert not ReviewGrade.objects.exists()


def test_it_reads_the_cap_from_the_settings(world, review, settings):
    settings.DANGJIAN_REVIEW_EXCELLENT_NUMERATOR = 1
    settings.DANGJIAN_REVIEW_EXCELLENT_DENOMINATOR = 2
    services.record_grades(world.users["secretary_a"], review, grades(review, 4))
    with pytest.raises(services.ValidationError):
        services.record_grades(world.users["secretary_a"], review, grades(review, 5))


def test_it_counts_earlier_grades_against_the_cap(world, review):
    secretary = world.users["secretary_a"]
    all_grades = grades(review, 3)
    services.record_grades(secretary, review, all_grades)
    other = next(pk for pk, (g, _f, _d) in all_grades.items() if g == "qualified")
    with pytest.raises(services.ValidationError):
        services.record_grades(secretary, review, {other: ("excellent", "", None)})


def test_it_keeps_the_follow_up_of_an_unqualified_member(world, review):
    pk = review.attendances.values_list("member_id", flat=True).first()
    services.record_grades(
        world.users["secretary_a"], review, {pk: ("unqualified", "限期改正", D(2026, 1, 10))}
    )
    row = ReviewGrade.objects.get(meeting=review, member_id=pk)
    assert (row.followup, row.followup_on) == ("限期改正", D(2026, 1, 10))
    services.record_grades(world.users["secretary_a"], review, {pk: ("qualified", "x", None)})
    row.refresh_from_db()
    assert (row.grade, row.followup) == ("qualified", "")


def test_it_grades_only_the_roster_and_only_at_a_review(world, review):
    with pytest.raises(services.ValidationError):
        services.record_grades(
            world.users["secretary_a"], review, {world.members["x1"].pk: ("qualified", "", None)}
        )
    general = meeting(world.orgs["ba"], "general", D(2025, 12, 1))
    with pytest.raises(services.ValidationError):
        services.record_grades(world.users["secretary_a"], general, {})


def test_it_saves_grades_through_the_page(world, review, login):
    client = login(world, "secretary_a")
    url = f"/life/meetings/{review.pk}/review/"
    ids = list(review.attendances.values_list("member_id", flat=True))
    data = {f"m{pk}-grade": "excellent" for pk in ids[:4]}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "超过参评党员" in refused.content.decode()
    data = {f"m{pk}-grade": "qualified" for pk in ids}
    data[f"m{ids[0]}-grade"] = "excellent"
    assert client.post(url, data).status_code == 302
    assert ReviewGrade.objects.filter(meeting=review).count() == 9
    assert login(world, "secretary_b").get(url).status_code == 404
