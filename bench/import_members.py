"""Benchmark: importing (and exporting) 100,000 party members on PostgreSQL.

    DANGJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangjian_bench \\
        .venv/bin/python bench/import_members.py [--rows 100000]

One run, on one database, prints:

- dangjian: `dangjian import members` of a generated, valid workbook (every check, one
  transaction, COPY on PostgreSQL): wall time and the peak memory of the importing process;
  the same file imported again (all rows are updates that change nothing); the export of
  all members to .xlsx;
- django-import-export (bulk mode) importing the same file into an equivalent plain model
  (a throwaway app of this folder, never part of the product's migrations);
- the floor: python-calamine parsing the file alone, and the bulk insert alone (COPY of
  the already-built rows: members, their events and spells).

Each stage runs in a fresh process so its peak memory (ru_maxrss) is its own. The
database is wiped first (every table of the product): use a database of its own.
"""

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2026
COUNTIES = 4
AREAS_PER_COUNTY = 10
BRANCHES_PER_AREA = 25


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(settings_module: str = "dangjian.settings") -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    sys.path.insert(0, str(HERE))
    import django

    django.setup()


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result, ensure_ascii=False), flush=True)


# -- the generated city and its members -----------------------------------------------------


def city_files(folder: Path) -> tuple[Path, Path]:
    """orgs.xlsx and schools.xlsx of 示例 city: 4 counties x 10 学区 x 25 branches."""
    from dangjian.core.excel import Sheet, write_workbook
    from dangjian.orgs.excel import ORG_TEMPLATE, SCHOOL_TEMPLATE

    orgs = [["B-CITY", "基准市教育局党委", "党委", "", "", "", ""]]
    schools = []
    for c in range(1, COUNTIES + 1):
        county = f"B-C{c}"
        orgs.append([county, f"基准第{c}县教体局党委", "党委", "B-CITY", "", "", ""])
        for a in range(1, AREAS_PER_COUNTY + 1):
            area = f"{county}-A{a:02d}"
            orgs.append([area, f"第{c}县第{a}学区党总支", "党总支", county, "", "", ""])
            for b in range(1, BRANCHES_PER_AREA + 1):
                branch = f"{area}-B{b:02d}"
                orgs.append(
                    [branch, f"第{c}县第{a}学区第{b}小学党支部", "党支部", area, "", "", ""]
                )
                schools.append(
                    [
                        f"S-{c}{a:02d}{b:02d}",
                        f"第{c}县第{a}学区第{b}小学",
                        "小学",
                        "公办",
                        "乡村",
                        county,
                        f"基准第{c}县",
                        120,
                        100,
                        1500,
                        branch,
                    ]
                )
    orgs_path, schools_path = folder / "orgs.xlsx", folder / "schools.xlsx"
    write_workbook([Sheet("党组织", ORG_TEMPLATE.headers, orgs)], orgs_path)
    write_workbook([Sheet("学校", SCHOOL_TEMPLATE.headers, schools)], schools_path)
    return orgs_path, schools_path


