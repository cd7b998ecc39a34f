"""The CNIE pages and API under bad or hostile input: names with digits or markup are
refused beside their field (and by the service, for the API), dates are read only as
year-month-day whatever the language, refused submissions answer 400, and a tampered
appointment choice is answered with a message."""

import pytest

from amn.appointments.models import Booking
from amn.core.errors import DomainError
from amn.idcards import services
from amn.idcards.models import CnieApplication
from amn.idcards.tests.builders import pre_application
from amn.idcards.tests.test_views import _form

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("given_name_latin", SCRIPT),
        ("family_name_latin", "Benn4ni"),
        ("given_name_ar", "ليلى" + SCRIPT),
        ("family_name_ar", "البناني 2"),
    ],
)
def test_names_with_digits_or_markup_are_refused_beside_the_field(client, fes, field, value):
    client.cookies["django_language"] = "en"
    response = client.post("/cnie/apply/", _form(fes, **{field: value}))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert SCRIPT not in response.content.decode()
    assert not CnieApplication.objects.exists()


@pytest.mark.parametrize("field", ["given_name_latin", "family_name_ar"])
def test_the_service_refuses_such_names_too(fes, field):
    value = "Leila" + SCRIPT if field.endswith("latin") else "البناني" + SCRIPT
    with pytest.raises(DomainError, match="name"):
        services.application_submit(actor=None, data=pre_application(fes, **{field: value}))
    assert not CnieApplication.objects.exists()


def test_the_api_refuses_markup_in_a_name(client, fes):
    body = {
        "kind": "first",
        "family_name_ar": "البناني",
        "given_name_ar": "ليلى",
        "family_name_latin": "Bennani",
        "given_name_latin": SCRIPT,
        "sex": "F",
        "birth_date": "1994-04-18",
        "address": "x",
        "unit_id": fes.pk,
        "phone": "0612345678",
    }
    response = client.post("/api/v1/cnie/applications", body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert not CnieApplication.objects.exists()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
@pytest.mark.parametrize("typed", ["04/05/1994", "4 May 1994", "1994"])
def test_only_year_month_day_dates_are_read(client, fes, language, typed):
    client.cookies["django_language"] = language
    response = client.post("/cnie/apply/", _form(fes, birth_date=typed))

    assert response.status_code == 400
    assert "birth_date" in response.context["form"].errors
    assert not CnieApplication.objects.exists()


def test_arabic_indic_iso_date_is_read(client, fes):
    response = client.post("/cnie/apply/", _form(fes, birth_date="١٩٩٤-٠٤-١٨"))
    assert response.status_code == 302
    assert str(CnieApplication.objects.get().birth_date) == "1994-04-18"


@pytest.mark.parametrize("slot", ["garbage", "", "5d359018-214b-4a02-8374-8930eb758a81"])
def test_a_tampered_appointment_choice_is_answered(client, fes, fes_slot, slot):
    client.cookies["django_language"] = "en"
    url = client.post("/cnie/apply/", _form(fes)).url

    response = client.post(url, {"slot": slot})

    assert response.status_code == 400
    shown = [str(message) for message in response.context["messages"]]
    assert shown, "a refused choice says why"
    assert not Booking.objects.filter(subject_id=CnieApplication.objects.get().pk).exists()
