"""Public pages: the application forms (ar/fr/en, errors next to fields, double
submission), the confirmation page, and tracking by reference and passport number (POST
only, audited, limited per client)."""

import pytest
from django.urls import reverse

from amn.audit.models import AuditEvent
from amn.permits.models import ResidenceApplication, VisaApplication
from amn.permits.tests.factories import card_issued, days, residence_submitted, visa_submitted

pytestmark = pytest.mark.django_db

VISA = "/permits/visa/"
RESIDENCE = "/permits/residence/"
TRACK = "/permits/track/"
SUBMITTED = "/permits/submitted/"


def visa_post(**overrides) -> dict:
    data = {
        "family_name": "Martin",
        "given_names": "Claire",
        "nationality": "FR",
        "birth_date": "1986-05-02",
        "passport_number": "18AB12345",
        "passport_expires_on": days(1000).isoformat(),
        "email": "claire@example.com",
        "phone": "",
        "purpose": "tourism",
        "purpose_detail": "",
        "intended_entry_on": days(10).isoformat(),
        "intended_exit_on": days(20).isoformat(),
        "entries_requested": "single",
        "handling_unit": "ws-fes-d1",
    }
    data.update(overrides)
    return data


def residence_post(**overrides) -> dict:
    data = {
        key: value
        for key, value in visa_post().items()
        if key
        not in {
            "purpose",
            "purpose_detail",
            "intended_entry_on",
            "intended_exit_on",
            "entries_requested",
        }
    }
    data.update(
        {
            "kind": "first",
            "previous_card_number": "",
            "address": "12 rue de la Liberté, Fès",
            "reason": "study",
            "reason_detail": "",
        }
    )
    data.update(overrides)
    return data


def test_urls():
    assert reverse("permits:index") == "/permits/"
    assert reverse("permits:visa-apply") == VISA
    assert reverse("permits:residence-apply") == RESIDENCE
    assert reverse("permits:track") == TRACK
    assert reverse("permits:submitted") == SUBMITTED


@pytest.mark.parametrize(
    ("language", "direction", "title"),
    [("ar", "rtl", "طلب"), ("fr", "ltr", "Demande"), ("en", "ltr", "Visa application")],
)
def test_forms_in_three_languages(world, client, language, direction, title):
    client.cookies["django_language"] = language
    for url in ("/permits/", VISA, RESIDENCE, TRACK):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{language}" dir="{direction}">' in html
    html = client.get(VISA).content.decode()
    assert "ws-fes-d1" in html  # the handling units are offered by code
    assert 'value="MA"' not in html  # Moroccans need no visa


def test_visa_application_and_confirmation(world, english):
    response = english.post(VISA, visa_post())
    assert response.status_code == 302 and response.url == SUBMITTED
    application = VisaApplication.objects.get()
    assert "18AB12345" not in response.url
    page = english.get(SUBMITTED)
    html = page.content.decode()
    assert application.reference in html and "Application received" in html
    assert "no-store" in page["Cache-Control"]


def test_double_submission_shows_the_application_already_received(world, english):
    english.post(VISA, visa_post())
    response = english.post(VISA, visa_post(email="another@example.com"), follow=True)
    html = response.content.decode()
    assert "This application was already received" in html
    application = VisaApplication.objects.get()
    assert application.reference in html and application.email == "claire@example.com"


