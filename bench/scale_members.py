"""Benchmark: a province of 1,000,000 members under load (issue 20.3, DESIGN 5).

    .venv/bin/python bench/scale_members.py --db postgres://postgres@127.0.0.1:5432/dangjian_scale

One run, on a database of its own (it is created if missing and wiped), prints:

- the build: a province of `--orgs` orgs and half as many schools through the app's own
  Excel import, and `--members` members written the way `dangjian import members` writes
  them (the COPY path of the import, as in bench/import_members.py's insert floor: ID
  numbers encrypted, pinyin keys, a 入党 and a 转正 event and a spell per member);
- the real app server (`dangjian serve`, DEBUG off, a temporary DANGJIAN_HOME, the same
  database) driven by locust at `--users` users for `--seconds`, each user a city
  administrator signed in with password and second factor: p50/p95 per page beside the
  target (member list p95 <= 150 ms);
- the statistics object computed afresh (no cache) at the root beside the one-pass
  aggregate floor (one SQL aggregate over the members by the same dimensions; target
  <= 2x), and at a school (target <= 20 ms);
- `EXPLAIN (ANALYZE, BUFFERS)` of the hot queries of each page, written to `--explain`.

The load average is printed before and after: on a shared machine the times move with it.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = 20261206
CHUNK = 50_000
INDEX_USED = re.compile(
    r"(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)"
)
PASSWORD = "Bench-scale-2026!"
LIST_P95_TARGET_MS = 150
SCHOOL_TARGET_MS = 20
FLOOR_RATIO_TARGET = 2.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_scale"
        ),
        help="PostgreSQL URL of a database used only by this benchmark (wiped)",
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=20, help="concurrent locust users")
    parser.add_argument("--seconds", type=int, default=60, help="length of the load run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers of serve")
    parser.add_argument(
        "--stats-cache",
        choices=("on", "off"),
        default="on",
        help="DANGJIAN_STATS_CACHE of the server under load (default on, as shipped)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per statistics figure")
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier build")
    parser.add_argument(
        "--layout",
        choices=("random", "by-org"),
        default="random",
        help="random: every org's members spread over the whole table (the build's order, the"
        " worst case); by-org: CLUSTER the members by org first, as a province whose branches"
        " imported their members one sheet at a time lies (docs/operations.md)",
    )
    parser.add_argument(
        "--skip-explain", action="store_true", help="leave out the query plans (a rerun)"
    )
    parser.add_argument(
        "--explain",
        type=Path,
        default=Path(tempfile.gettempdir()) / "scale_members_explain.txt",
        help="file for the EXPLAIN (ANALYZE, BUFFERS) output",
    )
    return parser.parse_args()


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def ensure_database(url: str) -> None:
    """Create the benchmark's database when it does not exist yet."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(db_url: str, home: Path) -> None:
    os.environ["DANGJIAN_DATABASE_URL"] = db_url
    os.environ["DANGJIAN_HOME"] = str(home)
    os.environ["DANGJIAN_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "dangjian.settings"
    # In this process every figure is computed afresh (the statistics are timed here).
    os.environ["DANGJIAN_STATS_CACHE"] = "false"
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE))
    import django

    django.setup()


# -- the province ---------------------------------------------------------------------------


