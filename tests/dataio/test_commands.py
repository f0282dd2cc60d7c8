"""`dangjian import` and `dangjian export` as INTERFACES 3 fixes them: exit codes 0/1/2,
one Chinese line for an unusable file, nothing written unless every row is valid, masked
ID numbers unless --full-id by a permitted user, and a round trip that changes nothing."""

import datetime as dt
import hashlib
import os
import zipfile

import pytest
from openpyxl import Workbook
from personas import make_id

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.members.models import Member, MemberEvent, Membership
from dangjian.orgs.models import Organization, School
from tests.dataio.helpers import import_file, member_record, rows_of, run_command, table, write_xlsx


def counts():
    return (
        Organization.objects.count(),
        School.objects.count(),
        Member.objects.count(),
        MemberEvent.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )


def bad_files(tmp_path, settings):
    """Every kind of unusable file (INTERFACES 3, issue 3 item 5), by name."""
    headers, rows = table("members", [member_record()])
    good = write_xlsx(tmp_path / "good.xlsx", headers, rows)
    files = {}
    files["not an xlsx"] = tmp_path / "text.xlsx"
    files["not an xlsx"].write_text("姓名,性别\n", encoding="utf-8")
    files["corrupt zip"] = tmp_path / "corrupt.xlsx"
    files["corrupt zip"].write_bytes(good.read_bytes()[:900])
    files["password-protected"] = tmp_path / "locked.xlsx"
    files["password-protected"].write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le")
    )
    files["zip bomb"] = tmp_path / "bomb.xlsx"
    files["zip bomb"].write_bytes(good.read_bytes())
    with zipfile.ZipFile(files["zip bomb"], "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/zeros.bin", b"\0" * (3 * 1024 * 1024))
    noise = [[os.urandom(40).hex()] for _i in range(2000)]  # does not compress
    files["too large"] = write_xlsx(tmp_path / "large.xlsx", headers, rows + noise)
    files["too many rows"] = write_xlsx(tmp_path / "rows.xlsx", headers, rows * 12)
    files["missing columns"] = write_xlsx(
        tmp_path / "columns.xlsx", headers[:3], [r[:3] for r in rows]
    )
    files["empty sheet"] = tmp_path / "empty.xlsx"
    Workbook().save(files["empty sheet"])
    settings.DANGJIAN_IMPORT_MAX_UNCOMPRESSED = 2 * 1024 * 1024
    settings.DANGJIAN_IMPORT_MAX_BYTES = 60 * 1024
    settings.DANGJIAN_IMPORT_MAX_ROWS = 10
    return files


REASONS = {
    "not an xlsx": "文件不是Excel工作簿(.xlsx)",
    "corrupt zip": "文件已损坏",
    "password-protected": "文件设置了打开密码",
    "zip bomb": "文件解压后超过2MB的上限",
    "too large": "超过60KB的上限",
    "too many rows": "数据超过10行的上限",
    "missing columns": "缺少必填列: 公民身份号码、学历、所在党组织代码",
    "empty sheet": "第一个工作表是空的",
}


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_it_exits_2_with_one_line_and_writes_nothing_for_an_unusable_file(
    world, tmp_path, settings, kind
):
    path = bad_files(tmp_path, settings)[kind]
    before = counts()
    code, out, err = run_command("import", "members", str(path))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert REASONS[kind] in err
    assert counts() == before


def test_it_exits_2_for_a_missing_file(world, tmp_path):
    code, _out, err = run_command("import", "members", str(tmp_path / "nope.xlsx"))
    assert code == 2 and "文件不存在" in err


def test_it_checks_without_writing_on_a_dry_run(world, tmp_path):
    before = counts()
    code, out, err = import_file(
        tmp_path,
        "members",
        [member_record(), member_record(公民身份号码=world.members["a1"].id_number, 姓名="张三")],
        "--dry-run",
    )
    assert (code, err) == (0, "")
    assert out.strip() == "校验通过(试运行, 未写入): 将新增 1, 更新 1"
    assert counts() == before
    code, _out, err = import_file(
        tmp_path, "members", [member_record(性别="女")], "--dry-run", name="bad.xlsx"
    )
    assert code == 1 and "第2行 [性别]" in err


