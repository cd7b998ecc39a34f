"""Criminal cases at national scale: bulk import, a naive baseline and the indicators.

    .venv/bin/python bench/cases.py [--cases 800000] [--baseline-cases 2000] [--runs 5]
                                    [--only sqlite|postgresql] [--postgres URL]
                                    [--previous-year]

For each database (SQLite in a fresh file var/bench/cases.sqlite3; PostgreSQL in a fresh
scratch database, dropped afterwards) a worker process migrates, loads the reference and
demo data, then measures:

1. bulk import: `amn generate-demo` of N cases of one year (amn.cases.generation with
   amn.cases.bulk; above 50,000 cases one transaction with the indexes built at the end),
   its throughput, the p50/p95 time per batch of 10,000 cases and the final index build;
2. indicators (amn.indicators when present, else equivalent aggregate queries on the
   Offence table, and the output says so): every indicator for every region plus the
   national total of the year, and one indicator for one unit subtree, medians and
   percentiles of several runs; with --previous-year, N more cases of the year before are
   generated first (not part of the import figure), so that every figure is also compared
   with a full year — what a national database holds after its first year;
3. the naive baseline: the first M cases of the previous year, saved one by one through
   amn.cases.services.case_record (and seizure_record), on the same database in the same
   run; the ratio compares cases per second;
4. the peak resident memory of the worker (resource.getrusage).

Targets (issue 3): import of 800,000 cases ≤ 60 s on each database; every indicator for
every region and the nation ≤ 5 s; one indicator for one subtree ≤ 200 ms at p95; peak
memory ≤ 1 GB. The figures depend on what else the machine runs: the load average is
printed with them. Not part of the test suite.
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
TARGETS = {
    "import_seconds": 60.0,
    "all_regions_seconds": 5.0,
    "subtree_p95_ms": 200.0,
    "peak_rss_mb": 1024.0,
}
# One indicator for one subtree: these indicators for every security wilaya's subtree.
SUBTREE_INDICATORS = ("drug_cases", "clearance_rate", "cannabis_resin_seized_kg")
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=800_000, help="cases imported (N)")
    parser.add_argument("--baseline-cases", type=int, default=2_000, help="naive baseline")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="runs of each indicator query")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("AMN_BENCH_POSTGRES", DEFAULT_POSTGRES),
        help="an administrative PostgreSQL URL (the scratch database is created beside it)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep var/bench/cases.sqlite3 (some 700 MB)"
    )
    parser.add_argument(
        "--previous-year",
        action="store_true",
        help="also generate N cases of the year before, compared with by every figure",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return 0
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    load_before = os.getloadavg()
    results = {}
    if args.only in (None, "sqlite"):
        results["SQLite"] = bench_sqlite(args)
    if args.only in (None, "postgresql"):
        results["PostgreSQL"] = bench_postgresql(args)
    report(args, results, started=started, load_before=load_before)
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "cases.json").write_text(json.dumps(results, indent=2))
    return 0 if all(r["meets_targets"] for r in results.values()) else 1


# -- the databases ------------------------------------------------------------------------


def bench_sqlite(args) -> dict:
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / "cases.sqlite3"
    files = (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
    for stale in files:
        stale.unlink(missing_ok=True)
    try:
        result = run_worker(args, f"sqlite:///{path}")
    finally:
        if not args.keep:
            for written in files:
                written.unlink(missing_ok=True)
    result["database"] = f"SQLite {result['server_version']} ({path.relative_to(REPO)})"
    return result


def bench_postgresql(args) -> dict:
    import psycopg

    name = f"amn_bench_{os.getpid()}"
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = psycopg.conninfo.make_conninfo(args.postgres, dbname=name)
        result = run_worker(args, _as_url(url))
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result["database"] = f"PostgreSQL {result['server_version']} (scratch database {name})"
    return result


def _as_url(conninfo: str) -> str:
    """A libpq key=value string as the postgres:// URL that DATABASE_URL takes."""
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(conninfo)
    user = parts.get("user", "postgres")
    password = f":{parts['password']}" if parts.get("password") else ""
    host, port = parts.get("host", "127.0.0.1"), parts.get("port", "5432")
    return f"postgres://{user}{password}@{host}:{port}/{parts['dbname']}"


