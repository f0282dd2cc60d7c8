"""INTERFACES 4.1 (orgs.xlsx) through `dangjian import orgs`: every rule with a failing and
a passing row, forward references, cycles, scope, and one audit row per file."""

import datetime as dt

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.orgs.models import Organization
from tests.dataio.helpers import import_file, import_problems


def org(code, name, kind, parent, **extra):
    return {"组织代码": code, "组织名称": name, "组织类别": kind, "上级组织代码": parent, **extra}


def test_it_creates_orgs_with_forward_references_in_parent_first_order(world, tmp_path):
    code, out, err = import_file(
        tmp_path,
        "orgs",
        [
            # The group comes first, its branch and 总支 later in the file.
            org("N-G1", "第一党小组", "党小组", "N-B1"),
            org("N-B1", "新小学党支部", "党支部", "N-GB", 成立日期=dt.date(2015, 9, 1), 任期年限=3),
            org("N-GB", "新学区党总支", "党总支", "T-COUNTY", 本届任期开始="2023/03/01"),
        ],
    )
    assert (code, err) == (0, "")
    assert out.strip() == "导入完成: 新增 3, 更新 0"
    county = world.orgs["county"]
    gb = Organization.objects.get(code="N-GB")
    branch = Organization.objects.get(code="N-B1")
    group = Organization.objects.get(code="N-G1")
    assert (
        Organization.objects.get_parent(gb) == county
        and Organization.objects.get_parent(branch) == gb
        and Organization.objects.get_parent(group) == branch
    )
    assert branch.founded_on == dt.date(2015, 9, 1) and branch.term_years == 3
    assert gb.term_start == dt.date(2023, 3, 1)
    county.refresh_from_db()
    assert county.numchild == Organization.objects.get_children(county).count()
    # The tree stays sound for treebeard: a later child lands after the imported ones.
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    # The bulk path keeps the pinyin search keys, as save() does.
    assert list(Organization.objects.all().search("xxxdzb").values_list("code", flat=True)) == [
        "N-B1"
    ]


def test_it_updates_an_existing_code_and_moves_it_when_the_parent_changes(world, tmp_path):
    code, out, err = import_file(
        tmp_path,
        "orgs",
        [
            org("T-BB", "乙中学党支部(改名)", "党支部", "T-GB"),
            org("T-JB", "丙丁联合党支部", "联合党支部", "T-GB"),
        ],
    )
    assert (code, err) == (0, "")
    assert out.strip() == "导入完成: 新增 0, 更新 2"
    assert Organization.objects.get(code="T-BB").name == "乙中学党支部(改名)"
    assert Organization.objects.get(code="T-BB").name_initials == "yzxdzbgm"
    moved = Organization.objects.get(code="T-JB")
    assert Organization.objects.get_parent(moved).code == "T-GB"
    # Its members moved with it (the path changed, the link did not).
    assert world.members["c1"].org_id == moved.pk


def test_it_checks_codes_kinds_dates_and_term_years(world, tmp_path):
    code, out, err = import_file(
        tmp_path,
        "orgs",
        [
            org("bad code", "甲", "党支部", "T-GB"),
            org("N-1", "", "党支部", "T-GB"),
            org("N-2", "乙", "支部委员会", "T-GB"),
            org("N-3", "丙", "党支部", "T-GB", 成立日期=dt.date(2999, 1, 1)),
            org("N-4", "丁", "党支部", "T-GB", 任期年限=6),
            org("N-5", "戊", "党支部", "T-GB", 任期年限=0),
            org("N-6", "己", "党支部", "T-GB", 本届任期开始="2020-13-01"),
            org("N-OK", "庚", "党支部", "T-GB", 任期年限=5),
        ],
    )
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[:-1] == [
        "第2行 [组织代码] 代码只能由1-32位字母、数字、下划线或连字符组成",
        "第3行 [组织名称] 不能为空",
        "第4行 [组织类别] “支部委员会”不是允许的值, 应为: 党委、党工委、党总支、党支部、联合党支部、临时党支部、党小组",
        "第5行 [成立日期] 不能晚于今天",
        "第6行 [任期年限] 不能大于5",
        "第7行 [任期年限] 不能小于1",
        "第8行 [本届任期开始] 日期不存在: 2020-13-01",
    ]
    assert lines[-1] == "校验未通过: 共 7 个问题, 未写入任何数据"
    assert not Organization.objects.filter(code__startswith="N-").exists()


def test_it_refuses_duplicate_codes_in_the_file(world, tmp_path):
    code, _out, err = import_file(
        tmp_path,
        "orgs",
        [org("N-1", "甲", "党支部", "T-GB"), org("N-1", "乙", "党支部", "T-GB")],
    )
    assert code == 1
    assert "第3行 [组织代码] 组织代码与第2行重复" in err