def test_errors_are_shown_next_to_their_fields(world, english):
    response = english.post(
        VISA,
        visa_post(
            family_name="",
            intended_entry_on=days(-2).isoformat(),
            intended_exit_on=days(-4).isoformat(),
            passport_expires_on=days(5).isoformat(),
            nationality="MA",
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["family_name"] == ["This field is required."]
    assert form.errors["intended_entry_on"] == ["The date of entry is in the past."]
    assert form.errors["intended_exit_on"] == ["The date of departure is before the date of entry."]
    assert "nationality" in form.errors
    html = response.content.decode()
    assert '<div class="field has-error">\n  <label for="id_intended_entry_on">' in html
    assert "The date of entry is in the past." in html
    assert not VisaApplication.objects.exists()


def test_stay_and_passport_errors_on_the_page(world, english):
    response = english.post(
        VISA,
        visa_post(
            intended_entry_on=days(10).isoformat(),
            intended_exit_on=days(60).isoformat(),
            passport_expires_on=days(30).isoformat(),
        ),
    )
    form = response.context["form"]
    assert form.errors["intended_exit_on"] == [
        "A stay may last at most 30 days; these dates make 51 days."
    ]
    assert form.errors["passport_expires_on"] == [
        "The passport expires before the end of the stay."
    ]


def test_arabic_indic_digits_in_dates(world, english):
    entry = days(10).isoformat().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = english.post(VISA, visa_post(intended_entry_on=entry))
    assert response.status_code == 302
    assert VisaApplication.objects.get().intended_entry_on == days(10)


def test_residence_application(world, english):
    response = english.post(RESIDENCE, residence_post())
    assert response.status_code == 302
    application = ResidenceApplication.objects.get()
    assert application.reason == "study" and application.language == "en"
    assert english.get(SUBMITTED).content.decode().count(application.reference) >= 1


def test_residence_renewal_errors(world, english):
    response = english.post(
        RESIDENCE, residence_post(kind="renewal", previous_card_number="CI12345678")
    )
    assert response.context["form"].errors["previous_card_number"] == [
        "No residence card with this number matches your nationality and date of birth."
    ]


def test_residence_renewal_through_the_form(world, english):
    card = card_issued(passport_number="18AB12345", birth_date=days(-40 * 365))
    holder = card.application
    response = english.post(
        RESIDENCE,
        residence_post(
            kind="renewal",
            previous_card_number=card.number.lower(),
            birth_date=holder.birth_date.isoformat(),
            reason="work",
        ),
    )
    assert response.status_code == 302
    assert ResidenceApplication.objects.get(kind="renewal").previous_card == card


def test_submitted_without_an_application_goes_back(world, client):
    response = client.get(SUBMITTED)
    assert response.status_code == 302 and response.url == "/permits/"


def test_tracking_by_post(world, english):
    application = residence_submitted()
    response = english.post(
        TRACK, {"reference": application.reference, "passport_number": "18ab12345"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert application.reference in html and "Received, under review" in html
    assert "Signed application form" in html  # the documents to bring
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="view", target_id=str(application.pk)).exists()


def test_tracking_an_issued_visa(world, english):
    from amn.permits import services

    application = visa_submitted()
    visa = services.visa_application_approve(
        actor=None,
        application=application,
        valid_from=days(10),
        valid_until=days(40),
        entries="multiple",
        max_stay_days=15,
    )
    html = english.post(
        TRACK, {"reference": application.reference, "passport_number": "18AB12345"}
    ).content.decode()
    assert visa.number in html and "Multiple entries" in html and "15 days" in html


def test_tracking_never_reads_the_query_string(world, english):
    application = visa_submitted()
    response = english.get(
        TRACK, {"reference": application.reference, "passport_number": "18AB12345"}
    )
    assert response.context["application"] is None
    assert not response.context["form"].is_bound
    assert "Received, under review" not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_tracking_failures_are_limited(world, english):
    application = visa_submitted()
    for _attempt in range(10):
        response = english.post(
            TRACK, {"reference": application.reference, "passport_number": "WRONG1"}
        )
        assert "No application matches this reference and passport number." in (
            response.content.decode()
        )
    response = english.post(
        TRACK, {"reference": application.reference, "passport_number": "18AB12345"}
    )
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many unsuccessful attempts" in html
    assert response.context["application"] is None
    assert AuditEvent.objects.filter(action="denied", target="permits.tracking").count() == 10
