"""Every refusal of a visa or residence-permit application names its field, and nothing is
written when one is refused."""

import datetime

import pytest

from amn.permits import services
from amn.permits.choices import ApplicationKind, ResidenceReason, VisaPurpose
from amn.permits.models import ResidenceApplication, VisaApplication
from amn.permits.rules import InvalidInput
from amn.permits.tests.factories import (
    card_issued,
    days,
    renewal_input,
    residence_input,
    residence_submitted,
    today,
    visa_input,
)

pytestmark = pytest.mark.django_db


def visa_errors(**overrides) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        services.visa_application_submit(actor=None, data=visa_input(**overrides))
    assert not VisaApplication.objects.exists()
    return caught.value.errors


def residence_errors(**overrides) -> dict[str, list[str]]:
    count = ResidenceApplication.objects.count()
    with pytest.raises(InvalidInput) as caught:
        services.residence_application_submit(actor=None, data=residence_input(**overrides))
    assert ResidenceApplication.objects.count() == count
    return caught.value.errors


def test_a_valid_visa_application_is_recorded(world):
    application, created = services.visa_application_submit(actor=None, data=visa_input())
    assert created
    assert application.reference.startswith(f"EV-{today().year}-")
    assert application.passport_number == "18AB12345"
    assert application.phone == "+33612345678"
    assert application.status == "submitted"


def test_entry_in_the_past(world):
    errors = visa_errors(intended_entry_on=days(-1), intended_exit_on=days(5))
    assert errors == {"intended_entry_on": ["The date of entry is in the past."]}


def test_entry_today_is_accepted(world):
    application, _created = services.visa_application_submit(
        actor=None, data=visa_input(intended_entry_on=today(), intended_exit_on=today())
    )
    assert application.intended_exit_on == today()


def test_departure_before_entry(world):
    errors = visa_errors(intended_entry_on=days(10), intended_exit_on=days(9))
    assert errors == {"intended_exit_on": ["The date of departure is before the date of entry."]}


def test_stay_longer_than_allowed(world):
    errors = visa_errors(intended_entry_on=days(10), intended_exit_on=days(40))
    assert errors == {
        "intended_exit_on": ["A stay may last at most 30 days; these dates make 31 days."]
    }


def test_the_longest_stay_is_configurable(world, settings):
    settings.AMN_VISA_MAX_STAY_DAYS = 90
    application, _created = services.visa_application_submit(
        actor=None, data=visa_input(intended_entry_on=days(10), intended_exit_on=days(40))
    )
    assert (application.intended_exit_on - application.intended_entry_on).days == 30


def test_stay_beyond_the_longest_validity(world):
    errors = visa_errors(intended_entry_on=days(175), intended_exit_on=days(184))
    assert list(errors) == ["intended_exit_on"]
    assert "within 180 days from today" in errors["intended_exit_on"][0]


def test_passport_expiring_before_the_end_of_the_stay(world):
    errors = visa_errors(passport_expires_on=days(15))
    assert errors == {"passport_expires_on": ["The passport expires before the end of the stay."]}


def test_passport_expired(world):
    errors = visa_errors(passport_expires_on=days(-1))
    assert errors == {
        "passport_expires_on": ["This passport has expired: renew it before applying."]
    }


def test_several_errors_are_reported_together(world):
    errors = visa_errors(
        family_name="Mart1n",
        nationality="MA",
        passport_number="A1",
        email="not-an-address",
        intended_entry_on=days(-3),
        intended_exit_on=days(-5),
    )
    assert set(errors) == {
        "family_name",
        "nationality",
        "passport_number",
        "email",
        "intended_entry_on",
        "intended_exit_on",
    }
    assert errors["nationality"] == [
        "Moroccan nationals need neither a residence permit nor a visa."
    ]
    assert errors["passport_number"] == ["A passport number has 5 to 20 letters and digits."]


PHONE_MESSAGE = "Enter 6 to 15 digits, with the country code (+…) for a number outside Morocco."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nationality", "QQ", "Choose a nationality from the list."),
        ("nationality", "EU", "Choose a nationality from the list."),
        ("given_names", "", "This field is required."),
        ("given_names", "x" * 101, "At most 100 characters."),
        ("family_name", "<script>", "Write the name as in the passport: letters only, no digits."),
        ("phone", "12", PHONE_MESSAGE),
        ("email", "", "This field is required."),
        ("handling_unit", "nowhere", "Choose a police service from the list."),
        # A unit that exists but does not receive the public's applications.
        ("handling_unit", "dgsn-dpj", "Choose a police service from the list."),
        ("birth_date", None, "This field is required."),
        ("passport_expires_on", None, "This field is required."),
    ],
)  # fmt: skip
def test_identity_field_errors(world, field, value, message):
    assert visa_errors(**{field: value}) == {field: [message]}


