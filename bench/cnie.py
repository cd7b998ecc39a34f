"""A national year of CNIE cards: generation and load, then counting by month and region.

    .venv/bin/python bench/cnie.py [--cards 3700000] [--year 2025] [--seed 1] [--runs 5]
                                   [--only sqlite|postgresql] [--postgres URL] [--keep]

For each database (SQLite in a fresh file var/bench/cnie.sqlite3; PostgreSQL in a fresh
scratch database, dropped afterwards) a worker process migrates and loads the reference
data and the demo police units (not timed), then measures:

1. generate and load: `amn generate-demo --cnie N` (amn.idcards.generation through the
   bulk path of amn.cases.bulk, one transaction with the card table's indexes built at the
   end), cards per second and the time per batch of 50,000 cards;
2. count cards by month and region for the year (amn.idcards.selectors.
   cards_by_month_and_region, one grouped query), median and slowest of `--runs` runs;
3. the peak resident memory of the worker (resource.getrusage).

The release counts 3,685,964 CNIE produced in 2025. The figures depend on what else the
machine runs: the load average is printed with them. Not part of the test suite.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=3_700_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="runs of the count")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--postgres", default=os.environ.get("AMN_BENCH_POSTGRES", DEFAULT_POSTGRES)
    )
    parser.add_argument("--keep", action="store_true", help="keep var/bench/cnie.sqlite3")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return 0
    load_before = os.getloadavg()
    results = {}
    if args.only in (None, "sqlite"):
        results["SQLite"] = bench_sqlite(args)
    if args.only in (None, "postgresql"):
        results["PostgreSQL"] = bench_postgresql(args)
    report(args, results, load_before)
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "cnie.json").write_text(json.dumps(results, indent=2))
    return 0


def bench_sqlite(args) -> dict:
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / "cnie.sqlite3"
    files = (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
    for stale in files:
        stale.unlink(missing_ok=True)
    try:
        result = run_worker(args, f"sqlite:///{path}")
    finally:
        if not args.keep:
            for written in files:
                written.unlink(missing_ok=True)
    result["database"] = f"SQLite {result['server_version']}"
    return result


def bench_postgresql(args) -> dict:
    import psycopg

    name = f"amn_bench_cnie_{os.getpid()}"
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        parts = psycopg.conninfo.conninfo_to_dict(args.postgres)
        user = parts.get("user", "postgres")
        password = f":{parts['password']}" if parts.get("password") else ""
        host, port = parts.get("host", "127.0.0.1"), parts.get("port", "5432")
        result = run_worker(args, f"postgres://{user}{password}@{host}:{port}/{name}")
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result["database"] = f"PostgreSQL {result['server_version']} (scratch database)"
    return result


def run_worker(args, database_url: str) -> dict:
    command = [
        sys.executable, str(Path(__file__).resolve()), "--worker", database_url,
        "--cards", str(args.cards), "--year", str(args.year), "--seed", str(args.seed),
        "--runs", str(args.runs),
    ]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "amn.settings"}
    done = subprocess.run(  # noqa: S603 — this very script, with our own arguments
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def say(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(args) -> dict:
    import io

    import django

    sys.path.insert(0, str(REPO))
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from amn.idcards.generation import cnie_year_generate
    from amn.idcards.models import Card
    from amn.idcards.selectors import cards_by_month_and_region
    from amn.orgunits import demo as orgunits_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load-reference", stdout=io.StringIO())
    orgunits_demo.load_demo()
    say(f"{connection.vendor}: schema, reference data and units in "
        f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        version = cursor.fetchone()[0].split(" ")[0]

    say(f"generating and loading {args.cards:,} cards of {args.year} …")
    stamps: list[float] = []
    start = time.perf_counter()
    summary = cnie_year_generate(
        actor=None,
        cards=args.cards,
        year=args.year,
        seed=args.seed,
        progress=lambda done: stamps.append(time.perf_counter()),
    )
    seconds = summary.seconds
    batches = [b - a for a, b in zip([start, *stamps], stamps, strict=False)]
    stored = Card.objects.count()
    say(f"  {seconds:.1f} s ({stored:,} cards stored)")

    say("counting cards by month and region …")
    runs, cells = [], {}
    for _run in range(args.runs):
        begun = time.perf_counter()
        cells = cards_by_month_and_region(year=args.year)
        runs.append(time.perf_counter() - begun)
    say(f"  median {statistics.median(runs):.2f} s")
    months = {}
    for (month, _region), count in cells.items():
        months[month] = months.get(month, 0) + count
    return {
        "vendor": connection.vendor,
        "server_version": version,
        "cards": args.cards,
        "cards_stored": stored,
        "generate_load_seconds": seconds,
        "cards_per_second": args.cards / seconds,
        "batch_p50_seconds": percentile(batches, 0.50),
        "batch_p95_seconds": percentile(batches, 0.95),
        "index_build_seconds": start + seconds - stamps[-1],
        "count_median_seconds": statistics.median(runs),
        "count_max_seconds": max(runs),
        "count_runs": runs,
        "count_cells": len(cells),
        "count_total": sum(cells.values()),
        "cards_by_month": dict(sorted(months.items())),
        "peak_rss_mb": peak_rss_mb(),
        "load_average": os.getloadavg(),
    }


def report(args, results: dict, load_before) -> None:
    print(f"CNIE national year: {args.cards:,} cards of {args.year} (seed {args.seed})")
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    for name, r in results.items():
        print(f"\n{name}: {r['database']}")
        print(
            f"  generate + load : {r['generate_load_seconds']:.1f} s "
            f"({r['cards_per_second']:,.0f} cards/s; batch of 50,000 p50 "
            f"{r['batch_p50_seconds']:.2f} s, p95 {r['batch_p95_seconds']:.2f} s; "
            f"indexes and commit {r['index_build_seconds']:.1f} s)"
        )
        print(
            f"  count by month × region: median {r['count_median_seconds']:.2f} s, "
            f"slowest {r['count_max_seconds']:.2f} s over {len(r['count_runs'])} runs "
            f"({r['count_cells']} cells, {r['count_total']:,} cards)"
        )
        print(f"  peak memory of the worker: {r['peak_rss_mb']:.0f} MB")
        print(f"  load average after: {r['load_average'][0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
