"""The CNIE lifecycle: pre-application (bad input, double submission), loss and theft
declarations, appointments, enrolment to delivery with dated steps, card numbers and
validity, notices."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from amn.appointments import services as appointments
from amn.appointments.choices import BookingStatus, Purpose
from amn.appointments.models import Booking
from amn.appointments.selectors import booking_live
from amn.appointments.tests.calendar_helpers import at, working_day
from amn.core.errors import DomainError
from amn.idcards import services
from amn.idcards.choices import ApplicationKind, ApplicationStatus, CardStatus, LossKind, Step
from amn.idcards.models import ApplicationEvent, Card, CnieApplication, LossDeclaration
from amn.idcards.numbers import card_expiry, normalise_reference
from amn.idcards.tests.builders import card_create, pre_application

pytestmark = pytest.mark.django_db


def _steps(application) -> list[str]:
    return list(
        ApplicationEvent.objects.filter(application=application)
        .order_by("at", "id")
        .values_list("step", flat=True)
    )


# -- pre-application: bad input -------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "passport"}, "kind of application"),
        ({"family_name_ar": ""}, "Arabic script"),
        ({"given_name_latin": "  "}, "Latin script"),
        ({"family_name_latin": "بناني"}, "Latin letters"),
        ({"given_name_ar": "Leila"}, "Arabic letters"),
        ({"family_name_latin": "B" * 101}, "100 characters"),
        ({"sex": "X"}, "sex"),
        ({"birth_date": None}, "date of birth"),
        ({"birth_date": datetime.date(2999, 1, 1)}, "future"),
        ({"birth_date": datetime.date(1850, 1, 1)}, "year of birth"),
        (
            {"birth_date": datetime.date.today().replace(year=datetime.date.today().year - 10)},
            "minor's card",
        ),
        ({"address": ""}, "address"),
        ({"email": "not-an-email"}, "e-mail"),
        ({"phone": "12"}, "phone number"),
        ({"email": "", "phone": ""}, "notify you"),
        ({"unit_id": None}, "office or one mobile-unit stop"),
        ({"commune_id": 99999999}, "commune"),
    ],
)
def test_pre_application_refusals(fes, overrides, message):
    with pytest.raises(DomainError, match=message):
        services.application_submit(actor=None, data=pre_application(fes, **overrides))
    assert not CnieApplication.objects.exists()


def test_an_office_that_does_not_receive_the_public_is_refused(world):
    with pytest.raises(DomainError, match="receives the public"):
        services.application_submit(actor=None, data=pre_application(world.units["dgsn-dpj"]))


def test_minor_card_needs_a_minor_and_a_guardian(fes):
    child = datetime.date.today().replace(year=datetime.date.today().year - 9, day=1)
    minor = {"kind": ApplicationKind.MINOR, "birth_date": child}
    with pytest.raises(DomainError, match="parent or guardian"):
        services.application_submit(actor=None, data=pre_application(fes, **minor))
    with pytest.raises(DomainError, match="CNIE number of the parent"):
        services.application_submit(
            actor=None,
            data=pre_application(fes, **minor, guardian_name="Bennani Ali", guardian_cnie="12"),
        )
    application, created = services.application_submit(
        actor=None,
        data=pre_application(fes, **minor, guardian_name="Bennani Ali", guardian_cnie="c 12345"),
    )
    assert created and application.guardian_cnie == "C12345"
    with pytest.raises(DomainError, match="under 18"):
        services.application_submit(
            actor=None,
            data=pre_application(
                fes, kind=ApplicationKind.MINOR, guardian_name="X", guardian_cnie="C1"
            ),
        )


@pytest.mark.parametrize("number", ["123456", "ABC123", "B-12", "BE 12345678 9", "É12345", ""])
def test_renewal_refuses_malformed_card_numbers(fes, number):
    with pytest.raises(DomainError, match=r"letters followed by digits|number of your current"):
        services.application_submit(
            actor=None, data=pre_application(fes, kind=ApplicationKind.RENEWAL, cnie_number=number)
        )


def test_renewal_needs_a_card_of_this_identity(fes):
    card_create(fes, number="C654321")
    with pytest.raises(DomainError, match="No card with this number matches"):
        services.application_submit(
            actor=None,
            data=pre_application(fes, kind=ApplicationKind.RENEWAL, cnie_number="C999999"),
        )
    with pytest.raises(DomainError, match="No card with this number matches"):
        services.application_submit(
            actor=None,
            data=pre_application(
                fes,
                kind=ApplicationKind.RENEWAL,
                cnie_number="C654321",
                birth_date=datetime.date(1994, 4, 19),
            ),
        )


def test_renewal_accepts_arabic_indic_digits_and_spaces(fes):
    card = card_create(fes, number="C654321")
    application, created = services.application_submit(
        actor=None,
        data=pre_application(fes, kind=ApplicationKind.RENEWAL, cnie_number=" c ٦٥٤٣٢١ "),
    )
    assert created
    assert application.cnie_number == "C654321"
    assert application.previous_card == card


def test_change_of_data_needs_what_changes(fes):
    card_create(fes)
    with pytest.raises(DomainError, match="which data changes"):
        services.application_submit(
            actor=None,
            data=pre_application(fes, kind=ApplicationKind.CHANGE, cnie_number="C654321"),
        )


def test_double_submission_returns_the_existing_pre_application(fes):
    first, created = services.application_submit(actor=None, data=pre_application(fes))
    again, created_again = services.application_submit(
        actor=None,
        # the same person and kind, written differently: still the same pre-application
        data=pre_application(fes, family_name_latin="BENNANI", given_name_latin=" leïla "),
    )

    assert created and not created_again
    assert again.pk == first.pk
    assert CnieApplication.objects.count() == 1
    assert _steps(first) == [Step.SUBMITTED]


def test_the_same_person_from_another_submitter_learns_nothing(fes):
    first, _created = services.application_submit(actor=None, data=pre_application(fes))
    with pytest.raises(DomainError, match="already open") as refused:
        services.application_submit(
            actor=None,
            data=pre_application(fes, email="someone.else@example.ma", phone="0700000000"),
        )
    assert first.reference not in str(refused.value)
    assert CnieApplication.objects.count() == 1


def test_a_new_pre_application_is_allowed_once_the_first_is_closed(fes):
    first, _created = services.application_submit(actor=None, data=pre_application(fes))
    services.application_cancel(actor=None, application_id=first.pk)

    second, created = services.application_submit(actor=None, data=pre_application(fes))
    assert created and second.pk != first.pk


def test_references_are_random_and_read_leniently(fes):
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    reference = application.reference
    assert reference.startswith(f"CN-{datetime.date.today().year}-") and len(reference) == 16
    typed = f" {reference.lower().replace('0', 'o')} "
    assert normalise_reference(typed) == reference


# -- loss and theft -------------------------------------------------------------------------


def test_replacement_declares_the_theft_and_invalidates_the_card_at_once(fes):
    card = card_create(fes)
    application, _created = services.application_submit(
        actor=None,
        data=pre_application(
            fes,
            kind=ApplicationKind.REPLACEMENT,
            cnie_number="C654321",
            loss_kind=LossKind.STOLEN,
            loss_circumstances="Bag stolen in the tram.",
        ),
    )

    card.refresh_from_db()
    assert card.status == CardStatus.STOLEN
    assert card.status_changed_at is not None
    declaration = LossDeclaration.objects.get()
    assert (declaration.card, declaration.application) == (card, application)
    assert _steps(application) == [Step.SUBMITTED, Step.LOSS_DECLARED]


def test_replacement_needs_to_say_lost_or_stolen(fes):
    card_create(fes)
    with pytest.raises(DomainError, match="lost or stolen"):
        services.application_submit(
            actor=None,
            data=pre_application(fes, kind=ApplicationKind.REPLACEMENT, cnie_number="C654321"),
        )
    assert Card.objects.get().status == CardStatus.ACTIVE


def test_renewal_of_a_card_declared_lost_is_refused(fes):
    card_create(fes, status=CardStatus.LOST)
    with pytest.raises(DomainError, match="replacement"):
        services.application_submit(
            actor=None,
            data=pre_application(fes, kind=ApplicationKind.RENEWAL, cnie_number="C654321"),
        )


def test_counter_declaration_invalidates_the_card(fes, fes_agent, world):
    card = card_create(fes)
    with pytest.raises(PermissionDenied):
        services.card_declare_loss(
            actor=world.users["hr.rabat"], cnie_number="C654321", kind=LossKind.LOST
        )
    with pytest.raises(DomainError, match="letters followed by digits"):
        services.card_declare_loss(actor=fes_agent, cnie_number="654321", kind=LossKind.LOST)

    declaration = services.card_declare_loss(
        actor=fes_agent, cnie_number="c654321", kind=LossKind.LOST
    )
    card.refresh_from_db()
    assert card.status == CardStatus.LOST
    assert declaration.unit == fes and declaration.declared_by == fes_agent
    with pytest.raises(DomainError, match="No valid card"):
        services.card_declare_loss(actor=fes_agent, cnie_number="C654321", kind=LossKind.LOST)


# -- appointments ---------------------------------------------------------------------------


def test_booking_and_moving_the_appointment_are_steps(fes, fes_slot):
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    services.application_book(actor=None, application_id=application.pk, slot_id=fes_slot.pk)
    later = appointments.slot_create(
        actor=None, unit=fes, starts_at=at(working_day(3), 11), minutes=30, capacity=2
    )
    moved = services.application_book(actor=None, application_id=application.pk, slot_id=later.pk)

    assert booking_live(purpose=Purpose.CNIE, subject_id=application.pk) == moved
    assert _steps(application) == [Step.SUBMITTED, Step.BOOKED, Step.RESCHEDULED]
    fes_slot.refresh_from_db()
    assert fes_slot.booked == 0

    services.application_booking_cancel(actor=None, application_id=application.pk)
    assert booking_live(purpose=Purpose.CNIE, subject_id=application.pk) is None
    assert _steps(application)[-1] == Step.BOOKING_CANCELLED


def test_a_slot_of_another_office_is_refused(world, fes):
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    agadir_slot = appointments.slot_create(
        actor=None,
        unit=world.units["ws-agadir-d1"],
        starts_at=at(working_day(2), 9),
        minutes=30,
        capacity=2,
    )
    with pytest.raises(DomainError, match="office or stop of your application"):
        services.application_book(actor=None, application_id=application.pk, slot_id=agadir_slot.pk)
    with pytest.raises(DomainError, match="No such slot"):
        services.application_book(actor=None, application_id=application.pk, slot_id="nope")


def test_a_full_slot_is_refused_for_an_application(fes, fes_slot):
    for family in ("Alami", "Berrada"):
        other, _created = services.application_submit(
            actor=None, data=pre_application(fes, family_name_latin=family)
        )
        services.application_book(actor=None, application_id=other.pk, slot_id=fes_slot.pk)
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    with pytest.raises(DomainError, match="full"):
        services.application_book(actor=None, application_id=application.pk, slot_id=fes_slot.pk)
    assert _steps(application) == [Step.SUBMITTED]


# -- the office: enrolment to delivery ------------------------------------------------------


def _booked_application(fes, fes_slot):
    """An application booked in `fes_slot` (a working day ahead, 10:00)."""
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    services.application_book(actor=None, application_id=application.pk, slot_id=fes_slot.pk)
    return application


def test_the_whole_lifecycle_with_dated_steps_actor_and_unit(fes, fes_agent, fes_slot):
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    services.application_book(actor=None, application_id=application.pk, slot_id=fes_slot.pk)

    with pytest.raises(DomainError, match="photo and the fingerprints"):
        services.application_enrol(
            actor=fes_agent,
            application_id=application.pk,
            photo_captured=True,
            fingerprints_captured=False,
        )
    services.application_enrol(
        actor=fes_agent,
        application_id=application.pk,
        photo_captured=True,
        fingerprints_captured=True,
    )
    with pytest.raises(DomainError, match="does not follow"):
        services.application_deliver(actor=fes_agent, application_id=application.pk)
    services.application_send_to_production(actor=fes_agent, application_id=application.pk)
    card = services.application_mark_ready(actor=fes_agent, application_id=application.pk)
    assert card.status == CardStatus.PRODUCED
    delivered = services.application_deliver(actor=fes_agent, application_id=application.pk)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.DELIVERED
    assert application.biometrics_captured_by == fes_agent
    assert application.biometrics_captured_at is not None
    assert delivered.status == CardStatus.ACTIVE
    assert delivered.number == application.cnie_number
    assert delivered.number == "Z000001"  # the demo world's offices have no seat: prefix Z
    assert delivered.expires_on == card_expiry(issued_on=delivered.issued_on, minor=False)
    events = list(ApplicationEvent.objects.filter(application=application).order_by("at", "id"))
    assert [e.step for e in events] == [
        Step.SUBMITTED,
        Step.BOOKED,
        Step.ENROLLED,
        Step.IN_PRODUCTION,
        Step.READY,
        Step.DELIVERED,
    ]
    for event in events[2:]:
        assert event.actor == fes_agent and event.unit == fes
    assert [e.at for e in events] == sorted(e.at for e in events)
    # the appointment was on a later day: enrolling released it
    assert Booking.objects.get(subject_id=application.pk).status == BookingStatus.CANCELLED


def test_enrolment_on_the_appointment_day_marks_it_attended(fes, fes_agent, fes_slot):
    application = _booked_application(fes, fes_slot)
    services.application_enrol(
        actor=fes_agent,
        application_id=application.pk,
        photo_captured=True,
        fingerprints_captured=True,
        now=fes_slot.starts_at + datetime.timedelta(minutes=20),
    )
    assert Booking.objects.get(subject_id=application.pk).status == BookingStatus.ATTENDED


def test_no_show_is_a_step_and_frees_the_application(fes, fes_agent, fes_slot):
    application = _booked_application(fes, fes_slot)
    with pytest.raises(DomainError, match="time has come"):
        services.application_no_show(actor=fes_agent, application_id=application.pk)
    services.application_no_show(
        actor=fes_agent,
        application_id=application.pk,
        now=fes_slot.starts_at + datetime.timedelta(minutes=40),
    )
    assert _steps(application)[-1] == Step.NO_SHOW
    assert booking_live(purpose=Purpose.CNIE, subject_id=application.pk) is None
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED  # may book again


def test_steps_are_for_processing_staff_of_the_office(world, fes):
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    for username in ("agent.agadir", "hr.rabat", "analyst.hq", "officer.fes"):
        with pytest.raises(PermissionDenied):
            services.application_enrol(
                actor=world.users[username],
                application_id=application.pk,
                photo_captured=True,
                fingerprints_captured=True,
            )
    services.application_enrol(
        actor=world.users["agent.fes"],
        application_id=application.pk,
        photo_captured=True,
        fingerprints_captured=True,
    )


def test_renewal_keeps_the_number_and_replaces_the_old_card_on_delivery(fes, fes_agent):
    old = card_create(fes, number="C654321")
    application, _created = services.application_submit(
        actor=None,
        data=pre_application(fes, kind=ApplicationKind.RENEWAL, cnie_number="C654321"),
    )
    services.application_enrol(
        actor=fes_agent,
        application_id=application.pk,
        photo_captured=True,
        fingerprints_captured=True,
    )
    services.application_send_to_production(actor=fes_agent, application_id=application.pk)
    new = services.application_mark_ready(actor=fes_agent, application_id=application.pk)
    old.refresh_from_db()
    assert old.status == CardStatus.ACTIVE  # still valid until the new one is collected

    services.application_deliver(actor=fes_agent, application_id=application.pk)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (CardStatus.REPLACED, CardStatus.ACTIVE)
    assert new.number == old.number == "C654321"


def test_minor_card_is_valid_five_years():
    assert card_expiry(issued_on=datetime.date(2026, 3, 10), minor=True) == datetime.date(
        2031, 3, 9
    )
    assert card_expiry(issued_on=datetime.date(2024, 2, 29), minor=False) == datetime.date(
        2034, 2, 27
    )


def test_cancelling_withdraws_the_booking(fes, fes_slot):
    application, _created = services.application_submit(actor=None, data=pre_application(fes))
    services.application_book(actor=None, application_id=application.pk, slot_id=fes_slot.pk)
    services.application_cancel(actor=None, application_id=application.pk)

    application.refresh_from_db()
    fes_slot.refresh_from_db()
    assert application.status == ApplicationStatus.CANCELLED
    assert fes_slot.booked == 0
    with pytest.raises(DomainError, match="no longer needs an appointment"):
        services.application_book(actor=None, application_id=application.pk, slot_id=fes_slot.pk)


# -- notices --------------------------------------------------------------------------------


def test_notices_by_email_and_sms_carry_no_personal_data(
    fes, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application, _created = services.application_submit(actor=None, data=pre_application(fes))

    assert len(mail.outbox) == 1
    assert application.reference in mail.outbox[0].body
    assert "/cnie/track/" in mail.outbox[0].body
    assert [sms.to for sms in immediate_tasks] == ["+212612345678"]
    for text in (mail.outbox[0].body, mail.outbox[0].subject, immediate_tasks[0].body):
        assert "Bennani" not in text and "Leila" not in text and "1994" not in text


def test_the_notice_speaks_the_language_of_the_application(
    fes, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=None, data=pre_application(fes, language="fr"))
    assert "CNIE" in mail.outbox[0].subject