def build_orgs(n_orgs: int, folder: Path) -> dict:
    """Province → 14 cities → counties → 学区党总支 → branches (bench/stats.py's shape),
    and one school for every other branch, imported through `dangjian import orgs` and
    `schools` (the app's own path: tree, pinyin keys, audit)."""
    from stats import plan_orgs

    from dangjian.core.context import CLI
    from dangjian.core.excel import Sheet, write_workbook
    from dangjian.dataio.importing import run_import
    from dangjian.orgs.excel import ORG_TEMPLATE, SCHOOL_TEMPLATE
    from dangjian.orgs.models import OrgKind

    plan = plan_orgs(n_orgs)
    org_rows = [
        [
            o["code"],
            o["name"],
            str(OrgKind(o["kind"]).label),
            o["parent"]["code"] if o["parent"] else "",
            o["founded_on"],
            "",
            "",
        ]
        for o in plan
    ]
    branches = [o for o in plan if o["kind"] in ("branch", "joint_branch")]
    school_rows = []
    for i, branch in enumerate(branches[::2], start=1):
        county = branch["parent"]["parent"]
        school_rows.append(
            [
                f"S{i:05d}",
                f"第{i}学校",
                "小学" if i % 3 else "初级中学",
                "公办",
                ("城区", "镇区", "乡村")[i % 3],
                county["code"],
                county["name"].removesuffix("教体局党委"),
                130 + i % 60,
                100 + i % 25,
                1500 + i % 900,
                branch["code"],
            ]
        )
    orgs_path, schools_path = folder / "orgs.xlsx", folder / "schools.xlsx"
    write_workbook([Sheet("党组织", ORG_TEMPLATE.headers, org_rows)], orgs_path)
    write_workbook([Sheet("学校", SCHOOL_TEMPLATE.headers, school_rows)], schools_path)
    for kind, path in (("orgs", orgs_path), ("schools", schools_path)):
        outcome = run_import(kind, path, CLI, dry_run=False, source=path.name)
        if outcome.problems:
            raise SystemExit(f"import {kind}: " + "; ".join(map(str, outcome.problems[:5])))
    return {"orgs": len(org_rows), "schools": len(school_rows)}


def build_members(count: int) -> dict:
    """`count` members over the branches, written in transactions of CHUNK members exactly
    as `members.services.bulk_create_members` writes an import: `Member` objects with
    `fill_derived()` (pinyin keys, birth date), COPY with ids reserved from the sequence
    (the ID number encrypted and hashed by the model's fields), then one 入党 event, a 转正
    event when converted, and one open spell carrying the mirrored attributes."""
    from django.db import transaction
    from stats import BACKBONE, EDUCATION, GIVEN, MINORITIES, PERSON_TYPES, SURNAMES, pick

    from dangjian.core.validators import id_check_digit
    from dangjian.members import services
    from dangjian.members.choices import EventKind
    from dangjian.members.models import MIRRORED, Member, MemberEvent, Membership, mirrored_values
    from dangjian.orgs.models import Organization, School

    rng = random.Random(SEED)
    today = dt.date.today()
    branches = list(
        Organization.objects.filter(kind__in=("branch", "joint_branch"))
        .order_by("path")
        .values_list("pk", flat=True)
    )
    school_of = dict(School.objects.values_list("covering_org_id", "pk"))
    names = [s + g1 + g2 for s in SURNAMES for g1 in GIVEN[:12] for g2 in GIVEN[12:24]]
    written = {"members": 0, "events": 0, "spells": 0}

    def member(i: int) -> Member:
        sex = "female" if rng.random() < 0.55 else "male"
        birth = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(365 * 48))
        order = (i % 500) * 2 + (1 if sex == "male" else 0)
        body = f"{110000 + i // 500:06d}{birth:%Y%m%d}{order:03d}"
        adult = dt.date(birth.year + 18, birth.month, min(birth.day, 28))
        if rng.random() < 0.1:  # 预备党员
            joined = today - dt.timedelta(days=rng.randrange(30, 330))
            converted = None
        else:
            latest = today - dt.timedelta(days=800)
            joined = adult + dt.timedelta(days=rng.randrange(max((latest - adult).days, 1)))
            converted = joined + dt.timedelta(days=366 + rng.randrange(300))
        org = branches[rng.randrange(len(branches))]
        m = Member(
            name=names[rng.randrange(len(names))],
            sex=sex,
            ethnicity=rng.choice(MINORITIES) if rng.random() < 0.08 else "汉族",
            id_number=body + id_check_digit(body),
            education=pick(rng, EDUCATION),
            org_id=org,
            work_unit_id=school_of.get(org),
            person_type=pick(rng, PERSON_TYPES),
            backbone=pick(rng, BACKBONE),
            joined_on=joined,
            converted_on=converted,
            phone=f"13{rng.randrange(10**9):09d}",
        )
        m.fill_derived()
        return m

    done = 0
    while done < count:
        members = [member(i) for i in range(done + 1, min(done + CHUNK, count) + 1)]
        with transaction.atomic():
            services._insert(Member, members)
            events, spells = [], []
            for m in members:
                events.append((m.pk, EventKind.JOINED, m.joined_on, m.org_id))
                if m.converted_on:
                    events.append((m.pk, EventKind.CONVERTED, m.converted_on, m.org_id))
                spells.append((m.pk, m.org_id, m.joined_on, *mirrored_values(m)))
            services._insert_values(MemberEvent, ("member_id", "kind", "on", "org_id"), events)
            services._insert_values(
                Membership, ("member_id", "org_id", "start_on", *MIRRORED), spells
            )
        done += len(members)
        written["members"] += len(members)
        written["events"] += len(events)
        written["spells"] += len(spells)
        if done % 200_000 == 0 or done == count:
            print(f"  党员 {done}", flush=True)
    return written


