"""Public pages under bad or hostile input: another person's open application is never
revealed by its CNIE number, refused submissions answer 400 with their errors beside the
fields, a tampered one-time key does not lock the form, and the verification form names
only the field at fault."""

import pytest

from amn.certificates.models import CertificateApplication
from amn.certificates.tests.test_public_views import APPLY, TRACK, form_data

pytestmark = pytest.mark.django_db

VERIFY = "/certificates/verify/"
OTHER_KEY = "5f0f6a52-2b7b-4f0e-8d7f-5d2b1f9c0a55"


def test_a_cnie_number_alone_does_not_open_anothers_application(client, cworld):
    client.post(APPLY, form_data(cworld))
    application = CertificateApplication.objects.get()
    stranger = client.__class__()

    response = stranger.post(
        APPLY,
        form_data(
            cworld,
            given_name_lat="Karim",
            given_name_ar="كريم",
            birth_date_0="1",
            birth_date_1="1",
            birth_date_2="1985",
            submission_key=OTHER_KEY,
        ),
    )

    assert response.status_code == 400
    assert "cnie" in response.context["form"].errors
    assert application.reference not in response.content.decode()
    assert stranger.get(f"/certificates/track/{application.pk}/").status_code == 404
    assert CertificateApplication.objects.count() == 1


def test_the_applicant_with_the_same_birth_date_is_led_to_the_open_application(client, cworld):
    client.post(APPLY, form_data(cworld))
    application = CertificateApplication.objects.get()
    other_browser = client.__class__()

    response = other_browser.post(APPLY, form_data(cworld, submission_key=OTHER_KEY))

    assert response.status_code == 302
    assert response["Location"] == f"/certificates/track/{application.pk}/"
    assert application.reference in other_browser.get(response["Location"]).content.decode()


def test_a_tampered_submission_key_answers_400_and_the_form_can_be_sent_again(client, cworld):
    response = client.post(APPLY, form_data(cworld, submission_key="not-a-uuid"))

    assert response.status_code == 400
    content = response.content.decode()
    assert "not-a-uuid" not in content
    fresh_key = response.context["form"]["submission_key"].value()
    assert fresh_key != "not-a-uuid"
    assert response.context["form"].non_field_errors()
    assert not CertificateApplication.objects.exists()

    again = client.post(APPLY, form_data(cworld, submission_key=fresh_key))
    assert again.status_code == 302
    assert CertificateApplication.objects.count() == 1


def test_script_in_a_name_is_refused_beside_the_field_and_escaped(client, cworld):
    response = client.post(APPLY, form_data(cworld, given_name_lat="<script>alert(1)</script>"))

    assert response.status_code == 400
    assert "given_name_lat" in response.context["form"].errors
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_failed_tracking_answers_400(client, cworld):
    response = client.post(TRACK, {"reference": "CR-2026-999999", "birth_date_2": "1990"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"payload": "A" * 2001}, "payload"),
        ({}, "payload"),
        ({"control_key": "AB12CD34"}, "serial"),
        ({"serial": "2026-0001-000001"}, "control_key"),
    ],
)
def test_verify_form_names_only_the_field_at_fault(client, cworld, data, field):
    client.cookies["django_language"] = "en"
    response = client.post(VERIFY, data)

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {field}
    assert response.context["answer"] is None
