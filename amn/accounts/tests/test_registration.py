"""Citizen registration at /accounts/register/ (an empty registry: no demo accounts here)."""

from unittest import mock

import pytest
from django.utils import translation
from django.utils.translation import gettext

from amn.accounts.choices import Role
from amn.accounts.models import User
from amn.accounts.services import citizen_register, staff_account_create
from amn.core.errors import DomainError
from amn.orgunits.models import UnitType
from amn.orgunits.reference import load_reference
from amn.orgunits.services import unit_create

pytestmark = pytest.mark.django_db

REGISTER = "/accounts/register/"
PASSWORD = "a-long-passphrase-2026"


def _register(client, **fields):
    data = {"first_name": "Fatima", "last_name": "Zahra", "email": "", "phone": "", **fields}
    data.setdefault("password", PASSWORD)
    data.setdefault("password_again", data["password"])
    return client.post(REGISTER, data)


def _non_field_errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def _translated(response, message: str) -> str:
    """`message` in the language the response was rendered in (Arabic by default)."""
    with translation.override(response["Content-Language"]):
        return gettext(message)


def test_register_page_renders(client):
    assert client.get(REGISTER).status_code == 200


def test_registration_creates_a_signed_in_citizen_with_a_normalised_phone(client):
    response = _register(client, email="Fatima.Zahra@Example.MA", phone="06 12 34 56 78")

    assert response.status_code == 302
    assert response.url == "/my-requests/"
    user = User.objects.get()
    assert user.role == Role.CITIZEN
    assert user.unit is None
    assert not user.is_staff and not user.is_superuser
    assert user.phone == "+212612345678"
    assert user.email == "fatima.zahra@example.ma"
    assert user.username == "fatima.zahra@example.ma"
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_registration_with_arabic_indic_phone_only(client):
    response = _register(client, phone="٠٦١٢٣٤٥٦٧٨")

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.phone, user.username, user.email) == ("+212612345678", "+212612345678", "")


def test_registration_refuses_a_duplicate_email_with_a_clear_error(client):
    _register(client, email="fatima@example.ma")
    client.logout()

    response = _register(client, email="FATIMA@example.ma", phone="0698765432")

    assert response.status_code == 200
    message = _translated(response, "An account already uses this e-mail address.")
    assert _non_field_errors(response) == [message]
    assert message in response.content.decode()
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_duplicate_email_error_in_english(client):
    _register(client, email="fatima@example.ma")
    client.logout()
    client.cookies["django_language"] = "en"

    response = _register(client, email="Fatima@Example.ma")

    assert response["Content-Language"] == "en"
    assert _non_field_errors(response) == ["An account already uses this e-mail address."]


def test_registration_refuses_a_duplicate_phone_in_another_spelling(client):
    _register(client, phone="0612345678")
    client.logout()

    response = _register(client, phone="+212 6 12 34 56 78")

    assert _non_field_errors(response) == [
        _translated(response, "An account already uses this phone number.")
    ]
    assert User.objects.count() == 1


@pytest.mark.parametrize("phone", ["12345", "0812345678", "+33612345678", "06123456789"])
def test_registration_refuses_a_non_moroccan_phone(client, phone):
    response = _register(client, phone=phone)

    assert response.status_code == 200
    assert _non_field_errors(response) == [
        _translated(response, "Enter a Moroccan phone number such as 0612345678.")
    ]
    assert not User.objects.exists()


def test_registration_needs_an_email_or_a_phone(client):
    response = _register(client)

    assert _non_field_errors(response) == [
        _translated(response, "Give an e-mail address or a phone number.")
    ]
    assert not User.objects.exists()


def test_registration_applies_the_password_validators(client):
    response = _register(client, email="fatima@example.ma", password="12345678")

    assert response.status_code == 200
    assert _non_field_errors(response)
    assert not User.objects.exists()


def test_citizen_register_service_refuses_duplicates_regardless_of_case(db):
    citizen_register(email="a@example.ma", password=PASSWORD, first_name="A", last_name="B")

    with pytest.raises(DomainError):
        citizen_register(email=" A@EXAMPLE.MA ", password=PASSWORD, first_name="A", last_name="B")


def test_registration_refuses_two_different_passwords(client):
    response = _register(client, email="amal@example.ma", password_again="another-Pass-2025")

    assert response.status_code == 200
    assert response.context["form"].errors["password_again"] == [
        _translated(response, "The two passwords differ.")
    ]
    assert not User.objects.exists()


def test_registration_refuses_an_email_longer_than_a_username(client):
    long_email = "a" * 140 + "@example.ma"

    response = _register(client, email=long_email)

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.exists()


def test_short_password_is_refused_in_arabic(client):
    response = _register(client, email="amal@example.ma", password="a1-B")

    message = " ".join(response.context["form"].non_field_errors())
    assert "كلمة المرور قصيرة جدا: استعمل 8 أحرف على الأقل." in message
    assert "too short" not in message


def test_concurrent_registration_losing_the_race_gets_a_clear_refusal(client):
    """Two submissions that both pass the duplicate checks: the database's unique index
    decides, and the loser gets a DomainError, not a server error."""
    citizen_register(email="race@example.ma", password=PASSWORD, first_name="A", last_name="B")

    checks_pass = mock.patch.object(User.objects, "filter", return_value=User.objects.none())
    with checks_pass, translation.override("en"), pytest.raises(DomainError, match="already uses"):
        citizen_register(email="race@example.ma", password=PASSWORD, first_name="A", last_name="B")

    assert User.objects.filter(email="race@example.ma").count() == 1


def test_names_made_of_invisible_characters_are_refused(client):
    response = _register(client, email="ghost@example.ma", first_name="\u200b", last_name="\u202e")

    assert response.status_code == 200
    assert not User.objects.exists()


def test_staff_cannot_sign_in_on_the_citizen_form(client):

    load_reference(actor=None)
    unit = unit_create(
        actor=None,
        code="u",
        name_ar="و",
        name_fr="U",
        name_en="U",
        unit_type=UnitType.objects.get(code="police-district"),
        parent=None,
        commune=None,
        effective_on=None,
        date_precision="unknown",
        decision_reference="test",
    )
    staff_account_create(
        actor=None, username="officer", password=PASSWORD, role="supervisor", unit=unit
    )

    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
