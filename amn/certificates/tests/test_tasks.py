"""The background jobs through the real queue: `amn db_worker --batch` drains it."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from amn.certificates.choices import ApplicationStatus
from amn.certificates.tests.factories import (
    fake_registry,
    result_no_record,
    result_with,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def worker_keeps_the_test_transaction(monkeypatch):
    """The worker closes stale connections between tasks; inside a test's transaction
    PostgreSQL would see that as closing the transaction itself (SQLite's in-memory test
    database ignores it), so the closing is a no-op here."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def drain():
    call_command(
        "db_worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0
    )


def test_the_queue_runs_the_check_issues_and_notifies(
    cworld, monkeypatch, django_capture_on_commit_callbacks
):
    fake_registry(monkeypatch, result_no_record())
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(cworld).application
    assert application.status == ApplicationStatus.SUBMITTED  # nothing ran in the request

    with django_capture_on_commit_callbacks(execute=True):
        drain()  # the check, which enqueues the notification on commit
    drain()  # the notification

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ISSUED
    assert len(mail.outbox) == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_queue_sends_ambiguous_results_to_review(
    cworld, monkeypatch, django_capture_on_commit_callbacks
):
    fake_registry(monkeypatch, result_with(cworld.convicted))
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(cworld).application
    drain()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert not mail.outbox


def test_a_failing_check_is_marked_failed_and_a_delayed_retry_waits_in_the_queue(
    cworld, monkeypatch, django_capture_on_commit_callbacks
):
    fake_registry(monkeypatch, TimeoutError("registry timeout"))
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(cworld).application
    with django_capture_on_commit_callbacks(execute=True):
        drain()

    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHECKING  # "in progress" for the applicant
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path.endswith("TimeoutError")
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > failed.finished_at
    drain()  # not due yet: nothing runs
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_resume_command_enqueues_pending_checks(cworld, monkeypatch):
    from io import StringIO

    submit(cworld)
    DBTaskResult.objects.all().delete()
    out = StringIO()
    call_command("certificates-resume-checks", stdout=out)
    assert out.getvalue().strip() == "1 check enqueued."
    fake_registry(monkeypatch, result_no_record())
    drain()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
