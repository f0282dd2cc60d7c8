"""Statistics benchmark (issue 4, DESIGN 5): a province-sized dataset on PostgreSQL, the
statistics object at the root, a county and a school, side by side with a naive per-org
ORM loop, and the dashboard page at the root.

    createdb -h 127.0.0.1 -U postgres dangjian_bench_stats
    .venv/bin/python bench/stats.py --db postgres://postgres@127.0.0.1:5432/dangjian_bench_stats

The dataset (default 1,000,000 members, 10,000 orgs, 5,000 schools) is written with COPY
straight into the product's tables: a benchmark measures queries, not the services, so it
skips them. It is built once and reused; `--rebuild` starts again. Nothing here is timed in
the test suite (a timed test is not a benchmark)."""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 6, 30)
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力国"
MINORITIES = ("回族", "满族", "蒙古族", "壮族", "藏族", "维吾尔族", "苗族", "土家族")
# (value, weight) for the member attributes.
EDUCATION = (
    ("postgraduate", 8),
    ("bachelor", 60),
    ("college", 22),
    ("secondary_vocational", 5),
    ("high_school", 3),
    ("junior_or_below", 2),
)
PERSON_TYPES = (
    ("teacher", 62),
    ("manager", 10),
    ("support", 5),
    ("worker", 3),
    ("student", 2),
    ("retired", 15),
    ("other", 3),
)
BACKBONE = (("", 70), ("skilled", 12), ("subject_leader", 6), ("backbone", 9), ("famous", 3))
STAGES = (
    ("primary", 60),
    ("junior", 20),
    ("nine_year", 8),
    ("senior", 5),
    ("complete", 3),
    ("vocational", 3),
    ("special", 1),
)
LEAGUE_STAGES = {"junior", "nine_year", "senior", "complete", "vocational"}
PIONEER_STAGES = {"primary", "junior", "nine_year"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_bench_stats"
        ),
        help="PostgreSQL URL of a database used only by this benchmark",
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--schools", type=int, default=5_000)
    parser.add_argument("--rebuild", action="store_true", help="drop the data and build again")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure")
    parser.add_argument("--skip-naive", action="store_true", help="skip the naive loop")
    parser.add_argument("--seed", type=int, default=20101231)
    return parser.parse_args()


