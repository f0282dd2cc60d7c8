"""The 发展党员 import (recruits.xlsx): people with their dated steps, checked by the
services' own rules (order, intervals, votes, who records what), all or nothing, in the
actor's scope; the template's example row skipped; the list's export re-imports."""

import datetime as dt

from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.dataio.models import ImportJob, JobStatus
from dangjian.members.models import Member
from dangjian.recruitment.excel import RECRUIT_TEMPLATE
from dangjian.recruitment.models import Recruit, Stage, Step
from tests.dataio.helpers import rows_of, run_command, write_xlsx, xlsx_bytes
from tests.recruitment.helpers import D, new_id

BIRTH = D(1996, 5, 10)


def person(number, name="钱申请", org="T-BA", **extra) -> dict:
    record = {
        "公民身份号码": number,
        "姓名": name,
        "性别": "男",
        "民族": "汉族",
        "学历": "大学本科",
        "人员类型": "专任教师",
        "所在党支部代码": org,
        "工作或学习单位代码": "S-A" if org == "T-BA" else "",
    }
    record.update(extra)
    return record


def steps_of(number, name="钱申请", org="T-BA", until=None) -> list[dict]:
    """One applicant's rows from the application to the 上级党委审批 (admitted 2024-06-03)."""
    schedule = [
        ("(1) 递交入党申请书", D(2023, 1, 10), {}),
        ("党组织派人谈话", D(2023, 1, 20), {}),
        ("推荐和确定入党积极分子", D(2023, 3, 1), {"推荐方式": "团组织推优"}),
        ("(4) 报上级党委备案", D(2023, 3, 5), {}),
        ("指定培养联系人", D(2023, 3, 6), {"培养联系人或入党介绍人": "张三"}),
        ("培养教育考察", D(2023, 9, 1), {"说明": "表现良好"}),
        ("确定发展对象", D(2024, 3, 1), {}),
        ("8", D(2024, 3, 5), {}),
        ("确定入党介绍人", D(2024, 3, 10), {"培养联系人或入党介绍人": "张三、李四"}),
        ("进行政治审查", D(2024, 4, 1), {"说明": "合格"}),
        ("开展集中培训", D(2024, 4, 10), {"培训学时": 24, "经办人或单位": "业余党校"}),
        ("支部委员会审查", D(2024, 5, 6), {}),
        ("发展对象公示", D(2024, 5, 13), {}),
        ("上级党委预审", D(2024, 5, 20), {}),
        ("填写入党志愿书", D(2024, 5, 22), {}),
        ("支部大会讨论", D(2024, 6, 3), {"表决情况": "张三:赞成、李四:赞成、王五:列席"}),
        ("上级党委派人谈话", D(2024, 6, 10), {}),
        ("上级党委审批", D(2024, 6, 20), {"审批结果": "批准"}),
    ]
    rows = []
    for label, on, extra in schedule:
        if until is not None and label == until:
            break
        rows.append(person(number, name, org, 步骤=label, 日期=on, **extra))
    return rows


def write(tmp_path, records, name="recruits.xlsx"):
    headers = RECRUIT_TEMPLATE.headers
    return write_xlsx(tmp_path / name, headers, [[r.get(h, "") for h in headers] for r in records])


def run(tmp_path, records, user="county_admin", *args):
    return run_command("import", "recruits", str(write(tmp_path, records)), "--as", user, *args)


def refused(tmp_path, records, user="county_admin") -> list[str]:
    code, out, err = run(tmp_path, records, user)
    assert code == 1, (out, err)
    return err.strip().splitlines()[:-1]


