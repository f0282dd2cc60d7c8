"""Benchmark: the statistics key `training`, counted by the database (`rules.tally`, what the
engine runs) beside the per-person path it replaced (`rules.people`, one Python object per
member; what the hours and rotation pages still list), on a generated county.

    .venv/bin/python bench/training_stats.py --db postgres://postgres@127.0.0.1:5432/dangjian_bench_training
    .venv/bin/python bench/training_stats.py --db sqlite:////tmp/bench_training.sqlite3

The database is migrated, then everything is written inside one transaction that is rolled
back at the end, so a run leaves the data as it found them (use a database of its own all
the same). The county (`--branches` branches under 学区 总支, `--members` members) is
written through the services: members in bulk, three linked seats per branch (书记, 组织
委员, 宣传委员), eight study sessions a year for 2024 and 2025 per branch and a county 轮训
session, each member attending a random subset (so some reach 32, some 56, some neither).
For the root, a 学区 and a branch, it prints the number of queries and the median time of
`--repeat` runs of each path, and stops if their figures differ."""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 12, 31)
HOURS = ("2", "4", "4", "6", "8", "8", "12")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_bench_training"
        ),
        help="database URL (PostgreSQL or sqlite:////path); migrated, the data rolled back",
    )
    parser.add_argument("--members", type=int, default=4000)
    parser.add_argument("--branches", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument(
        "--explain", action="store_true", help="print the tally's plans (PostgreSQL)"
    )
    return parser.parse_args()


def setup_django(db_url: str) -> None:
    os.environ["DANGJIAN_DATABASE_URL"] = db_url
    os.environ.setdefault("DANGJIAN_HOME", tempfile.mkdtemp(prefix="dj-bench-training-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    os.environ["DANGJIAN_STATS_CACHE"] = "false"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def id_number(i: int, sex: str) -> tuple[str, dt.date]:
    """A valid, distinct 公民身份号码 for the i-th member, with its birth date (1960-1966:
    everyone is over 18 on every 入党 date drawn)."""
    from dangjian.core.validators import id_check_digit

    birth = dt.date(1960, 1, 1) + dt.timedelta(days=(i // 500) * 11)
    first17 = f"640102{birth:%Y%m%d}{(i % 500) * 2 + (sex == 'male'):03d}"
    return first17 + id_check_digit(first17), birth


def build(args) -> dict:
    """The county, its members, seats, sessions and attendance (see the module docstring)."""
    from dangjian.core.context import CLI
    from dangjian.members import services as members
    from dangjian.orgs import services as orgs
    from dangjian.orgs.models import Position
    from dangjian.training import services as training

    rng = random.Random(args.seed)
    county = orgs.create_org(
        CLI, parent=None, code="B-COUNTY", name="基准县教体局党委", kind="committee"
    )
    generals, branches = [], []
    per_general = 10
    for g in range((args.branches + per_general - 1) // per_general):
        general = orgs.create_org(
            CLI,
            parent=county,
            code=f"B-G{g:02d}",
            name=f"第{g + 1}学区党总支",
            kind="general_branch",
        )
        generals.append(general)
        for b in range(min(per_general, args.branches - g * per_general)):
            branches.append(
                orgs.create_org(
                    CLI,
                    parent=general,
                    code=f"B-G{g:02d}-{b:02d}",
                    name=f"第{g + 1}学区第{b + 1}党支部",
                    kind="branch",
                )
            )
    rows = []
    for i in range(args.members):
        joined = dt.date(rng.choice((1995, 2005, 2015, 2024, 2025)), rng.choice((1, 3, 7)), 1)
        sex = "male" if i % 2 else "female"
        number, _birth = id_number(i, sex)
        rows.append(
            {
                "name": f"党员{i}",
                "sex": sex,
                "ethnicity": "汉族",
                "id_number": number,
                "education": "bachelor",
                "org": branches[i % len(branches)],
                "person_type": "teacher",
                "joined_on": joined,
                "converted_on": joined.replace(year=joined.year + 1)
                if joined.year < 2025
                else None,
            }
        )
    created = members.bulk_create_members(CLI, rows, audit_note="bench")
    by_branch: dict[int, list] = {}
    for member in created:
        by_branch.setdefault(member.org_id, []).append(member)
    for branch in branches:
        for title, member in zip(
            ("secretary", "organisation", "propaganda"), by_branch[branch.pk], strict=False
        ):
            orgs.save_position(
                CLI, Position(org=branch, title=title, member=member, start_on=dt.date(2020, 1, 1))
            )
    attendance = []
    for branch in branches:
        course = training.save_course(
            CLI, org=branch, title="党课", kind="study", level="county", hours=Decimal(12)
        )
        for year in (2024, 2025):
            for month in range(1, 13, 3):
                for day in (3, 20):
                    session = training.save_training(
                        CLI,
                        course=course,
                        org=branch,
                        on=dt.date(year, month, day),
                        hours=Decimal(12),
                    )
                    for member in by_branch[branch.pk]:
                        if rng.random() < 0.6:
                            attendance.append(
                                training.AttendanceRow(
                                    session.pk, member.pk, Decimal(rng.choice(HOURS))
                                )
                            )
    rotation = training.save_course(
        CLI, org=county, title="党务干部轮训", kind="rotation", level="county", hours=Decimal(8)
    )
    session = training.save_training(
        CLI, course=rotation, org=county, on=dt.date(2025, 5, 1), hours=Decimal(8)
    )
    for branch in branches:
        for member in by_branch[branch.pk][:2]:  # 书记 and 组织委员: two thirds of the cadres
            attendance.append(training.AttendanceRow(session.pk, member.pk, Decimal(8)))
    training.record_attendance_batch(CLI, attendance, note="bench")
    return {
        "root (county)": county,
        "学区 (10 branches)": generals[0],
        "branch": branches[0],
        "_attendance": len(attendance),
    }


def measure(fn, repeat: int):
    """(queries of one run, median ms of `repeat` runs after a warm-up, the result)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = fn()
    with CaptureQueriesContext(connection) as captured:
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return len(captured.captured_queries), statistics.median(times), result


def explain(fn) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every query `fn` runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()), "\n")


class Rollback(Exception):
    pass


def main() -> None:
    args = parse_args()
    setup_django(args.db)
    from django.core.management import call_command
    from django.db import connection, transaction

    from dangjian.stats.engine import make_scope
    from dangjian.training.stats import FETCH_PEOPLE_UP_TO, per_person_figures, tally_figures

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}, {args.members} members, {args.branches} branches")
    try:
        with transaction.atomic():
            started = time.perf_counter()
            orgs = build(args)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the planner's figures, as a live database has them
            print(
                f"built in {time.perf_counter() - started:.1f} s:"
                f" {orgs.pop('_attendance')} attendance rows"
            )
            header = (
                f"{'scope':<20} {'members':>8}  {'per person':>22}  {'tally (SQL)':>22}  speed-up"
            )
            print(header)
            root_figures = None
            for label, org in orgs.items():
                scope = make_scope(org, TODAY)
                small = scope.ids is not None and len(scope.ids) <= FETCH_PEOPLE_UP_TO
                q_old, ms_old, old = measure(
                    lambda scope=scope: per_person_figures(scope), args.repeat
                )
                q_new, ms_new, new = measure(lambda scope=scope: tally_figures(scope), args.repeat)
                if old != new:
                    raise SystemExit(f"{label}: the figures differ: {old} != {new}")
                size = org.spells.model.objects.filter(
                    org__path__startswith=org.path, end_on__isnull=True
                ).count()
                print(
                    f"{label:<20} {size:>8}  {q_old:>3} queries {ms_old:>8.1f} ms"
                    f"  {q_new:>3} queries {ms_new:>8.1f} ms  {ms_old / ms_new:6.1f}x"
                    f"  (the section: {'per person' if small else 'tally'})"
                )
                if args.explain:
                    explain(lambda scope=scope: tally_figures(scope))
                if root_figures is None:
                    root_figures = new
            print(f"figures at the root (both paths): {root_figures}")
            raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    main()
