"""Lists count up to a cap (core.views.CappedPaginator): past it the page says "more than"
and offers no last page, instead of counting every row in scope on each view."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.core.registers.views import audit_read
from dangjian.core.views import CappedPaginator
from dangjian.integrity.registers import CaseRegister


@pytest.fixture
def groups(db):
    return Group.objects.bulk_create([Group(name=f"g{i}") for i in range(5)])


def test_below_the_cap_it_counts_exactly(groups):
    paginator = CappedPaginator(Group.objects.order_by("name"), 2, cap=5)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, False, 3)


def test_past_the_cap_it_stops_counting_and_says_so(groups):
    paginator = CappedPaginator(Group.objects.order_by("name"), 2, cap=4)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (4, True, 2)
    assert [g.name for g in paginator.page(2)] == ["g2", "g3"]


def test_a_list_not_a_queryset_is_counted_in_full():
    paginator = CappedPaginator(list(range(7)), 2, cap=3)
    assert (paginator.count, paginator.capped) == (7, False)


def test_the_member_list_says_more_than_and_audits_the_cap(world, login):
    client = login(world, "city_admin")
    url = reverse("member-list")
    with override_settings(DANGJIAN_LIST_COUNT_CAP=2, PAGE_SIZE=1):
        page = client.get(url).content.decode()
    assert "超过 2 条" in page and "末页" not in page and "第 1 / 2+ 页" in page
    with override_settings(DANGJIAN_LIST_COUNT_CAP=1000, PAGE_SIZE=1):
        page = client.get(url).content.decode()
    assert "超过" not in page and "末页" in page


def test_a_capped_read_is_audited_as_at_least(world):
    audit_read(CaseRegister.instance, world.users["city_admin"], count=2, capped=True)
    read = AuditEntry.objects.filter(action=AuditAction.READ).latest("pk")
    assert read.changes == {"count": [None, 2], "count_capped": [None, True]}


def test_a_page_is_its_ids_then_their_rows_in_the_same_order(groups, django_assert_num_queries):
    """The page's ids come first (a narrow query an index can answer), then the rows with
    what the list shows: the same records in the same order as slicing the queryset."""
    ordered = Group.objects.order_by("-name")
    paginator = CappedPaginator(ordered, 2, cap=10)
    paginator.count  # noqa: B018 - counted apart from the page
    with django_assert_num_queries(2):
        page = paginator.page(2)
        rows = list(page.object_list)
    assert rows == list(ordered[2:4]) and [g.name for g in rows] == ["g2", "g1"]


def test_a_distinct_or_values_queryset_is_paged_as_it_is(groups):
    values = Group.objects.order_by("name").values("name")
    assert list(CappedPaginator(values, 2, cap=10).page(1)) == [{"name": "g0"}, {"name": "g1"}]
    names = Group.objects.order_by("name").values_list("name", flat=True).distinct()
    assert list(CappedPaginator(names, 3, cap=10).page(2)) == ["g3", "g4"]