def test_a_valid_file_imports_people_with_their_steps(world, tmp_path, login):
    admitted, applicant = new_id(BIRTH), new_id(D(2000, 2, 2), "female")
    records = [
        *steps_of(admitted),
        person(applicant, "孙申请", 性别="女", 步骤="递交入党申请书", 日期=D(2026, 3, 2)),
        person(applicant, "孙申请", 步骤="党组织派人谈话", 日期=D(2026, 4, 20), 性别=""),
    ]
    before = AuditEntry.objects.filter(action=AuditAction.IMPORT).count()
    code, out, err = run(tmp_path, records)
    assert (code, out.strip()) == (0, "导入完成: 新增 2, 更新 0"), err
    # The rule set's warnings (not refusals) are told, as the step page tells them.
    assert "提醒: 第21行: 党组织应当在收到入党申请书后一个月内派人同入党申请人谈话" in err
    first = Recruit.objects.with_id_number(admitted).get()
    assert first.stage == Stage.PROBATIONARY and first.admitted_on == D(2024, 6, 3)
    assert first.activist_on == D(2023, 3, 1) and first.candidate_on == D(2024, 3, 1)
    assert first.steps.count() == 18
    meeting = first.steps.get(key="branch_meeting")
    assert (meeting.yes, meeting.present, meeting.observers, meeting.outcome) == (2, 2, 1, "passed")
    assert sorted(
        first.steps.get(key="introducers").people.values_list("member__name", flat=True)
    ) == [
        "张三",
        "李四",
    ]
    # The 上级党委审批 opened the member record, as a page entry would.
    assert Member.objects.with_id_numbers([admitted]).get().joined_on == D(2024, 6, 3)
    second = Recruit.objects.with_id_number(applicant).get()
    assert (second.stage, second.sex, second.steps.count()) == (Stage.APPLICANT, "female", 2)
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == before + 1
    client = login(world, "county_admin")
    listed = client.get(reverse("recruit-list"), {"stage": "all"}).content.decode()
    assert "钱申请" in listed and "孙申请" in listed
    detail = client.get(reverse("recruit-detail", args=[first.pk])).content.decode()
    assert "支部大会讨论" in detail and "2024-06-03" in detail


def test_every_bad_row_is_listed_and_nothing_is_written(world, tmp_path):
    early, wrong_org, twice = new_id(BIRTH), new_id(BIRTH), new_id(BIRTH)
    out_of_order = new_id(BIRTH)
    records = [
        # 积极分子 to 发展对象 less than one year.
        *steps_of(early, "甲一", until="(4) 报上级党委备案"),
        person(early, "甲一", 步骤="(4) 报上级党委备案", 日期=D(2023, 3, 5)),
        person(
            early, "甲一", 步骤="指定培养联系人", 日期=D(2023, 3, 6), 培养联系人或入党介绍人="张三"
        ),
        person(early, "甲一", 步骤="确定发展对象", 日期=D(2023, 12, 1)),
        # An unknown org.
        person(wrong_org, "乙二", "T-NONE", 步骤="递交入党申请书", 日期=D(2024, 1, 5)),
        # The same ID number applying twice in one file.
        person(twice, "丙三", 步骤="递交入党申请书", 日期=D(2024, 2, 1)),
        person(twice, "丙三", 步骤="递交入党申请书", 日期=D(2024, 2, 2)),
        # A step before its prerequisite: 积极分子 without the 谈话.
        person(out_of_order, "丁四", 步骤="递交入党申请书", 日期=D(2024, 3, 1)),
        person(
            out_of_order,
            "丁四",
            步骤="推荐和确定入党积极分子",
            日期=D(2024, 4, 1),
            推荐方式="团组织推优",
        ),
        # An ID number that is a member already.
        person(
            Member.objects.get(name="张三").id_number,
            "张三",
            步骤="递交入党申请书",
            日期=D(2024, 5, 6),
        ),
    ]
    lines = refused(tmp_path, records)
    assert lines == [
        "第7行 [日期] 确定为发展对象须经一年以上培养教育考察，最早可于2024-03-01确定",
        "第8行 [所在党支部代码] 党组织代码“T-NONE”不存在或不在您的管理范围内",
        "第10行 [公民身份号码] 公民身份号码与第9行重复: 同一人只能有一行递交入党申请书",
        "第12行 [步骤] 须先完成“(2) 党组织派人谈话”",
        "第13行 [公民身份号码] 该公民身份号码已是党员或已在发展流程中, 不能重复登记",
    ]
    assert not Recruit.objects.exists()
    assert not Step.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()


