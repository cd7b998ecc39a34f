"""Identity matching (amn.people.matching): quality on labelled applicants and speed on a
registry of millions of persons, on SQLite and PostgreSQL.

    .venv/bin/python bench/matching.py                        # quality, then speed, 2,000,000
    .venv/bin/python bench/matching.py --only quality [--in-memory] [--calibrate]
    .venv/bin/python bench/matching.py --only speed --db sqlite --persons 200000

Quality: a synthetic registry built from real Arabic name units and their attested Latin
spellings ($AMN_SHARED_DATA/names/arabic_latin_name_units.csv.gz, see
amn.people.matching.evaluation), loaded into a fresh SQLite database
(var/bench/matching_quality.sqlite3) through the same keys as production, and labelled
applicants — true matches written differently (another spelling, the other script, typos,
year-only dates, names swapped), homonyms (same names and birth year, other parents, birth
place and day) and persons not in the registry — checked with registry_check. Printed per
split (train / held-out name keys): recall, precision, F1, precision of the automatic
decisions, the review share and the confusion counts. `--in-memory` holds the registry in a
dict instead of the database (same keys and scoring; for quick iterations). `--calibrate`
prints the m/u estimates of every field level from the candidate pairs of the train split.
`--latin-source romanizer` adds the skeletons of arabic-name-romanizer's Latin candidates
to every Arabic name (see docs/matching.md for the comparison).

Speed: N persons (default 2,000,000) generated from the same units and bulk-loaded (Person
and PersonMatchKey rows by executemany on SQLite, COPY on PostgreSQL, the match-key index
built once at the end) into var/bench/matching.sqlite3 or the PostgreSQL database
amn_bench_matching (both recreated); then p50/p95 latency of registry_check over applicants
of every kind, the naive baseline (rapidfuzz over every person born the same year) on the
same applicants, and the worker's peak memory (ru_maxrss). Targets (issue 4): recall ≥
99.5 %, precision of automatic decisions ≥ 99 %, p95 ≤ 50 ms, peak memory ≤ 2 GB, index
build ≤ 5 minutes.

Not part of the test suite.
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
PG_DATABASE = "amn_bench_matching"
TARGETS = {
    "recall": 0.995,
    "automatic_precision": 0.99,
    "p95_ms": 50.0,
    "peak_rss_mb": 2048.0,
    "index_build_seconds": 300.0,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["quality", "speed", "sources"])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--persons", type=int, default=2_000_000, help="speed registry size")
    parser.add_argument("--quality-persons", type=int, default=40_000)
    parser.add_argument("--queries", type=int, default=5_000, help="quality queries per split")
    parser.add_argument("--speed-queries", type=int, default=400)
    parser.add_argument("--baseline-queries", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--in-memory", action="store_true", help="quality without a database")
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument(
        "--latin-source", choices=["rules", "romanizer", "romanizer-nomodel"], default="rules"
    )
    parser.add_argument("--show-misses", type=int, default=0)
    parser.add_argument("--sweep", action="store_true", help="outcomes at other thresholds")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("AMN_BENCH_POSTGRES", DEFAULT_POSTGRES),
        help="an administrative PostgreSQL URL (amn_bench_matching is created beside it)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        workers = {"quality": quality_worker, "speed": speed_worker, "sources": sources_worker}
        result = workers[args.worker](args)
        print(json.dumps(result))
        return 0
    VAR.mkdir(parents=True, exist_ok=True)
    shared = Path(os.environ.get("AMN_SHARED_DATA", REPO.parent / "shared" / "data"))
    if not (shared / "names").is_dir():
        print(f"shared data not found at {shared} (set AMN_SHARED_DATA)", file=sys.stderr)
        return 2
    results: dict = {"load_average_before": os.getloadavg()}
    ok = True
    if args.only == "sources":
        results["sources"] = run_worker(args, "sources", None)
        report_sources(results["sources"])
    if args.only in (None, "quality"):
        url = None if args.in_memory else fresh_sqlite("matching_quality.sqlite3")
        results["quality"] = run_worker(args, "quality", url)
        ok &= report_quality(results["quality"])
    if args.only in (None, "speed"):
        results["speed"] = {}
        if args.db in ("sqlite", "both"):
            url = fresh_sqlite("matching.sqlite3")
            results["speed"]["SQLite"] = run_worker(args, "speed", url)
        if args.db in ("postgres", "both"):
            results["speed"]["PostgreSQL"] = run_worker(args, "speed", fresh_postgres(args))
        ok &= report_speed(args, results["speed"])
    results["load_average_after"] = os.getloadavg()
    name = f"matching-{args.only}.json" if args.only else "matching.json"
    (VAR / name).write_text(json.dumps(results, indent=2, default=str))
    return 0 if ok else 1


# -- databases and workers ------------------------------------------------------------------


def fresh_sqlite(name: str) -> str:
    path = VAR / name
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def fresh_postgres(args) -> str:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    parts = conninfo_to_dict(make_conninfo(args.postgres, dbname=PG_DATABASE))
    password = f":{parts['password']}" if parts.get("password") else ""
    host, port = parts.get("host", "127.0.0.1"), parts.get("port", "5432")
    return f"postgres://{parts.get('user', 'postgres')}{password}@{host}:{port}/{PG_DATABASE}"


def run_worker(args, phase: str, database_url: str | None) -> dict:
    """This script as a worker process (its own peak memory, DATABASE_URL set before
    django.setup()); the last line of its output is the JSON result."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", phase]
    for name in (
        "persons",
        "quality_persons",
        "queries",
        "speed_queries",
        "baseline_queries",
        "seed",
        "latin_source",
        "show_misses",
    ):
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    if args.in_memory:
        command.append("--in-memory")
    if args.calibrate:
        command.append("--calibrate")
    if args.sweep:
        command.append("--sweep")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "amn.settings"}
    env["DATABASE_URL"] = database_url or f"sqlite:///{VAR / 'matching_unused.sqlite3'}"
    done = subprocess.run(  # noqa: S603 — this very script, with our own arguments
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def say(message: str) -> None:
    stamp = time.strftime("%H:%M:%S", time.gmtime())
    print(f"  [{stamp} UTC] {message}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def percentile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def setup_django(*, database: bool) -> None:
    import django

    sys.path.insert(0, str(REPO))
    django.setup()
    if database:
        from django.core.management import call_command

        quiet = open(os.devnull, "w")  # noqa: SIM115 — closed with the process
        call_command("migrate", verbosity=0)
        call_command("load-reference", stdout=quiet)
        call_command("load-demo", stdout=quiet)


def shared_data() -> Path:
    from django.conf import settings

    return Path(settings.AMN_SHARED_DATA)


def use_latin_source(name: str, held_out_keys: set[str]) -> None:
    """With "romanizer" or "romanizer-nomodel": arabic-name-romanizer's Latin candidates join
    every Arabic name's skeletons, from an index without the held-out keys, with or without
    its neural model (see docs/matching.md)."""
    if name == "rules":
        return
    from amn.people.matching import romanizer

    index = romanizer.index_without(held_out_keys, VAR / "romanizer_train.sqlite3")
    romanizer.enable(index=index, model=name == "romanizer")


# -- sources of Latin candidates, unit by unit ----------------------------------------------


SOURCE_FIGURES = ("pairs", "weight", "rules", "romanizer", "either", "exact")


def sources_worker(args) -> dict:
    """For every attested (Arabic unit, Latin spelling) pair of Maghreb citizens (count ≥ 2):
    does the Latin spelling meet the Arabic unit — through our rules (the Arabic skeleton
    is one of the spelling's readings), through the romanizer (one of its top 5 Latin
    candidates has a reading in common with the spelling; or is the spelling itself), or
    through either? Shares weighted by attestation count, per split."""
    setup_django(database=False)
    import csv
    import gzip

    from amn.people.matching import evaluation, romanizer
    from amn.people.matching.crossscript import arabic_skeleton, latin_skeletons

    units = evaluation.NameUnits.read(shared_data())
    held_out = units.keys("held-out")
    index = romanizer.index_without(held_out, VAR / "romanizer_train.sqlite3")
    out = {}
    for label, model in (("romanizer", True), ("romanizer-nomodel", False)):
        romanizer.enable(index=index, model=model)
        tallies: dict = {}
        with gzip.open(shared_data() / evaluation.UNITS_FILE, "rt", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["country"] not in evaluation.MAGHREB or int(row["count"]) < 2:
                    continue
                key, latin, count = row["arabic_key"], row["latin"], int(row["count"])
                split = evaluation.split_of(key)
                readings = set(latin_skeletons(latin))
                candidates = romanizer.latin_candidates(key)
                by_rules = arabic_skeleton(key) in readings
                by_romanizer = any(readings & set(latin_skeletons(c)) for c in candidates)
                exact = latin.casefold() in {c.casefold() for c in candidates}
                t = tallies.setdefault(split, dict.fromkeys(SOURCE_FIGURES, 0))
                t["pairs"] += 1
                t["weight"] += count
                t["rules"] += count * by_rules
                t["romanizer"] += count * by_romanizer
                t["either"] += count * (by_rules or by_romanizer)
                t["exact"] += count * exact
        out[label] = tallies
    romanizer.disable()
    return out


def report_sources(result: dict) -> None:
    print("\nLatin spellings met by their Arabic unit (Maghreb rows, count ≥ 2, by count)")
    for label, tallies in result.items():
        for split, t in tallies.items():
            w = t["weight"]
            print(
                f"  {label:18} {split:9} {t['pairs']:5} pairs: rules {t['rules'] / w:.2%}  "
                f"romanizer {t['romanizer'] / w:.2%}  either {t['either'] / w:.2%}  "
                f"(romanizer top-5 holds the exact spelling: {t['exact'] / w:.2%})"
            )


# -- quality ----------------------------------------------------------------------------------


def quality_worker(args) -> dict:
    setup_django(database=not args.in_memory)
    from amn.people.matching import evaluation

    started = time.perf_counter()
    units = evaluation.NameUnits.read(shared_data())
    communes = evaluation.read_communes(shared_data())
    use_latin_source(args.latin_source, units.keys("held-out"))
    generator = evaluation.Generator(units, communes, seed=args.seed)
    registry = generator.registry(args.quality_persons)
    queries = generator.queries(registry, args.queries)
    say(f"{len(registry):,} registry persons, {len(queries):,} applicants")
    if args.in_memory:
        check = in_memory_checker([record for record, _units, _split in registry], communes)
    else:
        check = database_checker([record for record, _units, _split in registry])
    say(f"registry ready in {time.perf_counter() - started:.1f} s")
    tallies = {split: evaluation.Tally() for split in ("train", "held-out")}
    pairs = []
    latencies = []
    scored = []
    for query in queries:
        one = time.perf_counter()
        result = check(query.applicant, limit=None if args.calibrate else 5)
        latencies.append((time.perf_counter() - one) * 1000)
        tallies[query.split].record(query, result)
        returned = {c.person_id for c in result.candidates}
        scored.append((query.split, query.kind, result.score, query.truth in returned))
        if args.calibrate and query.split == "train":
            pairs.extend(
                (candidate.person_id == query.truth, candidate.fields)
                for candidate in result.candidates
            )
    out = {
        "registry_persons": len(registry),
        "latin_source": args.latin_source,
        "database": "memory" if args.in_memory else "sqlite",
        "check_p50_ms": percentile(latencies, 0.5),
        "splits": {split: tally.figures() for split, tally in tallies.items()},
        "peak_rss_mb": peak_rss_mb(),
    }
    if args.show_misses:
        out["misses"] = {
            split: [describe(q, r) for q, r in tally.misses[: args.show_misses]]
            for split, tally in tallies.items()
        }
        out["false_found"] = {
            split: [describe(q, r) for q, r in tally.false_found[: args.show_misses]]
            for split, tally in tallies.items()
        }
    if args.calibrate:
        out["calibration"] = calibrate(pairs)
    if args.sweep:
        out["sweep"] = sweep(scored)
    return out


def sweep(scored) -> list:
    """Recall, review share and precision of RECORD_FOUND at other thresholds."""
    rows = []
    for split in ("train", "held-out"):
        mine = [s for s in scored if s[0] == split]
        matches = [s for s in mine if s[1] == "match"]
        for low in (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02):
            for high in (0.95, 0.98, 0.99, 0.995, 0.999):
                flagged_right = sum(1 for s in matches if s[2] >= low and s[3])
                found = [s for s in mine if s[2] >= high]
                found_right = sum(1 for s in found if s[1] == "match" and s[3])
                review = sum(1 for s in mine if low <= s[2] < high)
                rows.append(
                    {
                        "split": split,
                        "possible_at": low,
                        "found_at": high,
                        "recall": round(flagged_right / len(matches), 4),
                        "review": round(review / len(mine), 4),
                        "found_precision": round(found_right / max(1, len(found)), 4),
                        "wrong_found": len(found) - found_right,
                    }
                )
    return rows


def describe(query, result) -> dict:
    top = result.candidates[0] if result.candidates else None
    return {
        "applicant": {k: str(v) for k, v in vars(query.applicant).items() if v},
        "truth": query.truth,
        "variations": query.variations,
        "outcome": result.outcome.value,
        "score": round(result.score, 4),
        "top": top.person_id if top else "",
        "fields": [(f.field, f.agreement, round(f.weight, 2), f.detail) for f in top.fields]
        if top
        else [],
    }


def calibrate(pairs) -> dict:
    """m and u of every field level among the candidate pairs (Laplace smoothing)."""
    from collections import Counter

    from amn.people.matching import scoring

    counts = {True: Counter(), False: Counter()}
    totals = Counter()
    for is_match, fields in pairs:
        totals[is_match] += 1
        for f in fields:
            level = scoring.level_of(f)
            counts[is_match][f.field, level] += 1
    table = {}
    for field_name, levels in scoring.M_U.items():
        table[field_name] = {}
        n_levels = len(levels) + 1
        for level in [*levels, scoring.MISSING]:
            m = (counts[True][field_name, level] + 1) / (totals[True] + n_levels)
            u = (counts[False][field_name, level] + 1) / (totals[False] + n_levels)
            table[field_name][level] = {
                "m": round(m, 4),
                "u": round(u, 4),
                "matches": counts[True][field_name, level],
                "non_matches": counts[False][field_name, level],
            }
    return {"pairs": dict(totals), "table": table}


def in_memory_checker(records, communes):
    from amn.people.matching.evaluation import memory_checker

    return memory_checker(records, communes)


def database_checker(records):
    from amn.people.matching.check import check_with
    from amn.people.matching.registry_load import registry_load

    registry_load(records, batch_size=20_000)

    def check(applicant, limit):
        return check_with(applicant, limit=limit)

    return check


def report_quality(result: dict) -> bool:
    print(
        f"\nQuality — {result['registry_persons']:,} registry persons in {result['database']}, "
        f"Latin candidates from {result['latin_source']}"
    )
    ok = True
    for split, f in result["splits"].items():
        print(
            f"  {split:9} {f['queries']:5} applicants ({f['matches']} true matches): "
            f"recall {f['recall']:.2%}  precision {f['precision']:.2%}  F1 {f['f1']:.2%}  "
            f"automatic decisions right {f['automatic_precision']:.2%} "
            f"(RECORD_FOUND {f['record_found_precision']:.2%}, "
            f"NO_RECORD {f['no_record_precision']:.2%})  review {f['review_share']:.1%}"
        )
        for kind, row in f["confusion"].items():
            cells = "  ".join(f"{k} {v:5}" for k, v in row.items())
            print(f"      {kind:8} {cells}")
        print(
            f"      true matches found with another person first: {f['wrong_person']}; "
            f"flagged without the right person among the candidates: {f['lost']}"
        )
        ok &= f["recall"] >= TARGETS["recall"]
        ok &= f["automatic_precision"] >= TARGETS["automatic_precision"]
    print(
        f"  one check p50 {result['check_p50_ms']:.1f} ms; "
        f"peak memory {result['peak_rss_mb']:.0f} MB"
    )
    for label in ("misses", "false_found"):
        for split, items in result.get(label, {}).items():
            for item in items:
                print(f"  {label} [{split}] {json.dumps(item, ensure_ascii=False)}")
    if "calibration" in result:
        print(json.dumps(result["calibration"], indent=1))
    for row in result.get("sweep", []):
        print("  sweep", json.dumps(row))
    return ok


# -- speed ------------------------------------------------------------------------------------


def speed_worker(args) -> dict:
    setup_django(database=True)
    from django.db import connection

    from amn.people.matching import evaluation
    from amn.people.matching.registry_load import registry_load

    units = evaluation.NameUnits.read(shared_data())
    communes = evaluation.read_communes(shared_data())
    generator = evaluation.Generator(units, communes, seed=args.seed)
    say(f"{connection.vendor}: loading {args.persons:,} persons …")
    kept: list = []
    keep_every = max(1, args.persons // (args.speed_queries * 2))

    def persons():
        for i in range(args.persons):
            record, person_units = generator.person(("train", "held-out")[i % 2])
            if i % keep_every < 2:  # both splits
                kept.append((record, person_units, ("train", "held-out")[i % 2]))
            yield record

    load = registry_load(persons(), batch_size=20_000, defer_index=True, progress=say)
    say(
        f"  persons {load['persons_seconds']:.0f} s, keys {load['keys_seconds']:.0f} s, "
        f"index {load['index_seconds']:.0f} s ({load['keys']:,} keys)"
    )
    queries = generator.queries(kept, args.speed_queries // 2)
    from amn.people.matching import registry_check

    for query in queries[:20]:  # warm the caches (database pages, name forms)
        registry_check(query.applicant)
    latencies, candidates = [], []
    for query in queries:
        one = time.perf_counter()
        result = registry_check(query.applicant)
        latencies.append((time.perf_counter() - one) * 1000)
        candidates.append(len(result.candidates))
    baseline_ms, baseline_found = baseline(queries[: args.baseline_queries], kept)
    ours_same = latencies[: args.baseline_queries]
    return {
        "vendor": connection.vendor,
        "server_version": server_version(connection),
        "persons": args.persons,
        "load": load,
        "queries": len(queries),
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": max(latencies),
        "baseline_queries": len(baseline_ms),
        "baseline_p50_ms": percentile(baseline_ms, 0.5),
        "baseline_p95_ms": percentile(baseline_ms, 0.95),
        "baseline_true_match_top": baseline_found,
        "ratio_p50": percentile(baseline_ms, 0.5) / percentile(ours_same, 0.5),
        "peak_rss_mb": peak_rss_mb(),
        "load_average": os.getloadavg(),
    }


def server_version(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        return cursor.fetchone()[0].split(" ")[0]


def baseline(queries, kept) -> tuple[list[float], str]:
    """The naive way: every person born the same year (or with no known year), their full
    names compared with the applicant's by rapidfuzz (token_sort_ratio, both scripts), the
    best kept. The birth year and date columns get an index first, so that the baseline is
    not also paying for a table scan."""
    from django.db import connection
    from django.db.models import Q
    from rapidfuzz import fuzz, process

    from amn.people.models import Person

    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX IF NOT EXISTS bench_person_year ON people_person (birth_year)")
        cursor.execute("CREATE INDEX IF NOT EXISTS bench_person_date ON people_person (birth_date)")
    import datetime

    times, right, matches = [], 0, 0
    for query in queries:
        applicant = query.applicant
        started = time.perf_counter()
        year = applicant.birth_date.year
        rows = Person.objects.filter(
            Q(birth_year=year)
            | Q(
                birth_date__gte=datetime.date(year, 1, 1),
                birth_date__lte=datetime.date(year, 12, 31),
            )
            | Q(birth_year__isnull=True, birth_date__isnull=True)
        ).values_list(
            "registry_id",
            "given_name_latin",
            "family_name_latin",
            "given_name_ar",
            "family_name_ar",
        )
        choices = {}
        for pid, gl, fl, ga, fa in rows:
            choices[pid] = f"{gl} {fl} {ga} {fa}"
        name = " ".join(
            v
            for v in (
                applicant.given_name_lat,
                applicant.family_name_lat,
                applicant.given_name_ar,
                applicant.family_name_ar,
            )
            if v
        )
        best = process.extractOne(name, choices, scorer=fuzz.token_sort_ratio)
        times.append((time.perf_counter() - started) * 1000)
        if query.kind == "match":
            matches += 1
            right += bool(best and best[2] == query.truth)
    return times, f"{right}/{matches}"


def report_speed(args, results: dict) -> bool:
    ok = True
    print(f"\nSpeed — registry of {args.persons:,} persons")
    for name, r in results.items():
        load = r["load"]
        build = load["keys_seconds"] + load["index_seconds"]
        print(
            f"  {name} {r['server_version']}: load persons {load['persons_seconds']:.0f} s, "
            f"match keys {load['keys_seconds']:.0f} s ({load['keys']:,} keys) + index "
            f"{load['index_seconds']:.0f} s = index build {build:.0f} s"
        )
        print(
            f"    registry_check over {r['queries']} applicants: p50 {r['p50_ms']:.1f} ms, "
            f"p95 {r['p95_ms']:.1f} ms, max {r['max_ms']:.1f} ms"
        )
        print(
            f"    naive baseline (rapidfuzz over everyone born that year), {r['baseline_queries']} "
            f"applicants: p50 {r['baseline_p50_ms']:.0f} ms, p95 {r['baseline_p95_ms']:.0f} ms; "
            f"true match first {r['baseline_true_match_top']}; ratio (p50) {r['ratio_p50']:.0f}×"
        )
        print(f"    peak memory {r['peak_rss_mb']:.0f} MB; load average {r['load_average']}")
        ok &= r["p95_ms"] <= TARGETS["p95_ms"]
        ok &= r["peak_rss_mb"] <= TARGETS["peak_rss_mb"]
        ok &= build <= TARGETS["index_build_seconds"]
    return ok


if __name__ == "__main__":
    sys.exit(main())
