"""Services of the certificate workflow: submission, the background check and its retries,
review with four eyes, issuance, supersession, revocation and notification."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from amn.audit.models import AuditEvent
from amn.certificates import notifications, services
from amn.certificates.choices import (
    ApplicationStatus,
    CertificateStatus,
    DecisionOutcome,
    EventKind,
    Statement,
)
from amn.certificates.models import ApplicationEvent, Certificate, CertificateApplication
from amn.certificates.numbering import add_months
from amn.certificates.tests.factories import (
    application_input,
    fake_registry,
    result_no_record,
    result_with,
    submit,
)
from amn.core.errors import DomainError
from amn.people.identity import CheckOutcome, PartialDate
from amn.seals import signing

pytestmark = pytest.mark.django_db


def _task_rows(name: str):
    return DBTaskResult.objects.filter(task_path=f"amn.certificates.tasks.{name}")


# ------------------------------------------------------------------ submission


def test_submit_gives_a_reference_an_event_and_enqueues_the_check_on_commit(
    cworld, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submission = submit(cworld)

    application = submission.application
    assert submission.created
    assert application.reference.startswith(f"CR-{application.created_at.year}-")
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.birth_date == datetime.date(1990, 5, 17)
    assert application.birth_year is None
    assert application.consent_at is not None
    assert [e.kind for e in application.events.all()] == [EventKind.SUBMITTED]
    assert len(callbacks) == 1
    task = _task_rows("certificate_check").get()
    assert task.args_kwargs["args"] == [str(application.pk)]


def test_references_are_consecutive(cworld):
    first = submit(cworld, cnie="JB1").application
    second = submit(cworld, cnie="JB2").application
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_year_only_birth_date_stays_a_year(cworld):
    application = submit(cworld, birth=PartialDate(1958)).application
    assert application.birth_year == 1958
    assert application.birth_date is None
    identity = services.application_identity(application)
    assert identity.birth_date == PartialDate(1958)
    assert not identity.birth_date.is_exact


def test_same_cnie_with_an_open_application_gets_the_open_reference_back(cworld):
    first = submit(cworld).application
    again = submit(cworld, email="other@example.ma")

    assert not again.created
    assert again.application.pk == first.pk
    assert CertificateApplication.objects.filter(cnie="JB123456").count() == 1


def test_same_cnie_after_issuance_makes_a_new_application(cworld, monkeypatch):
    fake_registry(monkeypatch, result_no_record())
    first = submit(cworld).application
    services.application_check_run(application_id=first.pk)

    second = submit(cworld)

    assert second.created
    assert second.application.pk != first.pk


def test_same_form_submitted_twice_is_one_application(cworld):
    data = application_input(cworld)
    from django.contrib.auth.models import AnonymousUser

    key = "6b0c3a40-5a0e-4d47-9d0c-6a1f1d8e2b11"
    first = services.application_submit(actor=AnonymousUser(), data=data, submission_key=key)
    second = services.application_submit(actor=AnonymousUser(), data=data, submission_key=key)

    assert first.created and not second.created
    assert first.application.pk == second.application.pk


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent": False}, "consent"),
        ({"family_name_ar": "", "family_name_lat": ""}, "family name"),
        ({"email": "", "phone": ""}, "phone number or an e-mail"),
        ({"birth": PartialDate(2999, 1, 1)}, "future"),
    ],
)
def test_submit_refuses_what_the_form_should_have_refused(cworld, changes, message):
    with pytest.raises(DomainError, match=message):
        submit(cworld, **changes)
    assert not CertificateApplication.objects.exists()


def test_collect_at_a_station_that_does_not_serve_the_public_is_refused(cworld):
    with pytest.raises(DomainError, match="serves the public"):
        submit(cworld, delivery="COLLECT", collection_unit=cworld.units["ws-agadir-ccc"])


def test_handling_unit_is_the_collection_station_or_the_highest_public_unit_of_the_birth_place(
    cworld,
):
    collect = submit(
        cworld, cnie="JB1", delivery="COLLECT", collection_unit=cworld.units["ws-agadir-d1"]
    ).application
    electronic = submit(cworld, cnie="JB2").application
    # Born in Aït Melloul (no unit there): the region's highest public unit.
    elsewhere = submit(cworld, cnie="JB3", birth_place=cworld.communes["09.273.01.05"]).application

    assert collect.handling_unit.code == "ws-agadir-d1"
    assert collect.collection_unit.code == "ws-agadir-d1"
    assert electronic.handling_unit.code == "ws-agadir"
    assert electronic.collection_unit is None
    assert elsewhere.handling_unit.code == "ws-agadir"


# ------------------------------------------------------------------ the check


def test_clean_check_issues_automatically_and_notifies_by_email_and_sms(
    cworld, monkeypatch, django_capture_on_commit_callbacks
):
    calls = fake_registry(monkeypatch, result_no_record())
    application = submit(cworld).application

    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.application_check_run(application_id=application.pk)

    application.refresh_from_db()
    certificate = application.certificate
    assert outcome == "issued"
    assert calls[0].cnie == "JB123456"
    assert calls[0].birth_place == "09.001.01.01"
    assert application.status == ApplicationStatus.ISSUED
    assert application.check_outcome == CheckOutcome.NO_RECORD
    assert application.check_attempts == 1
    assert certificate.statement == Statement.NO_RECORD
    assert certificate.issued_by is None
    assert certificate.issuing_unit.code == "ws-agadir"
    assert [e.kind for e in application.events.all()] == [
        EventKind.SUBMITTED,
        EventKind.CHECK_STARTED,
        EventKind.CHECKED,
        EventKind.ISSUED,
    ]
    # The notification is a task of its own.
    notify = _task_rows("certificate_notify").get()
    from amn.certificates.tasks import certificate_notify

    channels = certificate_notify.call(*notify.args_kwargs["args"])
    assert channels == ["email", "sms"]
    assert mail.outbox[0].to == ["youssef@example.ma"]
    assert application.reference in mail.outbox[0].body
    assert "https://amn.example.ma/certificates/track/" in mail.outbox[0].body
    assert "Alaoui" not in mail.outbox[0].body and "JB123456" not in mail.outbox[0].body
    assert notifications.outbox[0].to == "+212612345678"
    assert application.events.filter(kind=EventKind.NOTIFIED).exists()


def test_notification_is_in_the_applications_language(cworld, monkeypatch):
    fake_registry(monkeypatch, result_no_record())
    application = submit(cworld, language="fr").application
    services.application_check_run(application_id=application.pk)

    languages = []
    original = notifications._issued_notice

    def spy(**kwargs):
        languages.append(translation.get_language())
        return original(**kwargs)

    monkeypatch.setattr(notifications, "_issued_notice", spy)

    services.application_notify(application_id=application.pk)

    # Messages are rendered in the application's language (catalogues by the lead).
    assert languages == ["fr"]
    assert len(mail.outbox) == 1


def test_low_but_not_clean_score_goes_to_review(cworld, monkeypatch):
    fake_registry(monkeypatch, result_no_record(score=0.015))
    application = submit(cworld).application

    assert services.application_check_run(application_id=application.pk) == "review"

    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert not Certificate.objects.exists()


def test_possible_match_goes_to_review_with_the_explained_candidates(cworld, monkeypatch):
    fake_registry(monkeypatch, result_with(cworld.convicted))
    application = submit(cworld).application

    services.application_check_run(application_id=application.pk)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.check_outcome == CheckOutcome.POSSIBLE_MATCH
    candidate = application.check_result["candidates"][0]
    assert candidate["person_id"] == str(cworld.convicted.pk)
    assert candidate["fields"][0] == {
        "field": "given_name",
        "agreement": "exact",
        "weight": 3.1,
        "detail": "given_name exact",
    }
    assert application.events.filter(kind=EventKind.SENT_TO_REVIEW).exists()


def test_candidate_named_by_registry_id_is_stored_by_uuid(cworld, monkeypatch):
    person = cworld.convicted
    person.registry_id = "REG-1"
    person.save()
    result = result_with(person)
    result.candidates[0].__dict__["person_id"] = "REG-1"  # frozen dataclass: test only
    fake_registry(monkeypatch, result)
    application = submit(cworld).application

    services.application_check_run(application_id=application.pk)

    application.refresh_from_db()
    assert application.check_result["candidates"][0]["person_id"] == str(person.pk)


def test_failed_check_is_recorded_retried_later_and_shows_in_progress(
    cworld, monkeypatch, django_capture_on_commit_callbacks
):
    fake_registry(monkeypatch, ConnectionError("registry down"))
    application = submit(cworld).application

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ConnectionError):
        services.application_check_run(application_id=application.pk)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHECKING
    assert application.check_attempts == 1
    failure = application.events.get(kind=EventKind.CHECK_FAILED)
    assert failure.detail == {
        "attempt": 1,
        "error": "ConnectionError",
        "retry_in_seconds": services.RETRY_DELAYS[0],
    }
    retry = _task_rows("certificate_check").get()
    assert retry.run_after > failure.at + datetime.timedelta(seconds=50)

    # The registry is back: the retry issues the certificate.
    fake_registry(monkeypatch, result_no_record())
    assert services.application_check_run(application_id=application.pk) == "issued"
    application.refresh_from_db()
    assert application.check_attempts == 2
    assert application.status == ApplicationStatus.ISSUED


def test_failure_while_issuing_rolls_back_and_is_retried(
    cworld, monkeypatch, django_capture_on_commit_callbacks
):
    fake_registry(monkeypatch, result_no_record())

    def broken(claims):
        raise RuntimeError("seal service down")

    monkeypatch.setattr(signing, "seal_payload", broken)
    application = submit(cworld).application

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.application_check_run(application_id=application.pk)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHECKING
    assert application.check_outcome == ""  # the recording transaction rolled back whole
    assert not Certificate.objects.exists()
    assert _task_rows("certificate_check").count() == 1


def test_retries_stop_after_the_maximum_and_staff_can_retry(
    cworld, monkeypatch, django_capture_on_commit_callbacks
):
    fake_registry(monkeypatch, ConnectionError("down"))
    application = submit(cworld).application
    CertificateApplication.objects.filter(pk=application.pk).update(
        check_attempts=services.MAX_CHECK_ATTEMPTS - 1
    )

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ConnectionError):
        services.application_check_run(application_id=application.pk)

    assert not _task_rows("certificate_check").exists()
    failure = ApplicationEvent.objects.get(kind=EventKind.CHECK_FAILED)
    assert failure.detail["retry_in_seconds"] is None
    from amn.certificates.selectors import stalled_checks

    agent = cworld.users["supervisor.agadir"]
    assert list(stalled_checks(actor=agent)) == [application]

    with django_capture_on_commit_callbacks(execute=True):
        services.application_check_retry(actor=agent, application_id=application.pk)
    assert _task_rows("certificate_check").count() == 1


def test_check_of_an_already_checked_application_is_skipped(cworld, monkeypatch):
    calls = fake_registry(monkeypatch, result_no_record())
    application = submit(cworld).application
    services.application_check_run(application_id=application.pk)

    assert services.application_check_run(application_id=application.pk) == "skipped"
    assert len(calls) == 1
    assert Certificate.objects.count() == 1


def test_resume_enqueues_the_pending_checks(cworld, django_capture_on_commit_callbacks):
    submit(cworld, cnie="JB1")
    submit(cworld, cnie="JB2")
    DBTaskResult.objects.all().delete()  # the queue was lost

    assert services.applications_resume_checks() == 2
    assert _task_rows("certificate_check").count() == 2


# ------------------------------------------------------------------ review and four eyes


def _in_review(cworld, monkeypatch, result=None, **changes):
    fake_registry(monkeypatch, result or result_with(cworld.convicted))
    application = submit(
        cworld, delivery="COLLECT", collection_unit=cworld.units["ws-agadir-d1"], **changes
    ).application
    services.application_check_run(application_id=application.pk)
    return application


def test_agent_decides_no_record_and_the_certificate_is_issued(cworld, monkeypatch):
    application = _in_review(cworld, monkeypatch)
    agent = cworld.users["agent.agadir"]

    services.review_decide(
        actor=agent,
        application_id=application.pk,
        outcome=DecisionOutcome.NO_RECORD,
        reason="Different birth date and father.",
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ISSUED
    assert application.certificate.statement == Statement.NO_RECORD
    assert application.certificate.issued_by == agent
    assert application.certificate.issuing_unit.code == "ws-agadir-d1"


def test_record_found_needs_a_second_supervisor_before_the_certificate_says_record(
    cworld, monkeypatch
):
    application = _in_review(cworld, monkeypatch)
    agent = cworld.users["agent.agadir"]
    supervisor = cworld.users["supervisor.agadir"]

    services.review_decide(
        actor=agent,
        application_id=application.pk,
        outcome=DecisionOutcome.RECORD_FOUND,
        person_id=str(cworld.convicted.pk),
        reason="Same names, parents and birth place.",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_CONFIRMATION
    assert not Certificate.objects.exists()

    # A second agent may not confirm (role), nor may the first decider.
    with pytest.raises(DomainError):
        services.review_confirm(
            actor=cworld.users["agent2.agadir"],
            application_id=application.pk,
            confirm=True,
            reason="ok",
        )

    services.review_confirm(
        actor=supervisor, application_id=application.pk, confirm=True, reason="Checked."
    )

    application.refresh_from_db()
    certificate = application.certificate
    assert application.status == ApplicationStatus.ISSUED
    assert certificate.statement == Statement.RECORD
    assert certificate.person == cworld.convicted
    assert certificate.convictions == [
        {
            "court": "المحكمة الابتدائية بأكادير",
            "judgment_date": "2015-05-04",
            "offence_code": "0401",
            "offence_label": "0401 Robbery",
            "sentence": "ستة أشهر حبسا نافذا",
        }
    ]
    assert certificate.issued_by == supervisor
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds[-3:] == [EventKind.DECIDED, EventKind.CONFIRMED, EventKind.ISSUED]


def test_supervisor_who_decided_first_cannot_confirm_own_decision(cworld, monkeypatch):
    application = _in_review(cworld, monkeypatch)
    supervisor = cworld.users["supervisor.agadir"]
    services.review_decide(
        actor=supervisor,
        application_id=application.pk,
        outcome=DecisionOutcome.RECORD_FOUND,
        person_id=str(cworld.convicted.pk),
        reason="Same person.",
    )

    with pytest.raises(DomainError, match="second person"):
        services.review_confirm(
            actor=supervisor, application_id=application.pk, confirm=True, reason="ok"
        )

    services.review_confirm(
        actor=cworld.users["supervisor2.agadir"],
        application_id=application.pk,
        confirm=True,
        reason="Agreed.",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ISSUED


def test_not_confirmed_goes_back_to_review(cworld, monkeypatch):
    application = _in_review(cworld, monkeypatch)
    services.review_decide(
        actor=cworld.users["agent.agadir"],
        application_id=application.pk,
        outcome=DecisionOutcome.RECORD_FOUND,
        person_id=str(cworld.convicted.pk),
        reason="Looks alike.",
    )

    services.review_confirm(
        actor=cworld.users["supervisor.agadir"],
        application_id=application.pk,
        confirm=False,
        reason="The mother's name differs.",
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.events.filter(kind=EventKind.RETURNED).exists()
    assert not Certificate.objects.exists()


def test_clearing_an_automatic_record_found_also_needs_four_eyes(cworld, monkeypatch):
    application = _in_review(
        cworld, monkeypatch, result_with(cworld.convicted, CheckOutcome.RECORD_FOUND, 0.995)
    )

    services.review_decide(
        actor=cworld.users["agent.agadir"],
        application_id=application.pk,
        outcome=DecisionOutcome.NO_RECORD,
        reason="Not him.",
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_CONFIRMATION
    services.review_confirm(
        actor=cworld.users["supervisor.agadir"],
        application_id=application.pk,
        confirm=True,
        reason="Agreed: different father.",
    )
    application.refresh_from_db()
    assert application.certificate.statement == Statement.NO_RECORD
    assert application.certificate.person is None


def test_record_found_with_only_cleared_convictions_states_no_record(cworld, monkeypatch):
    application = _in_review(cworld, monkeypatch, result_with(cworld.cleared))
    services.review_decide(
        actor=cworld.users["agent.agadir"],
        application_id=application.pk,
        outcome=DecisionOutcome.RECORD_FOUND,
        person_id=str(cworld.cleared.pk),
        reason="Same person; rehabilitated.",
    )
    services.review_confirm(
        actor=cworld.users["supervisor.agadir"],
        application_id=application.pk,
        confirm=True,
        reason="ok",
    )
    certificate = Certificate.objects.get()
    assert certificate.statement == Statement.NO_RECORD
    assert certificate.convictions == []
    assert certificate.person == cworld.cleared


@pytest.mark.parametrize(
    ("username", "kwargs", "message"),
    [
        ("supervisor.rabat", {}, "not in your review queue"),  # other unit
        ("hr.agadir", {}, "not in your review queue"),  # role
        ("admin", {}, "not in your review queue"),  # administrators decide nothing
        ("agent.agadir", {"reason": "  "}, "reason"),
        ("agent.agadir", {"outcome": "RECORD_FOUND"}, "candidate"),
        ("agent.agadir", {"outcome": "RECORD_FOUND", "person_id": "other"}, "candidate"),
        ("agent.agadir", {"outcome": "MAYBE"}, "Decide"),
    ],
)
def test_decisions_are_refused(cworld, monkeypatch, username, kwargs, message):
    application = _in_review(cworld, monkeypatch)
    values = {"outcome": DecisionOutcome.NO_RECORD, "reason": "because"} | kwargs

    with pytest.raises(DomainError, match=message):
        services.review_decide(
            actor=cworld.users[username], application_id=application.pk, **values
        )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert not application.decisions.exists()


def test_a_decision_twice_is_refused(cworld, monkeypatch):
    application = _in_review(cworld, monkeypatch)
    agent = cworld.users["agent.agadir"]
    services.review_decide(
        actor=agent, application_id=application.pk, outcome="NO_RECORD", reason="no"
    )
    with pytest.raises(DomainError, match="not waiting"):
        services.review_decide(
            actor=agent, application_id=application.pk, outcome="NO_RECORD", reason="no"
        )


# ------------------------------------------------------------------ issuance


def test_certificate_is_sealed_valid_three_months_with_a_gapless_serial(cworld, monkeypatch):
    fake_registry(monkeypatch, result_no_record())
    certificates = []
    for cnie in ("JB1", "JB2", "JB3"):
        application = submit(cworld, cnie=cnie).application
        services.application_check_run(application_id=application.pk)
        certificates.append(Certificate.objects.get(application=application))

    unit = cworld.units["ws-agadir"]
    year = certificates[0].year
    assert [c.sequence for c in certificates] == [1, 2, 3]
    assert [c.serial for c in certificates] == [f"{year}-{unit.pk:04d}-{n:06d}" for n in (1, 2, 3)]
    first = certificates[0]
    issued_on = timezone.localdate(first.issued_at)
    assert first.valid_until == add_months(issued_on, 3)
    assert first.control_key == signing.control_key(first.serial)
    claims = signing.open_payload(first.seal_payload)
    assert claims["serial"] == first.serial
    assert claims["valid_until"] == first.valid_until
    assert claims["holder"] == signing.holder_digest("يوسف العلوي")
    assert first.seal_key_id == claims["key_id"]


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 1, 17), 3) == datetime.date(2026, 4, 17)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)


def test_newer_certificate_supersedes_the_older_one(cworld, monkeypatch):
    fake_registry(monkeypatch, result_no_record())
    first = submit(cworld).application
    services.application_check_run(application_id=first.pk)
    second = submit(cworld).application
    services.application_check_run(application_id=second.pk)

    old, new = (
        Certificate.objects.get(application=first),
        Certificate.objects.get(application=second),
    )
    assert old.superseded_by == new
    assert new.superseded_by is None
    assert services.live_status(old) == "SUPERSEDED"
    assert services.live_status(new) == "VALID"


# ------------------------------------------------------------------ revocation


def _issued(cworld, monkeypatch, **changes):
    fake_registry(monkeypatch, result_no_record())
    application = submit(cworld, **changes).application
    services.application_check_run(application_id=application.pk)
    return Certificate.objects.get(application=application)


def test_supervisor_revokes_with_a_reason(cworld, monkeypatch):
    certificate = _issued(cworld, monkeypatch)
    supervisor = cworld.users["supervisor.agadir"]

    services.certificate_revoke(
        actor=supervisor, certificate_id=certificate.pk, reason="Issued on a stolen CNIE."
    )

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_by == supervisor
    assert certificate.revoked_reason == "Issued on a stolen CNIE."
    assert services.live_status(certificate) == "REVOKED"
    assert certificate.application.events.filter(kind=EventKind.REVOKED).exists()


@pytest.mark.parametrize(
    ("username", "reason", "message"),
    [
        ("agent.agadir", "x", "Only a supervisor"),
        ("supervisor.rabat", "x", "Only a supervisor"),
        ("supervisor.agadir", "", "reason"),
    ],
)
def test_revocation_is_refused(cworld, monkeypatch, username, reason, message):
    certificate = _issued(cworld, monkeypatch)
    with pytest.raises(DomainError, match=message):
        services.certificate_revoke(
            actor=cworld.users[username], certificate_id=certificate.pk, reason=reason
        )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_revoking_twice_is_refused(cworld, monkeypatch):
    certificate = _issued(cworld, monkeypatch)
    supervisor = cworld.users["supervisor.agadir"]
    services.certificate_revoke(actor=supervisor, certificate_id=certificate.pk, reason="a")
    with pytest.raises(DomainError, match="already"):
        services.certificate_revoke(actor=supervisor, certificate_id=certificate.pk, reason="b")


def test_candidate_views_are_audited(cworld, monkeypatch):
    from amn.certificates.selectors import access_application, review_candidates

    application = _in_review(cworld, monkeypatch)
    agent = cworld.users["agent.agadir"]

    shown = review_candidates(
        actor=agent, application=access_application(actor=agent, application_id=application.pk)
    )

    assert [c["person"] for c in shown] == [cworld.convicted]
    assert len(shown[0]["convictions"]) == 1
    event = AuditEvent.objects.get(target="people.person")
    assert event.target_id == str(cworld.convicted.pk)
    assert event.actor == agent
    assert event.reason == f"certificate review {application.reference}"