def test_a_secretary_imports_only_into_their_own_branch(world, tmp_path):
    ours, theirs = new_id(BIRTH), new_id(BIRTH)
    records = [
        person(ours, "本支部", 步骤="递交入党申请书", 日期=D(2025, 1, 6)),
        person(theirs, "外支部", "T-BB", 步骤="递交入党申请书", 日期=D(2025, 1, 6)),
    ]
    lines = refused(tmp_path, records, "secretary_a")
    assert lines == ["第3行 [所在党支部代码] 党组织代码“T-BB”不存在或不在您的管理范围内"]
    # The committee's own steps are the committee's to record, as on the pages.
    lines = refused(tmp_path, steps_of(ours, "本支部", until="填写入党志愿书"), "secretary_a")
    assert lines == ["第15行 [步骤] “上级党委预审”须由上级党委(测试县教体局党委)记录"]
    assert not Recruit.objects.exists()
    code, out, err = run(tmp_path, records[:1], "secretary_a")
    assert (code, out.strip()) == (0, "导入完成: 新增 1, 更新 0"), err


def test_the_templates_example_row_is_skipped(world, tmp_path, client, login):
    content = login(world, "county_admin").get(reverse("data-template-recruits")).content
    path = tmp_path / "template.xlsx"
    path.write_bytes(content)
    book = load_workbook(path)
    assert book.sheetnames == ["发展党员", "填写说明"]
    notes = [row[0] for row in book["填写说明"].iter_rows(values_only=True)]
    assert "步骤" in notes and "表决情况" in notes
    header = next(book["填写说明"].iter_rows(values_only=True))
    listed = [row[header.index("步骤")] for row in book["填写说明"].iter_rows(values_only=True)]
    assert "(15) 支部大会讨论" in listed and "终止发展" in listed
    sheet = book["发展党员"]
    number = new_id(BIRTH)
    sheet.append(
        [
            person(number, 步骤="递交入党申请书", 日期=D(2025, 2, 3)).get(h, "")
            for h in RECRUIT_TEMPLATE.headers
        ]
    )
    book.save(path)
    code, out, err = run_command("import", "recruits", str(path), "--as", "county_admin")
    assert (code, out.strip()) == (0, "导入完成: 新增 1, 更新 0"), err
    assert "第2行是模板自带的示例行, 未导入" in err
    assert Recruit.objects.get().name == "钱申请"


