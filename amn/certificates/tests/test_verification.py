"""Verification of certificates: every status, by QR payload and by serial + control key,
through the service, the public page and POST /api/v1/certificates/verify; each logged
and shown to the holder."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from amn.certificates import rate_limits, services
from amn.certificates.models import Certificate, VerificationEvent
from amn.certificates.tests.factories import fake_registry, result_no_record, submit
from amn.seals import signing

pytestmark = pytest.mark.django_db

API = "/api/v1/certificates/verify"


@pytest.fixture
def certificate(cworld, monkeypatch):
    fake_registry(monkeypatch, result_no_record())
    application = submit(cworld).application
    services.application_check_run(application_id=application.pk)
    return Certificate.objects.get(application=application)


def _tamper(payload: str) -> str:
    """The payload with one character of its signed body changed."""
    head, body = payload.rsplit(".", 1)
    index = len(body) // 2
    replacement = "A" if body[index] != "A" else "B"
    return f"{head}.{body[:index]}{replacement}{body[index + 1 :]}"


def test_payload_of_a_fresh_certificate_is_valid_with_what_an_employer_needs(certificate):
    answer = services.certificate_verify(payload=certificate.seal_payload, client_ip="10.0.0.1")

    assert answer.as_dict() == {
        "status": "VALID",
        "holder_name": "يوسف العلوي",
        "issued_on": timezone.localdate(certificate.issued_at).isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "statement": "NO_RECORD",
    }
    event = VerificationEvent.objects.get()
    assert event.certificate == certificate
    assert event.method == "QR" and event.result == "VALID"
    assert event.client_digest and "10.0.0.1" not in event.client_digest


def test_one_changed_character_is_forged_and_reveals_nothing(certificate):
    answer = services.certificate_verify(payload=_tamper(certificate.seal_payload))

    assert answer.as_dict() == {"status": "FORGED"}
    assert VerificationEvent.objects.get().certificate is None


@pytest.mark.parametrize("text", ["", "hello", "S1.DEV.", "S1.NOPE.AAAA", "S2.DEV.AAAA"])
def test_garbage_payloads_are_forged(certificate, text):
    assert services.certificate_verify(payload=text).status == "FORGED"


def test_genuine_payload_that_disagrees_with_the_stored_certificate_is_forged(certificate):
    # Signed with our key, but the statement differs from what we issued.
    forged = signing.seal_payload(
        {
            "serial": certificate.serial,
            "issued_on": timezone.localdate(certificate.issued_at),
            "valid_until": certificate.valid_until,
            "statement": "NO_RECORD",
            "holder": signing.holder_digest("someone else"),
        }
    )
    assert services.certificate_verify(payload=forged).status == "FORGED"


def test_genuine_payload_of_an_unknown_serial_is_unknown(certificate):
    payload = signing.seal_payload(
        {
            "serial": "2026-9999-000001",
            "issued_on": datetime.date(2026, 1, 1),
            "valid_until": datetime.date(2026, 4, 1),
            "statement": "NO_RECORD",
            "holder": signing.holder_digest("x"),
        }
    )
    assert services.certificate_verify(payload=payload).as_dict() == {"status": "UNKNOWN"}


def test_serial_and_control_key_as_typed(certificate):
    typed_key = signing.format_control_key(certificate.control_key).lower()
    arabic_digits = certificate.serial.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    answer = services.certificate_verify(serial=f" {arabic_digits} ", control_key=typed_key)

    assert answer.status == "VALID"
    assert VerificationEvent.objects.get().method == "SERIAL"


def test_wrong_control_key_is_unknown_without_confirming_the_serial(certificate):
    answer = services.certificate_verify(serial=certificate.serial, control_key="AAAA-AAAA")
    assert answer.as_dict() == {"status": "UNKNOWN"}
    assert VerificationEvent.objects.get().certificate is None


def test_expired_superseded_revoked_reflect_the_live_status(cworld, certificate, monkeypatch):
    payload = certificate.seal_payload

    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    certificate.refresh_from_db()
    assert services.live_status(certificate) == "EXPIRED"
    # The payload carries the old validity: it no longer matches the stored row.
    assert services.certificate_verify(payload=payload).status == "FORGED"
    assert (
        services.certificate_verify(
            serial=certificate.serial, control_key=certificate.control_key
        ).status
        == "EXPIRED"
    )

    newer = submit(cworld).application
    services.application_check_run(application_id=newer.pk)
    assert (
        services.certificate_verify(
            serial=certificate.serial, control_key=certificate.control_key
        ).status
        == "SUPERSEDED"
    )

    services.certificate_revoke(
        actor=cworld.users["supervisor.agadir"], certificate_id=certificate.pk, reason="error"
    )
    assert (
        services.certificate_verify(
            serial=certificate.serial, control_key=certificate.control_key
        ).status
        == "REVOKED"
    )


def test_revoked_certificate_payload_says_revoked(cworld, certificate):
    services.certificate_revoke(
        actor=cworld.users["supervisor.agadir"], certificate_id=certificate.pk, reason="error"
    )
    assert services.certificate_verify(payload=certificate.seal_payload).status == "REVOKED"


# ------------------------------------------------------------------ API


def test_api_verifies_a_payload_without_login(client, certificate):
    response = client.post(
        API,
        {"payload": certificate.seal_payload, "organisation": "Banque Populaire"},
        content_type="application/json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "VALID"
    assert body["holder_name"] == "يوسف العلوي"
    assert body["statement"] == "NO_RECORD"
    assert set(body) == {"status", "holder_name", "issued_on", "valid_until", "statement"}
    assert VerificationEvent.objects.get().verifier_organisation == "Banque Populaire"


def test_api_tampered_payload_is_forged_with_nothing_else(client, certificate):
    response = client.post(
        API, {"payload": _tamper(certificate.seal_payload)}, content_type="application/json"
    )
    body = response.json()
    assert body["status"] == "FORGED"
    assert not any(body.get(k) for k in ("holder_name", "issued_on", "statement"))


def test_api_serial_and_control_key(client, certificate):
    response = client.post(
        API,
        {"serial": certificate.serial, "control_key": certificate.control_key},
        content_type="application/json",
    )
    assert response.json()["status"] == "VALID"


def test_api_needs_a_payload_or_a_serial_with_its_key(client, certificate):
    response = client.post(API, {"serial": certificate.serial}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "error"
    assert not VerificationEvent.objects.exists()


def test_api_is_rate_limited_per_client(client, certificate, monkeypatch):
    monkeypatch.setattr(rate_limits, "VERIFY_RATE_PER_CLIENT", "2/h")
    cache.clear()
    for _ in range(2):
        assert (
            client.post(
                API, {"payload": certificate.seal_payload}, content_type="application/json"
            ).status_code
            == 200
        )
    response = client.post(
        API, {"payload": certificate.seal_payload}, content_type="application/json"
    )
    assert response.status_code == 429
    assert VerificationEvent.objects.count() == 2


# ------------------------------------------------------------------ page


def test_verify_page_pasted_payload_then_tampered(client, certificate):
    response = client.post("/certificates/verify/", {"payload": certificate.seal_payload})
    assert response.status_code == 200
    assert response.context["answer"].status == "VALID"
    assert 'data-status="VALID"' in response.content.decode()
    assert "يوسف العلوي" in response.content.decode()

    response = client.post("/certificates/verify/", {"payload": _tamper(certificate.seal_payload)})
    assert response.context["answer"].status == "FORGED"
    assert "يوسف العلوي" not in response.content.decode()


def test_verify_page_reads_a_verification_link_and_a_get_parameter(client, certificate):
    link = f"https://amn.example.ma/certificates/verify/?payload={certificate.seal_payload}"
    response = client.post("/certificates/verify/", {"payload": link})
    assert response.context["answer"].status == "VALID"

    response = client.get("/certificates/verify/", {"payload": certificate.seal_payload})
    assert response.context["answer"].status == "VALID"


def test_verify_page_asks_for_something(client, certificate):
    response = client.post("/certificates/verify/", {"serial": certificate.serial})
    assert response.context["answer"] is None
    assert response.context["form"].errors["control_key"]
    response = client.post("/certificates/verify/", {})
    assert response.context["form"].errors["payload"]
    assert not VerificationEvent.objects.exists()


def test_holder_sees_who_verified_on_the_tracking_page(client, cworld, certificate):
    services.certificate_verify(payload=certificate.seal_payload, organisation="OCP SA")
    application = certificate.application
    response = client.post(
        "/certificates/track/",
        {
            "reference": application.reference,
            "birth_date_0": "17",
            "birth_date_1": "5",
            "birth_date_2": "1990",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    content = page.content.decode()
    assert "OCP SA" in content
    assert page.context["verifications"][0].result == "VALID"
