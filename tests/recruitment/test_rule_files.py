"""Rule sets as files (DESIGN 6: a revision of the 细则 is a new rule set, chosen by the
date of each step): `dangjian rules load|export|list|show` and the administrators' page.
Every problem is named in Chinese and nothing is written on any; the diff against the set
before is shown before anything is written; loads are audited; export loads back."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.recruitment import rulefile, services
from dangjian.recruitment import rules as R
from dangjian.recruitment.models import RuleSet
from tests.recruitment.helpers import D, new_recruit, step

DOCS_FILE = Path(__file__).resolve().parents[2] / "docs" / "rules" / "2014.json"


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("rules", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def exported(code="2014") -> dict:
    return json.loads(rulefile.export(RuleSet.objects.get(code=code)))


def revision(**changes) -> dict:
    """The 2014 set as a new revision effective 2026-05-01, with `changes` to its rules."""
    data = exported()
    data.update(code="2026", name="发展党员工作细则(修订)", effective_from="2026-05-01")
    data["rules"].update(changes)
    return data


def write(tmp_path, data, name="rules.json") -> str:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return str(path)


def rule_set_audits():
    return AuditEntry.objects.filter(object_type="recruitment.ruleset")


# --- the file format -----------------------------------------------------------------------


def test_the_shipped_example_is_the_2014_set_exported(db):
    assert json.loads(DOCS_FILE.read_text(encoding="utf-8")) == exported()
    assert rulefile.parse(DOCS_FILE.read_bytes()) == rulefile.from_row(
        RuleSet.objects.get(code="2014")
    )


def test_it_names_every_problem_of_a_file(db):
    data = revision()
    data["rules"]["min_age"] = "十八"
    data["rules"]["quorum"] = {"num": 2, "den": 2}
    data["rules"]["intervals"][0]["max"] = "local:nosuch"
    data["rules"]["steps"][3]["requires"] = ["nosuch"]
    data["rules"]["steps"] = [s for s in data["rules"]["steps"] if s["key"] != "talk"]
    data["rules"]["typo"] = 1
    data["effective_from"] = "2026-5-1"
    with pytest.raises(rulefile.RuleFileError) as info:
        rulefile.parse(json.dumps(data))
    problems = info.value.problems
    assert "rules.min_age: 应为整数" in problems
    assert "rules.quorum: num 应小于 den(比例应小于1)" in problems
    assert "rules.typo: 未知的项" in problems
    assert "rules.steps: 缺少系统按其核对的步骤“talk”" in problems
    assert any(
        p.startswith("rules.intervals[0].max: 本地做法设置中没有“local:nosuch”") for p in problems
    )
    assert any("没有步骤“nosuch”" in p for p in problems)
    assert "effective_from(施行日期)必填, 格式为 YYYY-MM-DD" in problems
    assert not info.value.unreadable


def test_it_lists_changes_field_by_field_and_whole_steps_added():
    before = rulefile.RuleFile("a", "甲", "", D(2014, 5, 28), {"min_age": 18, "steps": []})
    after = rulefile.RuleFile(
        "b",
        "乙",
        "",
        D(2026, 5, 1),
        {"min_age": 18, "steps": [{"key": "x", "name": "新步骤"}], "training": {"hours": 32}},
    )
    shown = [str(c) for c in rulefile.compare(before, after)]
    assert shown == [
        "~ 代码: a → b",
        "~ 名称: 甲 → 乙",
        "~ 施行日期: 2014-05-28 → 2026-05-01",
        '+ 集中培训: {"hours": 32}',
        '+ 步骤 x: {"name": "新步骤"}',
    ]


# --- the command ---------------------------------------------------------------------------


def test_export_then_load_changes_nothing(db, tmp_path):
    code, out, _err = run("export", "2014", "-o", str(tmp_path / "2014.json"))
    assert code == 0
    code, out, err = run("load", str(tmp_path / "2014.json"))
    assert (code, err) == (0, "")
    assert "规则集“2014”与已载入的相同, 未作修改" in out
    assert not rule_set_audits().exists()


def test_it_loads_a_revision_with_its_diff_dated_and_audited(db, tmp_path):
    path = write(tmp_path, revision(training={"days": 3, "hours": 32}))
    code, out, err = run("load", path, "--dry-run")
    assert (code, err) == (0, "")
    assert "与规则集“2014”《中国共产党发展党员工作细则(2014年)》相比, 共 4 处差异:" in out
    assert "~ 集中培训 · hours: 24 → 32" in out
    assert "校验通过(试运行, 未写入): 将新增规则集“2026”" in out
    assert not RuleSet.objects.filter(code="2026").exists()

    code, out, err = run("load", path)
    assert (code, err) == (0, "")
    assert "~ 集中培训 · hours: 24 → 32" in out
    assert "载入完成: 新增规则集“2026”《发展党员工作细则(修订)》, 2026-05-01起施行" in out
    loaded = RuleSet.objects.get(code="2026")
    assert loaded.effective_from == D(2026, 5, 1) and loaded.rules["training"]["hours"] == 32
    entry = rule_set_audits().get()
    assert entry.action == AuditAction.CREATE and entry.actor_name == "cli"
    # The engine chooses by the step's date: the old set before, the new one from that day.
    book = R.RuleBook.load()
    assert book.on(D(2026, 4, 30)).rule_set.code == "2014"
    assert book.on(D(2026, 5, 1)).training[1] == 32
    # And it round-trips.
    again = run("export", "2026")[1]
    assert json.loads(again) == json.loads(Path(path).read_text(encoding="utf-8"))


def test_a_bad_file_is_exit_1_with_every_problem_and_nothing_written(db, tmp_path):
    data = revision(min_age=0)
    data["effective_from"] = "2014-05-28"
    code, out, err = run("load", write(tmp_path, data))
    assert code == 1 and out == ""
    assert "rules.min_age: 不能小于1" in err
    assert "2014-05-28已有规则集《中国共产党发展党员工作细则(2014年)》(代码2014)施行" in err
    assert err.strip().endswith("校验未通过: 共 2 个问题, 未写入任何数据")
    assert RuleSet.objects.count() == 1 and not rule_set_audits().exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"code": "x",\n "name": }', "第2行第10列: JSON格式错误"),
        ("[1, 2]", "文件内容应为一个JSON对象"),
    ],
)
def test_an_unreadable_file_is_exit_2(db, tmp_path, text, message):
    code, _out, err = run("load", write(tmp_path, text))
    assert code == 2 and message in err
    assert run("load", str(tmp_path / "missing.json"))[0] == 2


def test_a_set_steps_were_checked_against_cannot_change(world, tmp_path):
    new_recruit(world.orgs["ba"])  # its application step was checked against 2014
    data = exported()
    data["rules"]["min_age"] = 16
    code, _out, err = run("load", write(tmp_path, data))
    assert code == 1
    assert "规则集“2014”已有1个步骤按其核对, 不能修改; 修订的规则请以新的代码和施行日期载入" in err
    assert RuleSet.objects.get(code="2014").rules["min_age"] == 18


def test_an_unused_set_is_replaced_with_its_diff(db, tmp_path):
    run("load", write(tmp_path, revision()))
    code, out, _err = run("load", write(tmp_path, revision(introducers=3), name="b.json"))
    assert code == 0
    assert "与规则集“2026”" in out and "~ 入党介绍人人数: 2 → 3" in out
    assert "载入完成: 替换规则集“2026”" in out
    assert RuleSet.objects.get(code="2026").rules["introducers"] == 3
    assert [e.action for e in rule_set_audits().order_by("id")] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
    ]


def test_only_unrestricted_users_load(world, tmp_path):
    code, _out, err = run("load", write(tmp_path, revision()), "--as", "city_admin")
    assert code == 1 and "只有不受范围限制的管理员可以载入规则集" in err
    assert run("load", "x.json", "--as", "nobody")[0] == 1
    assert not RuleSet.objects.filter(code="2026").exists()


def test_steps_after_the_date_are_checked_against_the_new_set(world, tmp_path, monkeypatch):
    monkeypatch.setattr(services, "_today", lambda: D(2026, 11, 20))
    recruit = new_recruit(world.orgs["ba"], D(2026, 3, 2))
    run("load", write(tmp_path, revision()))
    talk = step(recruit, "talk", D(2026, 5, 6))
    assert talk.rule_set.code == "2026"
    assert recruit.steps.get(key="application").rule_set.code == "2014"


def test_list_and_show(db, tmp_path):
    run("load", write(tmp_path, revision(min_age=19)))
    code, out, _err = run("list")
    assert code == 0 and out.splitlines()[-1].startswith("2026\t2026-05-01\t")
    code, out, _err = run("show", "2026")
    assert "~ 递交入党申请书最低年龄: 18 → 19" in out
    assert run("show", "nosuch")[0] == 1


# --- the page --------------------------------------------------------------------------------


@pytest.fixture
def root(world, client):
    user = get_user_model().objects.create_superuser("root", password="Root#Pass2026")
    client.force_login(user)
    return client


def test_only_unrestricted_users_see_the_page(world, login):
    url = reverse("recruit-rules-load")
    assert login(world, "city_admin").get(url).status_code == 404
    assert login(world, "secretary_a").get(url).status_code == 404
    assert (
        "载入规则集"
        not in login(world, "city_admin").get(reverse("recruit-rules")).content.decode()
    )


def test_the_page_shows_the_diff_then_loads_on_confirmation(root):
    url = reverse("recruit-rules-load")
    assert "载入规则集" in root.get(reverse("recruit-rules")).content.decode()
    text = json.dumps(revision(training={"days": 3, "hours": 32}), ensure_ascii=False)
    upload = SimpleUploadedFile("r.json", text.encode(), content_type="application/json")
    preview = root.post(url, {"upload": upload})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "将新增规则集“2026”《发展党员工作细则(修订)》, 2026-05-01起施行" in html
    assert "集中培训 · hours" in html and "<code>24</code>" in html and "<code>32</code>" in html
    assert 'name="confirm"' in html
    assert not RuleSet.objects.filter(code="2026").exists()
    done = root.post(url, {"content": preview.context["form"].initial["content"], "confirm": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("recruit-rules")
    assert RuleSet.objects.get(code="2026").rules["training"]["hours"] == 32
    entry = rule_set_audits().get()
    assert entry.action == AuditAction.CREATE and entry.actor_name == "root"


def test_the_page_lists_every_problem_and_writes_nothing(root):
    data = revision(introducers=0)
    data["rules"]["steps"][0]["by"] = "someone"
    response = root.post(
        reverse("recruit-rules-load"), {"content": json.dumps(data), "confirm": "1"}
    )
    html = response.content.decode()
    assert "校验未通过: 共 2 个问题, 未写入任何数据" in html
    assert "rules.introducers: 不能小于1" in html
    assert "应为 branch(党支部) 或 committee(上级党委)" in html
    assert RuleSet.objects.count() == 1 and not rule_set_audits().exists()
    empty = root.post(reverse("recruit-rules-load"), {"content": " "})
    assert "请选择规则集文件或粘贴文件内容" in empty.content.decode()


def test_the_page_exports_a_file_that_loads_back_unchanged(root):
    response = root.get(reverse("recruit-rules-export", args=[RuleSet.objects.get(code="2014").pk]))
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == exported()
    again = root.post(reverse("recruit-rules-load"), {"content": response.content.decode()})
    assert again.status_code == 302
    assert not rule_set_audits().exists()
