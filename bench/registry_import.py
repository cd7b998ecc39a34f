"""Records-registry import at scale: `amn import-registry` on a generated file.

    .venv/bin/python bench/registry_import.py [--lines 100000] [--runs 1]
                                              [--only sqlite|postgresql] [--postgres URL]

For each database (SQLite in a fresh file var/bench/registry.sqlite3; PostgreSQL in a fresh
scratch database, dropped afterwards) a worker process migrates and loads the reference data
(communes, ICCS; not timed), writes a synthetic registry of N persons (gzip JSON Lines, the
exchange fields of amn.people.registry_io, 20 % year-only birth dates, 80 % with a CNIE,
5 % with convictions; names drawn from the Moroccan rows of the shared Arabic↔Latin name
units when AMN_SHARED_DATA holds them, else from a short built-in list), then measures:

1. a refused import: the same file plus one bad last line — the first pass reads and checks
   every line and writes nothing (the time of the validation pass);
2. the import: `amn import-registry FILE` (both passes, persons, convictions and match keys
   written in one transaction; above 50,000 lines into an empty registry the indexes are
   built at the end), lines per second and rows written;
3. the peak resident memory of the worker (resource.getrusage).

With --runs R > 1 each step is repeated on a fresh registry and the median is printed.
The machine is shared: the load average is printed with the figures. Not part of the tests.
"""

import argparse
import contextlib
import csv
import gzip
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
FALLBACK_GIVEN = (
    ("محمد", "Mohamed"), ("أحمد", "Ahmed"), ("يوسف", "Youssef"), ("فاطمة", "Fatima"),
    ("خديجة", "Khadija"), ("عبد الله", "Abdellah"), ("سعيد", "Said"), ("مريم", "Meryem"),
)  # fmt: skip
FALLBACK_FAMILY = (
    ("العلوي", "Alaoui"), ("بناني", "Bennani"), ("الإدريسي", "El Idrissi"), ("التازي", "Tazi"),
    ("الفاسي", "El Fassi"), ("العمراني", "El Amrani"), ("الشرقاوي", "Cherkaoui"),
)  # fmt: skip
ICCS = ("0401", "0502", "0601", "0201", "0701")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000, help="persons in the file (N)")
    parser.add_argument("--runs", type=int, default=1, help="repetitions (median printed)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("AMN_BENCH_POSTGRES", DEFAULT_POSTGRES),
        help="an administrative PostgreSQL URL (the scratch database is created beside it)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return 0
    results = {}
    load_before = os.getloadavg()
    if args.only in (None, "sqlite"):
        results["SQLite"] = bench_sqlite(args)
    if args.only in (None, "postgresql"):
        results["PostgreSQL"] = bench_postgresql(args)
    report(args, results, load_before)
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "registry_import.json").write_text(json.dumps(results, indent=2))
    return 0


def bench_sqlite(args) -> dict:
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / "registry.sqlite3"
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    for stale in files:
        stale.unlink(missing_ok=True)
    try:
        return run_worker(args, f"sqlite:///{path}")
    finally:
        for written in files:
            written.unlink(missing_ok=True)


