"""Load without loss (issue 7, item 8): certificate submissions through the public API
against gunicorn (4 workers) and PostgreSQL on loopback, with idempotent retries, then a
burst at twice the measured rate and the time the service takes to come back.

    .venv/bin/python bench/load.py [--submissions 10000] [--clients 50] [--retry-share 0.1]
                                   [--burst-seconds 60] [--recovery-seconds 60]
                                   [--workers 4] [--worker-class sync|gthread] [--threads 2]
                                   [--postgres URL] [--redis URL] [--keep-db]

A quick version: `--submissions 500 --clients 10 --burst-seconds 10 --recovery-seconds 20`.
Loopback only, bounded in count (the submissions) and in time (burst and recovery
seconds, 60-second client timeouts). Not part of the test suite.

Setup (not timed): a scratch PostgreSQL database `amn_bench_load_<pid>` beside the
administrative one (default postgresql://postgres@127.0.0.1:5432/postgres, or
$AMN_BENCH_POSTGRES), migrated, with `amn load-reference` and `amn load-demo`; gunicorn
(`--workers`, sync workers by default) on a free loopback port with DATABASE_URL set to it
and REDIS_URL=redis://127.0.0.1:6379/15 (`--redis`), so that the workers share their
rate-limit counters. Background jobs use the database queue and no worker runs: each
accepted application leaves its registry check in the queue, which the checks count.

Client addresses, limits and shedding. Every simulated client sends its own
X-Forwarded-For address (198.18.0.0/15, the benchmarking range) and an X-Request-Start
stamp (the time it sent the request, as a proxy in front would stamp it); gunicorn runs a
bench-only settings module, generated in a temporary folder and deleted afterwards, that
imports amn.settings and adds:
- RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR": django-ratelimit takes the client
  address from that header, so each simulated client has its own per-client count (without
  it all of them would be one client, 127.0.0.1). Trusting the header is right only behind a
  proxy that overwrites it; a deployment without one must not set this.
- AMN_CERT_API_RATES["client"]: in phase 1, twice the requests each client will send, per
  hour — far below what all clients send together: had the counts not been per client, or
  not shared by the four workers, phase 1 would see 429s. In phase 2 (gunicorn restarted,
  same database and Redis) 1.5 × a client's phase-1 pace (R/C requests a second, R the
  phase-1 throughput over C clients), counted over 10 s: the burst's clients, at twice that
  pace, are partly refused with 429.
- AMN_CERT_API_MAX_QUEUE_SECONDS (phase 2 only): phase 1's median latency. A request that
  waited longer than that between its stamp and a worker is answered 503 before any
  database work (amn.certificates.api), so the backlog of a burst the workers cannot absorb
  stays short instead of growing for as long as the burst lasts. (The stamp needs no
  trust: a client that lies about it only changes how its own request is treated.)
- a cache key prefix of its own, so that nothing else in Redis database 15 is touched.
After each start of gunicorn, 40 submissions (8 at a time) warm the workers up before
anything is measured. gunicorn's log goes to a file; the bench prints how many 429s and
503s django.request logged and how many tracebacks it holds.

Sanity check first: one CNIE sent 6 times with 6 keys from 6 addresses: 201, four 200s
(its open application's reference) and then 429 from the per-CNIE limit (5 a day), which
only a count shared by the workers gives.

Phase 1: `--submissions` applications (unique CNIE numbers) sent by `--clients` clients one
after another (closed loop), `--retry-share` of them sent twice with the same
Idempotency-Key: half retried after the answer (a client that lost it), half sent twice at
the same moment on two connections (a client that gave up waiting and retried while the
first request was still running; the second one's latency is counted until both answered).
A request left without an answer would be retried with its key, up to twice. Invariants
afterwards, in the database: rows == accepted responses (keys answered 2xx), distinct keys
== rows, every retry answered with its first request's reference, one queued registry
check per application, every request answered 2xx (zero 5xx, zero 429). Printed:
throughput and p50/p95/p99 latency.

Phase 2: 10 s of light load (5 submissions/s from addresses of their own) for a baseline,
then `--burst-seconds` of new submissions at 2 × phase 1's request rate, open loop (a
schedule of start times run by a pool of threads; latency counts from the scheduled time,
so a late client does not hide the server's delay), then the light load again for
`--recovery-seconds` from the burst's scheduled end (beside the burst's last answers).
Invariants: only 2xx/429/503 answers, nothing half-written (refused keys have no row, the
database checks above hold for every phase), and the light load's p95 over 5-second
windows back within 1.5 × phase 1's p95 before the recovery time is up.
Printed: the time from the end of the burst to the first of three good windows in a row
(also, for information, against 1.5 × the light-load baseline's p95).

The machine is shared: figures are printed with its load average and vary between runs.
The exit status is 1 when an invariant fails. The scratch database is dropped at the end
(unless `--keep-db`).
"""

