"""Concurrent appends on PostgreSQL make one unbroken chain (the head row lock)."""

import threading

import pytest
from django.db import connection, connections

from amn.audit.chain import chain_verify
from amn.audit.models import AuditEvent
from amn.audit.services import audit_event_record


def _record(n: int) -> None:
    for i in range(n):
        audit_event_record(actor=None, action="list", target="people.person", detail={"n": i})


def test_concurrent_appends_make_one_unbroken_chain(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the head lock matters on PostgreSQL")
    errors = []

    def append_many():
        try:
            _record(20)
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = chain_verify()
    assert report.intact and report.checked == AuditEvent.objects.count() >= 80
