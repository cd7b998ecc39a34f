"""Backup and restore drill at national scale (issue 7, item 9).

    .venv/bin/python bench/backup.py [--cases 800000] [--only sqlite|postgresql]
                                     [--postgres URL]

For each database: a scratch source database gets the reference data, the demo and a
generated national year of N criminal cases (`amn generate-demo`); `amn backup` writes it out,
`amn restore` loads it into a fresh scratch database (and checks the audit chain), and the
per-table fingerprints (row count + SHA-256, amn.core.backup.database_fingerprint) of source
and restored databases are compared. Prints the size, the backup and restore times and
whether every table matches. Scratch databases and files are removed afterwards.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench"
AMN = [sys.executable, "-m", "amn.manage"]
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
FINGERPRINT = (
    "import json; from amn.core.backup import database_fingerprint; "
    "print(json.dumps(database_fingerprint()))"
)


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


def psql(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def drill(source: str, target: str, backup: Path, cases: int) -> dict:
    for step in (["migrate", "--no-input"], ["load-reference"], ["load-demo"]):
        amn(source, *step)
    generate_s, _ = amn(source, "generate-demo", "--cases", str(cases), "--year", "2025")
    backup_s, _ = amn(source, "backup", str(backup))
    restore_s, restored_out = amn(target, "restore", str(backup))
    _, source_fp = amn(source, "shell", "-c", FINGERPRINT)
    _, target_fp = amn(target, "shell", "-c", FINGERPRINT)
    source_fp = json.loads(source_fp.strip().splitlines()[-1])
    target_fp = json.loads(target_fp.strip().splitlines()[-1])
    return {
        "cases": source_fp.get("cases_case", [0])[0],
        "rows": sum(count for count, _ in source_fp.values()),
        "tables": len(source_fp),
        "backup_mb": backup.stat().st_size / 1e6,
        "generate_s": generate_s,
        "backup_s": backup_s,
        "restore_s": restore_s,
        "identical": source_fp == target_fp,
        "restore_says": restored_out.strip(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=800_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--postgres", default=os.environ.get("AMN_BENCH_POSTGRES", DEFAULT_POSTGRES)
    )
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    results = {}
    if args.only in (None, "sqlite"):
        paths = [
            VAR / "backup-source.sqlite3",
            VAR / "backup-restored.sqlite3",
            VAR / "backup.sqlite3.bak",
        ]
        for path in paths:
            path.unlink(missing_ok=True)
        try:
            results["SQLite"] = drill(
                f"sqlite:///{paths[0]}", f"sqlite:///{paths[1]}", paths[2], args.cases
            )
        finally:
            for path in paths:
                path.unlink(missing_ok=True)
    if args.only in (None, "postgresql"):
        parts = urlsplit(args.postgres)
        names = [f"amn_bench_backup_{role}_{os.getpid()}" for role in ("source", "restored")]
        urls = [urlunsplit(parts._replace(path=f"/{name}")) for name in names]
        dump = VAR / "backup.pgdump"
        dump.unlink(missing_ok=True)
        for name in names:
            psql(args.postgres, f'CREATE DATABASE "{name}"')
        try:
            results["PostgreSQL"] = drill(urls[0], urls[1], dump, args.cases)
        finally:
            for name in names:
                psql(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
            dump.unlink(missing_ok=True)
    print(
        f"Backup and restore drill, {args.cases:,} generated cases, load {os.getloadavg()[0]:.1f}"
    )
    for engine, r in results.items():
        print(
            f"{engine:<11} rows {r['rows']:>10,} in {r['tables']} tables, "
            f"file {r['backup_mb']:.0f} MB | "
            f"backup {r['backup_s']:.1f} s | restore+chain check {r['restore_s']:.1f} s | "
            f"tables identical: {'yes' if r['identical'] else 'NO'}"
        )
    return 0 if all(r["identical"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
