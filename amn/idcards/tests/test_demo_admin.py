"""The demo loaders of the CNIE service and appointments (idempotent, each step present) and
the partner admin (the API key shown once)."""

import pytest
from django.contrib.messages import get_messages

from amn.appointments import demo as appointments_demo
from amn.appointments.models import Booking, Slot
from amn.idcards import demo as idcards_demo
from amn.idcards import services
from amn.idcards.choices import ApplicationStatus, CardStatus
from amn.idcards.models import Card, CnieApplication, Consent, Partner, VerificationCall

pytestmark = pytest.mark.django_db


def _counts() -> tuple:
    return (
        Slot.objects.count(),
        Booking.objects.count(),
        CnieApplication.objects.count(),
        Card.objects.count(),
        Partner.objects.count(),
    )


def test_demo_has_each_step_a_partner_with_consent_and_loads_once(world):
    first = appointments_demo.load_demo()
    summary = idcards_demo.load_demo()
    assert "API key amn_" in summary
    before = _counts()

    assert appointments_demo.load_demo() == "appointment slots: 0 created"
    assert idcards_demo.load_demo() == "CNIE: already loaded"
    assert _counts() == before
    assert first.startswith("appointment slots:")

    statuses = set(CnieApplication.objects.values_list("status", flat=True))
    assert {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ENROLLED,
        ApplicationStatus.IN_PRODUCTION,
        ApplicationStatus.READY,
        ApplicationStatus.DELIVERED,
    } <= statuses
    citizen = world.users["citizen@example.ma"]
    own = Card.objects.get(account=citizen)
    assert own.status == CardStatus.ACTIVE
    assert Consent.objects.filter(cnie_number=own.number, revoked_at__isnull=True).exists()
    assert VerificationCall.objects.filter(cnie_number=own.number).count() == 2
    assert Card.objects.filter(status=CardStatus.STOLEN).count() == 1
    assert Booking.objects.filter(status="booked").count() >= 2


def test_admin_shows_a_new_partners_key_once(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        "/admin/idcards/partner/add/",
        {
            "name": "Administration Test",
            "kind": "administration",
            "calls_per_minute": 30,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    key = next(word for text in shown for word in text.split() if word.startswith("amn_"))
    partner = Partner.objects.get(name="Administration Test")
    assert services.partner_for_key(key) == partner
    assert key not in (partner.key_hash, partner.key_prefix)
