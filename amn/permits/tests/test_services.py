"""The workflow of residence permits and visas: double submission, documents checklist,
decisions, card issue and validity, renewal, visa issue, notices, and who may do what."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django_tasks_db.models import DBTaskResult

from amn.core.errors import DomainError
from amn.permits import services
from amn.permits.choices import DocumentStatus, Entries
from amn.permits.models import ResidenceApplication, ResidenceCard, Visa, VisaApplication
from amn.permits.rules import InvalidInput
from amn.permits.tasks import application_notice
from amn.permits.tests.factories import (
    AGADIR,
    all_received,
    card_issued,
    days,
    renewal_input,
    residence_approved,
    residence_input,
    residence_submitted,
    today,
    visa_input,
    visa_submitted,
)
from amn.permits.validity import add_months, card_expiry

pytestmark = pytest.mark.django_db


# Double submission -------------------------------------------------------------------------


def test_a_second_visa_submission_returns_the_first(world):
    first, created = services.visa_application_submit(actor=None, data=visa_input())
    again, created_again = services.visa_application_submit(
        actor=None, data=visa_input(passport_number="18ab12345 ", email="else@example.com")
    )
    assert created and not created_again
    assert again.pk == first.pk and again.email == "claire.martin@example.com"
    assert VisaApplication.objects.count() == 1


def test_other_dates_make_another_visa_application(world):
    visa_submitted()
    _other, created = services.visa_application_submit(
        actor=None, data=visa_input(intended_entry_on=days(60), intended_exit_on=days(70))
    )
    assert created
    assert VisaApplication.objects.count() == 2


def test_a_second_residence_submission_returns_the_first_until_it_is_closed(world):
    first = residence_submitted()
    again, created = services.residence_application_submit(
        actor=None, data=residence_input(reason="study", address="Elsewhere")
    )
    assert not created and again.pk == first.pk and again.reason == "work"
    services.residence_application_decide(
        actor=None, application=first, approve=False, refusal_reason="reason_not_proven"
    )
    after_refusal, created = services.residence_application_submit(
        actor=None, data=residence_input()
    )
    assert created and after_refusal.pk != first.pk


def test_concurrent_double_submission_meets_the_unique_key(world):
    """The second of two simultaneous submissions does not see the first before inserting:
    the unique open_key refuses its row and it returns the first one."""
    first = visa_submitted()
    real_filter = VisaApplication.objects.filter
    calls = []

    def first_lookup_misses(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            return real_filter(pk=None)
        return real_filter(*args, **kwargs)

    with mock.patch.object(VisaApplication.objects, "filter", side_effect=first_lookup_misses):
        again, created = services.visa_application_submit(actor=None, data=visa_input())
    assert not created and again.pk == first.pk
    assert VisaApplication.objects.count() == 1


def test_the_open_key_is_unique_in_the_database(world):
    first = visa_submitted()
    with pytest.raises(IntegrityError):
        VisaApplication.objects.create(
            **{
                field.name: getattr(first, field.name)
                for field in VisaApplication._meta.concrete_fields
                if field.name not in {"id", "reference", "created_at", "updated_at"}
            },
            reference="EV-1999-000001",
        )


# Residence: checklist and decision ----------------------------------------------------------


def test_approval_needs_every_document_received(world):
    application = residence_submitted()
    services.document_checks_record(
        actor=None,
        application=application,
        statuses={"passport_copy": DocumentStatus.RECEIVED, "photos": DocumentStatus.MISSING},
    )
    with pytest.raises(DomainError) as caught:
        services.residence_application_decide(actor=None, application=application, approve=True)
    message = str(caught.value)
    assert "Recent identity photographs" in message and "Signed application form" in message
    assert "Copy of the passport" not in message
    application.refresh_from_db()
    assert application.status == "submitted"


def test_approval_then_issue(world):
    application = residence_submitted()
    all_received(application)
    decided = services.residence_application_decide(
        actor=None, application=application, approve=True, note="All in order."
    )
    assert decided.status == "approved" and decided.decided_at is not None
    assert decided.open_key  # still in progress until the card is issued
    card = services.residence_card_issue(actor=None, application=decided)
    assert card.number.startswith("CI") and len(card.number) == 10
    assert card.issued_on == today()
    assert card.expires_on == add_months(today(), 12) - datetime.timedelta(days=1)
    application.refresh_from_db()
    assert application.status == "issued" and application.open_key is None


def test_refusal_needs_a_reason_and_a_note_for_other(world):
    application = residence_submitted()
    with pytest.raises(InvalidInput) as caught:
        services.residence_application_decide(actor=None, application=application, approve=False)
    assert caught.value.errors == {"refusal_reason": ["Choose the reason of the refusal."]}
    with pytest.raises(InvalidInput) as caught:
        services.residence_application_decide(
            actor=None, application=application, approve=False, refusal_reason="other"
        )
    assert caught.value.errors == {"note": ["Explain the refusal when the reason is “Other”."]}
    with pytest.raises(InvalidInput):
        services.residence_application_decide(
            actor=None, application=application, approve=False, refusal_reason="bogus"
        )
    refused = services.residence_application_decide(
        actor=None,
        application=application,
        approve=False,
        refusal_reason="other",
        note="Left Morocco.",
    )
    assert refused.status == "refused" and refused.refusal_reason == "other"


def test_a_decided_application_is_not_decided_again(world):
    application = residence_approved()
    with pytest.raises(DomainError):
        services.residence_application_decide(
            actor=None, application=application, approve=False, refusal_reason="public_order"
        )
    with pytest.raises(DomainError):
        services.document_checks_record(
            actor=None, application=application, statuses={"photos": DocumentStatus.MISSING}
        )


def test_checklist_refuses_unknown_codes_and_statuses(world):
    application = residence_submitted()
    with pytest.raises(DomainError):
        services.document_checks_record(
            actor=None, application=application, statuses={"passport_copy": "maybe"}
        )
    with pytest.raises(DomainError):
        services.document_checks_record(
            actor=None, application=application, statuses={"diploma": DocumentStatus.RECEIVED}
        )


def test_checklist_records_who_and_when(world):
    application = residence_submitted()
    agent = world.users["agent.fes"]
    services.document_checks_record(
        actor=agent, application=application, statuses={"photos": DocumentStatus.RECEIVED}
    )
    check = application.documents.get(code="photos")
    assert check.status == "received" and check.checked_by == agent and check.checked_at


def test_a_card_cannot_be_issued_before_approval(world):
    with pytest.raises(DomainError):
        services.residence_card_issue(actor=None, application=residence_submitted())


def test_card_dates_are_checked(world):
    application = residence_approved()
    with pytest.raises(InvalidInput) as caught:
        services.residence_card_issue(actor=None, application=application, issued_on=days(1))
    assert caught.value.errors == {"issued_on": ["The issue date cannot be in the future."]}
    with pytest.raises(InvalidInput) as caught:
        services.residence_card_issue(actor=None, application=application, issued_on=days(-1))
    assert caught.value.errors == {"issued_on": ["The issue date cannot precede the decision."]}
    with pytest.raises(InvalidInput) as caught:
        services.residence_card_issue(actor=None, application=application, expires_on=today())
    assert caught.value.errors == {
        "expires_on": ["The expiry date must come after the issue date."]
    }
    with pytest.raises(InvalidInput) as caught:
        services.residence_card_issue(actor=None, application=application, expires_on=days(400))
    assert "at most 12 months" in caught.value.errors["expires_on"][0]
    card = services.residence_card_issue(actor=None, application=application, expires_on=days(90))
    assert card.expires_on == days(90)


def test_validity_rule(settings):
    assert card_expiry(issued_on=datetime.date(2026, 3, 5), months=12) == datetime.date(2027, 3, 4)
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    from amn.permits.validity import card_validity_months

    assert [card_validity_months(reason="work", renewals=n) for n in range(7)] == [
        12,
        24,
        24,
        60,
        120,
        120,
        120,
    ]
    assert card_validity_months(reason="study", renewals=4) == 12
    settings.AMN_PERMIT_VALIDITY_MONTHS_BY_RENEWAL = (6, 36)
    settings.AMN_PERMIT_VALIDITY_CAP_MONTHS = {}
    assert card_validity_months(reason="study", renewals=3) == 36


# Renewal ------------------------------------------------------------------------------------


def test_renewal_is_linked_to_the_previous_card_and_replaces_it(world):
    card = card_issued()
    renewal, created = services.residence_application_submit(actor=None, data=renewal_input(card))
    assert created and renewal.kind == "renewal" and renewal.previous_card == card
    assert "previous_card" in set(renewal.documents.values_list("code", flat=True))
    all_received(renewal)
    services.residence_application_decide(actor=None, application=renewal, approve=True)
    assert services.renewals_in_chain(renewal) == 1
    new_card = services.residence_card_issue(actor=None, application=renewal)
    assert new_card.expires_on == add_months(today(), 24) - datetime.timedelta(days=1)
    card.refresh_from_db()
    assert card.status == "replaced" and new_card.status == "active"
    assert list(card.renewals.all()) == [renewal]


def test_renewal_with_a_new_passport(world):
    card = card_issued()
    renewal, created = services.residence_application_submit(
        actor=None, data=renewal_input(card, passport_number="NEWPASS99")
    )
    assert created and renewal.previous_card == card


def test_a_renewal_filed_after_expiry_starts_the_count_again(world):
    card = card_issued()
    renewal, _created = services.residence_application_submit(actor=None, data=renewal_input(card))
    ResidenceCard.objects.filter(pk=card.pk).update(issued_on=days(-400), expires_on=days(-1))
    renewal.refresh_from_db()
    assert services.renewals_in_chain(renewal) == 0


# Visas --------------------------------------------------------------------------------------


def test_visa_issue(world):
    application = visa_submitted()
    visa = services.visa_application_approve(
        actor=None,
        application=application,
        valid_from=days(10),
        valid_until=days(60),
        entries=Entries.MULTIPLE,
        max_stay_days=20,
    )
    assert visa.number.startswith("VE") and visa.issued_on == today()
    application.refresh_from_db()
    assert application.status == "issued" and application.open_key is None
    assert Visa.objects.get().entries == "multiple"


LONGEST_VALIDITY = "A visa is valid at most 180 days from its issue."
STAY_OVER_VALIDITY = "The stay allowed cannot be longer than the validity period."


@pytest.mark.parametrize(
    ("dates", "field", "message"),
    [
        ({"valid_from": days(-1)}, "valid_from", "A visa cannot start in the past."),
        ({"valid_until": days(5)}, "valid_until", "The end of validity is before its start."),
        ({"valid_until": days(181)}, "valid_until", LONGEST_VALIDITY),
        ({"max_stay_days": 31}, "max_stay_days", "Between 1 and 30 days."),
        ({"max_stay_days": 30, "valid_until": days(20)}, "max_stay_days", STAY_OVER_VALIDITY),
        ({"valid_from": None}, "valid_from", "This field is required."),
        ({"entries": "twice"}, "entries", "Select a valid choice."),
    ],
)  # fmt: skip
def test_visa_issue_errors(world, dates, field, message):
    application = visa_submitted()
    values = {"valid_from": days(10), "valid_until": days(60), "entries": "single"}
    values["max_stay_days"] = 10
    values.update(dates)
    with pytest.raises(InvalidInput) as caught:
        services.visa_application_approve(actor=None, application=application, **values)
    assert caught.value.errors == {field: [message]}
    assert not Visa.objects.exists()


def test_a_visa_cannot_outlast_the_passport(world):
    application = visa_submitted(passport_expires_on=days(40))
    with pytest.raises(InvalidInput) as caught:
        services.visa_application_approve(
            actor=None,
            application=application,
            valid_from=days(10),
            valid_until=days(41),
            entries="single",
            max_stay_days=10,
        )
    assert list(caught.value.errors) == ["valid_until"]


def test_visa_refusal(world):
    application = visa_submitted()
    with pytest.raises(InvalidInput):
        services.visa_application_refuse(actor=None, application=application, refusal_reason="")
    refused = services.visa_application_refuse(
        actor=None, application=application, refusal_reason="insufficient_means", note="No funds."
    )
    assert refused.status == "refused" and refused.open_key is None
    with pytest.raises(DomainError):
        services.visa_application_refuse(
            actor=None, application=refused, refusal_reason="public_order"
        )


# Notices ------------------------------------------------------------------------------------


def _notices():
    return DBTaskResult.objects.filter(task_path="amn.permits.tasks.application_notice")


def test_decisions_queue_a_notice_after_commit(world, django_capture_on_commit_callbacks):
    application = visa_submitted()
    with django_capture_on_commit_callbacks(execute=True):
        services.visa_application_refuse(
            actor=None, application=application, refusal_reason="public_order", note="Secret."
        )
    (queued,) = _notices()
    assert queued.args_kwargs["kwargs"] == {
        "kind": "visa",
        "application_id": str(application.pk),
        "event": "refused",
    }
    application_notice.call(**queued.args_kwargs["kwargs"])
    (message,) = mail.outbox
    assert message.to == ["claire.martin@example.com"]
    assert application.reference in message.subject
    assert "Threat to public order" in message.body
    assert "Secret." not in message.body  # the internal note never leaves the file


def test_a_refused_decision_queues_nothing(world, django_capture_on_commit_callbacks):
    application = residence_submitted()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.residence_application_decide(actor=None, application=application, approve=True)
    assert not _notices().exists()


def test_a_new_application_is_acknowledged_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application, _created = services.residence_application_submit(
            actor=None, data=residence_input()
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.residence_application_submit(actor=None, data=residence_input())
    (queued,) = _notices()
    assert queued.args_kwargs["kwargs"]["event"] == "submitted"
    application_notice.call(**queued.args_kwargs["kwargs"])
    (message,) = mail.outbox
    assert application.reference in message.body
    assert "Work contract approved by the ministry in charge of employment" in message.body


def test_card_notice(world):
    card = card_issued()
    application_notice.call(
        kind="residence", application_id=str(card.application_id), event="issued"
    )
    (message,) = mail.outbox
    assert card.number in message.body


def test_a_stale_notice_is_skipped(world):
    application = residence_approved()
    application_notice.call(kind="residence", application_id=str(application.pk), event="submitted")
    assert mail.outbox == []


# Who may do what ----------------------------------------------------------------------------


def test_front_desk_agents_check_documents_but_do_not_decide(world):
    application = residence_submitted()
    agent = world.users["agent.fes"]
    services.document_checks_record(
        actor=agent,
        application=application,
        statuses={check.code: "received" for check in application.documents.all()},
    )
    with pytest.raises(PermissionDenied):
        services.residence_application_decide(actor=agent, application=application, approve=True)
    decided = services.residence_application_decide(
        actor=world.users["officer.fes"], application=application, approve=True
    )
    assert decided.decided_by == world.users["officer.fes"]


@pytest.mark.parametrize("username", ["supervisor.rabat", "agent.agadir", "hr.rabat", "analyst.hq"])
def test_others_may_not_act_on_a_fes_application(world, username):
    application = residence_submitted()
    actor = world.users[username]
    with pytest.raises(PermissionDenied):
        services.document_checks_record(
            actor=actor, application=application, statuses={"photos": "received"}
        )
    with pytest.raises(PermissionDenied):
        services.residence_application_decide(
            actor=actor, application=application, approve=False, refusal_reason="public_order"
        )
    visa = visa_submitted()
    with pytest.raises(PermissionDenied):
        services.visa_application_refuse(actor=actor, application=visa, refusal_reason="other")


def test_an_administrator_decides_anywhere(world):
    application = visa_submitted(handling_unit=AGADIR)
    refused = services.visa_application_refuse(
        actor=world.users["admin"], application=application, refusal_reason="incomplete"
    )
    assert refused.decided_by == world.users["admin"]
    assert ResidenceApplication.objects.count() == 0
