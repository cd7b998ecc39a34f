"""Builders of test data for the CNIE tests: a valid pre-application and a card."""

import datetime

from amn.idcards import services
from amn.idcards.choices import ApplicationKind, CardStatus
from amn.idcards.models import Card


def pre_application(unit, **overrides) -> services.PreApplication:
    """A valid first-card pre-application at office `unit` (fictitious person)."""
    values = {
        "kind": ApplicationKind.FIRST,
        "family_name_ar": "البناني",
        "given_name_ar": "ليلى",
        "family_name_latin": "Bennani",
        "given_name_latin": "Leila",
        "sex": "F",
        "birth_date": datetime.date(1994, 4, 18),
        "address": "12 rue des Oliviers",
        "unit_id": unit.pk,
        "email": "leila@example.ma",
        "phone": "0612345678",
    }
    values.update(overrides)
    return services.PreApplication(**values)


def card_create(unit, *, number="C654321", status=CardStatus.ACTIVE, issued_on=None, **fields):
    """A card as if delivered earlier (written directly: the lifecycle has its own tests)."""
    issued_on = issued_on or datetime.date(2020, 5, 4)
    values = {
        "family_name_latin": "Bennani",
        "given_name_latin": "Leila",
        "family_name_ar": "البناني",
        "given_name_ar": "ليلى",
        "sex": "F",
        "birth_date": datetime.date(1994, 4, 18),
    }
    values.update(fields)
    return Card.objects.create(
        number=number,
        unit=unit,
        issued_on=issued_on,
        expires_on=issued_on.replace(year=issued_on.year + 10) - datetime.timedelta(days=1),
        status=status,
        **values,
    )