def test_it_refuses_an_unknown_user(world, tmp_path):
    code, _out, err = import_file(tmp_path, "members", [member_record()], "--as", "nobody")
    assert code == 1 and "用户“nobody”不存在或已停用" in err


def test_it_imports_under_the_named_user_and_audits_them(world, tmp_path):
    code, _out, err = import_file(tmp_path, "members", [member_record()], "--as", "secretary_a")
    assert code == 0, err
    entry = AuditEntry.objects.first()
    assert entry.action == AuditAction.IMPORT and entry.actor == world.users["secretary_a"]
    assert entry.changes["sha256"] == [
        None,
        hashlib.sha256((tmp_path / "data.xlsx").read_bytes()).hexdigest(),
    ]


def export(tmp_path, *args, name="out.xlsx"):
    target = tmp_path / name
    code, out, err = run_command("export", "members", "-o", str(target), *args)
    return code, out, err, target


def test_it_exports_the_subtree_with_masked_ids_by_default(world, tmp_path):
    code, out, err, target = export(tmp_path, "--org", "T-GB")
    assert (code, err) == (0, "")
    assert out.strip() == f"导出完成: 党员 6 名 → {target}"
    rows = rows_of(target)
    header, data = rows[0], rows[1:]
    from dangjian.members.excel import MEMBER_TEMPLATE

    assert list(header) == MEMBER_TEMPLATE.headers
    ids = [row[header.index("公民身份号码")] for row in data]
    assert all("*" in number and len(number) == 18 for number in ids)
    names = {row[0] for row in data}
    assert names == {"张三", "李四", "王五", "赵六", "钱七", "孙八"}
    entry = AuditEntry.objects.first()
    assert entry.action == AuditAction.EXPORT
    assert entry.changes["count"] == [None, 6] and entry.changes["full_id"] == [None, False]
    assert entry.changes["sha256"] == [None, hashlib.sha256(target.read_bytes()).hexdigest()]


def test_it_exports_only_what_the_user_may_see(world, tmp_path):
    code, _out, err, _target = export(tmp_path, "--org", "T-BB", "--as", "secretary_a")
    assert code == 1 and "组织代码“T-BB”不存在或不在您的权限范围内" in err
    code, out, _err, target = export(tmp_path, "--org", "T-BA", "--as", "secretary_a")
    assert code == 0 and "党员 3 名" in out
    assert {row[0] for row in rows_of(target)[1:]} == {"张三", "李四", "王五"}


def test_it_reveals_full_ids_only_to_holders_of_the_permission(world, tmp_path):
    code, _out, err, target = export(tmp_path, "--org", "T-BA", "--full-id", "--as", "secretary_a")
    assert code == 1 and "没有查看该组织党员完整公民身份号码的权限" in err
    assert not target.exists()
    code, _out, err, target = export(tmp_path, "--org", "T-BA", "--full-id", "--as", "county_admin")
    assert code == 0, err
    ids = {row[3] for row in rows_of(target)[1:]}
    assert ids == {world.members[k].id_number for k in ("a1", "a2", "a3")}
    entry = AuditEntry.objects.first()
    assert entry.actor == world.users["county_admin"]
    assert entry.changes["full_id"] == [None, True] and entry.changes["revealed"] == [None, 3]


def test_it_round_trips_an_unmasked_export_without_changing_anything(world, tmp_path):
    code, _out, err, target = export(tmp_path, "--org", "T-CITY", "--full-id")
    assert code == 0, err

    def state():
        return sorted(
            (
                m.pk,
                m.name,
                m.sex,
                m.ethnicity,
                m.id_number,
                m.birth_date,
                m.education,
                m.org_id,
                m.work_unit_id,
                m.person_type,
                m.joined_on,
                m.converted_on,
                m.phone,
                m.title,
                m.backbone,
                m.updated_at,
            )
            for m in Member.objects.all()
        )

    before = state()
    history = (MemberEvent.objects.count(), Membership.objects.count())
    code, out, err = run_command("import", "members", str(target))
    assert (code, err) == (0, "")
    assert out.strip() == f"导入完成: 新增 0, 更新 {len(before)}"
    assert state() == before
    assert (MemberEvent.objects.count(), Membership.objects.count()) == history
    assert AuditEntry.objects.first().changes["changed"] == [None, 0]


