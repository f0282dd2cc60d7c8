from dangjian.members.models import Member
from dangjian.orgs.models import Organization, School


def test_it_scopes_the_shared_world(world):
    u = world.users
    assert Member.objects.restrict(u["city_admin"]).count() == 10
    assert Member.objects.restrict(u["county_admin"]).count() == 8
    assert set(Member.objects.restrict(u["secretary_a"]).values_list("name", flat=True)) == {
        "张三",
        "李四",
        "王五",
    }
    assert list(Member.objects.restrict(u["member"])) == [world.members["a1"]]
    assert Organization.objects.restrict(u["member"]).count() == 0
    assert set(School.objects.restrict(u["secretary_a"]).values_list("code", flat=True)) == {"S-A"}
    assert School.objects.restrict(u["county_admin"]).count() == 5
