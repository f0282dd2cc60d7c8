"""The web import flow (upload → report → confirm → background job → result) with the
Django test client; the immediate task backend runs each job inline. Also the template
downloads, job scope, and the Excel exports behind the list pages' 导出Excel buttons."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.dataio.models import ImportJob, JobStatus
from dangjian.dataio.services import import_dir
from dangjian.members.models import Member
from dangjian.orgs.models import School
from tests.dataio.helpers import member_record, rows_of, table, xlsx_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, kind, content, name="党员.xlsx"):
    return client.post(
        reverse(f"data-import-{kind}"),
        {"file": SimpleUploadedFile(name, content)},
    )


def members_file(*records):
    headers, rows = table("members", list(records))
    return xlsx_bytes(headers, rows)


def test_it_shows_the_import_pages_only_to_users_who_may_add(world, login):
    client = login(world, "secretary_a")
    page = client.get(reverse("data-home"))
    assert page.status_code == 200
    assert reverse("data-import-members") in page.content.decode()
    assert client.get(reverse("data-import-members")).status_code == 200
    client = login(world, "member")
    assert client.get(reverse("data-home")).status_code == 404
    assert client.get(reverse("data-import-members")).status_code == 404
    assert client.get(reverse("data-template-members")).status_code == 404


def test_it_offers_each_template_with_a_sample_row_and_notes(world, login):
    client = login(world, "secretary_a")
    for kind, first in (("orgs", "组织代码"), ("schools", "学校代码"), ("members", "姓名")):
        response = client.get(reverse(f"data-template-{kind}"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        wb = load_workbook(io.BytesIO(response.content))
        assert wb.sheetnames[1] == "填写说明"
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        assert rows[0][0] == first and len(rows) == 2


def test_it_runs_upload_report_confirm_result(world, login):
    client = login(world, "secretary_a")
    response = upload(client, "members", members_file(member_record()))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("data-job", args=[job.pk])
    assert job.status == JobStatus.VALID and (job.to_create, job.to_update) == (1, 0)
    assert job.user == world.users["secretary_a"] and len(job.sha256) == 64
    page = client.get(response.url).content.decode()
    assert "校验通过: 共 1 行数据, 将新增 1 条, 更新 0 条" in page
    assert reverse("data-job-confirm", args=[job.pk]) in page
    assert not Member.objects.filter(name="新党员").exists()

    response = client.post(reverse("data-job-confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.created_count, job.updated_count) == (1, 0)
    assert job.progress == 100
    assert "导入完成: 新增 1, 更新 0" in client.get(response.url).content.decode()
    assert Member.objects.filter(name="新党员", org=world.orgs["ba"]).exists()
    # The uploaded file is gone once imported.
    assert list(import_dir().iterdir()) == []
    entry = AuditEntry.objects.filter(action=AuditAction.IMPORT).first()
    assert entry.actor == world.users["secretary_a"]
    assert entry.changes["sha256"] == [None, job.sha256]
    # A finished job's progress poll reloads the page.
    poll = client.get(reverse("data-job-progress", args=[job.pk]))
    assert poll["HX-Refresh"] == "true"
    # Confirming twice does nothing more.
    client.post(reverse("data-job-confirm", args=[job.pk]))
    assert Member.objects.filter(name="新党员").count() == 1


def test_it_reports_every_problem_and_offers_the_marked_file(world, login):
    client = login(world, "secretary_a")
    content = members_file(
        member_record(性别="女"),
        member_record(所在党组织代码="T-BB", 公民身份号码=world.members["x1"].id_number),
    )
    upload(client, "members", content)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID and job.error_count == 3
    page = client.get(reverse("data-job", args=[job.pk])).content.decode()
    assert "发现 3 个问题, 未写入任何数据" in page
    assert "第2行" in page and "性别与公民身份号码不符" in page
    assert "该公民身份号码已在您的管理范围之外登记" in page
    assert "郑一" not in page
    assert reverse("data-job-confirm", args=[job.pk]) not in page
    report = client.get(reverse("data-job-report", args=[job.pk]))
    assert report.status_code == 200 and "no-store" in report["Cache-Control"]
    wb = load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    sheet = wb["导入数据"]
    assert sheet["B2"].fill.fgColor.rgb.endswith("FFC7CE")  # 性别
    assert sheet["D3"].fill.fgColor.rgb.endswith("FFC7CE")  # 公民身份号码
    assert "[性别]" in sheet.cell(row=2, column=16).value
    # Nothing was written and the upload itself is deleted; only the report remains.
    assert not Member.objects.filter(name="新党员").exists()
    assert [p.name for p in import_dir().iterdir()] == [job.report]
    response = client.post(reverse("data-job-confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.INVALID


def test_it_rejects_an_unusable_file_with_one_message(world, login):
    client = login(world, "secretary_a")
    upload(client, "members", b"name,sex\n", name="名单.csv")
    job = ImportJob.objects.get()
    assert job.status == JobStatus.REJECTED
    page = client.get(reverse("data-job", args=[job.pk])).content.decode()
    assert "文件无法导入" in page and "文件不是Excel工作簿(.xlsx)" in page
    assert list(import_dir().iterdir()) == []


def test_it_refuses_an_upload_over_the_size_cap_before_storing_it(world, login, settings):
    settings.DANGJIAN_IMPORT_MAX_BYTES = 1024
    client = login(world, "secretary_a")
    response = upload(client, "members", b"PK" + b"\0" * 4096)
    assert response.status_code == 200
    assert "文件超过1KB的上限" in response.content.decode()
    assert not ImportJob.objects.exists() and list(import_dir().iterdir()) == []


def test_it_keeps_a_job_to_its_uploader(world, login):
    client = login(world, "secretary_a")
    upload(client, "members", members_file(member_record()))
    job = ImportJob.objects.get()
    client = login(world, "secretary_b")
    for name in ("data-job", "data-job-progress", "data-job-report"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("data-job-confirm", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.VALID


def test_it_imports_orgs_and_schools_through_the_same_flow(world, login):
    client = login(world, "county_admin")
    headers, rows = table(
        "orgs",
        [
            {
                "组织代码": "W-B1",
                "组织名称": "网页党支部",
                "组织类别": "党支部",
                "上级组织代码": "T-GB",
            }
        ],
    )
    upload(client, "orgs", xlsx_bytes(headers, rows), name="orgs.xlsx")
    job = ImportJob.objects.get()
    assert job.status == JobStatus.VALID
    client.post(reverse("data-job-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.created_count == 1


def test_it_exports_the_member_list_as_filtered_with_masked_ids(world, login):
    client = login(world, "county_admin")
    response = client.get(reverse("data-export-members"), {"org": "T-BB", "sex": "female"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    rows = rows_of(response.content)
    assert [r[0] for r in rows[1:]] == ["钱七"]
    assert "*" in rows[1][3]
    entry = AuditEntry.objects.first()
    assert entry.action == AuditAction.EXPORT and entry.changes["count"] == [None, 1]
    assert entry.changes["filter"] == [None, "org=T-BB&sex=female"]


def test_it_reveals_ids_in_an_export_only_within_the_reveal_permission(world, login):
    client = login(world, "county_admin")
    url = reverse("data-export-members") + "?org=T-BA"
    # A GET never reveals: a link cannot be a reveal.
    rows = rows_of(client.get(url + "&full_id=1").content)
    assert all("*" in r[3] for r in rows[1:])
    rows = rows_of(client.post(url, {"full_id": "1"}).content)
    assert {r[3] for r in rows[1:]} == {world.members[k].id_number for k in ("a1", "a2", "a3")}
    entry = AuditEntry.objects.first()
    assert entry.changes["full_id"] == [None, True] and entry.changes["revealed"] == [None, 3]
    client = login(world, "secretary_a")  # an organiser: no reveal permission
    rows = rows_of(client.post(reverse("data-export-members"), {"full_id": "1"}).content)
    assert len(rows) == 4 and all("*" in r[3] for r in rows[1:])


def test_it_exports_the_school_list_and_the_org_tree_as_filtered(world, login):
    client = login(world, "county_admin")
    rows = rows_of(client.get(reverse("data-export-schools"), {"covered": "no"}).content)
    assert [r[0] for r in rows[1:]] == ["S-E"]
    rows = rows_of(client.get(reverse("data-export-orgs"), {"q": "支部"}).content)
    assert {r[0] for r in rows[1:]} == {"T-BA", "T-BB", "T-JB"}
    rows = rows_of(client.get(reverse("data-export-orgs"), {"org": "T-GB"}).content)
    assert [r[0] for r in rows[1:]] == ["T-GB", "T-BA", "T-BB"]
    assert rows[1][3] == "T-COUNTY"
    client = login(world, "secretary_a")
    rows = rows_of(client.get(reverse("data-export-orgs")).content)
    assert [r[0] for r in rows[1:]] == ["T-BA"]


def test_it_puts_export_buttons_carrying_the_filter_on_the_lists(world, login):
    client = login(world, "county_admin")
    page = client.get(reverse("member-list"), {"org": "T-BB", "page": "1"}).content.decode()
    assert f"{reverse('data-export-members')}?org=T-BB" in page
    assert 'name="full_id"' in page  # the county admin may reveal
    page = client.get(reverse("school-list"), {"covered": "no"}).content.decode()
    assert f"{reverse('data-export-schools')}?covered=no" in page
    page = client.get(reverse("org-tree"), {"q": "支部"}).content.decode()
    assert f"{reverse('data-export-orgs')}?q=" in page
    page = client.get(reverse("org-detail", args=[world.orgs["gb"].pk])).content.decode()
    assert f"{reverse('data-export-orgs')}?org=T-GB" in page
    client = login(world, "secretary_a")
    page = client.get(reverse("member-list")).content.decode()
    assert reverse("data-export-members") in page and 'name="full_id"' not in page


def test_it_removes_uploads_and_reports_after_a_day(world, login):
    import datetime as dt
    import os

    from django.utils import timezone

    from dangjian.dataio import services

    client = login(world, "secretary_a")
    upload(client, "members", members_file(member_record()))
    waiting = ImportJob.objects.get()
    upload(client, "members", members_file(member_record(性别="女")))
    invalid = ImportJob.objects.exclude(pk=waiting.pk).get()
    assert {p.name for p in import_dir().iterdir()} == {waiting.upload, invalid.report}
    old = (timezone.now() - dt.timedelta(hours=25)).timestamp()
    for path in import_dir().iterdir():
        os.utime(path, (old, old))
    ImportJob.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert services.purge_stale() == 2
    assert list(import_dir().iterdir()) == []
    waiting.refresh_from_db()
    invalid.refresh_from_db()
    assert waiting.status == JobStatus.EXPIRED and invalid.report == ""
    assert client.get(reverse("data-job-report", args=[invalid.pk])).status_code == 404
    response = client.post(reverse("data-job-confirm", args=[waiting.pk]), follow=True)
    assert "不能确认导入" in response.content.decode()


def _importing(client, *, started_seconds_ago: float) -> ImportJob:
    import datetime as dt

    from django.utils import timezone

    upload(client, "members", members_file(member_record()))
    job = ImportJob.objects.get()
    started = timezone.now() - dt.timedelta(seconds=started_seconds_ago)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.IMPORTING, started_at=started)
    return job


def test_it_fails_a_job_whose_worker_died_and_keeps_one_that_beats(world, login):
    import os
    import time

    from dangjian.dataio import services

    client = login(world, "secretary_a")
    job = _importing(client, started_seconds_ago=120)
    beat = services.heartbeat_path(job.pk)
    beat.touch()
    poll = client.get(reverse("data-job-progress", args=[job.pk]))
    assert poll.status_code == 200 and "HX-Refresh" not in poll
    job.refresh_from_db()
    assert job.status == JobStatus.IMPORTING

    stale = time.time() - services.ORPHAN_AFTER_SECONDS - 5
    os.utime(beat, (stale, stale))
    poll = client.get(reverse("data-job-progress", args=[job.pk]))
    assert poll["HX-Refresh"] == "true"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.upload == "" and job.finished_at
    assert list(import_dir().iterdir()) == []  # the upload and the heartbeat are gone
    page = client.get(reverse("data-job", args=[job.pk])).content.decode()
    assert "后台任务意外中断" in page and "未写入任何数据" in page


def test_it_gives_a_job_just_started_time_to_beat(world, login):
    client = login(world, "secretary_a")
    job = _importing(client, started_seconds_ago=5)
    client.get(reverse("data-job", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.IMPORTING
    ImportJob.objects.filter(pk=job.pk).update(started_at=None)
    client.get(reverse("data-home"))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_a_running_job_beats_until_it_ends(world, login, monkeypatch):
    import os
    import time

    from dangjian.dataio import services

    monkeypatch.setattr(services, "HEARTBEAT_SECONDS", 0.05)
    with services.heartbeat(7) as beat:
        assert beat.exists()
        os.utime(beat, (0, 0))
        deadline = time.monotonic() + 10
        while beat.stat().st_mtime == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert beat.stat().st_mtime > 0
    assert not beat.exists()

    # The worker's import runs inside the beat: the file is there while it reports progress.
    seen = []
    real = services.report_progress
    monkeypatch.setattr(
        services,
        "report_progress",
        lambda job_id, *a: (
            seen.append(services.heartbeat_path(job_id).exists()) or real(job_id, *a)
        ),
    )
    client = login(world, "secretary_a")
    upload(client, "members", members_file(member_record()))
    job = ImportJob.objects.get()
    client.post(reverse("data-job-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert seen and all(seen)
    assert list(import_dir().iterdir()) == []


def test_it_tells_updated_records_that_changed_from_those_already_the_same(world, login):
    client = login(world, "secretary_a")
    same = members_file(member_record())
    for content in (same, same, members_file(member_record(联系电话="13900000000"))):
        response = upload(client, "members", content)
        job = ImportJob.objects.order_by("-id").first()
        client.post(reverse("data-job-confirm", args=[job.pk]))
    done = list(ImportJob.objects.order_by("id"))
    assert [(j.created_count, j.updated_count, j.changed_count) for j in done] == [
        (1, 0, 0),
        (0, 1, 0),
        (0, 1, 1),
    ]
    page = client.get(reverse("data-job", args=[done[1].pk])).content.decode()
    assert "导入完成: 新增 0, 更新 1" in page
    assert "0 条内容有变化, 1 条与系统中的记录完全一致" in page
    page = client.get(reverse("data-job", args=[done[2].pk])).content.decode()
    assert "1 条内容有变化, 0 条与系统中的记录完全一致" in page
    page = client.get(reverse("data-job", args=[done[0].pk])).content.decode()
    assert "条内容有变化" not in page  # nothing was updated
    assert response.status_code == 302


def test_orgs_and_schools_count_the_records_that_changed(world, tmp_path):
    from dangjian.core.context import CLI
    from dangjian.dataio.importing import run_import
    from tests.dataio.helpers import write_xlsx
    from tests.dataio.test_import_orgs import org
    from tests.dataio.test_import_schools import school

    def outcome(kind, records):
        path = write_xlsx(tmp_path / f"{kind}.xlsx", *table(kind, records))
        result = run_import(kind, path, CLI, dry_run=False, source=path.name)
        assert not result.problems, [str(p) for p in result.problems]
        return result.created, result.updated, result.changed

    orgs = [org("N-B1", "新党支部", "党支部", "T-GB"), org("N-B2", "新党支部二", "党支部", "T-GB")]
    assert outcome("orgs", orgs) == (2, 0, 0)
    assert outcome("orgs", orgs) == (0, 2, 0)
    orgs[0] = org("N-B1", "新党支部(改名)", "党支部", "T-GB")
    orgs[1] = org("N-B2", "新党支部二", "党支部", "T-COUNTY")  # moved only
    assert outcome("orgs", orgs) == (0, 2, 2)

    schools = [school("S-N1")]
    assert outcome("schools", schools) == (1, 0, 0)
    assert outcome("schools", schools) == (0, 1, 0)
    assert outcome("schools", [school("S-N1", 学生数=401)]) == (0, 1, 1)


def test_it_shows_the_warnings_on_the_check_and_the_result_page(world, login):
    """Beyond 甲小学's 专任教师 (set to 3, it has 3 party-member teachers): written anyway,
    both pages say why the user should look again."""
    School.objects.filter(code="S-A").update(teacher_count=3)
    client = login(world, "secretary_a")
    response = upload(client, "members", members_file(member_record()))
    job = ImportJob.objects.get()
    assert job.status == JobStatus.VALID and len(job.warnings) == 1
    page = client.get(response.url).content.decode()
    assert 'id="import-warnings"' in page and "超过该校专任教师数 3 名" in page
    response = client.post(reverse("data-job-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    page = client.get(response.url).content.decode()
    assert "导入完成: 新增 1, 更新 0" in page and "超过该校专任教师数 3 名" in page
