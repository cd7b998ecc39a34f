"""Booking throughput under concurrency: 16 clients book CNIE appointments for 60 seconds
against gunicorn and PostgreSQL on loopback, then the database is checked for double and
lost bookings.

    .venv/bin/python bench/booking.py [--clients 16] [--seconds 60] [--workers 3]
                                      [--threads 4] [--offices 25] [--days 15]
                                      [--applications 20000] [--postgres URL]

Setup (not timed): a scratch PostgreSQL database `amn_bench_booking_<pid>` beside the
administrative one (default postgresql://postgres@127.0.0.1:5432/postgres or
$AMN_BENCH_POSTGRES), migrated, with the reference data and the demo police units; `--offices`
offices get 30-minute slots for 4 citizens over `--days` working days; `--applications`
pre-applications are spread over those offices. gunicorn (gthread) is started from this
script on a free loopback port with DATABASE_URL pointing at the scratch database.

Load: each client thread, on its own keep-alive connection, books appointments through the
public API (POST /api/v1/cnie/applications/{reference}/appointment with the birth date and
a slot of the application's office). 30 % of the requests aim at the two earliest slots of
each office ("hot" slots, 4 seats each), so that many requests race for the last seats and
are refused once they are full (409); the others take a random slot. A client moves on to
its next application after a 201, and retries the same application with another slot after
a 409 (slot full).

Checks after the run, in the database: every 201 answer's booking exists exactly once, live,
for that application and slot (no lost booking); no booking exists that no 201 announced
(no phantom); no application holds two live bookings (no double booking); every slot's
counter equals its live bookings and never exceeds its capacity.

Printed: bookings/s (201 answers per second), requests/s, latency p50/p95/p99 of all
requests and of the 201s, answers by status, and the checks. The scratch database is dropped
at the end. Not part of the test suite.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
BIRTH_DATE = "1990-06-15"
HOT_SLOTS = 2  # per office: the earliest times, which many citizens want
HOT_SHARE = 0.3  # share of the requests aimed at them


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--offices", type=int, default=25)
    parser.add_argument("--days", type=int, default=15, help="working days of slots")
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument(
        "--postgres", default=os.environ.get("AMN_BENCH_POSTGRES", DEFAULT_POSTGRES)
    )
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup(args)))
        return 0
    return run(args)


# -- the scratch database ----------------------------------------------------------------


def database_url(admin_url: str, name: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(admin_url)
    user = parts.get("user", "postgres")
    password = f":{parts['password']}" if parts.get("password") else ""
    host, port = parts.get("host", "127.0.0.1"), parts.get("port", "5432")
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def environment(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "amn.settings",
        "SECRET_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "0",
        # Plain HTTP on loopback (production sits behind a TLS proxy): no HTTPS redirect.
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }


def setup(args) -> dict:
    """In a child process on the scratch database: schema, units, slots, applications.
    Returns {"applications": [[reference, office id], …], "slots": {office id: [ids]}}."""
    import datetime
    import io

    import django

    sys.path.insert(0, str(REPO))
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from amn.appointments.selectors import office_list
    from amn.appointments.services import slots_generate
    from amn.idcards.choices import ApplicationKind
    from amn.idcards.models import CnieApplication
    from amn.idcards.numbers import new_reference
    from amn.orgunits import demo as orgunits_demo

    call_command("migrate", verbosity=0)
    call_command("load-reference", stdout=io.StringIO())
    orgunits_demo.load_demo()
    offices = list(office_list()[: args.offices])
    first = timezone.localdate() + datetime.timedelta(days=1)
    last = first
    working = 0
    while working < args.days:
        if last.weekday() < 5:
            working += 1
        last += datetime.timedelta(days=1)
    slots = {}
    for office in offices:
        slots_generate(
            actor=None, unit=office, first_day=first, last_day=last, minutes=30, capacity=4
        )
        slots[office.pk] = [str(pk) for pk in office_slots(office.pk)]
    rng = random.Random(1)  # noqa: S311 — bench data
    today = timezone.localdate()
    batch, applications = [], []
    for index in range(args.applications):
        office = offices[index % len(offices)]
        reference = new_reference(today.year)
        batch.append(
            CnieApplication(
                reference=reference,
                kind=ApplicationKind.FIRST,
                family_name_latin=f"Bench{index}",
                given_name_latin="Client",
                family_name_ar="اختبار",
                given_name_ar="زبون",
                sex=rng.choice("MF"),
                birth_date=datetime.date.fromisoformat(BIRTH_DATE),
                address="Bench address",
                phone="+212600000000",
                unit=office,
                fingerprint=secrets.token_hex(32),
            )
        )
        applications.append((reference, office.pk))
        if len(batch) == 2000:
            CnieApplication.objects.bulk_create(batch)
            batch = []
    CnieApplication.objects.bulk_create(batch)
    return {"applications": applications, "slots": slots}


def office_slots(unit_id: int) -> list:
    from amn.appointments.models import Slot

    return list(
        Slot.objects.filter(unit_id=unit_id).order_by("starts_at").values_list("pk", flat=True)
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/appointments/offices")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer")


# -- the load ------------------------------------------------------------------------------


class Client(threading.Thread):
    """One citizen after another: books each application of its share until the time is
    up; records (status, seconds, booking id, application reference, slot id)."""

    def __init__(self, *, number, port, applications, slots, deadline, seed):
        super().__init__(daemon=True)
        self.port, self.deadline = port, deadline
        self.applications, self.slots = applications, slots
        self.rng = random.Random(seed)  # noqa: S311 — load pattern
        self.results: list[tuple] = []
        self.number = number

    def _slot(self, office: int) -> str:
        choices = self.slots[str(office)]
        if self.rng.random() < HOT_SHARE:
            return choices[int(self.rng.random() * min(HOT_SLOTS, len(choices)))]
        return choices[int(self.rng.random() * len(choices))]

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        pending = iter(self.applications)
        current = next(pending, None)
        while current is not None and time.monotonic() < self.deadline:
            reference, office = current
            slot = self._slot(office)
            body = json.dumps({"birth_date": BIRTH_DATE, "slot_id": slot})
            started = time.perf_counter()
            try:
                connection.request(
                    "POST",
                    f"/api/v1/cnie/applications/{reference}/appointment",
                    body=body,
                    headers={"Content-Type": "application/json"},
                )
                response = connection.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                status, payload = 0, b""
            elapsed = time.perf_counter() - started
            booking = json.loads(payload)["booking_id"] if status == 201 else None
            self.results.append((status, elapsed, booking, reference, slot))
            if status in (201, 0) or status >= 500:
                current = next(pending, None)  # done (or unknown: leave it for the checks)
        connection.close()


def run(args) -> int:
    import psycopg

    name = f"amn_bench_booking_{os.getpid()}"
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = database_url(args.postgres, name)
    env = environment(url)
    server = None
    try:
        print(f"setting up {name} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 — this very script, with our own arguments
            [sys.executable, str(Path(__file__).resolve()), "--setup", "1",
             "--offices", str(args.offices), "--days", str(args.days),
             "--applications", str(args.applications)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, text=True, check=True,
        )  # fmt: skip
        data = json.loads(done.stdout.strip().splitlines()[-1])
        seats = sum(len(ids) for ids in data["slots"].values()) * 4
        print(
            f"  {len(data['applications']):,} applications, {seats:,} seats at "
            f"{len(data['slots'])} offices in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 — gunicorn from our virtualenv
            [str(REPO / ".venv" / "bin" / "gunicorn"), "amn.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--threads", str(args.threads), "--worker-class", "gthread",
             "--keep-alive", "30", "--log-level", "warning"],
            cwd=REPO, env={**env, "DATABASE_URL": url + "?conn_max_age=60"},
        )  # fmt: skip
        wait_ready(port)
        load_before = os.getloadavg()
        shares = [data["applications"][i :: args.clients] for i in range(args.clients)]
        deadline = time.monotonic() + args.seconds
        clients = [
            Client(number=i, port=port, applications=shares[i], slots=data["slots"],
                   deadline=deadline, seed=i)
            for i in range(args.clients)
        ]  # fmt: skip
        began = time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        wall = time.perf_counter() - began
        results = [result for client in clients for result in client.results]
        load_after = os.getloadavg()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        checks = check(url, results)
    finally:
        if server is not None:
            server.kill()
            server.wait()
        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    report(args, results, wall, checks, load_before, load_after)
    return 0 if checks["ok"] else 1


def check(url: str, results: list[tuple]) -> dict:
    """Compare the 201 answers with the database (see the module docstring)."""
    import psycopg

    announced = {booking: (reference, slot) for status, _s, booking, reference, slot in results
                 if status == 201}  # fmt: skip
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        rows = connection.execute(
            "SELECT b.id::text, a.reference, b.slot_id::text, b.status "
            "FROM appointments_booking b JOIN idcards_cnieapplication a ON a.id = b.subject_id"
        ).fetchall()
        slots = connection.execute(
            "SELECT s.id, s.capacity, s.booked, "
            "(SELECT count(*) FROM appointments_booking b "
            " WHERE b.slot_id = s.id AND b.status = 'booked') FROM appointments_slot s"
        ).fetchall()
        doubles = connection.execute(
            "SELECT count(*) FROM (SELECT subject_id FROM appointments_booking "
            "WHERE status = 'booked' GROUP BY subject_id HAVING count(*) > 1) d"
        ).fetchone()[0]
    stored = Counter(row[0] for row in rows)
    by_id = {row[0]: row for row in rows}
    lost = [b for b in announced if stored[b] != 1]
    wrong = [
        b for b, (reference, slot) in announced.items()
        if b in by_id and (by_id[b][1], by_id[b][2], by_id[b][3]) != (reference, slot, "booked")
    ]  # fmt: skip
    unknown_outcome = sum(1 for status, *_rest in results if status == 0 or status >= 500)
    phantoms = [row[0] for row in rows if row[0] not in announced]
    over = [slot for slot in slots if slot[2] > slot[1]]
    drift = [slot for slot in slots if slot[2] != slot[3]]
    ok = not (lost or wrong or doubles or over or drift) and (len(phantoms) <= unknown_outcome)
    return {
        "announced": len(announced),
        "stored": len(rows),
        "lost": len(lost),
        "wrong": len(wrong),
        "phantoms": len(phantoms),
        "unknown_outcome": unknown_outcome,
        "double_live_bookings": doubles,
        "slots": len(slots),
        "slots_full": sum(1 for slot in slots if slot[2] == slot[1]),
        "slots_over_capacity": len(over),
        "slots_counter_drift": len(drift),
        "ok": ok,
    }


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(share * 1000) - 1]


def report(args, results, wall, checks, load_before, load_after) -> None:
    statuses = Counter(status for status, *_rest in results)
    all_ms = [elapsed * 1000 for _status, elapsed, *_rest in results]
    ok_ms = [elapsed * 1000 for status, elapsed, *_rest in results if status == 201]
    print(
        f"Booking bench: {args.clients} clients, {wall:.1f} s, gunicorn gthread "
        f"{args.workers} workers × {args.threads} threads, PostgreSQL on loopback"
    )
    print(f"load average before: {load_before[0]:.2f}, after: {load_after[0]:.2f}")
    answers = ", ".join(f"{code or 'no answer'}: {n:,}" for code, n in sorted(statuses.items()))
    print(f"requests: {len(results):,} ({len(results) / wall:,.1f}/s); answers: {answers}")
    print(f"bookings (201): {statuses[201]:,} = {statuses[201] / wall:,.1f} bookings/s")
    print(
        f"latency, all requests: p50 {percentile(all_ms, 0.5):.0f} ms, "
        f"p95 {percentile(all_ms, 0.95):.0f} ms, p99 {percentile(all_ms, 0.99):.0f} ms"
    )
    print(
        f"latency, bookings: p50 {percentile(ok_ms, 0.5):.0f} ms, "
        f"p95 {percentile(ok_ms, 0.95):.0f} ms, p99 {percentile(ok_ms, 0.99):.0f} ms"
    )
    print(
        f"checks: {checks['announced']:,} bookings announced, {checks['stored']:,} stored; "
        f"lost {checks['lost']}, wrong {checks['wrong']}, phantom {checks['phantoms']} "
        f"(requests without a known outcome: {checks['unknown_outcome']}); "
        f"applications with two live bookings: {checks['double_live_bookings']}; "
        f"slots over capacity: {checks['slots_over_capacity']}, counters off: "
        f"{checks['slots_counter_drift']}, full: {checks['slots_full']:,} of {checks['slots']:,}"
    )
    print("RESULT: " + ("zero double bookings, zero lost bookings" if checks["ok"] else "FAILED"))


if __name__ == "__main__":
    sys.exit(main())
