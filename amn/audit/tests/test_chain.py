"""The tamper-evident audit chain: edits and deletions are detected, retention keeps a year,
and the application's PostgreSQL role cannot update or delete audit rows."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import ProgrammingError, connection
from django.db.models import QuerySet
from django.utils import timezone

from amn.audit.chain import GENESIS_HASH, chain_verify, event_digest
from amn.audit.models import AuditChain, AuditEvent
from amn.audit.services import audit_event_record, audit_purge
from amn.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _record(n: int, actor=None) -> list[AuditEvent]:
    return [
        audit_event_record(actor=actor, action="list", target="people.person", detail={"n": i})
        for i in range(n)
    ]


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_events_are_chained_in_sequence(world):
    first, second, third = _record(3, world.users["analyst.hq"])
    assert second.seq == first.seq + 1 and third.seq == second.seq + 1
    assert second.prev_hash == first.row_hash and third.prev_hash == second.row_hash
    assert first.actor_role == "analyst"
    report = chain_verify()
    assert report.intact and report.head_hash == third.row_hash


def test_an_edited_event_is_detected(world):
    events = _record(4)
    _raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["edited", events[1].id.hex])
    report = chain_verify()
    assert (report.intact, report.first_bad_seq, report.problem) == (
        False,
        events[1].seq,
        "altered",
    )


def test_an_edit_that_recomputes_its_own_hash_breaks_the_next_link(world):
    events = _record(3)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.reason = "edited"
    new_hash = event_digest(forged)
    _raw(
        "UPDATE audit_auditevent SET reason = %s, row_hash = %s WHERE id = %s",
        ["edited", new_hash, forged.id.hex],
    )
    report = chain_verify()
    assert (report.first_bad_seq, report.problem) == (events[2].seq, "altered")


def test_a_deleted_event_is_detected(world):
    events = _record(4)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].id.hex])
    report = chain_verify()
    assert (report.intact, report.first_bad_seq, report.problem) == (
        False,
        events[2].seq,
        "deleted",
    )


def test_deleting_the_last_event_is_detected(world):
    events = _record(2)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].id.hex])
    assert chain_verify().problem == "deleted"


def test_audit_verify_command_exits_non_zero_on_a_broken_chain(world, capsys):
    events = _record(2)
    call_command("audit-verify")
    assert "audit chain intact" in capsys.readouterr().out
    _raw("UPDATE audit_auditevent SET target_id = 'x' WHERE id = %s", [events[0].id.hex])
    with pytest.raises(CommandError, match=f"broken at event {events[0].seq}: altered"):
        call_command("audit-verify")


def test_retention_refuses_events_younger_than_a_year(world):
    _record(1)
    with pytest.raises(DomainError):
        audit_purge(actor=None, before=timezone.localdate() - datetime.timedelta(days=300))
    with pytest.raises(CommandError, match="at least one year"):
        call_command("audit-purge", "--before", timezone.localdate().isoformat())


def test_purge_of_old_events_keeps_the_chain_verifiable(world):
    old = _record(3)
    recent = _record(2)
    _rechain_with_dates({e.pk: timezone.now() - datetime.timedelta(days=730) for e in old})
    assert chain_verify().intact
    cutoff = timezone.localdate() - datetime.timedelta(days=400)
    expected = AuditEvent.objects.filter(seq__lt=recent[0].seq).count()

    deleted = audit_purge(actor=None, before=cutoff)

    assert deleted == expected >= len(old)
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(action="purge").count() == 1
    assert AuditChain.objects.get(pk=1).anchor_seq == recent[0].seq
    assert chain_verify().intact


def _rechain_with_dates(dates: dict) -> None:
    """Backdate some events and recompute the whole chain (test set-up only: it bypasses the
    append-only queryset on purpose)."""
    prev = GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq"):
        event.at = dates.get(event.pk, event.at)
        event.prev_hash = prev
        event.row_hash = event_digest(event)
        QuerySet.update(
            AuditEvent.objects.filter(pk=event.pk),
            at=event.at,
            prev_hash=event.prev_hash,
            row_hash=event.row_hash,
        )
        prev = event.row_hash
    AuditChain.objects.filter(pk=1).update(last_hash=prev)


def test_application_role_cannot_update_or_delete_audit_rows(world):
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL only")
    event = _record(1)[0]
    role = "amn_app_test_grants"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {role}; END IF; END $$"
        )
    call_command("db-grants", role)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
        try:
            cursor.execute("SELECT count(*) FROM audit_auditevent")
            for statement in (
                "UPDATE audit_auditevent SET reason = 'x' WHERE id = %s",
                "DELETE FROM audit_auditevent WHERE id = %s",
            ):
                cursor.execute("SAVEPOINT grants")
                with pytest.raises(ProgrammingError, match="permission denied"):
                    cursor.execute(statement, [event.id])
                cursor.execute("ROLLBACK TO SAVEPOINT grants")
            cursor.execute("UPDATE audit_auditchain SET last_seq = last_seq")
        finally:
            cursor.execute("RESET ROLE")


def test_db_grants_refuses_sqlite(world):
    if connection.vendor == "postgresql":
        pytest.skip("the refusal is SQLite's")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("db-grants", "amn_app")
