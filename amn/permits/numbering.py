"""Human numbers of permit records, reserved under a row lock so that two concurrent
requests never get the same one.

Formats are Amn's own (the directorate's numbering of cards and visas is not public):
application references TS-2026-000123 (titre de séjour) and EV-2026-000123 (e-visa),
residence card numbers CI + 8 digits (carte d'immatriculation), visa numbers VE + 8 digits.
"""

from django.db import transaction

from amn.permits.models import PermitSequence

RESIDENCE_PREFIX = "TS"
VISA_PREFIX = "EV"
CARD_PREFIX = "CI"
VISA_NUMBER_PREFIX = "VE"


def _next(key: str) -> int:
    with transaction.atomic():
        sequence, _created = PermitSequence.objects.select_for_update().get_or_create(key=key)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return sequence.last


def application_reference(*, prefix: str, year: int) -> str:
    """The next reference of series `prefix` (TS or EV) in `year`: "TS-2026-000123" (str);
    numbers above 999,999 simply grow wider."""
    return f"{prefix}-{year}-{_next(f'{prefix}-{year}'):06d}"


def card_number() -> str:
    """The next residence card number, "CI00000123" (str)."""
    return f"{CARD_PREFIX}{_next('card'):08d}"


def visa_number() -> str:
    """The next visa number, "VE00000123" (str)."""
    return f"{VISA_NUMBER_PREFIX}{_next('visa'):08d}"
