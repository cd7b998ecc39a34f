"""The national annual report over a full national year: build time and peak memory.

    .venv/bin/python bench/report.py [--scale 1.0] [--runs 3] [--only sqlite|postgresql]
                                     [--postgres URL] [--keep] [--reuse]

For each database (SQLite in var/bench/report.sqlite3; PostgreSQL in a scratch database
amn_bench_report, dropped afterwards unless --keep) the script migrates, loads the
reference and demo data and generates the 2025 year at `--scale` of the release's volumes
(`amn generate-year --year 2025 --scale S`: at 1.0, 779,008 cases, 3,685,964 CNIE cards,
1,575,431 certificates with their applications, 80,000 staff …) plus the published figures
of earlier years (`amn load-published --until 2024`) — timed, not part of the target.
Then it writes the national 2025 report in Arabic as JSON, HTML and PDF, each `--runs`
times, every run in a fresh worker process (nothing cached between runs), and prints the
median and slowest wall time and the worker's peak resident memory.

Targets (issue 6): ≤ 30 s on SQLite, ≤ 15 s on PostgreSQL, peak ≤ 2 GB, on this 2-core
machine. The load average is printed with the figures: the machine is shared. Not part of
the test suite.
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
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench"
AMN = [sys.executable, "-m", "amn.manage"]
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
FORMATS = ("json", "html", "pdf")
TARGET_SECONDS = {"SQLite": 30.0, "PostgreSQL": 15.0}
TARGET_PEAK_MB = 2048


def amn(url: str, *args: str) -> tuple[float, str]:
    """Run `amn ARGS` against database `url`; return (seconds, stdout)."""
    env = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 — our own CLI, fixed arguments
        [*AMN, *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"amn {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return time.perf_counter() - started, result.stdout


def say(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def prepare(url: str, scale: float) -> dict:
    """Migrate, load and generate the year; returns the set-up timings."""
    timings = {}
    for step in (["migrate", "--no-input"], ["load-reference"], ["load-demo"]):
        timings[step[0]], _ = amn(url, *step)
    say(f"generating 2025 at scale {scale}")
    timings["generate-year"], out = amn(
        url, "generate-year", "--year", "2025", "--scale", str(scale)
    )
    say(out.strip().replace("\n", " | ")[:400])
    timings["load-published"], _ = amn(url, "load-published", "--until", "2024")
    return timings


def worker(url: str, fmt: str) -> dict:
    """One report written in this process: wall seconds and peak RSS (MB)."""
    import django

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amn.settings")
    sys.path.insert(0, str(REPO))
    django.setup()
    from django.core.management import call_command

    output = VAR / f"report-2025-ar.{fmt}"
    started = time.perf_counter()
    call_command(
        "report", "2025", "--lang", "ar", "--format", fmt, "-o", str(output),
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "bytes": output.stat().st_size}


def measure(url: str, runs: int) -> dict:
    results = {}
    for fmt in FORMATS:
        samples = []
        for _ in range(runs):
            done = subprocess.run(  # noqa: S603 — this very script, our own arguments
                [sys.executable, str(Path(__file__).resolve()), "--worker", url, "--format", fmt],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            )
            samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
        seconds = [s["seconds"] for s in samples]
        results[fmt] = {
            "median_s": statistics.median(seconds),
            "max_s": max(seconds),
            "peak_mb": max(s["peak_mb"] for s in samples),
            "bytes": samples[-1]["bytes"],
        }
        say(f"{fmt}: median {results[fmt]['median_s']:.1f} s")
    return results


def counts(url: str) -> dict:
    script = (
        "import json; from amn.cases.models import Case; from amn.idcards.models import Card; "
        "from amn.certificates.models import Certificate; from amn.hr.models import StaffMember; "
        "print(json.dumps({'cases': Case.objects.count(), 'cnie': Card.objects.count(), "
        "'certificates': Certificate.objects.count(), 'staff': StaffMember.objects.count()}))"
    )
    _, out = amn(url, "shell", "-c", script)
    return json.loads(out.strip().splitlines()[-1])


def postgres_url(admin_url: str, name: str) -> str:
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def psql(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--postgres", default=os.environ.get("AMN_BENCH_POSTGRES", DEFAULT_POSTGRES)
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.format)))
        return 0
    VAR.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    results = {}
    if args.only in (None, "sqlite"):
        path = VAR / "report.sqlite3"
        url = f"sqlite:///{path}"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        results["SQLite"] = run(url, args)
        if not args.keep:
            path.unlink(missing_ok=True)
    if args.only in (None, "postgresql"):
        url = postgres_url(args.postgres, "amn_bench_report")
        if not args.reuse:
            psql(args.postgres, "DROP DATABASE IF EXISTS amn_bench_report")
            psql(args.postgres, "CREATE DATABASE amn_bench_report")
        results["PostgreSQL"] = run(url, args)
        if not args.keep:
            psql(args.postgres, "DROP DATABASE IF EXISTS amn_bench_report")
    print_results(args, results, load_before)
    (VAR / "report.json").write_text(json.dumps(results, indent=2))
    return 0


def run(url: str, args) -> dict:
    setup = {} if args.reuse else prepare(url, args.scale)
    return {"setup_s": setup, "volume": counts(url), "report": measure(url, args.runs)}


def print_results(args, results: dict, load_before) -> None:
    print(f"\nNational 2025 report, Arabic, scale {args.scale}, {args.runs} runs per format")
    print(f"load average before: {load_before[0]:.1f}, after: {os.getloadavg()[0]:.1f}")
    for engine, result in results.items():
        volume = result["volume"]
        print(
            f"\n{engine}: {volume['cases']:,} cases, {volume['cnie']:,} CNIE cards, "
            f"{volume['certificates']:,} certificates, {volume['staff']:,} staff"
        )
        for step, seconds in result["setup_s"].items():
            print(f"  set-up {step:<16}{seconds:8.1f} s")
        target = TARGET_SECONDS[engine]
        for fmt, figures in result["report"].items():
            ok = figures["median_s"] <= target and figures["peak_mb"] <= TARGET_PEAK_MB
            print(
                f"  report {fmt:<5} median {figures['median_s']:6.1f} s, slowest "
                f"{figures['max_s']:6.1f} s, peak {figures['peak_mb']:6.0f} MB, "
                f"{figures['bytes']:,} bytes — target ≤ {target:.0f} s, ≤ 2 GB: "
                f"{'met' if ok else 'MISSED'}"
            )


if __name__ == "__main__":
    sys.exit(main())