import argparse
import http.client
import itertools
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
URL = "/api/v1/certificates/applications"
TIMEOUT = 60.0  # seconds a client waits for an answer
PROBE_RATE = 5.0  # submissions per second after the burst
PROBE_WINDOW = 5.0  # seconds per p95 window of the probe
GOOD_WINDOWS = 3  # consecutive windows within the threshold that count as recovered
RECOVERY_FACTOR = 1.5  # "back to baseline": p95 within this factor of phase 1's p95
BURST_CLIENT_FACTOR = 1.5  # phase 2 per-client limit, × phase 1's per-client rate
SHED_STATUSES = {429, 503}
WARM_UP, WARM_UP_THREADS = 40, 8  # requests sent after each start of gunicorn
BASELINE_SECONDS = 10.0  # light load before the burst
UNANSWERED_RETRIES = 2  # phase 1 clients retry a request left without an answer

GIVEN = (
    ("يوسف", "Youssef"),
    ("سلمى", "Salma"),
    ("كريم", "Karim"),
    ("نادية", "Nadia"),
    ("إبراهيم", "Brahim"),
    ("فاطمة", "Fatima"),
    ("عمر", "Omar"),
    ("خديجة", "Khadija"),
)
FAMILY = (
    ("العلوي", "Alaoui"),
    ("برادة", "Berrada"),
    ("التازي", "Tazi"),
    ("بناني", "Bennani"),
    ("الإدريسي", "Idrissi"),
    ("الفاسي", "Fassi"),
    ("السوسي", "Soussi"),
)
PURPOSES = ("EMPLOYMENT", "PUBLIC_SERVICE", "STUDIES", "TRAVEL", "LICENCE", "OTHER")

