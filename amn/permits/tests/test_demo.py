"""The demo applications: every state present, loaded twice without duplicates."""

import pytest

from amn.permits import demo
from amn.permits.models import ExpiryReminder, ResidenceApplication, ResidenceCard, VisaApplication
from amn.permits.services import card_expiry_reminders_send

pytestmark = pytest.mark.django_db


def test_demo_is_complete_and_idempotent(world):
    assert demo.load_demo() == (
        "demo permits: 6 residence applications, 4 visa applications created"
    )
    statuses = sorted(ResidenceApplication.objects.values_list("kind", "status"))
    assert statuses == [
        ("first", "approved"),
        ("first", "issued"),
        ("first", "issued"),
        ("first", "issued"),
        ("first", "refused"),
        ("first", "submitted"),
        ("renewal", "submitted"),
    ]
    assert sorted(VisaApplication.objects.values_list("status", flat=True)) == [
        "issued",
        "refused",
        "submitted",
        "submitted",
    ]
    assert ResidenceCard.objects.count() == 3
    assert demo.load_demo() == (
        "demo permits: 0 residence applications, 0 visa applications created"
    )
    assert ResidenceApplication.objects.count() == 7 and VisaApplication.objects.count() == 4
    summary = card_expiry_reminders_send(days=60)
    assert (summary.sent, summary.renewal_filed) == (1, 0)
    assert card_expiry_reminders_send(days=90).renewal_filed == 1
    assert ExpiryReminder.objects.count() == 1