def test_an_export_reimports_with_no_change(world, tmp_path, login):
    number, other = new_id(BIRTH), new_id(D(2001, 1, 1))
    records = [
        *steps_of(number),
        person(other, "周申请", 步骤="递交入党申请书", 日期=D(2025, 9, 1)),
        person(other, "周申请", 步骤="党组织派人谈话", 日期=D(2025, 9, 5)),
        person(other, "周申请", 步骤="终止发展", 日期=D(2025, 10, 1), 终止原因="本人放弃"),
    ]
    assert run(tmp_path, records)[0] == 0
    client = login(world, "city_admin")
    response = client.post(reverse("recruit-export") + "?stage=all", {"full_id": "1"})
    assert response.status_code == 200
    exported = response.content
    assert len(rows_of(exported)) == 1 + 18 + 3
    steps_before = list(Step.objects.order_by("id").values_list("recruit_id", "key", "on"))
    path = tmp_path / "export.xlsx"
    path.write_bytes(exported)
    code, out, err = run_command("import", "recruits", str(path), "--as", "county_admin")
    assert (code, out.strip()) == (0, "导入完成: 新增 0, 更新 2"), err
    assert list(Step.objects.order_by("id").values_list("recruit_id", "key", "on")) == steps_before
    last = AuditEntry.objects.filter(action=AuditAction.IMPORT).latest("id")
    assert (last.changes["updated"], last.changes["changed"]) == ([None, 2], [None, 0])
    # A row after the recorded steps is added to the stored pipeline, nothing else changes.
    headers = RECRUIT_TEMPLATE.headers
    sheet = rows_of(exported)
    oath = list(sheet[18])
    oath[headers.index("步骤")], oath[headers.index("日期")] = "入党宣誓", dt.datetime(2024, 7, 1)
    write_xlsx(tmp_path / "more.xlsx", headers, [*sheet[1:], oath])
    code, out, err = run_command(
        "import", "recruits", str(tmp_path / "more.xlsx"), "--as", "county_admin"
    )
    assert (code, out.strip()) == (0, "导入完成: 新增 0, 更新 2"), err
    assert Recruit.objects.with_id_number(number).get().steps.filter(key="oath").count() == 1
    assert len(Step.objects.all()) == len(steps_before) + 1
    Step.objects.filter(key="oath").delete()
    # Into an empty pipeline the same file recreates the same people and steps.
    Member.objects.with_id_numbers([number]).delete()
    Recruit.objects.all().delete()
    code, out, err = run_command("import", "recruits", str(path), "--as", "county_admin")
    assert (code, out.strip()) == (0, "导入完成: 新增 2, 更新 0"), err
    again = client.post(reverse("recruit-export") + "?stage=all", {"full_id": "1"}).content
    assert rows_of(again) == rows_of(exported)
    # Without the reveal, ID numbers are masked (and such a file would not import).
    masked = rows_of(client.get(reverse("recruit-export") + "?stage=all").content)
    assert number not in {row[0] for row in masked}
    assert all("*" in row[0] for row in masked[1:])
    # The command line exports the same layout for a subtree.
    target = tmp_path / "cli.xlsx"
    code, out, err = run_command(
        "export",
        "recruits",
        "--org",
        "T-COUNTY",
        "-o",
        str(target),
        "--full-id",
        "--as",
        "county_admin",
    )
    assert code == 0, err
    assert "发展党员 2 人" in out and rows_of(target) == rows_of(exported)
    exports = AuditEntry.objects.filter(action=AuditAction.EXPORT)
    assert exports.count() == 4


def test_the_web_import_checks_then_imports_in_the_background(world, tmp_path, login):
    client = login(world, "secretary_a")
    number = new_id(BIRTH)
    headers = RECRUIT_TEMPLATE.headers
    good = xlsx_bytes(
        headers,
        [
            [person(number, 步骤="递交入党申请书", 日期=D(2025, 4, 1)).get(h, "") for h in headers],
            [
                person(
                    number, 步骤="党组织派人谈话", 日期=D(2025, 4, 1) - dt.timedelta(days=1)
                ).get(h, "")
                for h in headers
            ],
        ],
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("data-import-recruits"), {"file": SimpleUploadedFile("r.xlsx", good)}
    )
    page = client.get(response.url).content.decode()
    assert "校验未通过" in page
    assert "日期不能早于递交入党申请书的日期2025-04-01" in page
    assert not Recruit.objects.exists()
    fixed = xlsx_bytes(
        headers,
        [
            [person(number, 步骤="递交入党申请书", 日期=D(2025, 4, 1)).get(h, "") for h in headers],
            [
                person(number, 步骤="党组织派人谈话", 日期=D(2025, 4, 8), 性别="").get(h, "")
                for h in headers
            ],
        ],
    )
    response = client.post(
        reverse("data-import-recruits"), {"file": SimpleUploadedFile("r.xlsx", fixed)}
    )
    job = ImportJob.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    assert (job.status, job.kind, job.to_create) == (JobStatus.VALID, "recruits", 1)
    assert not Recruit.objects.exists()  # checking wrote nothing
    client.post(reverse("data-job-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.created_count) == (JobStatus.DONE, 1), job.message
    recruit = Recruit.objects.get()
    assert (recruit.org.code, recruit.steps.count()) == ("T-BA", 2)
    board = client.get(reverse("recruit-board")).content.decode()
    assert "钱申请" in board