def setup_django(db_url: str) -> None:
    os.environ["DANGJIAN_DATABASE_URL"] = db_url
    os.environ.setdefault("DANGJIAN_HOME", tempfile.mkdtemp(prefix="dj-bench-stats-"))
    os.environ["DANGJIAN_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    # Every figure is computed afresh unless a line says it is reused (stats.cache).
    os.environ["DANGJIAN_STATS_CACHE"] = "false"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


# --- dataset ---------------------------------------------------------------------------


def step(i: int) -> str:
    """The i-th (1-based) treebeard path step."""
    digits = ""
    while i:
        i, rem = divmod(i, len(ALPHABET))
        digits = ALPHABET[rem] + digits
    return digits.rjust(STEPLEN, "0")


def pick(rng, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights=weights)[0]


def plan_orgs(n_orgs: int) -> list[dict]:
    """Province → 14 cities → counties → 学区 党总支 → branches, n_orgs in all."""
    n_cities = 14
    n_counties = max(n_cities, n_orgs // 100)
    n_general = max(n_counties, n_orgs // 11)
    n_branches = n_orgs - 1 - n_cities - n_counties - n_general
    if n_branches < n_general:
        raise SystemExit("--orgs is too small for a province")
    orgs: list[dict] = []

    def add(parent, code, name, kind, founded):
        org = {
            "code": code,
            "name": name,
            "kind": kind,
            "founded_on": founded,
            "children": [],
            "parent": parent,
        }
        if parent is None:
            org["path"], org["depth"] = step(1), 1
        else:
            parent["children"].append(org)
            org["path"] = parent["path"] + step(len(parent["children"]))
            org["depth"] = parent["depth"] + 1
        orgs.append(org)
        return org

    root = add(None, "P", "某省教育厅党委", "committee", dt.date(1980, 1, 1))
    cities = [
        add(root, f"P-C{i:02d}", f"第{i}市教育局党委", "committee", dt.date(1985, 1, 1))
        for i in range(1, n_cities + 1)
    ]
    counties = [
        add(
            cities[i % n_cities],
            f"P-X{i:03d}",
            f"第{i}县教体局党委",
            "committee",
            dt.date(1990, 1, 1),
        )
        for i in range(1, n_counties + 1)
    ]
    generals = [
        add(
            counties[i % n_counties],
            f"P-Z{i:04d}",
            f"第{i}学区党总支",
            "general_branch",
            dt.date(2000 + i % 12, 3, 1),
        )
        for i in range(1, n_general + 1)
    ]
    for i in range(1, n_branches + 1):
        kind = "joint_branch" if i % 10 == 0 else "branch"
        add(
            generals[i % n_general],
            f"P-B{i:05d}",
            f"第{i}{'联合' if kind == 'joint_branch' else ''}党支部",
            kind,
            dt.date(1995 + i % 20, 1 + i % 12, 1),
        )
    return orgs


def copy_line(*values) -> str:
    """One row in PostgreSQL's COPY text format (no value here holds a tab or newline)."""
    return "\t".join("\\N" if v is None else str(v) for v in values) + "\n"


def id_number(i: int, birth: dt.date, sex: str, check_digit) -> str:
    """Unique and valid: the sequence number goes into the area code and the order digits,
    whose last digit agrees with the sex."""
    order = (i % 500) * 2 + (1 if sex == "male" else 0)
    body = f"{100000 + i // 500:06d}{birth:%Y%m%d}{order:03d}"
    return body + check_digit(body)


def fake_member(i, rng, branches, branch_school, names):
    """A member with their spells (org, start, end) and events (kind, on, org, from_org):
    5% transferred once inside the province, 4% left (died, moved out, ...)."""
    org = branches[rng.randrange(len(branches))]["id"]
    sex = "female" if rng.random() < 0.55 else "male"
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 52))
    earliest = dt.date(birth.year + 18, birth.month, min(birth.day, 28))
    joined = earliest + dt.timedelta(days=rng.randrange(max((TODAY - earliest).days, 1)))
    converted = dt.date(joined.year + 1, joined.month, min(joined.day, 28))
    if converted > TODAY:
        converted = None
    spells, events = [], [("joined", joined, org, None)]
    if converted:
        events.append(("converted", converted, org, None))
    roll = rng.random()
    start, status, left_on = joined, "active", None
    if roll < 0.05 and joined < dt.date(2024, 1, 1):
        other = branches[rng.randrange(len(branches))]["id"]
        on = joined + dt.timedelta(days=1 + rng.randrange((TODAY - joined).days - 1))
        spells.append((org, joined, on))
        events.append(("transferred", on, other, org))
        org, start = other, on
    if 0.05 <= roll < 0.09 and (TODAY - start).days > 2:
        left_on = start + dt.timedelta(days=1 + rng.randrange((TODAY - start).days - 1))
        kind = rng.choice(("deceased", "moved_out", "expelled", "lapsed"))
        status = kind
        spells.append((org, start, left_on))
        events.append((kind, left_on, org, None))
    else:
        spells.append((org, start, None))
    member = {
        "name": names[i % len(names)],
        "sex": sex,
        "ethnicity": rng.choice(MINORITIES) if rng.random() < 0.08 else "汉族",
        "birth": birth,
        "education": pick(rng, EDUCATION),
        "person_type": pick(rng, PERSON_TYPES),
        "backbone": pick(rng, BACKBONE),
        "joined": joined,
        "converted": converted,
        "status": status,
        "left_on": left_on,
        "org": org,
        "work_unit": branch_school.get(org),
    }
    return member, spells, events


def member_columns():
    """The member table's columns in model order, and a function from the generated values
    to a row. ID numbers are stored the way the model stores them (in clear, or encrypted
    with a keyed hash, depending on the schema in force)."""
    from dangjian.members.models import Member

    fields = [f for f in Member._meta.concrete_fields]
    names = {f.attname for f in fields}
    encrypted = "id_cipher" in names
    if encrypted:
        from dangjian.core import crypto

    def row(values: dict, number: str) -> list:
        if encrypted:
            values = {
                **values,
                "id_cipher": crypto.encrypt_id(number),
                "id_hash": crypto.hash_id(number),
                "id_suffix": number[-4:],
            }
        else:
            values = {**values, "id_number": number}
        out = []
        for f in fields:
            if f.attname in values:
                out.append(values[f.attname])
            elif f.has_default() or f.null:
                out.append(f.get_default())
            else:
                raise SystemExit(f"bench/stats.py 不认识党员表的必填列 {f.column}, 请更新基准脚本")
        return out

    return [f.column for f in fields], row


def build(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from dangjian.core import pinyin
    from dangjian.core.validators import id_check_digit
    from dangjian.members.models import MIRRORED

    rng = random.Random(args.seed)
    started = time.perf_counter()
    # A clean schema each time: migrations that rewrite rows would otherwise run over the
    # previous build's million members.
    with connection.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    now = dt.datetime.now(dt.UTC)
    orgs = plan_orgs(args.orgs)
    for i, org in enumerate(orgs, start=1):
        org["id"] = i
    counties = [o for o in orgs if o["depth"] == 3]
    branches = [o for o in orgs if o["kind"] in ("branch", "joint_branch")]
    schools = []
    uncovered = max(1, args.schools // 20)
    for i in range(1, args.schools + 1):
        if i <= args.schools - uncovered:
            covering = branches[(i - 1) % len(branches)]
            county = covering["parent"]["parent"]
        else:
            covering, county = None, counties[i % len(counties)]
        schools.append(
            {
                "id": i,
                "stage": pick(rng, STAGES),
                "teachers": rng.randint(40, 400),
                "covering": covering,
                "county": county,
            }
        )
    branch_school = {}
    for school in schools:
        if school["covering"] is not None:
            branch_school.setdefault(school["covering"]["id"], school["id"])

    raw = connection.connection  # psycopg 3
    with raw.cursor() as cur:
        with cur.copy(
            "COPY orgs_organization (id, path, depth, numchild, code, name, kind, founded_on,"
            " created_at, updated_at) FROM STDIN"
        ) as copy:
            for o in orgs:
                copy.write_row(
                    (
                        o["id"],
                        o["path"],
                        o["depth"],
                        len(o["children"]),
                        o["code"],
                        o["name"],
                        o["kind"],
                        o["founded_on"],
                        now,
                        now,
                    )
                )
        with cur.copy(
            "COPY orgs_school (id, code, name, stage, ownership, locality, district, staff_count,"
            " teacher_count, student_count, created_at, updated_at, covering_org_id,"
            " supervising_org_id) FROM STDIN"
        ) as copy:
            for s in schools:
                copy.write_row(
                    (
                        s["id"],
                        f"S{s['id']:05d}",
                        f"第{s['id']}学校",
                        s["stage"],
                        "public",
                        rng.choice(("urban", "town", "rural")),
                        s["county"]["name"].removesuffix("教体局党委"),
                        s["teachers"] + rng.randint(5, 40),
                        s["teachers"],
                        s["teachers"] * 15,
                        now,
                        now,
                        s["covering"]["id"] if s["covering"] else None,
                        s["county"]["id"],
                    )
                )
        with cur.copy(
            "COPY orgs_massorganization (kind, name, founded_on, school_id) FROM STDIN"
        ) as copy:
            for s in schools:
                kinds = ["union"]
                if s["stage"] in LEAGUE_STAGES and rng.random() < 0.97:
                    kinds.append("youth_league_committee")
                if s["stage"] in PIONEER_STAGES and rng.random() < 0.98:
                    kinds.append("young_pioneers")
                if rng.random() < 0.2:
                    kinds.append("staff_congress")
                for kind in kinds:
                    copy.write_row((kind, "", dt.date(2000 + s["id"] % 20, 5, 4), s["id"]))
        print(f"  组织 {len(orgs)}、学校 {len(schools)} 已写入", flush=True)

        names = [s + g1 + g2 for s in SURNAMES for g1 in GIVEN[:12] for g2 in GIVEN[12:24]]
        keys = {name: (pinyin.full(name), pinyin.initials(name)) for name in names}
        columns, member_row = member_columns()
        n_spells = n_events = 0
        with tempfile.TemporaryDirectory() as folder:
            paths = {table: Path(folder) / table for table in ("member", "spell", "event")}
            with (
                open(paths["member"], "w", encoding="utf-8") as member_file,
                open(paths["spell"], "w", encoding="utf-8") as spell_file,
                open(paths["event"], "w", encoding="utf-8") as event_file,
            ):
                for i in range(1, args.members + 1):
                    m, spells, events = fake_member(i, rng, branches, branch_school, names)
                    values = {
                        "id": i,
                        "name": m["name"],
                        "name_pinyin": keys[m["name"]][0],
                        "name_initials": keys[m["name"]][1],
                        "sex": m["sex"],
                        "ethnicity": m["ethnicity"],
                        "birth_date": m["birth"],
                        "education": m["education"],
                        "person_type": m["person_type"],
                        "joined_on": m["joined"],
                        "converted_on": m["converted"],
                        "phone": "",
                        "title": "",
                        "backbone": m["backbone"],
                        "status": m["status"],
                        "left_on": m["left_on"],
                        "created_at": now,
                        "updated_at": now,
                        "org_id": m["org"],
                        "work_unit_id": m["work_unit"],
                        "user_id": None,
                    }
                    number = id_number(i, m["birth"], m["sex"], id_check_digit)
                    member_file.write(copy_line(*member_row(values, number)))
                    # Spells carry a copy of the member's counted attributes (MIRRORED).
                    copied = [values[name] for name in MIRRORED]
                    for spell in spells:
                        spell_file.write(copy_line(i, *spell, *copied))
                    for event in events:
                        event_file.write(copy_line(i, *event, "", now))
                    n_spells += len(spells)
                    n_events += len(events)
                    if i % 200_000 == 0:
                        print(f"  党员 {i}", flush=True)
            copies = {
                "member": f"COPY members_member ({', '.join(columns)}) FROM STDIN",
                "spell": "COPY members_membership (member_id, org_id, start_on, end_on,"
                f" {', '.join(MIRRORED)}) FROM STDIN",
                "event": 'COPY members_memberevent (member_id, kind, "on", org_id, from_org_id,'
                " note, created_at) FROM STDIN",
            }
            for table, sql in copies.items():
                with cur.copy(sql) as copy, open(paths[table], encoding="utf-8") as source:
                    while chunk := source.read(1 << 20):
                        copy.write(chunk)
        for table in ("orgs_organization", "orgs_school", "members_member"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
    raw.commit()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(
        f"数据集: 党员 {args.members}、组织 {len(orgs)}、学校 {len(schools)}、"
        f"组织关系期间 {n_spells}、变动记录 {n_events}, 用时 {time.perf_counter() - started:.0f} 秒",
        flush=True,
    )


# --- measurements ----------------------------------------------------------------------


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """(median, best) seconds over `repeat` runs after one warm-up, and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    times.sort()
    return times[len(times) // 2], times[0], result


def naive_statistics(root, day: dt.date) -> dict:
    """The section-6 figures the way a per-org loop computes them: walk the subtree and
    ask the database about each org in turn (what set-based queries replace)."""
    from django.db.models import Q, Sum

    from dangjian.core.dates import born_after_for_max_age
    from dangjian.members.choices import COLLEGE_OR_ABOVE
    from dangjian.members.models import Membership
    from dangjian.orgs.models import MassOrganization, Organization, OrgKind, School

    exists = (Q(founded_on__isnull=True) | Q(founded_on__lte=day)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
    )
    orgs = dict.fromkeys(OrgKind.values, 0)
    schools = covered = teachers = 0
    members = dict.fromkeys(("total", "full", "female", "minority", "young", "college"), 0)
    teacher_members = 0
    mass = {}
    young = born_after_for_max_age(day, 35)
    for org in Organization.objects.filter(path__startswith=root.path):
        alive = Organization.objects.filter(pk=org.pk).filter(exists).exists()
        if alive:
            orgs[org.kind] += 1
        spells = Membership.objects.filter(org=org, start_on__lte=day).filter(
            Q(end_on__isnull=True) | Q(end_on__gt=day)
        )
        members["total"] += spells.count()
        members["full"] += spells.filter(member__converted_on__lte=day).count()
        members["female"] += spells.filter(member__sex="female").count()
        members["minority"] += spells.exclude(member__ethnicity="汉族").count()
        members["young"] += spells.filter(member__birth_date__gte=young).count()
        members["college"] += spells.filter(member__education__in=COLLEGE_OR_ABOVE).count()
        teacher_members += spells.filter(member__person_type="teacher").count()
        # Schools at home here: covered by this org on the day, or supervised by it and
        # without a covering org existing on the day.
        home = School.objects.filter(covering_org=org) if alive else School.objects.none()
        orphans = School.objects.filter(supervising_org=org).filter(
            Q(covering_org__isnull=True)
            | Q(covering_org__founded_on__gt=day)
            | Q(covering_org__dissolved_on__lte=day)
        )
        for queryset, is_covered in ((home, True), (orphans, False)):
            n = queryset.count()
            schools += n
            covered += n if is_covered else 0
            teachers += queryset.aggregate(t=Sum("teacher_count"))["t"] or 0
            for kind in (
                MassOrganization.objects.filter(school__in=queryset)
                .filter(exists)
                .values_list("kind", flat=True)
            ):
                mass[kind] = mass.get(kind, 0) + 1
    return {
        "orgs": orgs,
        "schools": (schools, covered),
        "members": members,
        "teachers": (teachers, teacher_members),
        "mass_orgs": mass,
    }


def same_as_engine(naive: dict, stats: dict) -> bool:
    from dangjian.orgs.models import MassOrgKind, OrgKind

    m = stats["members"]
    return (
        naive["orgs"] == {k: stats["orgs"][str(OrgKind(k).label)] for k in OrgKind.values}
        and naive["schools"] == (stats["schools"]["total"], stats["schools"]["covered"])
        and naive["members"]
        == {
            "total": m["total"],
            "full": m["正式党员"],
            "female": m["female"],
            "minority": m["ethnic_minority"],
            "young": m["age_35_and_under"],
            "college": m["college_or_above"],
        }
        and naive["teachers"] == (stats["teachers"]["total"], stats["teachers"]["party_members"])
        and all(
            naive["mass_orgs"].get(k, 0) == stats["mass_orgs"][str(MassOrgKind(k).label)]
            for k in MassOrgKind.values
        )
    )


def dashboard_seconds(root, day: dt.date, repeat: int) -> tuple[float, float]:
    """The dashboard page rendered for a superuser at `root` (RequestFactory: the view and
    its template, without the middleware's login and second-factor steps)."""
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory
    from django.test.utils import override_settings

    from dangjian.stats.views import dashboard

    user = get_user_model().objects.filter(username="bench-admin").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-admin", password=None)
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    def render():
        request = RequestFactory().get("/stats/", {"org": root.pk, "date": day.isoformat()})
        request.user = user
        response = dashboard(request)
        assert response.status_code == 200, response.status_code
        return response

    with override_settings(STORAGES=storages):
        median, best, _ = timed(render, repeat)
    return median, best


def main():
    args = parse_args()
    setup_django(args.db)
    from django.db import connection

    from dangjian.members.models import Member
    from dangjian.orgs.models import Organization, School
    from dangjian.stats import report
    from dangjian.stats.engine import statistics
    from dangjian.stats.tables import standard_tables

    if (
        args.rebuild
        or "members_member" not in connection.introspection.table_names()
        or (not Member.objects.exists())
    ):
        build(args)
    else:
        from django.core.management import call_command

        # A dataset built by an older schema: migrations bring it up to date (0005 fills
        # the spells' copy of the member attributes).
        call_command("migrate", verbosity=1)
    day = TODAY
    root = Organization.objects.get(depth=1)
    county = Organization.objects.filter(depth=3).order_by("path").first()
    school = School.objects.filter(covering_org__isnull=False).order_by("pk").first()
    branch = school.covering_org
    counts = {
        "members": Member.objects.count(),
        "orgs": Organization.objects.count(),
        "schools": School.objects.count(),
    }
    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        version = cur.fetchone()[0].split(",")[0]
    print(
        f"\n{version}; 党员 {counts['members']}、组织 {counts['orgs']}、学校 {counts['schools']};"
        f" 统计日期 {day}; 每项取 {args.repeat} 次的中位数(最好)"
    )
    print(
        f"{'范围':<14}{'党员':>9}{'统计对象(集合查询)':>22}{'改前:连接党员表':>20}"
        f"{'逐组织循环(ORM)':>20}  一致"
    )
    for label, org in (
        ("省(根)", root),
        (f"县 {county.code}", county),
        (f"学校 {school.code}", branch),
    ):
        median, best, stats = timed(lambda org=org: statistics(org, day), args.repeat)
        # The same object with the member attributes read through the join (the engine
        # before the spells carried a copy): same figures, the time it took.
        live_median, _best, live = timed(
            lambda org=org: statistics(org, day, live=True), args.repeat
        )
        assert live == stats, "spells' copy of the member attributes differs from the members"
        if args.skip_naive:
            naive_text, same = "-", "-"
        else:
            started = time.perf_counter()
            naive = naive_statistics(org, day)
            naive_text = f"{time.perf_counter() - started:.3f} s"
            same = "是" if same_as_engine(naive, stats) else "否"
        print(
            f"{label:<14}{stats['members']['total']:>9}"
            f"{median * 1000:>14.1f} ms ({best * 1000:.1f}){live_median * 1000:>14.1f} ms"
            f"{naive_text:>16}  {same}",
            flush=True,
        )
    median, best = dashboard_seconds(root, day, args.repeat)
    print(f"统计分析页面(根, 含上年同期对比): {median:.3f} s (最好 {best:.3f} s)")
    median, best = dashboard_seconds(county, day, args.repeat)
    print(f"统计分析页面(县): {median:.3f} s (最好 {best:.3f} s)")
    # Reused figures (stats.cache): what every view after the first sees until a write
    # commits; the first view after a write costs the figures above.
    from django.test import override_settings

    with override_settings(DANGJIAN_STATS_CACHE=True):
        median, best, _ = timed(lambda: statistics(root, day), args.repeat)
        print(f"统计对象(根, 数据未变时复用): {median * 1000:.1f} ms (最好 {best * 1000:.1f})")
        median, best = dashboard_seconds(root, day, args.repeat)
        print(f"统计分析页面(根, 数据未变时复用): {median:.3f} s (最好 {best:.3f} s)")
    period = (dt.date(day.year, 1, 1), day)
    median, best, _ = timed(lambda: standard_tables(root, day, period), max(1, args.repeat // 2))
    print(f"党内统计表(根): {median:.3f} s (最好 {best:.3f} s)")
    median, best, _ = timed(lambda: report.annual_report(root, *period), max(1, args.repeat // 2))
    print(f"年度工作总结 .docx(根): {median:.3f} s (最好 {best:.3f} s)")


if __name__ == "__main__":
    main()
