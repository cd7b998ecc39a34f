"""Nothing personal in logs: failed sign-ins log neither the e-mail nor the phone."""

import logging

import pytest

from amn.accounts.services import citizen_register


@pytest.mark.django_db
def test_failed_citizen_sign_in_logs_no_email_or_phone(client, caplog):
    citizen_register(
        email="layla.private@example.ma",
        phone="0677777777",
        password="x-Pass-2025!",
        first_name="Layla",
        last_name="Private",
    )
    with caplog.at_level(logging.DEBUG):
        client.post("/accounts/login/", {"username": "layla.private@example.ma", "password": "no"})
        client.post("/accounts/login/", {"username": "0677777777", "password": "no"})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "axes" in {record.name.split(".")[0] for record in caplog.records}
    assert "layla.private" not in logged
    assert "0677777777" not in logged and "677777777" not in logged
    assert "x-Pass-2025!" not in logged


def test_personal_data_typed_into_a_url_is_masked_in_the_log():
    """A CNIE number typed into a URL reaches Django's "Not Found" line masked (the console
    handler's filter), and so do phone numbers and e-mail addresses."""
    from amn.core.logging import PersonalDataRedactor

    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/staff/people/AB123456/ 0612345678 someone@example.ma",),
        None,
    )
    PersonalDataRedactor().filter(record)
    assert record.getMessage() == "Not Found: /staff/people/[CNIE]/ [phone] [e-mail]"
    uuid_record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: /x/c2862464-aa11-4bb2-8cc3-123456789abc/",
        None,
        None,
    )
    PersonalDataRedactor().filter(uuid_record)
    assert "c2862464" in uuid_record.getMessage()
