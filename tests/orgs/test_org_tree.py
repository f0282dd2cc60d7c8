from django.urls import reverse


def test_it_shows_the_roots_of_each_scope(world, login):
    page = login(world, "city_admin").get(reverse("org-tree")).content.decode()
    assert "测试市教育局党委" in page
    assert reverse("org-children", args=[world.orgs["city"].pk]) in page

    response = login(world, "county_admin").get(reverse("org-tree"))
    assert [node.code for node in response.context["nodes"]] == ["T-COUNTY"]
    page = response.content.decode()
    assert "测试县教体局党委" in page
    assert "测试市教育局党委" not in page
    assert "另一县教体局党委" not in page
    assert "党员 8 名" in page

    response = login(world, "secretary_a").get(reverse("org-tree"))
    assert [node.code for node in response.context["nodes"]] == ["T-BA"]
    page = response.content.decode()
    assert "甲小学党支部" in page
    assert "第一学区党总支" not in page
    assert "党员 3 名" in page


def test_it_shows_the_real_roots_to_a_superuser(world, login, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="Root#Pass2026")
    client = login(world, "anonymous")
    client.force_login(root)
    response = client.get(reverse("org-tree"))
    assert response.status_code == 200
    assert list(response.context["nodes"]) == [world.orgs["city"]]


def test_a_member_without_a_view_role_gets_404_on_the_tree(world, login):
    """Issue 21 item 7: not an empty tree, the Chinese 404 page like any page out of scope."""
    response = login(world, "member").get(reverse("org-tree"))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_it_loads_children_as_a_fragment(world, login):
    response = login(world, "county_admin").get(
        reverse("org-children", args=[world.orgs["county"].pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "第一学区党总支" in page and "丙丁联合党支部" in page
    assert "甲小学党支部" not in page
    assert page.count("换届逾期") == 1  # 第一学区党总支: 2020 + 3 years is past
    assert "党员 6 名" in page  # the 党总支's subtree: 甲 3 + 乙 3


def test_it_searches_by_name_and_code_with_the_visible_path(world, login):
    response = login(world, "county_admin").get(reverse("org-tree"), {"q": "小学"})
    results = response.context["results"]
    assert [org.code for org, _ in results] == ["T-BA"]
    assert [a.name for a in results[0][1]] == ["测试县教体局党委", "第一学区党总支"]
    page = response.content.decode()
    assert "测试县教体局党委 / 第一学区党总支" in page
    assert "戊小学党支部" not in page

    response = login(world, "county_admin").get(reverse("org-tree"), {"q": "t-jb"})
    assert [org.code for org, _ in response.context["results"]] == ["T-JB"]

    response = login(world, "secretary_a").get(reverse("org-tree"), {"q": "党"})
    results = response.context["results"]
    assert [org.code for org, _ in results] == ["T-BA"]
    assert results[0][1] == []
    assert "第一学区党总支" not in response.content.decode()


def test_it_says_so_when_nothing_matches(world, login):
    response = login(world, "secretary_a").get(reverse("org-tree"), {"q": "乙中学"})
    assert "没有找到匹配的党组织" in response.content.decode()


def test_it_finds_orgs_by_pinyin_initials_and_full_pinyin(world, login):
    client = login(world, "county_admin")
    for text in ("jxx", "JXX", "jiaxiaoxue", "dzb"):
        response = client.get(reverse("org-tree"), {"q": text})
        codes = {org.code for org, _ in response.context["results"]}
        assert "T-BA" in codes, text
        assert "T-COUNTY2" not in codes and "T-BX" not in codes  # 戊小学: another county
    response = client.get(reverse("org-tree"), {"q": "jxx"})
    assert [org.code for org, _ in response.context["results"]] == ["T-BA"]

    # The keys follow a rename made through the service.
    from dangjian.core.context import CLI
    from dangjian.orgs import services

    services.update_org(CLI, world.orgs["ba"], name="育才小学党支部")
    assert not client.get(reverse("org-tree"), {"q": "jxx"}).context["results"]
    results = client.get(reverse("org-tree"), {"q": "ycxx"}).context["results"]
    assert [org.code for org, _ in results] == ["T-BA"]


def test_it_finds_schools_by_pinyin_initials(world, login):
    response = login(world, "county_admin").get(reverse("school-list"), {"q": "bxx"})
    assert [school.code for school in response.context["page"].object_list] == ["S-C"]
    response = login(world, "county_admin").get(reverse("school-list"), {"q": "wxx"})
    assert list(response.context["page"].object_list) == []  # 戊小学 is outside the county
