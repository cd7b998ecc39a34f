"""Helpers of the concurrency tests (PostgreSQL, transactional tests): a public office
built without the demo world, and a race of threads each on its own connection."""

import threading

from django.db import connections

from amn.orgunits.choices import DatePrecision
from amn.orgunits.models import UnitType
from amn.orgunits.reference import load_reference
from amn.orgunits.services import unit_create


def race_office(code: str = "race-office"):
    """One police district receiving the public, with the unit types (committed)."""
    load_reference(actor=None)
    return unit_create(
        actor=None,
        code=code,
        name_ar="مكتب",
        name_fr="Bureau",
        name_en="Office",
        unit_type=UnitType.objects.get(code="police-district"),
        parent=None,
        commune=None,
        effective_on=None,
        date_precision=DatePrecision.UNKNOWN,
        decision_reference="test",
        serves_public=True,
    )


def race(target, count: int) -> list:
    """Run `target(i)` in `count` threads started together, each with its own database
    connection; returns their results (the value returned, or the exception raised)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as error:  # the race's outcome is the result
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