def run_worker(args, database_url: str) -> dict:
    """Run this script as a worker on `database_url`; its stdout's last line is the JSON."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        database_url,
        "--cases",
        str(args.cases),
        "--baseline-cases",
        str(args.baseline_cases),
        "--year",
        str(args.year),
        "--seed",
        str(args.seed),
        "--runs",
        str(args.runs),
        *(["--previous-year"] if args.previous_year else []),
    ]
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "amn.settings"}
    done = subprocess.run(  # noqa: S603 — this very script, with our own arguments
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the worker (one database, one process) ------------------------------------------------


def say(message: str) -> None:
    print(
        f"  [{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True
    )


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile (0–1) of `values`, interpolated between the nearest values."""
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[round(share * 100) - 1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker(args) -> dict:
    import django

    sys.path.insert(0, str(REPO))
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    quiet = open(os.devnull, "w")  # noqa: SIM115 — closed with the process
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load-reference", stdout=quiet)
    call_command("load-demo", stdout=quiet)
    setup = time.perf_counter() - started
    say(f"{connection.vendor}: schema, reference and demo data in {setup:.1f} s")
    result = {"vendor": connection.vendor, "server_version": server_version(connection)}
    result["import"] = bench_import(args)
    result["previous_year"] = bench_previous_year(args) if args.previous_year else None
    result["indicators"] = bench_indicators(args)
    result["baseline"] = bench_baseline(args)
    result["ratio"] = result["import"]["cases_per_second"] / result["baseline"]["cases_per_second"]
    result["peak_rss_mb"] = peak_rss_mb()
    result["load_average"] = os.getloadavg()
    result["meets_targets"] = meets_targets(args, result)
    return result


def server_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
        else:
            cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split(" ")[0]


def bench_import(args) -> dict:
    from amn.cases.generation import demo_year_generate
    from amn.cases.models import Arrest, Case, CriminalNetwork, Offence, Seizure

    say(f"bulk import of {args.cases:,} generated cases of {args.year} …")
    stamps: list[float] = []
    start = time.perf_counter()

    def progress(done: int) -> None:
        stamps.append(time.perf_counter())
        if done % 200_000 == 0:
            say(f"  {done:,} cases")

    summary = demo_year_generate(
        actor=None, cases=args.cases, year=args.year, seed=args.seed, progress=progress
    )
    seconds = summary.seconds
    batches = [b - a for a, b in zip([start, *stamps], stamps, strict=False)]
    rows = {
        "cases": Case.objects.count(),
        "offences": Offence.objects.count(),
        "arrests": Arrest.objects.count(),
        "seizures": Seizure.objects.count(),
        "networks": CriminalNetwork.objects.count(),
    }
    written = summary.cases.written + summary.offences + summary.arrests
    written += sum(count for count, _total, _unit in summary.seizures.values())
    say(f"  {seconds:.1f} s")
    return {
        "seconds": seconds,
        "cases_written": summary.cases.written,
        "cases_per_second": summary.cases.written / seconds,
        "rows_per_second": written / seconds,
        "batch_p50_seconds": percentile(batches, 0.50),
        "batch_p95_seconds": percentile(batches, 0.95),
        "after_last_batch_seconds": start + seconds - stamps[-1],
        "rows_in_database": rows,
        "resin_kg": float(summary.seizures.get("cannabis_resin", (0, 0, ""))[1]),
        "peak_rss_mb": peak_rss_mb(),
    }


def bench_previous_year(args) -> dict:
    """N generated cases of the year before (another seed), for year-over-year figures."""
    from amn.cases.generation import demo_year_generate

    say(f"previous year: {args.cases:,} generated cases of {args.year - 1} …")
    summary = demo_year_generate(
        actor=None, cases=args.cases, year=args.year - 1, seed=args.seed + 1
    )
    say(f"  {summary.seconds:.1f} s")
    return {"year": args.year - 1, "cases": summary.cases.written, "seconds": summary.seconds}


def bench_indicators(args) -> dict:
    from amn.orgunits.models import OrgUnit

    wilayas = list(
        OrgUnit.objects.filter(unit_type__code="security-wilaya")
        .order_by("code")
        .values_list("code", flat=True)
    )
    root = OrgUnit.objects.get(depth=1).code
    try:
        from amn.indicators.engine import Engine
        from amn.indicators.selectors import FigureQuery, figure_list
    except ImportError:
        return bench_aggregates(args, wilayas, root)

    say("indicators (amn.indicators) …")

    def all_regions() -> int:
        query = FigureQuery(year=args.year, by="region")
        return len(figure_list(actor=None, query=query, engine=Engine(), with_total=True))

    def one(unit: str, indicator: str) -> None:
        query = FigureQuery(year=args.year, unit=unit, indicator=indicator)
        figure_list(actor=None, query=query, engine=Engine())

    return measure_indicators(args, all_regions, one, wilayas, root, engine="amn.indicators")


def bench_aggregates(args, wilayas: list[str], root: str) -> dict:
    """Without amn.indicators: the aggregate queries such an engine runs, on Offence."""
    import datetime

    from django.db.models import Count, Q

    from amn.cases.models import NationalCategory, Offence
    from amn.orgunits.models import OrgUnit

    say("indicators (amn.indicators absent: aggregate queries on Offence) …")
    start, end = datetime.date(args.year, 1, 1), datetime.date(args.year + 1, 1, 1)
    categories = {
        category.code: list(category.iccs_codes.values_list("code", flat=True))
        for category in NationalCategory.objects.all()
    }

    def by_commune(unit: str, prefixes: list[str] | None) -> dict:
        path = OrgUnit.objects.get(code=unit).path
        ids = list(OrgUnit.objects.filter(path__startswith=path).values_list("id", flat=True))
        offences = Offence.objects.filter(
            is_valid=True, recorded_on__gte=start, recorded_on__lt=end, recording_unit_id__in=ids
        )
        if prefixes is not None:
            condition = Q()
            for prefix in prefixes:
                condition |= Q(iccs__code__startswith=prefix)
            offences = offences.filter(condition)
        return dict(offences.values_list("commune_id").annotate(n=Count("id")).order_by())

    def all_regions() -> int:
        cells = [by_commune(root, None)] + [by_commune(root, p) for p in categories.values()]
        return len(cells)

    def one(unit: str, indicator: str) -> None:
        by_commune(unit, categories.get("drug_offences") if indicator == "drug_cases" else None)

    return measure_indicators(args, all_regions, one, wilayas, root, engine="aggregates")


def measure_indicators(args, all_regions, one, wilayas, root, *, engine: str) -> dict:
    regions_seconds, figures = [], 0
    for _run in range(args.runs):
        started = time.perf_counter()
        figures = all_regions()
        regions_seconds.append(time.perf_counter() - started)
    subtree_ms, root_ms = [], []
    for _run in range(args.runs):
        for indicator in SUBTREE_INDICATORS:
            for unit in [*wilayas, root]:
                started = time.perf_counter()
                one(unit, indicator)
                elapsed = (time.perf_counter() - started) * 1000
                (root_ms if unit == root else subtree_ms).append(elapsed)
    say(f"  all regions: median {statistics.median(regions_seconds):.2f} s")
    return {
        "engine": engine,
        "all_regions_median_seconds": statistics.median(regions_seconds),
        "all_regions_runs": regions_seconds,
        "all_regions_figures": figures,
        "subtree_units": len(wilayas),
        "subtree_p50_ms": percentile(subtree_ms, 0.50),
        "subtree_p95_ms": percentile(subtree_ms, 0.95),
        "root_p50_ms": percentile(root_ms, 0.50),
        "root_p95_ms": percentile(root_ms, 0.95),
    }


def bench_baseline(args) -> dict:
    """The same generator, previous year, saved row by row through the services."""
    from amn.cases.choices import PartyRole
    from amn.cases.generation import YearPlan
    from amn.cases.services import (
        CaseInput,
        OffenceInput,
        PartyInput,
        case_record,
        seizure_record,
    )

    say(f"naive baseline: {args.baseline_cases:,} cases through case_record …")
    plan = YearPlan.build(cases=args.baseline_cases, year=args.year - 1, seed=args.seed)
    items = plan.generate()
    started = time.perf_counter()
    latencies = []
    for _case in range(args.baseline_cases):
        item = next(items)
        row = item.case
        one = time.perf_counter()
        case = case_record(
            actor=None,
            data=CaseInput(
                recording_unit_id=row.recording_unit_id,
                occurred_on=row.occurred_on,
                recorded_on=row.recorded_on,
                reported_on=row.reported_on,
                commune_id=row.commune_id,
                status=row.status,
                offences=[
                    OffenceInput(o.iccs_code, o.clearance, o.cleared_on, o.exceptional_reason)
                    for o in row.offences
                ],
                parties=[PartyInput(role=PartyRole.ARRESTED, arrested_on=d) for d in row.arrests],
            ),
        )
        for seizure in item.seizures:
            seizure_record(
                actor=None,
                substance=seizure.substance,
                quantity=seizure.quantity,
                quantity_unit=seizure.unit,
                seized_on=seizure.seized_on,
                seized_by_id=seizure.seized_by_id,
                case=case,
                stored_at=seizure.stored_at,
                destroyed_on=seizure.destroyed_on,
            )
        latencies.append((time.perf_counter() - one) * 1000)
    seconds = time.perf_counter() - started
    say(f"  {seconds:.1f} s")
    return {
        "cases": args.baseline_cases,
        "seconds": seconds,
        "cases_per_second": args.baseline_cases / seconds,
        "case_p50_ms": percentile(latencies, 0.50),
        "case_p95_ms": percentile(latencies, 0.95),
    }


def meets_targets(args, result: dict) -> bool:
    checks = [result["peak_rss_mb"] <= TARGETS["peak_rss_mb"]]
    if args.cases >= 800_000:
        checks.append(result["import"]["seconds"] <= TARGETS["import_seconds"])
    indicators = result["indicators"]
    checks.append(indicators["all_regions_median_seconds"] <= TARGETS["all_regions_seconds"])
    checks.append(indicators["subtree_p95_ms"] <= TARGETS["subtree_p95_ms"])
    return all(checks)


# -- the report ---------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(args, results: dict, *, started: str, load_before: tuple) -> None:
    load_after = os.getloadavg()
    print()
    print(f"Amn bench: criminal cases at scale — {started}")
    print(
        f"machine: {os.cpu_count()} CPUs; load average {load_before[0]:.2f} at the start, "
        f"{load_after[0]:.2f} at the end; Python {sys.version.split()[0]}"
    )
    print(
        f"N = {args.cases:,} generated cases of {args.year} (seed {args.seed}); "
        f"naive baseline on {args.baseline_cases:,} cases; {args.runs} runs per indicator query"
    )
    for name, r in results.items():
        imported, indicators, baseline = r["import"], r["indicators"], r["baseline"]
        rows = imported["rows_in_database"]
        full = args.cases >= 800_000
        print()
        print(f"{name}: {r['database']}")
        target = f"target ≤ {TARGETS['import_seconds']:.0f} s" if full else "(target at 800,000)"
        ok = imported["seconds"] <= TARGETS["import_seconds"] or not full
        print(f"  bulk import            {imported['seconds']:7.1f} s   {target:<22} {verdict(ok)}")
        print(
            f"    throughput           {imported['cases_per_second']:9,.0f} cases/s, "
            f"{imported['rows_per_second']:,.0f} rows/s (cases, offences, arrests, seizures)"
        )
        print(
            f"    per batch of 10,000  p50 {imported['batch_p50_seconds']:.2f} s, "
            f"p95 {imported['batch_p95_seconds']:.2f} s; index build and checks at the end "
            f"{imported['after_last_batch_seconds']:.1f} s"
        )
        print(
            f"    stored               {rows['cases']:,} cases, {rows['offences']:,} offences, "
            f"{rows['arrests']:,} arrests, {rows['seizures']:,} seizures "
            f"({imported['resin_kg'] / 1000:,.1f} t of cannabis resin), "
            f"{rows['networks']:,} networks"
        )
        print(
            f"  naive baseline         {baseline['cases_per_second']:9,.0f} cases/s "
            f"(case_record one by one, {baseline['cases']:,} cases; p50 "
            f"{baseline['case_p50_ms']:.1f} ms, p95 {baseline['case_p95_ms']:.1f} ms per case)"
        )
        print(f"    bulk ÷ naive         ×{r['ratio']:,.0f}")
        if r.get("previous_year"):
            previous = r["previous_year"]
            print(
                f"  previous year          {previous['cases']:,} cases of {previous['year']} "
                f"generated in {previous['seconds']:.1f} s: every figure below is compared "
                "with a full year"
            )
        engine = indicators["engine"]
        if engine != "amn.indicators":
            print("  indicators: amn.indicators absent — equivalent aggregate queries on Offence")
        seconds = indicators["all_regions_median_seconds"]
        print(
            f"  all indicators, 12 regions + nation, {args.year}: median {seconds:.2f} s "
            f"({indicators['all_regions_figures']} figures)   target ≤ "
            f"{TARGETS['all_regions_seconds']:.0f} s   "
            f"{verdict(seconds <= TARGETS['all_regions_seconds'])}"
        )
        p95 = indicators["subtree_p95_ms"]
        print(
            f"  one indicator, one wilaya subtree: p50 {indicators['subtree_p50_ms']:.0f} ms, "
            f"p95 {p95:.0f} ms   target p95 ≤ {TARGETS['subtree_p95_ms']:.0f} ms   "
            f"{verdict(p95 <= TARGETS['subtree_p95_ms'])}"
        )
        print(
            f"    ({indicators['subtree_units']} wilayas × {len(SUBTREE_INDICATORS)} indicators; "
            f"the whole tree from its root: p50 {indicators['root_p50_ms']:.0f} ms, "
            f"p95 {indicators['root_p95_ms']:.0f} ms)"
        )
        memory_ok = r["peak_rss_mb"] <= TARGETS["peak_rss_mb"]
        print(
            f"  peak memory (RSS)      {r['peak_rss_mb']:7.0f} MB   target ≤ "
            f"{TARGETS['peak_rss_mb']:.0f} MB   {verdict(memory_ok)}"
        )
    print()
    print(f"figures saved in {(VAR / 'cases.json').relative_to(REPO)}")


if __name__ == "__main__":
    sys.exit(main())
