"""Serial numbers under concurrent issuers: no gaps, no duplicates (issue 4, section 5).

Eight threads, each with its own database connection, issue certificates for the same unit
and year at the same time through the real service path (application_check_run); some
transactions draw a number and then roll back. The serials must be exactly 1…N.

Runs on PostgreSQL, where the counter row lock (SELECT … FOR UPDATE) is what serialises
the issuers. On SQLite the test database is an in-memory database in shared-cache mode,
whose table locks fail at once ("database table is locked") instead of waiting, so the
test is skipped there; SQLite files in production take one write lock per transaction
(BEGIN IMMEDIATE, settings.py), which serialises issuers by itself.
"""

import threading

import pytest
from django.db import connection, transaction

from amn.certificates import numbering, services
from amn.certificates.models import Certificate, CertificateApplication
from amn.certificates.tests.factories import (
    cert_world_build,
    fake_registry,
    result_no_record,
    submit,
)

THREADS = 8
PER_THREAD = 6
ROLLBACKS_PER_THREAD = 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_get_gapless_unique_serials(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite's shared-cache in-memory test database refuses "
            "concurrent writers instead of queueing them (see the module docstring)"
        )
    world = cert_world_build()
    fake_registry(monkeypatch, result_no_record())
    applications = [
        submit(world, cnie=f"JB{n:06d}").application.pk for n in range(THREADS * PER_THREAD)
    ]
    unit = world.units["ws-agadir"]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def issuer(slice_ids):
        try:
            start.wait()
            for index, application_id in enumerate(slice_ids):
                services.application_check_run(application_id=application_id)
                if index < ROLLBACKS_PER_THREAD:
                    # Draw a number, then fail: the number must come back.
                    try:
                        with transaction.atomic():
                            numbering.next_certificate_serial(unit=unit, year=2099)
                            raise RuntimeError("issuance failed after drawing")
                    except RuntimeError:
                        pass
                    with transaction.atomic():
                        numbering.next_certificate_serial(unit=unit, year=2099)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=issuer, args=(applications[n::THREADS],)) for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    total = THREADS * PER_THREAD
    certificates = Certificate.objects.filter(issuing_unit=unit)
    sequences = sorted(certificates.values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    assert len(set(certificates.values_list("serial", flat=True))) == total
    assert not CertificateApplication.objects.exclude(status="ISSUED").exists()
    from amn.certificates.models import CertificateCounter

    assert CertificateCounter.objects.get(unit=unit, year=2099).last == (
        THREADS * ROLLBACKS_PER_THREAD
    )