def test_it_exports_orgs_and_schools_in_their_templates(world, tmp_path):
    target = tmp_path / "orgs.xlsx"
    code, out, _err = run_command("export", "orgs", "--org", "T-COUNTY", "-o", str(target))
    assert code == 0 and "党组织 5 个" in out
    rows = rows_of(target)
    assert rows[0][:4] == ("组织代码", "组织名称", "组织类别", "上级组织代码")
    assert ("T-BA", "甲小学党支部", "党支部", "T-GB") in [r[:4] for r in rows]
    # The export re-imports as updates only.
    code, out, err = run_command("import", "orgs", str(target))
    assert (code, out.strip()) == (0, "导入完成: 新增 0, 更新 5"), err
    target = tmp_path / "schools.xlsx"
    code, out, _err = run_command("export", "schools", "--org", "T-COUNTY", "-o", str(target))
    assert code == 0 and "学校 5 所" in out
    code, out, err = run_command("import", "schools", str(target))
    assert (code, out.strip()) == (0, "导入完成: 新增 0, 更新 5"), err


def test_it_escapes_formula_injection_in_exports(world, tmp_path):
    from dangjian.core.context import CLI
    from dangjian.members import services

    services.update_member(CLI, world.members["a1"], title='=HYPERLINK("http://x")')
    code, _out, _err, target = export(tmp_path, "--org", "T-BA")
    assert code == 0
    titles = {row[13] for row in rows_of(target)[1:]}
    assert '\'=HYPERLINK("http://x")' in titles


def test_it_reads_dates_written_as_text_or_real_dates(world, tmp_path):
    code, out, err = import_file(
        tmp_path,
        "members",
        [member_record(入党日期="2015.07.01", 转正日期="2016/7/1")],
    )
    assert (code, out.strip()) == (0, "导入完成: 新增 1, 更新 0"), err
    member = Member.objects.get(name="新党员")
    assert (member.joined_on, member.converted_on) == (dt.date(2015, 7, 1), dt.date(2016, 7, 1))


def test_it_builds_export_rows_in_the_templates_column_order(world):
    from dangjian.core.validators import mask_id_number
    from dangjian.members.excel import EXPORT_FIELDS, MEMBER_TEMPLATE, export_row_builder

    member = Member.objects.select_related("org", "work_unit").get(pk=world.members["a3"].pk)
    fast = export_row_builder({member.pk})(member)
    spelled = [
        member.id_number if column.key == "id_number" else column.export(member)
        for column in MEMBER_TEMPLATE.columns
    ]
    assert fast == spelled
    assert fast[MEMBER_TEMPLATE.headers.index("党员类别")] == "预备党员"
    # The export's own path: named rows, codes looked up by id, no Member built.
    record = Member.objects.filter(pk=member.pk).values_list(*EXPORT_FIELDS, named=True).get()
    codes = ({member.org_id: member.org.code}, {member.work_unit_id: member.work_unit.code})
    assert export_row_builder({member.pk}, *codes)(record) == fast
    masked = export_row_builder(set(), *codes)(record)[
        MEMBER_TEMPLATE.headers.index("公民身份号码")
    ]
    assert masked == mask_id_number(member.id_number) != member.id_number


def test_it_warns_but_writes_when_party_teachers_would_outnumber_the_schools_teachers(
    world, tmp_path
):
    """甲小学 has 3 party-member 专任教师 (张三, 李四, 王五); with its 专任教师 set to 3 a fourth
    is imported all the same, with a Chinese warning on stderr and exit code 0."""
    School.objects.filter(code="S-A").update(teacher_count=3)
    code, out, err = import_file(tmp_path, "members", [member_record()], "--dry-run")
    assert code == 0 and "将新增 1" in out
    assert "提醒: 学校“甲小学”导入后党员专任教师 4 名, 超过该校专任教师数 3 名" in err
    code, out, err = import_file(tmp_path, "members", [member_record()])
    assert code == 0 and out.strip() == "导入完成: 新增 1, 更新 0"
    assert "超过该校专任教师数 3 名" in err
    assert Member.objects.filter(name="新党员").exists()
    # One of another type, or at a school with room: no warning.
    School.objects.filter(code="S-A").update(teacher_count=20)
    other = member_record(公民身份号码=make_id(dt.date(1991, 3, 4), 902), 姓名="另一人")
    code, _out, err = import_file(tmp_path, "members", [other], name="ok.xlsx")
    assert (code, err) == (0, "")