def member_rows(count: int):
    """Valid member rows: unique ID numbers agreeing with sex and birth date, 入党 at 18 or
    older, 转正 one to two years later (10% still 预备党员), names from Faker zh_CN."""
    from faker import Faker

    from dangjian.core.validators import id_check_digit
    from dangjian.members.choices import ETHNIC_GROUPS

    rng = random.Random(SEED)
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    today = dt.date.today()
    areas = ["640102", "640104", "640105", "640121", "640122", "640181"]
    educations = ["研究生", "大学本科", "大学本科", "大学本科", "大学专科", "中等专科", "高中"]
    person_types = ["专任教师"] * 7 + ["管理人员", "教辅人员", "工勤人员", "离退休人员"]
    backbones = ["", "", "", "", "教学能手", "学科带头人", "骨干教师", "名优教师"]
    titles = ["", "二级教师", "一级教师", "高级教师", "正高级教师"]
    branches = [
        (f"B-C{c}-A{a:02d}-B{b:02d}", f"S-{c}{a:02d}{b:02d}")
        for c in range(1, COUNTIES + 1)
        for a in range(1, AREAS_PER_COUNTY + 1)
        for b in range(1, BRANCHES_PER_AREA + 1)
    ]
    seen = set()
    produced = 0
    while produced < count:
        sex = rng.choice(("男", "女"))
        birth = dt.date(1962, 1, 1) + dt.timedelta(days=rng.randrange(0, 38 * 365))
        seq = rng.randrange(0, 500) * 2 + (1 if sex == "男" else 0)
        body = f"{rng.choice(areas)}{birth:%Y%m%d}{seq:03d}"
        number = body + id_check_digit(body)
        if number in seen:
            continue
        seen.add(number)
        adult = dt.date(birth.year + 18, birth.month, min(birth.day, 28))
        probationary = rng.random() < 0.1
        if probationary:
            joined = today - dt.timedelta(days=rng.randrange(30, 330))
            if joined < adult:
                continue
            converted = None
        else:
            latest = today - dt.timedelta(days=800)
            if latest <= adult:
                continue
            joined = adult + dt.timedelta(days=rng.randrange(0, (latest - adult).days))
            converted = joined + dt.timedelta(days=366 + rng.randrange(0, 300))
        org, school = rng.choice(branches)
        produced += 1
        yield [
            fake.name(),
            sex,
            "汉族" if rng.random() < 0.85 else rng.choice(ETHNIC_GROUPS[1:12]),
            number,
            birth if rng.random() < 0.5 else "",
            rng.choice(educations),
            org,
            school,
            rng.choice(person_types),
            "预备党员" if probationary else "正式党员",
            joined,
            converted or "",
            f"1{rng.choice('3456789')}{rng.randrange(0, 10**9):09d}",
            rng.choice(titles),
            rng.choice(backbones),
        ]


def stage_setup(folder: Path, rows: int) -> None:
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from dangjian.core.context import CLI
    from dangjian.core.excel import Sheet, write_workbook
    from dangjian.dataio.importing import run_import
    from dangjian.members.excel import MEMBER_TEMPLATE

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_ie_plainmember")
    orgs_path, schools_path = city_files(folder)
    started = time.perf_counter()
    orgs = run_import("orgs", orgs_path, CLI, dry_run=False, source="orgs.xlsx")
    schools = run_import("schools", schools_path, CLI, dry_run=False, source="schools.xlsx")
    city_seconds = time.perf_counter() - started
    assert not orgs.problems and not schools.problems, (orgs.problems[:5], schools.problems[:5])
    started = time.perf_counter()
    members_path = folder / "members.xlsx"
    # Formatted as text like the template (ID numbers and phones must stay text).
    text = frozenset(i for i, c in enumerate(MEMBER_TEMPLATE.columns) if c.as_text)
    write_workbook(
        [Sheet("党员", MEMBER_TEMPLATE.headers, member_rows(rows), text_columns=text)],
        members_path,
    )
    emit(
        {
            "stage": "setup",
            "orgs": orgs.created,
            "schools": schools.created,
            "city_seconds": round(city_seconds, 2),
            "generate_seconds": round(time.perf_counter() - started, 2),
            "file_mb": round(members_path.stat().st_size / 1024 / 1024, 1),
        }
    )


def truncate_members() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE members_memberevent, members_membership, members_member RESTART IDENTITY CASCADE"
        )