SETTINGS_MODULE = "amn_bench_load_settings"
SETTINGS_TEXT = '''"""Settings of bench/load.py's gunicorn only (generated; see its docstring)."""

import os

from amn.settings import *  # noqa: F403

# Each simulated client sends its own X-Forwarded-For: trusted here, and only here.
RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
AMN_CERT_API_RATES = {"client": os.environ["AMN_BENCH_CLIENT_RATE"]}
# The clients stamp X-Request-Start themselves, as a proxy would.
_QUEUE = os.environ.get("AMN_BENCH_MAX_QUEUE_SECONDS")
AMN_CERT_API_MAX_QUEUE_SECONDS = float(_QUEUE) if _QUEUE else None
CACHES["default"]["KEY_PREFIX"] = os.environ["AMN_BENCH_CACHE_PREFIX"]  # noqa: F405
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--burst-seconds", type=float, default=60.0)
    parser.add_argument("--recovery-seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker")
    parser.add_argument("--burst-threads", type=int, default=200, help="phase 2 client pool")
    parser.add_argument(
        "--postgres", default=os.environ.get("AMN_BENCH_POSTGRES", DEFAULT_POSTGRES)
    )
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup()))
        return 0
    return run(args)


# -- the scratch database ----------------------------------------------------------------


def database_url(admin_url: str, name: str) -> str:
    """postgres:// URL of database `name` on the server of `admin_url`."""
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(admin_url)
    user = parts.get("user", "postgres")
    password = f":{parts['password']}" if parts.get("password") else ""
    host, port = parts.get("host", "127.0.0.1"), parts.get("port", "5432")
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def setup() -> dict:
    """In a child process on the scratch database: schema, reference and demo data.
    Returns {"communes": [codes], "stations": [codes of units serving the public],
    "demo": [apps whose demo data could not be loaded]}."""
    import io

    import django

    sys.path.insert(0, str(REPO))
    django.setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import transaction

    from amn.core.app_hooks import app_functions
    from amn.geo.models import Commune
    from amn.orgunits.choices import UnitStatus
    from amn.orgunits.models import OrgUnit

    call_command("migrate", verbosity=0)
    call_command("load-reference", stdout=io.StringIO())
    refused = []
    try:
        call_command("load-demo", stdout=io.StringIO())
    except CommandError as error:
        # Demo data of an app under construction may not load: load the others one by one
        # (the submissions need the police units and the communes, not every app's demo).
        print(f"load-demo refused ({error}); loading each app's demo apart", file=sys.stderr)
        for label, load in app_functions("demo", "load_demo"):
            try:
                with transaction.atomic():
                    load()
            except Exception as problem:  # reported below; the bench goes on without it
                refused.append(f"{label} ({type(problem).__name__})")
    return {
        "communes": list(Commune.objects.order_by("code").values_list("code", flat=True)),
        "stations": list(
            OrgUnit.objects.filter(status=UnitStatus.ACTIVE, serves_public=True)
            .order_by("code")
            .values_list("code", flat=True)
        ),
        "demo": refused,
    }


# -- gunicorn ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """gunicorn on loopback with the bench settings; start(client_rate=, max_queue_seconds=)
    then stop()."""

    args: argparse.Namespace
    env: dict
    folder: Path
    process: subprocess.Popen | None = None
    port: int = 0
    starts: int = 0
    log: Path | None = None

    def start(self, *, client_rate: str, max_queue_seconds: float | None = None) -> None:
        self.port = free_port()
        queue = "" if max_queue_seconds is None else str(max_queue_seconds)
        env = {
            **self.env,
            "AMN_BENCH_CLIENT_RATE": client_rate,
            "AMN_BENCH_MAX_QUEUE_SECONDS": queue,
        }
        command = [
            str(REPO / ".venv" / "bin" / "gunicorn"), "amn.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.args.workers),
            "--worker-class", self.args.worker_class, "--timeout", "120",
            "--backlog", "2048", "--log-level", "warning",
        ]  # fmt: skip
        if self.args.worker_class == "gthread":
            command += ["--threads", str(self.args.threads), "--keep-alive", "30"]
        self.starts += 1
        self.log = self.folder / f"gunicorn-{self.starts}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603 — our gunicorn
                command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("GET", "/certificates/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-2000:]}")
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer")

    def stop(self) -> str:
        """Stop gunicorn; returns a summary of its log (lines, tracebacks)."""
        if self.process is None:
            return ""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        lines = self.log.read_text(errors="replace").splitlines()
        tracebacks = sum(1 for line in lines if line.startswith("Traceback"))
        busy = sum(1 for line in lines if "Service Unavailable" in line)
        limited = sum(1 for line in lines if "Too Many Requests" in line)
        return (
            f"{len(lines):,} log lines: {busy:,} 503 and {limited:,} 429 answers logged by "
            f"django.request, {tracebacks} tracebacks"
        )


# -- requests ------------------------------------------------------------------------------


@dataclass
class Answer:
    """One request: phase, key, client address, HTTP status (0: no answer), seconds from
    the scheduled or actual start to the end, the reference answered, whether the
    Idempotent-Replayed header was set, and when it was scheduled (monotonic seconds)."""

    phase: str
    key: str
    status: int
    seconds: float
    reference: str | None = None
    replayed: bool = False
    scheduled: float = 0.0


@dataclass
class Submission:
    """One application to send: its key, its body (JSON bytes) and how it is retried
    (None, "after" the answer, or "twin": twice at once)."""

    key: str
    body: bytes
    retry: str | None = None


class Bodies:
    """Valid, varied application bodies with unique CNIE numbers ("<prefix><number>")."""

    def __init__(self, communes: list[str], stations: list[str], seed: int = 1):
        self.communes, self.stations = communes, stations
        self.rng = random.Random(seed)  # noqa: S311 — bench data
        self.lock = threading.Lock()

    def make(self, prefix: str, number: int) -> Submission:
        with self.lock:
            rng = self.rng
            given_ar, given_lat = rng.choice(GIVEN)
            family_ar, family_lat = rng.choice(FAMILY)
            year = rng.randint(1950, 2005)
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            birth = str(year) if rng.random() < 0.2 else f"{year}-{month:02d}-{day:02d}"
            collect = self.stations and rng.random() < 0.1
            body = {
                "cnie": f"{prefix}{number:06d}",
                "given_name_ar": given_ar,
                "family_name_ar": family_ar,
                "given_name_lat": given_lat,
                "family_name_lat": family_lat,
                "sex": rng.choice(("M", "F", "")),
                "birth_date": birth,
                "birth_place": rng.choice(self.communes),
                "phone": f"06{rng.randint(0, 99_999_999):08d}",
                "email": f"bench{number}@example.ma" if rng.random() < 0.5 else "",
                "purpose": rng.choice(PURPOSES),
                "delivery": "COLLECT" if collect else "ELECTRONIC",
                "collection_unit": rng.choice(self.stations) if collect else "",
                "consent": True,
                "language": rng.choice(("ar", "fr", "en")),
            }
            key = f"bench-{prefix}-{number:06d}-{secrets.token_hex(6)}"
        return Submission(key, json.dumps(body, ensure_ascii=False).encode())


class Connection:
    """An HTTP connection to gunicorn that reopens itself after an error."""

    def __init__(self, port: int):
        self.port = port
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)

    def send(self, submission: Submission, address: str) -> None:
        self.http.request(
            "POST",
            URL,
            body=submission.body,
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": submission.key,
                "X-Forwarded-For": address,
                # What a proxy in front would stamp (nginx: "t=${msec}").
                "X-Request-Start": f"t={time.time():.3f}",
            },
        )

    def receive(self) -> tuple[int, str | None, bool]:
        response = self.http.getresponse()
        payload = response.read()
        reference = None
        if 200 <= response.status < 300:
            reference = json.loads(payload)["reference"]
        return response.status, reference, response.getheader("Idempotent-Replayed") == "true"

    def call(self, phase, submission, address, *, scheduled=None) -> Answer:
        started = time.monotonic()
        try:
            self.send(submission, address)
            status, reference, replayed = self.receive()
        except (OSError, http.client.HTTPException, ValueError):
            self.reset()
            status, reference, replayed = 0, None, False
        end = time.monotonic()
        since = scheduled if scheduled is not None else started
        return Answer(phase, submission.key, status, end - since, reference, replayed, since)

    def reset(self) -> None:
        self.http.close()
        self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)


def client_address(number: int) -> str:
    """Simulated client `number`'s address in 198.18.0.0/15 (RFC 2544's benchmarking range)."""
    return f"198.{18 + number // 65536}.{number // 256 % 256}.{number % 256}"


PROBE_BASE = 100_000  # probe addresses start here (distinct from the clients')


def warm_up(port: int, make, address) -> list[Answer]:
    """WARM_UP requests, WARM_UP_THREADS at a time, so that every worker has loaded the
    code and opened its database connection before anything is measured."""
    return open_loop(
        port, phase="warmup", rate=WARM_UP / 4, seconds=4, threads=WARM_UP_THREADS,
        make=make, address=address,
    )  # fmt: skip


# -- sanity check --------------------------------------------------------------------------


def sanity(port: int, bodies: Bodies) -> tuple[list[int], bool]:
    """One CNIE, six keys, six addresses: 201, 200 × 4, 429 (module docstring)."""
    base = bodies.make("BS", 1)
    statuses = []
    for n in range(6):
        submission = Submission(f"bench-BS-sanity-{n}-{secrets.token_hex(4)}", base.body)
        answer = Connection(port).call("sanity", submission, client_address(60_000 + n))
        statuses.append(answer.status)
    return statuses, statuses == [201, 200, 200, 200, 200, 429]


# -- phase 1 -------------------------------------------------------------------------------


def phase_one(port: int, shares: list[list[Submission]]) -> tuple[list[Answer], float]:
    """Each client sends its share one after another; returns (answers, wall seconds)."""
    answers: list[list[Answer]] = [[] for _ in shares]

    def client(number: int) -> None:
        address = client_address(number)
        first, second = Connection(port), Connection(port)
        out = answers[number]
        for submission in shares[number]:
            if submission.retry == "twin":
                started = time.monotonic()
                try:
                    first.send(submission, address)
                    second.send(submission, address)
                    results = [first.receive(), second.receive()]
                except (OSError, http.client.HTTPException, ValueError):
                    first.reset()
                    second.reset()
                    results = [(0, None, False), (0, None, False)]
                elapsed = time.monotonic() - started
                for status, reference, replayed in results:
                    out.append(
                        Answer("phase1", submission.key, status, elapsed, reference, replayed)
                    )
                continue
            out.append(first.call("phase1", submission, address))
            if submission.retry == "after":
                out.append(first.call("phase1", submission, address))
            for _attempt in range(UNANSWERED_RETRIES):
                if out[-1].status != 0:
                    break
                # No answer: the outcome is unknown, so the client retries with the same
                # key (what the key is for); the check counts the lost answer.
                out.append(first.call("phase1", submission, address))

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(len(shares))]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [answer for share in answers for answer in share], time.monotonic() - began


# -- open-loop load (phase 2 and the probes) -----------------------------------------------


def open_loop(
    port: int,
    *,
    phase: str,
    rate: float,
    seconds: float,
    threads: int,
    make,
    address,
    start: float | None = None,
) -> list[Answer]:
    """Send make(i) at start + i / rate for `seconds` from a pool of `threads` threads (the
    i-th from address(i)); `start` is a time.monotonic() value (default: 0.2 s from now);
    latency counts from the scheduled start. Returns the answers."""
    count = int(rate * seconds)
    start = time.monotonic() + 0.2 if start is None else start
    items = iter(range(count))
    lock = threading.Lock()
    answers: list[Answer] = []

    def worker() -> None:
        connection = Connection(port)
        mine = []
        while True:
            with lock:
                index = next(items, None)
            if index is None:
                break
            scheduled = start + index / rate
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            mine.append(connection.call(phase, make(index), address(index), scheduled=scheduled))
        with lock:
            answers.extend(mine)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return answers


def windows(answers: list[Answer], origin: float, width: float) -> list[tuple[float, int, float]]:
    """(window start in seconds after `origin`, answers, p95 ms) of consecutive windows."""
    grouped = defaultdict(list)
    for answer in answers:
        grouped[int((answer.scheduled - origin) // width)].append(answer.seconds * 1000)
    return [
        (index * width, len(grouped[index]), percentile(grouped[index], 0.95))
        for index in sorted(grouped)
    ]


def recovered_after(rows, threshold: float) -> float | None:
    """Start of the first window that begins GOOD_WINDOWS consecutive windows at or under
    `threshold` ms (at least 5 answers each), or None."""
    streak = []
    for start, count, p95 in rows:
        if count >= 5 and p95 <= threshold:
            streak.append(start)
            if len(streak) == GOOD_WINDOWS:
                return streak[0]
        else:
            streak = []
    return None


# -- checks --------------------------------------------------------------------------------


def database_checks(url: str, answers: list[Answer], tasks_before: int) -> dict:
    """Compare the answers with the rows (module docstring)."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        keys = connection.execute(
            "SELECT k.key, a.reference, k.created_new FROM certificates_submissionkey k "
            "JOIN certificates_certificateapplication a ON a.id = k.application_id "
            "WHERE k.key LIKE 'bench-B_-%'"
        ).fetchall()
        rows = connection.execute(
            "SELECT count(*) FROM certificates_certificateapplication WHERE cnie ~ '^B[KLP][0-9]+$'"
        ).fetchone()[0]
        sanity_rows = connection.execute(
            "SELECT count(*) FROM certificates_certificateapplication WHERE cnie ~ '^BS[0-9]+$'"
        ).fetchone()[0]
        tasks = connection.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'amn.certificates.tasks.certificate_check'"
        ).fetchone()[0]
    load = [a for a in answers if a.phase != "sanity"]
    stored = {key: (reference, created) for key, reference, created in keys if "-BS-" not in key}
    answered = defaultdict(set)
    for answer in load:
        if 200 <= answer.status < 300:
            answered[answer.key].add(answer.reference)
    accepted = set(answered)
    split = [key for key, references in answered.items() if len(references) != 1]
    wrong = [
        key for key in accepted & set(stored) if stored[key][0] not in answered[key]
    ]  # fmt: skip
    refused_keys = {a.key for a in load if a.status in SHED_STATUSES} - accepted
    half_written = refused_keys & set(stored)
    unanswered = {a.key for a in load if a.status == 0} - accepted
    references = {next(iter(refs)) for refs in answered.values()}
    by_key = defaultdict(list)
    for answer in load:
        by_key[answer.key].append(answer)
    retried = [answers for answers in by_key.values() if len(answers) > 1]
    replays_missing = sum(
        1
        for attempts in retried
        if all(200 <= a.status < 300 for a in attempts)
        and sum(not a.replayed for a in attempts) != 1
    )
    checks = {
        "rows": rows,
        "accepted": len(accepted),
        "distinct_references": len(references),
        "distinct_keys_stored": len(stored),
        "keys_stored_not_accepted": len(set(stored) - accepted),
        "keys_accepted_not_stored": len(accepted - set(stored)),
        "references_split": len(split),
        "references_wrong": len(wrong),
        "refused_but_written": len(half_written),
        "unanswered_keys": len(unanswered),
        "retried_keys": len(retried),
        "retries_without_one_original": replays_missing,
        "sanity_rows": sanity_rows,
        "checks_queued": tasks - tasks_before,
    }
    checks["ok"] = (
        rows == len(accepted) == len(references) == len(stored)
        and not (split or wrong or half_written)
        and checks["keys_stored_not_accepted"] == 0
        and replays_missing == 0
        and checks["checks_queued"] == rows + sanity_rows
    )
    return checks


def task_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        return connection.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'amn.certificates.tasks.certificate_check'"
        ).fetchone()[0]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(share * 1000) - 1]


def latency(values_ms: list[float]) -> str:
    return (
        f"p50 {percentile(values_ms, 0.5):.0f} ms, p95 {percentile(values_ms, 0.95):.0f} ms, "
        f"p99 {percentile(values_ms, 0.99):.0f} ms"
    )


def statuses(answers: list[Answer]) -> str:
    counts = Counter(a.status for a in answers)
    return ", ".join(f"{code or 'no answer'}: {n:,}" for code, n in sorted(counts.items()))


# -- the run -------------------------------------------------------------------------------


def run(args) -> int:
    import psycopg

    name = f"amn_bench_load_{os.getpid()}"
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = database_url(args.postgres, name)
    folder = Path(tempfile.mkdtemp(prefix="amn-bench-load-"))
    (folder / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_TEXT)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "amn.settings",
        # A key without "$" (django-environ reads "$…" as a reference).
        "SECRET_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "LOG_LEVEL": "WARNING",
    }
    server = Server(
        args=args,
        folder=folder,
        env={
            **env,
            "DATABASE_URL": url + "?conn_max_age=600",
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "PYTHONPATH": os.pathsep.join([str(folder), str(REPO)]),
            "REDIS_URL": args.redis,
            "AMN_BENCH_CACHE_PREFIX": f"amn-bench-load-{os.getpid()}",
        },
    )
    logs = []
    ok = True
    try:
        print(f"setting up {name} …", file=sys.stderr, flush=True)
        began = time.monotonic()
        done = subprocess.run(  # noqa: S603 — this very script
            [sys.executable, str(Path(__file__).resolve()), "--setup"],
            cwd=REPO, env=env, stdout=subprocess.PIPE, text=True, check=True,
        )  # fmt: skip
        data = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"  {len(data['communes']):,} communes, {len(data['stations'])} stations serving "
            f"the public, in {time.monotonic() - began:.0f} s"
            + (f"; demo data NOT loaded for: {', '.join(data['demo'])}" if data["demo"] else ""),
            file=sys.stderr,
            flush=True,
        )
        bodies = Bodies(data["communes"], data["stations"])
        tasks_before = task_count(url)
        load_before = os.getloadavg()

        # ---- phase 1
        per_client = math.ceil(args.submissions * (1 + args.retry_share) / args.clients)
        client_rate_1 = f"{2 * per_client}/h"
        server.start(client_rate=client_rate_1)
        probe_numbers, probe_addresses = itertools.count(), itertools.count(PROBE_BASE)

        def probe_body(_index):
            return bodies.make("BP", next(probe_numbers))

        def probe_address(_index):
            return client_address(next(probe_addresses))

        warm = warm_up(server.port, probe_body, probe_address)
        sanity_statuses, sanity_ok = sanity(server.port, bodies)
        submissions = [bodies.make("BK", n) for n in range(args.submissions)]
        retried = random.Random(2).sample(  # noqa: S311 — load pattern
            range(args.submissions), round(args.submissions * args.retry_share)
        )
        for position, index in enumerate(retried):
            submissions[index].retry = "after" if position % 2 == 0 else "twin"
        shares = [submissions[n :: args.clients] for n in range(args.clients)]
        print(f"phase 1: {args.submissions:,} submissions …", file=sys.stderr, flush=True)
        first, wall_1 = phase_one(server.port, shares)
        rate_1 = len(first) / wall_1
        first_ms = [a.seconds * 1000 for a in first]
        p95_1 = percentile(first_ms, 0.95)
        logs.append(server.stop())

        # ---- phase 2
        client_pace = rate_1 / args.clients
        client_rate_2 = f"{max(1, math.ceil(BURST_CLIENT_FACTOR * client_pace * 10))}/10s"
        queue_2 = round(max(0.1, percentile(first_ms, 0.5) / 1000), 2)
        server.start(client_rate=client_rate_2, max_queue_seconds=queue_2)
        warm += warm_up(server.port, probe_body, probe_address)
        before = open_loop(
            server.port, phase="baseline", rate=PROBE_RATE, seconds=BASELINE_SECONDS,
            threads=10, make=probe_body, address=probe_address,
        )  # fmt: skip
        baseline_ms = [a.seconds * 1000 for a in before]
        burst_rate = 2 * rate_1
        print(
            f"phase 2: {burst_rate:.0f} requests/s for {args.burst_seconds:.0f} s …",
            file=sys.stderr,
            flush=True,
        )
        # The probe runs beside the burst, from the burst's scheduled end: the burst's
        # last answers (still in flight then) are part of what it measures.
        burst_began = time.monotonic() + 0.5
        burst_end = burst_began + args.burst_seconds
        probe: list[Answer] = []
        prober = threading.Thread(
            target=lambda: probe.extend(
                open_loop(
                    server.port, phase="probe", rate=PROBE_RATE,
                    seconds=args.recovery_seconds, threads=20, make=probe_body,
                    address=probe_address, start=burst_end,
                )
            ),
            daemon=True,
        )  # fmt: skip
        prober.start()
        burst = open_loop(
            server.port, phase="burst", rate=burst_rate, seconds=args.burst_seconds,
            threads=args.burst_threads, make=lambda i: bodies.make("BL", i),
            address=lambda i: client_address(i % args.clients), start=burst_began,
        )  # fmt: skip
        prober.join()
        threshold = RECOVERY_FACTOR * p95_1
        load_after = os.getloadavg()
    finally:
        logs.append(server.stop())
        shutil.rmtree(folder, ignore_errors=True)
    try:
        answers = first + warm + before + burst + probe
        checks = database_checks(url, answers, tasks_before)
    finally:
        if not args.keep_db:
            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # ---- report
    print(
        f"Load bench: gunicorn {args.workers} {args.worker_class} workers"
        + (f" × {args.threads} threads" if args.worker_class == "gthread" else "")
        + f", PostgreSQL and Redis on loopback, {os.cpu_count()} cores shared with other work"
    )
    print(f"load average before: {load_before[0]:.2f}, after: {load_after[0]:.2f}")
    print(f"warm-up after each start of gunicorn: {statuses(warm)}")
    print(
        f"sanity (one CNIE, 6 keys, 6 addresses; per-CNIE count shared by the workers): "
        f"{sanity_statuses} — {'ok' if sanity_ok else 'FAILED'}"
    )
    ok &= sanity_ok

    print(f"\nPHASE 1 — {args.submissions:,} submissions, {args.clients} clients, closed loop")
    twins = sum(1 for s in submissions if s.retry == "twin")
    afters = sum(1 for s in submissions if s.retry == "after")
    print(
        f"  retried with the same key: {afters + twins:,} ({afters:,} after the answer, "
        f"{twins:,} twice at once); per-client limit {client_rate_1}"
    )
    created_1 = sum(1 for a in first if a.status == 201 and not a.replayed)
    print(
        f"  {len(first):,} requests in {wall_1:.1f} s: {rate_1:,.1f} requests/s, "
        f"{created_1 / wall_1:,.1f} applications/s"
    )
    print(f"  answers: {statuses(first)}")
    print(f"  latency, all requests: {latency(first_ms)}")
    retry_ms = [a.seconds * 1000 for a in first if a.replayed]
    print(f"  latency, replayed retries: {latency(retry_ms)}")
    phase1_ok = all(a.status in (200, 201) for a in first)
    print(f"  every request answered 2xx (zero 5xx, zero 429): {'yes' if phase1_ok else 'NO'}")
    ok &= phase1_ok

    print(f"\nPHASE 2 — {burst_rate:,.0f} requests/s (2 × phase 1) for {args.burst_seconds:.0f} s")
    print(
        f"  limits: per client {client_rate_2} (429); shed (503) what waited over {queue_2} s "
        "in the queue (phase 1's p50)"
    )
    print(f"  {len(burst):,} requests; answers: {statuses(burst)}")
    burst_ok = {a.status for a in burst} <= {200, 201, 429, 503}
    print(f"  only 2xx/429/503: {'yes' if burst_ok else 'NO'}")
    ok &= burst_ok
    accepted_ms = [a.seconds * 1000 for a in burst if 200 <= a.status < 300]
    shed_ms = [a.seconds * 1000 for a in burst if a.status in SHED_STATUSES]
    print(f"  latency, all: {latency([a.seconds * 1000 for a in burst])}")
    print(f"  latency, accepted: {latency(accepted_ms)}; shed (429/503): {latency(shed_ms)}")
    print(
        f"  light load before the burst ({PROBE_RATE:.0f}/s for {BASELINE_SECONDS:.0f} s): "
        f"{latency(baseline_ms)}; answers {statuses(before)}"
    )
    rows = windows(probe, burst_end, PROBE_WINDOW)
    back = recovered_after(rows, threshold)
    print(
        f"  after the burst, probe at {PROBE_RATE:.0f}/s, p95 per {PROBE_WINDOW:.0f} s window "
        f"(threshold {RECOVERY_FACTOR} × phase 1 p95 = {threshold:.0f} ms):"
    )
    for start, count, p95 in rows:
        print(f"    +{start:4.0f} s  {count:3d} answers  p95 {p95:7.0f} ms")
    probe_ok = {a.status for a in probe} <= {200, 201, 429, 503}
    print(f"  probe answers: {statuses(probe)}")
    if back is None:
        print(f"  p95 NOT back within {args.recovery_seconds:.0f} s")
    else:
        print(f"  p95 back to baseline {back:.0f} s after the burst")
    light = recovered_after(rows, RECOVERY_FACTOR * percentile(baseline_ms, 0.95))
    print(
        f"  (informative: back within {RECOVERY_FACTOR} × the light-load p95 "
        + (f"{light:.0f} s after the burst)" if light is not None else "NOT within the probe)")
    )
    ok &= probe_ok and back is not None and back <= args.recovery_seconds
    for number, summary in enumerate(logs, start=1):
        print(f"  gunicorn run {number}: {summary}")

    print("\nCHECKS (database against answers, all phases)")
    for name_, value in checks.items():
        if name_ != "ok":
            print(f"  {name_.replace('_', ' ')}: {value:,}")
    print(
        "  rows == accepted responses == distinct references == distinct keys, one queued "
        f"check per application, nothing refused half-written: {'yes' if checks['ok'] else 'NO'}"
    )
    ok &= checks["ok"]
    print("\nRESULT: " + ("every invariant holds" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
