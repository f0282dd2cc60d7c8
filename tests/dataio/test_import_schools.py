"""INTERFACES 4.2 (schools.xlsx): every rule with a failing and a passing row, updates by
学校代码, the covering org inside the supervisor's subtree, and scope."""

from dangjian.orgs.models import School
from tests.dataio.helpers import import_file, import_problems


def school(code, name="新小学", **extra):
    record = {
        "学校代码": code,
        "学校名称": name,
        "学段": "小学",
        "办学性质": "公办",
        "城乡类别": "乡村",
        "主管党组织代码": "T-COUNTY",
        "所属县区": "测试县",
        "教职工数": 30,
        "专任教师数": 25,
        "学生数": 400,
        "党组织代码": "T-GB",
    }
    record.update(extra)
    return record


def test_it_creates_and_updates_schools_by_code(world, tmp_path):
    code, out, err = import_file(
        tmp_path,
        "schools",
        [
            school("S-N1", 学段="九年一贯制学校", 办学性质="民办", 城乡类别="镇区"),
            school("S-E", "庚小学", 党组织代码="T-JB", 教职工数=9, 专任教师数=9),
            school("S-N2", 党组织代码="", 所属县区=""),
        ],
    )
    assert (code, err) == (0, "")
    assert out.strip() == "导入完成: 新增 2, 更新 1"
    new = School.objects.get(code="S-N1")
    assert (new.stage, new.ownership, new.locality) == ("nine_year", "private", "town")
    assert new.covering_org == world.orgs["gb"] and new.supervising_org == world.orgs["county"]
    updated = School.objects.get(code="S-E")
    assert updated.covering_org == world.orgs["jb"] and updated.teacher_count == 9
    assert School.objects.get(code="S-N2").covering_org is None


def test_it_checks_every_school_rule(world, tmp_path):
    rows = [
        school("S-1", 学段="大学"),
        school("S-2", 办学性质="公立"),
        school("S-3", 城乡类别="农村"),
        school("S-4", 主管党组织代码="T-BA"),
        school("S-5", 主管党组织代码="NOPE"),
        school("S-6", 党组织代码="T-BX"),
        school("S-7", 主管党组织代码="T-GB", 党组织代码="T-JB"),
        school("S-8", 教职工数=10, 专任教师数=11),
        school("S-9", 教职工数=-1),
        school("S-10", 学生数=12.5),
        school("S-11", 专任教师数=""),
        school("S-1", 学校名称="重复"),
    ]
    assert import_problems(tmp_path, "schools", rows) == [
        "第2行 [学段] “大学”不是允许的值, 应为: 小学、初级中学、高级中学、完全中学、九年一贯制学校、十二年一贯制学校、中等职业学校、特殊教育学校",
        "第3行 [办学性质] “公立”不是允许的值, 应为: 公办、民办",
        "第4行 [城乡类别] “农村”不是允许的值, 应为: 城区、镇区、乡村",
        "第5行 [主管党组织代码] 主管党组织应为党委、党工委或党总支, 不能是党支部",
        "第6行 [主管党组织代码] 组织代码“NOPE”不存在或不在您的权限范围内",
        "第7行 [党组织代码] 覆盖学校的党组织必须在主管党组织“T-COUNTY”的下级范围内",
        "第8行 [党组织代码] 覆盖学校的党组织必须在主管党组织“T-GB”的下级范围内",
        "第9行 [专任教师数] 专任教师数(11)不能大于教职工数(10)",
        "第10行 [教职工数] 不能小于0",
        "第11行 [学生数] 应为整数",
        "第12行 [专任教师数] 不能为空",
        "第13行 [学校代码] 学校代码与第2行重复",
    ]
    assert not School.objects.filter(code__in=["S-1", "S-2", "S-3"]).exists()


def test_it_accepts_each_covering_kind_inside_the_supervisor(world, tmp_path):
    rows = [
        school("S-K1", 党组织代码="T-BA"),  # 党支部
        school("S-K2", 党组织代码="T-JB"),  # 联合党支部
        school("S-K3", 党组织代码="T-GB"),  # 党总支
        school("S-K4", 党组织代码="T-COUNTY"),  # 党委 (itself)
    ]
    code, out, err = import_file(tmp_path, "schools", rows)
    assert (code, out.strip()) == (0, "导入完成: 新增 4, 更新 0"), err


def test_it_holds_an_actor_to_their_scope(world, tmp_path):
    code, _out, err = import_file(
        tmp_path,
        "schools",
        [school("S-X", "戊小学", 主管党组织代码="T-COUNTY", 党组织代码="T-BA")],
        "--as",
        "county_admin",
    )
    assert code == 1
    # S-X belongs to the other county: the row says only that the code is taken.
    assert "第2行 [学校代码] 学校代码已被使用, 不能导入; 请换用其他代码" in err
    assert "戊小学" not in err and "T-COUNTY2" not in err
    new_school = [school("S-N", 主管党组织代码="T-COUNTY", 党组织代码="T-BA")]
    code, _out, err = import_file(
        tmp_path, "schools", new_school, "--as", "secretary_a", name="b.xlsx"
    )
    assert code == 1
    assert "第2行 [主管党组织代码] 组织代码“T-COUNTY”不存在或不在您的权限范围内" in err
    code, out, err = import_file(
        tmp_path, "schools", new_school, "--as", "county_admin", name="c.xlsx"
    )
    assert (code, out.strip()) == (0, "导入完成: 新增 1, 更新 0"), err
