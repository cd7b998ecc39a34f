"""The public permit pages under bad input: dates are read only as year-month-day in every
language (04/05/1986 is not guessed), and refused submissions answer 400."""

import pytest

from amn.permits.models import VisaApplication
from amn.permits.tests.test_views import TRACK, VISA, visa_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
@pytest.mark.parametrize("typed", ["05/02/1986", "2 May 1986", "1986"])
def test_only_year_month_day_dates_are_read(world, client, language, typed):
    client.cookies["django_language"] = language
    response = client.post(VISA, visa_post(birth_date=typed))

    assert response.status_code == 400
    assert "birth_date" in response.context["form"].errors
    assert not VisaApplication.objects.exists()


def test_arabic_indic_iso_dates_are_read(world, client):
    response = client.post(VISA, visa_post(birth_date="١٩٨٦-٠٥-٠٢"))
    assert response.status_code == 302
    assert str(VisaApplication.objects.get().birth_date) == "1986-05-02"


def test_a_refused_application_answers_400_with_its_errors(world, client):
    response = client.post(VISA, visa_post(family_name="<script>alert(1)</script>"))

    assert response.status_code == 400
    assert "family_name" in response.context["form"].errors
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_lookup_that_finds_nothing_answers_400(world, client):
    response = client.post(TRACK, {"reference": "EV-2026-999999", "passport_number": "X1234567"})
    assert response.status_code == 400
    assert response.context["application"] is None
