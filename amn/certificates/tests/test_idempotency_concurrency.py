"""Concurrent retries of the submission API (issue 7, items 4 and 8): requests with one
Idempotency-Key sent at the same time from separate threads, each with its own database
connection, make exactly one application; so do requests of one person with several keys.

PostgreSQL only, like test_serial_concurrency.py: SQLite's shared-cache in-memory test
database refuses concurrent writers instead of queueing them. Its own module because the
world it builds must be committed for the other connections to see it (the shared `cworld`
of test_idempotency.py lives in a transaction that is never committed).
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from amn.certificates.models import CertificateApplication, SubmissionKey
from amn.certificates.tests.factories import cert_world_build
from amn.certificates.tests.test_idempotency import body, post

RETRIES = 8


def _concurrently(requests: list[tuple[dict, str]]) -> list:
    """Send each (body, key) from its own thread (its own database connection), all
    released together; returns the responses in order."""
    start = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)
    errors: list[BaseException] = []

    def send(index, data, key):
        try:
            start.wait()
            answers[index] = post(Client(), data, key=key)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(index, data, key))
        for index, (data, key) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return answers


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_make_exactly_one_application(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite's shared-cache in-memory test database refuses "
            "concurrent writers instead of queueing them (see test_serial_concurrency.py)"
        )
    settings.AMN_CERT_API_RATES = {"client": "1000/m", "cnie": "1000/m"}
    cert_world_build()

    # The same key and body, eight times at once: one application, one answer.
    answers = _concurrently([(body(), "same-key-same-body")] * RETRIES)
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.json()["reference"] for answer in answers}) == 1
    assert sum("Idempotent-Replayed" not in answer for answer in answers) == 1
    assert CertificateApplication.objects.filter(cnie="JB123456").count() == 1

    # The same key with eight different bodies: one of them wins, the others are refused.
    answers = _concurrently(
        [(body(cnie=f"JB20000{n}"), "same-key-other-bodies") for n in range(RETRIES)]
    )
    assert sorted(answer.status_code for answer in answers) == [201] + [422] * (RETRIES - 1)
    assert CertificateApplication.objects.filter(cnie__startswith="JB20000").count() == 1

    # Eight keys for one person: one application, the others get its reference.
    answers = _concurrently([(body(cnie="JB300000"), f"person-key-{n}") for n in range(RETRIES)])
    assert sorted(answer.status_code for answer in answers) == [200] * (RETRIES - 1) + [201]
    assert len({answer.json()["reference"] for answer in answers}) == 1
    assert CertificateApplication.objects.filter(cnie="JB300000").count() == 1

    assert SubmissionKey.objects.count() == 1 + 1 + RETRIES
    references = list(CertificateApplication.objects.values_list("reference", flat=True))
    assert sorted(int(reference[-6:]) for reference in references) == [1, 2, 3]  # no gaps