def bench_postgresql(args) -> dict:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = f"amn_bench_registry_{os.getpid()}"
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        parts = conninfo_to_dict(make_conninfo(args.postgres, dbname=name))
        password = f":{parts['password']}" if parts.get("password") else ""
        url = (
            f"postgres://{parts.get('user', 'postgres')}{password}@"
            f"{parts.get('host', '127.0.0.1')}:{parts.get('port', '5432')}/{name}"
        )
        return run_worker(args, url)
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_worker(args, database_url: str) -> dict:
    """This script as a worker on `database_url`; its stdout's last line is the JSON."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        database_url,
        "--lines",
        str(args.lines),
        "--runs",
        str(args.runs),
        "--seed",
        str(args.seed),
    ]
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "amn.settings"}
    done = subprocess.run(  # noqa: S603 — this very script, with our own arguments
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def say(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def name_pools() -> tuple[list, list]:
    """(given, family) lists of (Arabic, Latin) pairs: Moroccan attested spellings from the
    shared name units (most attested Latin spelling per Arabic key), else the fallback."""
    source = Path(os.environ.get("AMN_SHARED_DATA", REPO.parent / "shared" / "data"))
    path = source / "names" / "arabic_latin_name_units.csv.gz"
    if not path.is_file():
        return list(FALLBACK_GIVEN), list(FALLBACK_FAMILY)
    best: dict[tuple[str, str], tuple[int, str]] = {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["country"] != "MA" or row["role"] not in ("given", "surname"):
                continue
            latin = row["latin"].strip()
            if not latin.replace(" ", "").replace("-", "").replace("'", "").isalpha():
                continue
            key = (row["role"], row["arabic_key"])
            count = int(row["count"] or 0)
            if key not in best or count > best[key][0]:
                best[key] = (count, latin)
    given = [(ar, latin) for (role, ar), (_n, latin) in best.items() if role == "given"]
    family = [(ar, latin) for (role, ar), (_n, latin) in best.items() if role == "surname"]
    return sorted(given), sorted(family)


def write_registry(path: Path, lines: int, seed: int, communes: list[str]) -> dict:
    rng = random.Random(seed)  # noqa: S311 — synthetic data, not secrets
    given, family = name_pools()
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        for n in range(lines):
            g, f = rng.choice(given), rng.choice(family)
            year = rng.randint(1940, 2006)
            born = (
                str(year)
                if rng.random() < 0.2
                else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            )
            person = {
                "person_id": f"SYN-{n:08d}",
                "family_name_ar": f[0],
                "given_name_ar": g[0],
                "family_name_lat": f[1],
                "given_name_lat": g[1],
                "sex": rng.choice("MF"),
                "birth_date": born,
                "birth_place": rng.choice(communes),
                "father_given_name": rng.choice(given)[0],
                "mother_given_name": rng.choice(given)[1],
            }
            if rng.random() < 0.8:
                person["cnie"] = f"ZZ{n:08d}"
            if rng.random() < 0.05:
                person["convictions"] = [
                    {
                        "court": "المحكمة الابتدائية بفاس",
                        "judgment_date": f"{min(year + 25, 2025)}-03-04",
                        "iccs_code": rng.choice(ICCS),
                        "sentence": "ستة أشهر حبسا نافذا",
                    }
                ]
            handle.write(json.dumps(person, ensure_ascii=False) + "\n")
    return {"given_names": len(given), "family_names": len(family)}


def worker(args) -> dict:
    import django

    sys.path.insert(0, str(REPO))
    django.setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection

    from amn.geo.models import Commune
    from amn.orgunits.choices import DatePrecision
    from amn.orgunits.models import UnitType
    from amn.orgunits.services import unit_create
    from amn.people.models import JudicialRecord, Person, PersonMatchKey

    quiet = open(os.devnull, "w")  # noqa: SIM115 — closed with the process
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load-reference", stdout=quiet)
    unit = unit_create(
        actor=None,
        code="bench-registry",
        name_ar="السجل",
        name_fr="Registre",
        name_en="Registry",
        unit_type=UnitType.objects.get(code="directorate-general"),
        parent=None,
        commune=None,
        effective_on=None,
        date_precision=DatePrecision.UNKNOWN,
        decision_reference="bench",
    )
    say(f"{connection.vendor}: schema and reference data in {time.perf_counter() - started:.0f} s")
    VAR.mkdir(parents=True, exist_ok=True)
    good = VAR / f"registry-{args.lines}.jsonl.gz"
    bad = VAR / f"registry-{args.lines}-refused.jsonl.gz"
    communes = list(Commune.objects.values_list("code", flat=True))
    pools = write_registry(good, args.lines, args.seed, communes)
    with gzip.open(good, "rb") as source, gzip.open(bad, "wb", compresslevel=1) as target:
        for line in source:
            target.write(line)
        target.write(b'{"person_id": "BAD", "family_name_lat": "X", "birth_date": "1999-02-30"}\n')
    refused, imported = [], []
    for run in range(args.runs):
        Person.objects.filter(registry_id__startswith="SYN-").delete()
        say(f"run {run + 1}: refused import of {args.lines + 1:,} lines …")
        start = time.perf_counter()
        with contextlib.suppress(CommandError):
            call_command(
                "import-registry", str(bad), "--unit", unit.code, stdout=quiet, stderr=quiet
            )
        refused.append(time.perf_counter() - start)
        say(f"  {refused[-1]:.1f} s; import of {args.lines:,} lines …")
        start = time.perf_counter()
        call_command("import-registry", str(good), "--unit", unit.code, stdout=quiet)
        imported.append(time.perf_counter() - start)
        say(f"  {imported[-1]:.1f} s")
    seconds = statistics.median(imported)
    rows = {
        "persons": Person.objects.filter(registry_id__startswith="SYN-").count(),
        "convictions": JudicialRecord.objects.filter(person__registry_id__startswith="SYN-")
        .order_by()
        .count(),
        "match_keys": PersonMatchKey.objects.count(),
    }
    for path in (good, bad):
        path.unlink(missing_ok=True)
    return {
        "vendor": connection.vendor,
        "lines": args.lines,
        "names": pools,
        "refused_seconds": statistics.median(refused),
        "import_seconds": seconds,
        "lines_per_second": args.lines / seconds,
        "rows": rows,
        "peak_rss_mb": peak_rss_mb(),
        "load_average": os.getloadavg(),
    }


def report(args, results: dict, load_before) -> None:
    print(f"Registry import, {args.lines:,} persons (median of {args.runs} run(s))")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}")
    for name, r in results.items():
        print(f"\n{name}")
        print(f"  names drawn from: {r['names']['given_names']:,} given, "
              f"{r['names']['family_names']:,} family")  # fmt: skip
        print(f"  refused file (validation pass, nothing written): {r['refused_seconds']:.1f} s")
        print(f"  import: {r['import_seconds']:.1f} s = {r['lines_per_second']:,.0f} lines/s")
        print(f"  rows: {r['rows']['persons']:,} persons, {r['rows']['convictions']:,} "
              f"convictions, {r['rows']['match_keys']:,} match keys")  # fmt: skip
        print(f"  peak memory: {r['peak_rss_mb']:.0f} MB")
        print(f"  load average after: {' '.join(f'{x:.2f}' for x in r['load_average'])}")


if __name__ == "__main__":
    sys.exit(main())