def build(args, folder: Path) -> dict:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    counts = build_orgs(args.orgs, folder)
    orgs_done = time.perf_counter()
    counts.update(build_members(args.members))
    members_done = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    counts["seconds"] = {
        "migrate": migrated - started,
        "orgs": orgs_done - migrated,
        "members": members_done - orgs_done,
        "vacuum": time.perf_counter() - members_done,
        "total": time.perf_counter() - started,
    }
    return counts


# -- accounts -------------------------------------------------------------------------------


def city_admins(city, n: int) -> list[dict]:
    """`n` 管理员 of the city, made through the app's services as the command line makes
    them (the operator's own setup: no forced password change), each with an
    authenticator key enrolled through `enable_totp` as the 2FA page does."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP

    from dangjian.accounts import services
    from dangjian.core.context import CLI
    from dangjian.core.roles import Role

    accounts = []
    for i in range(1, n + 1):
        username = f"bench-city-{i:02d}"
        user = get_user_model().objects.filter(username=username).first()  # --reuse
        if user is None:
            user = services.create_user(
                CLI,
                username=username,
                password=PASSWORD,
                full_name=f"基准市管理员{i}",
                org=city,
                role=Role.ADMIN,
            )
        key = services.new_totp_key()
        services.enable_totp(user, key, f"{TOTP(bytes.fromhex(key)).token():06d}")
        accounts.append({"username": username, "password": PASSWORD, "totp_key": key})
    return accounts


# -- the server under load --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, timeout: float = 1200) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"dangjian serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit("dangjian serve did not answer /healthz in time")


def dangjian_command() -> list[str]:
    script = Path(sys.executable).parent / "dangjian"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from dangjian.cli import main; main()"]


def run_load(args, home: Path, config: dict, folder: Path) -> dict:
    """`dangjian serve` as a user runs it, then locust headless against it; the per-page
    figures from locust's CSV."""
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DANGJIAN_HOME": str(home),
        "DANGJIAN_DATABASE_URL": args.db,
        "DANGJIAN_DEBUG": "false",
        "DANGJIAN_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DANGJIAN_STATS_CACHE": "true" if args.stats_cache == "on" else "false",
        "PYTHONPATH": str(ROOT / "src"),
    }
    log = (folder / "serve.log").open("w")  # noqa: SIM115 (closed in `finally` below)
    server = subprocess.Popen(
        [
            *dangjian_command(),
            "serve",
            "--addr",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        started = time.perf_counter()
        wait_healthy(host, server)
        startup = time.perf_counter() - started
        config_path = folder / "locust.json"
        signed_in_file = folder / "signed_in.json"
        signed_in_file.unlink(missing_ok=True)
        config = {
            **config,
            "users": args.users,
            "seconds": args.seconds,
            "signed_in_file": str(signed_in_file),
        }
        config_path.write_text(json.dumps(config), encoding="utf-8")
        prefix = folder / "locust"
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(HERE / "scale_locustfile.py"),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.users),
            # The locustfile stops the run `--seconds` after the last user signed in; this
            # bounds it if sign-in never completes.
            "--run-time",
            f"{args.seconds + 600}s",
            "--stop-timeout",
            "10",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        load_before = load()
        done = subprocess.run(
            command,
            env={**env, "SCALE_BENCH_CONFIG": str(config_path)},
            capture_output=True,
            text=True,
            timeout=args.seconds + 900,
        )
        load_after = load()
        if not signed_in_file.exists():
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-6000:])
            raise SystemExit("not every locust user signed in")
        if not (prefix.parent / f"{prefix.name}_stats.csv").exists():
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-6000:])
            raise SystemExit("locust wrote no figures")
        import csv

        with open(prefix.parent / f"{prefix.name}_stats.csv", encoding="utf-8") as handle:
            rows = {row["Name"]: row for row in csv.DictReader(handle)}
        failures = (prefix.parent / f"{prefix.name}_failures.csv").read_text(encoding="utf-8")
        return {
            "rows": rows,
            "failures": failures.strip().splitlines()[1:],
            "load": (load_before, load_after),
            "startup": startup,
            "sign_in": json.loads(signed_in_file.read_text(encoding="utf-8"))["seconds"],
            "stderr": done.stderr,
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


# -- statistics afresh and their floor --------------------------------------------------------


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


def floor_sql() -> str:
    """One pass over the members of a subtree, counting every member dimension of the
    statistics object (INTERFACES 6: total, 正式/预备, female, minority, 35 and under,
    college or above, 专任教师) as conditional aggregates: what no engine can beat."""
    from dangjian.members.choices import COLLEGE_OR_ABOVE

    college = ", ".join(f"'{value}'" for value in COLLEGE_OR_ABOVE)
    return (
        "SELECT count(*),"
        " count(*) FILTER (WHERE m.converted_on <= %(day)s),"
        " count(*) FILTER (WHERE m.converted_on IS NULL OR m.converted_on > %(day)s),"
        " count(*) FILTER (WHERE m.sex = 'female'),"
        " count(*) FILTER (WHERE m.ethnicity <> '汉族'),"
        " count(*) FILTER (WHERE m.birth_date >= %(young)s),"
        f" count(*) FILTER (WHERE m.education IN ({college})),"
        " count(*) FILTER (WHERE m.person_type = 'teacher')"
        " FROM members_member m JOIN orgs_organization o ON o.id = m.org_id"
        " WHERE o.path LIKE %(path)s AND m.status = 'active' AND m.joined_on <= %(day)s"
    )


def floor(org, day: dt.date):
    from django.db import connection

    from dangjian.core.dates import born_after_for_max_age

    params = {"day": day, "young": born_after_for_max_age(day, 35), "path": org.path + "%"}
    with connection.cursor() as cur:
        cur.execute(floor_sql(), params)
        return cur.fetchone()


# -- query plans --------------------------------------------------------------------------------


def verified_client(user):
    """A test client signed in as `user` with the second factor passed (OTPMiddleware
    reads the device from the session), so the pages run their real queries in-process."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def explain_pages(user, config: dict, path: Path, day: dt.date, root) -> list[tuple]:
    """Every query of each hot page, captured in-process; the slowest few of each page run
    again under EXPLAIN (ANALYZE, BUFFERS). Also the floor and the root's statistics."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from dangjian.stats.engine import statistics

    client = verified_client(user)
    pages = {
        "member list (search + filter, page 1)": (
            "/members/",
            {"q": config["searches"][0], **config["filters"][0]},
        ),
        "member list (pinyin initials)": ("/members/", {"q": "wl", "person_type": "teacher"}),
        "member detail": (f"/members/{config['member_ids'][0]}/", {}),
        "dashboard (city)": ("/stats/", {}),
        "statistics API (city)": ("/api/stats/", {}),
    }
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    summary = []
    with open(path, "w", encoding="utf-8") as out, override_settings(STORAGES=storages):
        out.write(f"# EXPLAIN (ANALYZE, BUFFERS), {dt.datetime.now():%Y-%m-%d %H:%M}\n")

        def plans(label: str, queries: list[dict], top: int = 3):
            """Every SELECT of the page under EXPLAIN ANALYZE; the `top` slowest written."""
            explained = []
            for q in queries:
                sql = q["sql"]
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                with connection.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cur.fetchall())
                match = re.search(r"Execution Time: ([\d.]+) ms", plan)
                explained.append((float(match.group(1)) if match else 0.0, sql, plan))
            explained.sort(key=lambda item: item[0], reverse=True)
            total = sum(item[0] for item in explained)
            out.write(
                f"\n\n## {label}: {len(queries)} queries, {len(explained)} SELECTs,"
                f" {total:.1f} ms of execution in all\n"
            )
            for ms, sql, plan in explained[:top]:
                out.write(f"\n### {ms:.1f} ms\n{sql}\n\n{plan}\n")
                indexes = sorted(set(INDEX_USED.findall(plan)))
                summary.append((label, ms, total, indexes, sql))

        for label, (url, params) in pages.items():
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)
            plans(label, captured.captured_queries)
        with CaptureQueriesContext(connection) as captured:
            statistics(root, day)
        plans("statistics object (root, afresh)", captured.captured_queries, top=4)
        with CaptureQueriesContext(connection) as captured:
            floor(root, day)
        plans("one-pass aggregate floor (root)", captured.captured_queries, top=1)
    return summary


