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