def checkpoint() -> None:
    """Each timed write starts after a CHECKPOINT: with PostgreSQL's default max_wal_size a
    100k-member write triggers checkpoints, and without this one stage would pay for the
    WAL of the stage before it (the run-to-run spread of a ratio was ±10%)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def stage_parse(path: Path) -> None:
    import python_calamine

    started = time.perf_counter()
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    values = workbook.get_sheet_by_index(0).to_python()
    seconds = time.perf_counter() - started
    emit(
        {
            "stage": "parse",
            "seconds": round(seconds, 2),
            "rows": len(values) - 1,
            "peak_mb": round(peak_mb()),
        }
    )


def stage_insert(path: Path) -> None:
    """The floor of writing: rows already parsed, checked and built; only the inserts."""
    setup_django()
    from django.db import transaction

    from dangjian.core.context import CLI
    from dangjian.core.excel import read_sheet
    from dangjian.members import services
    from dangjian.members.excel import MEMBER_TEMPLATE
    from dangjian.members.models import MIRRORED, Member, MemberEvent, Membership, mirrored_values
    from dangjian.orgs.models import Organization, School

    truncate_members()
    parsed = MEMBER_TEMPLATE.parse(read_sheet(path))
    orgs = {o.code: o.pk for o in Organization.objects.all()}
    schools = {s.code: s.pk for s in School.objects.all()}
    members = []
    for row in parsed.rows:
        v = row.values
        member = Member(
            name=v["name"],
            sex=v["sex"],
            ethnicity=v["ethnicity"],
            id_number=v["id_number"],
            education=v["education"],
            org_id=orgs[v["org_code"]],
            work_unit_id=schools.get(v["work_unit_code"]),
            person_type=v["person_type"],
            joined_on=v["joined_on"],
            converted_on=v["converted_on"],
            phone=v["phone"] or "",
            title=v["title"] or "",
            backbone=v["backbone"] or "",
        )
        member.fill_derived()
        members.append(member)
    del parsed
    checkpoint()
    started = time.perf_counter()
    with transaction.atomic():
        services._insert(Member, members)
        events = []
        spells = []
        for m in members:
            events.append((m.pk, "joined", m.joined_on, m.org_id))
            if m.converted_on:
                events.append((m.pk, "converted", m.converted_on, m.org_id))
            # Spells carry the member's mirrored attributes, as the import writes them.
            spells.append((m.pk, m.org_id, m.joined_on, *mirrored_values(m)))
        services._insert_values(MemberEvent, ("member_id", "kind", "on", "org_id"), events)
        services._insert_values(Membership, ("member_id", "org_id", "start_on", *MIRRORED), spells)
    copy_seconds = time.perf_counter() - started
    count = Member.objects.count()
    truncate_members()
    checkpoint()
    started = time.perf_counter()
    with transaction.atomic():
        for m in members:
            m.pk = None
            m._state.adding = True
        Member.objects.bulk_create(members, batch_size=1000)
    bulk_seconds = time.perf_counter() - started
    truncate_members()
    del CLI
    emit(
        {
            "stage": "insert",
            "copy_seconds": round(copy_seconds, 2),
            "rows_written": count + len(events) + len(spells),
            "bulk_create_members_seconds": round(bulk_seconds, 2),
        }
    )


def stage_dangjian(path: Path) -> None:
    setup_django()
    from dangjian.core.context import CLI
    from dangjian.dataio.importing import run_import
    from dangjian.members.models import Member

    truncate_members()
    checkpoint()
    baseline = peak_mb()
    started, cpu = time.perf_counter(), time.process_time()
    outcome = run_import("members", path, CLI, dry_run=False, source=path.name)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert not outcome.problems, [str(p) for p in outcome.problems[:10]]
    peak = peak_mb()
    count = Member.objects.count()
    checkpoint()
    started = time.perf_counter()
    again = run_import("members", path, CLI, dry_run=False, source=path.name)
    again_seconds = time.perf_counter() - started
    emit(
        {
            "stage": "dangjian",
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "created": outcome.created,
            "count": count,
            "peak_mb": round(peak),
            "baseline_mb": round(baseline),
            "reimport_seconds": round(again_seconds, 2),
            "reimport": [again.created, again.updated],
        }
    )


def stage_export(folder: Path) -> None:
    setup_django()
    from dangjian.core.context import CLI
    from dangjian.dataio import services
    from dangjian.members.models import Member

    started, cpu = time.perf_counter(), time.process_time()
    content, count = services.export_members(CLI, Member.objects.all(), full_id=True)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    (folder / "export.xlsx").write_bytes(content)
    # The floor the prescribed writer set (DESIGN 5): the same rows, already built in
    # memory, written by openpyxl's write-only workbook alone; the export itself now
    # writes with rust_xlsxwriter (core.excel.write_workbook).
    import io

    from python_calamine import CalamineWorkbook

    from dangjian.core.excel import Sheet, _write_openpyxl
    from dangjian.members.excel import MEMBER_TEMPLATE

    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    rows = [[value if value != "" else None for value in row] for row in rows[1:]]
    started = time.perf_counter()
    _write_openpyxl([Sheet(MEMBER_TEMPLATE.title, MEMBER_TEMPLATE.headers, rows)], io.BytesIO())
    writer_seconds = time.perf_counter() - started
    emit(
        {
            "stage": "export",
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "count": count,
            "writer_seconds": round(writer_seconds, 2),
            "peak_mb": round(peak_mb()),
        }
    )
    truncate_members()


def stage_import_export(path: Path, limit: int | None) -> None:
    setup_django("bench_settings")
    import tablib
    from bench_ie.models import PlainMember
    from django.db import connection, transaction
    from import_export import fields, resources, widgets

    from dangjian.orgs.models import Organization, School

    with connection.schema_editor() as editor:
        editor.create_model(PlainMember)
    try:

        class PlainMemberResource(resources.ModelResource):
            name = fields.Field("name", column_name="姓名")
            sex = fields.Field("sex", column_name="性别")
            ethnicity = fields.Field("ethnicity", column_name="民族")
            id_number = fields.Field("id_number", column_name="公民身份号码")
            birth_date = fields.Field(
                "birth_date", column_name="出生日期", widget=widgets.DateWidget()
            )
            education = fields.Field("education", column_name="学历")
            org = fields.Field(
                "org",
                column_name="所在党组织代码",
                widget=widgets.ForeignKeyWidget(Organization, "code"),
            )
            work_unit = fields.Field(
                "work_unit",
                column_name="工作单位代码",
                widget=widgets.ForeignKeyWidget(School, "code"),
            )
            person_type = fields.Field("person_type", column_name="人员类型")
            category = fields.Field("category", column_name="党员类别")
            joined_on = fields.Field(
                "joined_on", column_name="入党日期", widget=widgets.DateWidget()
            )
            converted_on = fields.Field(
                "converted_on", column_name="转正日期", widget=widgets.DateWidget()
            )
            phone = fields.Field(
                "phone", column_name="联系电话", widget=widgets.CharWidget(allow_blank=True)
            )
            title = fields.Field(
                "title", column_name="专业技术职务", widget=widgets.CharWidget(allow_blank=True)
            )
            backbone = fields.Field(
                "backbone", column_name="骨干类别", widget=widgets.CharWidget(allow_blank=True)
            )

            class Meta:
                model = PlainMember
                use_bulk = True
                batch_size = 1000
                skip_diff = True
                import_id_fields = ("id_number",)
                fields = (
                    "name",
                    "sex",
                    "ethnicity",
                    "id_number",
                    "birth_date",
                    "education",
                    "org",
                    "work_unit",
                    "person_type",
                    "category",
                    "joined_on",
                    "converted_on",
                    "phone",
                    "title",
                    "backbone",
                )

        started = time.perf_counter()
        with open(path, "rb") as handle:
            dataset = tablib.Dataset().load(handle, format="xlsx")
        load_seconds = time.perf_counter() - started
        if limit:
            dataset = dataset.subset(rows=range(limit))
        checkpoint()
        started = time.perf_counter()
        with transaction.atomic():
            result = PlainMemberResource().import_data(
                dataset, dry_run=False, use_transactions=False
            )
        import_seconds = time.perf_counter() - started
        assert not result.has_errors() and not result.has_validation_errors(), result.row_errors()[
            :3
        ]
        count = PlainMember.objects.count()
        # Its export of what it imported, to .xlsx (tablib, the way its admin exports).
        started = time.perf_counter()
        PlainMemberResource().export().export("xlsx")
        export_seconds = time.perf_counter() - started
        emit(
            {
                "stage": "import_export",
                "load_seconds": round(load_seconds, 2),
                "import_seconds": round(import_seconds, 2),
                "export_seconds": round(export_seconds, 2),
                "rows": len(dataset),
                "count": count,
                "peak_mb": round(peak_mb()),
            }
        )
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(PlainMember)


def run_stage(*args: str) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--stage", *args]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-6000:])
        raise SystemExit(f"stage {args[0]} failed")
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise SystemExit(f"stage {args[0]} printed no result")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--ie-rows",
        type=int,
        default=0,
        help="rows given to django-import-export (default: all; it needs minutes for 100k)",
    )
    parser.add_argument("--stage", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        name, *rest = args.stage
        path = Path(rest[0]) if rest else None
        if name == "setup":
            stage_setup(path, int(rest[1]))
        elif name == "parse":
            stage_parse(path)
        elif name == "insert":
            stage_insert(path)
        elif name == "dangjian":
            stage_dangjian(path)
        elif name == "export":
            stage_export(path)
        elif name == "import_export":
            stage_import_export(path, int(rest[1]) or None)
        return
    url = os.environ.get("DANGJIAN_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("set DANGJIAN_DATABASE_URL to a PostgreSQL database of its own")
    os.environ.setdefault("DANGJIAN_HOME", tempfile.mkdtemp(prefix="dangjian-bench-"))
    folder = Path(tempfile.mkdtemp(prefix="dangjian-bench-files-"))
    members = folder / "members.xlsx"
    print(f"database: {url}\nrows: {args.rows}\nfiles: {folder}", flush=True)
    load_before = os.getloadavg()[0]
    setup = run_stage("setup", str(folder), str(args.rows))
    print(
        f"city: {setup['orgs']} orgs, {setup['schools']} schools imported in "
        f"{setup['city_seconds']} s; members.xlsx {setup['file_mb']} MB generated in "
        f"{setup['generate_seconds']} s",
        flush=True,
    )
    parse = run_stage("parse", str(members))
    insert = run_stage("insert", str(members))
    ours = run_stage("dangjian", str(members))
    export = run_stage("export", str(folder))
    theirs = run_stage("import_export", str(members), str(args.ie_rows))
    load_after = os.getloadavg()[0]
    # django-import-export may be given fewer rows (it needs minutes for 100k): its time
    # for the whole file is its read of the file plus its import step scaled to all rows.
    scale = args.rows / theirs["rows"]
    their_import = theirs["import_seconds"] * scale
    their_total = theirs["load_seconds"] + their_import
    their_export = theirs["export_seconds"] * scale
    partial = "" if scale == 1 else f", measured on {theirs['rows']} rows and scaled"
    floor = parse["seconds"] + insert["copy_seconds"]
    lines = [
        "",
        f"rows                                  {args.rows}",
        f"load average (1 min)                  {load_before:.2f} before, {load_after:.2f} after "
        f"({os.cpu_count()} CPUs)",
        f"dangjian import (all checks)          {ours['seconds']:.2f} s   "
        f"({ours['cpu_seconds']:.2f} s CPU in the importing process), peak {ours['peak_mb']} MB "
        f"(process; {ours['baseline_mb']} MB before the import)",
        f"dangjian re-import (0 new, all same)  {ours['reimport_seconds']:.2f} s   "
        f"新增 {ours['reimport'][0]}, 更新 {ours['reimport'][1]}",
        f"dangjian export (.xlsx, full IDs)     {export['seconds']:.2f} s   "
        f"({export['cpu_seconds']:.2f} s CPU), {export['count']} members",
        f"django-import-export, bulk mode       {their_total:.2f} s   (read {theirs['load_seconds']:.2f} s "
        f"+ import {their_import:.2f} s{partial}), peak {theirs['peak_mb']} MB",
        f"speed-up                              {their_total / ours['seconds']:.2f}x "
        f"(vs its import step alone: {their_import / ours['seconds']:.2f}x; target >= 10x)",
        f"floor: calamine parse alone           {parse['seconds']:.2f} s",
        f"floor: openpyxl write-only alone      {export['writer_seconds']:.2f} s   (the export's "
        f"{export['count']} rows, built beforehand)",
        f"django-import-export export (.xlsx)   {their_export:.2f} s   "
        f"({theirs['rows']} rows{' scaled to all' if scale != 1 else ''})",
        f"export vs openpyxl alone              {export['writer_seconds'] / export['seconds']:.1f}x "
        "faster (target >= 4x)",
        f"export vs django-import-export        {their_export / export['seconds']:.1f}x "
        "faster (target >= 10x)",
        f"floor: bulk insert alone (COPY)       {insert['copy_seconds']:.2f} s   "
        f"({insert['rows_written']} rows: members, events, spells; bulk_create of the members "
        f"alone {insert['bulk_create_members_seconds']:.2f} s)",
        f"import vs its floor                   {ours['seconds'] / floor:.2f}x   (parse "
        f"{parse['seconds']:.2f} s + COPY {insert['copy_seconds']:.2f} s = {floor:.2f} s; "
        "target <= 1.5x)",
        "(every timed write starts after a CHECKPOINT)",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