# -- the run --------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    if not args.db.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--db must be a PostgreSQL URL of a database of its own")
    ensure_database(args.db)
    # DANGJIAN_HOME (secret key, ID-number key ring, collected static files) lives in a
    # temporary folder named after the database, so `--reuse` finds the key ring the
    # build encrypted the ID numbers with; a build starts it afresh.
    folder = Path(tempfile.gettempdir()) / f"dangjian-scale-{args.db.rsplit('/', 1)[1]}"
    home = folder / "home"
    if not args.reuse and folder.exists():
        shutil.rmtree(folder)
    (home / "static").mkdir(parents=True, exist_ok=True)
    setup_django(args.db, home)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from dangjian.members.models import Member
    from dangjian.orgs.models import Organization, School
    from dangjian.stats.engine import statistics

    print(f"database: {args.db}\nfiles and DANGJIAN_HOME: {folder}\nload average: {load()}")
    if args.reuse and Member.objects.exists():
        print("build: reusing the data of an earlier build (--reuse)")
    else:
        built = build(args, folder)
        s = built["seconds"]
        print(
            f"build: {built['orgs']} orgs, {built['schools']} schools, {built['members']} members,"
            f" {built['events']} events, {built['spells']} spells in {s['total']:.0f} s"
            f" (migrate {s['migrate']:.0f} s, orgs and schools by import {s['orgs']:.0f} s,"
            f" members by the import's COPY path {s['members']:.0f} s,"
            f" {built['members'] / max(s['members'], 1e-9):.0f} members/s,"
            f" VACUUM ANALYZE {s['vacuum']:.0f} s); load average {load()}",
            flush=True,
        )
    if args.layout == "by-org":
        started = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("CLUSTER members_member USING member_org_status")
            cur.execute("ANALYZE members_member")
        print(f"layout: members clustered by org in {time.perf_counter() - started:.0f} s")
    else:
        print("layout: as built (each org's members spread over the table)")
    day = dt.date.today()
    root = Organization.objects.get(depth=1)
    city = Organization.objects.filter(depth=2).order_by("path").first()
    # The first school that is some member's work unit (a branch may be left empty when
    # a small build spreads few members over many branches).
    school = School.objects.get(
        pk=Member.objects.filter(work_unit__isnull=False)
        .order_by("pk")
        .values_list("work_unit", flat=True)
        .first()
    )
    accounts = city_admins(city, args.users)
    in_city = Member.objects.filter(org__path__startswith=city.path)
    rng = random.Random(SEED)
    sample = list(in_city.order_by("?").values_list("pk", flat=True)[:500])
    config = {
        "accounts": accounts,
        "member_ids": sample,
        # Common surnames, a given-name character, full pinyin and initials.
        "searches": ["王", "李", "张伟", "刘", "芳", "wang", "zhang", "lw", "cj", "zhao"],
        "filters": [
            {"person_type": "teacher"},
            {"education": "bachelor"},
            {"sex": "female"},
            {"category": "full", "person_type": "teacher"},
            {"age": "41-45"},
        ],
    }
    rng.shuffle(config["member_ids"])
    counts = (Member.objects.count(), Organization.objects.count(), School.objects.count())
    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        version = cur.fetchone()[0].split(",")[0]
    print(
        f"{version}; members {counts[0]}, orgs {counts[1]}, schools {counts[2]};"
        f" signed in as {args.users} 管理员 of {city.name} ({in_city.count()} members)",
        flush=True,
    )

    # Query plans first, on a quiet database (the load run would skew their timings).
    summary = (
        []
        if args.skip_explain
        else explain_pages(
            get_user_model().objects.get(username=accounts[0]["username"]),
            config,
            args.explain,
            day,
            root,
        )
    )
    if summary:
        print(
            f"\nquery plans written to {args.explain}; per page the slowest statement, the"
            " execution time of all its statements, the indexes the slowest one uses:"
        )
    seen = set()
    for label, ms, total, indexes, _sql in summary:
        if label in seen:
            continue
        seen.add(label)
        print(
            f"  {label:<40} {ms:8.1f} ms of {total:8.1f} ms"
            f"  {', '.join(indexes) or 'no index (sequential scan)'}"
        )

    load_run = run_load(args, home, config, folder)
    rows = load_run["rows"]
    print(
        f"\nload: {args.users} users, {args.seconds} s, `dangjian serve --workers {args.workers}`"
        f" (DEBUG off, stats cache {args.stats_cache}, ready in {load_run['startup']:.0f} s;"
        f" all users signed in after {load_run['sign_in']:.0f} s, measured from then on);"
        f" load average {load_run['load'][0]}"
        f" before, {load_run['load'][1]} after"
    )
    print(
        f"  {'page':<18}{'requests':>9}{'failures':>9}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}  target"
    )
    pages = ("member list", "member detail", "dashboard", "statistics API")
    for name in pages:
        row = rows.get(name)
        if row is None:
            print(f"  {name:<18} (no requests)")
            continue
        p95 = float(row["95%"])
        target = ""
        if name == "member list":
            verdict = "met" if p95 <= LIST_P95_TARGET_MS else "NOT met"
            target = f"p95 <= {LIST_P95_TARGET_MS} ms: {verdict}"
        print(
            f"  {name:<18}{row['Request Count']:>9}{row['Failure Count']:>9}"
            f"{float(row['50%']):>9.0f}{p95:>9.0f}{float(row['Requests/s']):>8.1f}  {target}"
        )
    if load_run["failures"]:
        print("  failures: " + " | ".join(load_run["failures"][:5]))

    # Statistics afresh (this process: DANGJIAN_STATS_CACHE=false) beside the floor.
    branch = school.covering_org
    print(f"\nstatistics object computed afresh on {day}, median of {args.repeat} (best):")
    for label, org, target in (
        ("root", root, None),
        (f"school {school.code} (its branch)", branch, SCHOOL_TARGET_MS),
    ):
        median, best, stats = timed(lambda org=org: statistics(org, day), args.repeat)
        floor_median, floor_best, figures = timed(lambda org=org: floor(org, day), args.repeat)
        ratio = median / floor_median
        if target is None:
            verdict = f"target <= {FLOOR_RATIO_TARGET:.0f}x: " + (
                "met" if ratio <= FLOOR_RATIO_TARGET else "NOT met"
            )
        else:
            verdict = f"target <= {target} ms: " + ("met" if median * 1000 <= target else "NOT met")
        print(
            f"  {label:<30} {stats['members']['total']:>8} members  statistics"
            f" {median * 1000:8.1f} ms ({best * 1000:.1f})  one-pass floor"
            f" {floor_median * 1000:8.1f} ms ({floor_best * 1000:.1f}, {figures[0]} members)"
            f"  ratio {ratio:.2f}x  {verdict}"
        )
    print(f"\nload average at the end: {load()}")


if __name__ == "__main__":
    main()
