"""Human reference numbers of cases and networks: CJ-2025-000123, RC-2025-000007."""

from django.db import transaction

from amn.cases.models import CaseSequence

CASE_PREFIX = "CJ"
NETWORK_PREFIX = "RC"


def reserve_numbers(*, year: int, count: int, kind: str = CASE_PREFIX) -> range:
    """Reserve `count` consecutive numbers for `year` under a row lock; returns the range.

    The sequence key is year × 10 + a kind digit so that cases and networks count apart.
    """
    key = year * 10 + (0 if kind == CASE_PREFIX else 1)
    with transaction.atomic():
        sequence, _created = CaseSequence.objects.select_for_update().get_or_create(key=key)
        first = sequence.last + 1
        sequence.last += count
        sequence.save(update_fields=["last"])
    return range(first, first + count)


def format_reference(*, kind: str, year: int, number: int) -> str:
    """ "CJ-2025-000123" (str); numbers above 999,999 simply grow wider."""
    return f"{kind}-{year}-{number:06d}"