def test_it_checks_the_parent_exists_and_the_kind_fits_under_it(world, tmp_path):
    rows = [
        org("N-1", "甲", "党支部", "NOWHERE"),
        org("N-2", "乙", "党小组", "T-GB"),
        org("N-3", "丙", "党总支", "T-BA"),
        org("N-4", "丁", "党支部", ""),
        org("N-5", "戊", "党小组", "T-BA"),
        org("N-6", "己", "党支部", "N-6"),
    ]
    assert import_problems(tmp_path, "orgs", rows) == [
        "第2行 [上级组织代码] 上级组织代码“NOWHERE”不存在或不在您的权限范围内, 本文件中也没有",
        "第3行 [组织类别] 党小组只能隶属于党支部、联合党支部、临时党支部, 不能隶属于党总支",
        "第4行 [组织类别] 党总支只能隶属于党委、党工委, 不能隶属于党支部",
        "第5行 [组织类别] 党支部必须有上级组织",
        "第7行 [上级组织代码] 上级组织不能是本组织",
    ]


def test_it_finds_cycles_within_the_file_and_through_existing_orgs(world, tmp_path):
    code, _out, err = import_file(
        tmp_path,
        "orgs",
        [
            org("N-A", "甲委", "党委", "N-C"),
            org("N-C", "丙委", "党委", "N-A"),
            # An existing 党委 moved under its own descendant.
            org("T-COUNTY", "测试县教体局党委", "党委", "N-X"),
            org("N-X", "新党委", "党委", "T-COUNTY"),
        ],
    )
    assert code == 1
    assert "第2行 [上级组织代码] 上级关系形成循环: N-A → N-C → N-A" in err
    assert "第3行 [上级组织代码] 上级关系形成循环" in err
    assert "第4行 [上级组织代码] 上级关系形成循环: T-COUNTY → N-X → T-COUNTY" in err
    assert "第5行 [上级组织代码] 上级关系形成循环" in err


def test_it_keeps_existing_children_fitting_a_changed_kind(world, tmp_path):
    code, _out, err = import_file(
        tmp_path, "orgs", [org("T-GB", "第一学区党总支", "党支部", "T-COUNTY")]
    )
    assert code == 1
    assert "下级组织“T-BA”与新的组织类别不符" in err
    code, _out, err = import_file(
        tmp_path, "orgs", [org("T-BA", "甲小学党总支", "党总支", "T-COUNTY")], name="b.xlsx"
    )
    assert code == 1
    assert "该组织下有党员, 组织类别只能是党支部、联合党支部或临时党支部" in err


def test_it_holds_an_actor_to_their_scope_without_revealing_other_orgs(world, tmp_path):
    # secretary_a organises T-BA only: a 党小组 under it is fine, under T-BB it is not.
    code, out, err = import_file(
        tmp_path, "orgs", [org("N-G", "甲一组", "党小组", "T-BA")], "--as", "secretary_a"
    )
    assert (code, out.strip()) == (0, "导入完成: 新增 1, 更新 0"), err
    code, _out, err = import_file(
        tmp_path,
        "orgs",
        [
            org("N-H", "乙一组", "党小组", "T-BB"),
            org("T-BX", "改名", "党支部", "T-COUNTY2"),
            org("N-R", "新根", "党委", ""),
        ],
        "--as",
        "secretary_a",
        name="b.xlsx",
    )
    assert code == 1
    assert "第2行 [上级组织代码] 上级组织代码“T-BB”不存在或不在您的权限范围内" in err
    assert "第3行 [组织代码] 组织代码已被使用, 不能导入; 请换用其他代码" in err
    assert "第4行 [上级组织代码] 上级组织代码不能为空" in err
    assert "戊小学" not in err and "另一县" not in err


def test_it_writes_one_audit_row_with_counts_and_the_files_hash(world, tmp_path):
    import hashlib

    before = AuditEntry.objects.count()
    code, _out, err = import_file(
        tmp_path,
        "orgs",
        [org("N-1", "甲", "党支部", "T-GB"), org("T-BB", "乙中学党支部", "党支部", "T-GB")],
    )
    assert code == 0, err
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.first()
    digest = hashlib.sha256((tmp_path / "data.xlsx").read_bytes()).hexdigest()
    assert entry.action == AuditAction.IMPORT and entry.actor_name == "cli"
    assert entry.changes["sha256"] == [None, digest]
    assert entry.changes["created"] == [None, 1] and entry.changes["updated"] == [None, 1]
    assert entry.org_path == world.orgs["gb"].path