def test_birth_date_in_the_future(world):
    errors = visa_errors(birth_date=days(1))
    assert errors == {"birth_date": ["The date of birth cannot be in the future."]}


def test_purpose_other_needs_details(world):
    errors = visa_errors(purpose=VisaPurpose.OTHER, purpose_detail="  ")
    assert errors == {"purpose_detail": ["Give the details when you choose “Other”."]}


def test_unknown_choices(world):
    errors = visa_errors(purpose="holiday", entries_requested="three")
    assert errors == {
        "purpose": ["Select a valid choice."],
        "entries_requested": ["Select a valid choice."],
    }


def test_passport_and_digits_are_normalised(world):
    application, _created = services.visa_application_submit(
        actor=None,
        data=visa_input(passport_number="18ab 12-٣٤٥", nationality="sn", phone="٠٦١٢٣٤٥٦٧٨"),
    )
    assert application.passport_number == "18AB12345"
    assert application.nationality == "SN"
    assert application.phone == "0612345678"


def test_names_in_arabic_script_and_compound_names_are_accepted(world):
    application, _created = services.visa_application_submit(
        actor=None, data=visa_input(family_name="O’Neil-García", given_names="عبد الله")
    )
    assert application.family_name == "O’Neil-García"


# Residence permits -------------------------------------------------------------------------


def test_a_valid_residence_application_gets_its_checklist(world):
    application = residence_submitted()
    assert application.reference.startswith(f"TS-{today().year}-")
    codes = [check.code for check in application.documents.order_by("position")]
    assert codes[:4] == ["application_form", "passport_copy", "photos", "proof_of_address"]
    assert "work_contract" in codes and "enrolment_certificate" not in codes
    assert "previous_card" not in codes
    assert {check.status for check in application.documents.all()} == {"pending"}


@pytest.mark.parametrize(
    ("reason", "expected", "absent"),
    [
        (ResidenceReason.STUDY, "enrolment_certificate", "work_contract"),
        (ResidenceReason.FAMILY, "family_link", "pension_proof"),
        (ResidenceReason.RETIREMENT, "funds_transfer", "family_link"),
    ],
)
def test_the_checklist_depends_on_the_reason(world, reason, expected, absent):
    codes = set(residence_submitted(reason=reason).documents.values_list("code", flat=True))
    assert expected in codes and absent not in codes


def test_residence_address_and_reason(world):
    errors = residence_errors(address=" ", reason=ResidenceReason.OTHER, reason_detail="")
    assert errors == {
        "address": ["This field is required."],
        "reason_detail": ["Give the details when you choose “Other”."],
    }


def test_residence_expired_passport(world):
    errors = residence_errors(passport_expires_on=days(-30))
    assert errors == {
        "passport_expires_on": ["This passport has expired: renew it before applying."]
    }


def test_first_card_with_a_card_number(world):
    errors = residence_errors(previous_card_number="CI00000001")
    assert errors == {"previous_card_number": ["Leave this field empty for a first card."]}


def test_renewal_without_a_card_number(world):
    errors = residence_errors(kind=ApplicationKind.RENEWAL)
    assert errors == {"previous_card_number": ["Give the number of the card you want to renew."]}


def test_renewal_of_an_unknown_card(world):
    errors = residence_errors(kind=ApplicationKind.RENEWAL, previous_card_number="CI99999999")
    assert errors == {
        "previous_card_number": [
            "No residence card with this number matches your nationality and date of birth."
        ]
    }


def test_renewal_of_someone_elses_card(world):
    card = card_issued()
    errors = residence_errors(
        kind=ApplicationKind.RENEWAL,
        previous_card_number=card.number,
        birth_date=datetime.date(1990, 1, 1),
    )
    assert list(errors) == ["previous_card_number"]


def test_renewal_of_a_card_already_renewed(world):
    card = card_issued()
    renewal, _created = services.residence_application_submit(actor=None, data=renewal_input(card))
    from amn.permits.tests.factories import all_received

    all_received(renewal)
    services.residence_application_decide(actor=None, application=renewal, approve=True)
    services.residence_card_issue(actor=None, application=renewal)
    with pytest.raises(InvalidInput) as caught:
        services.residence_application_submit(
            actor=None, data=renewal_input(card, email="other@example.com")
        )
    assert caught.value.errors == {"previous_card_number": ["This card has already been renewed."]}


def test_the_problems_helper_writes_nothing(world):
    errors = services.visa_application_problems(visa_input(intended_entry_on=days(-2)))
    assert errors == {"intended_entry_on": ["The date of entry is in the past."]}
    assert services.visa_application_problems(visa_input()) == {}
    assert not VisaApplication.objects.exists()
