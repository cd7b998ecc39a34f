"""CNIE numbers, application references and card validity.

CNIE numbers are one or two letters and digits (amn.people.cnie.CNIE_PATTERN). A new number
takes the letter prefix of the region of the issuing office and the next counter value of
that prefix, at least six digits ("J000123"). The prefixes follow the letters the DGSN is
commonly seen to use for the main cities (A Rabat, B/BE Casablanca, C Fès, J Agadir …); the
table itself is our assumption, not a published rule.

Validity: 10 years for an adult's card, 5 years for a minor's (assumption after law 04-20
on the CNIE; adjust here if the rule differs).
"""

import datetime
import secrets

from django.db import IntegrityError, transaction

from amn.idcards.models import CardNumberCounter

# Region HCP code → letter prefix of new numbers (assumed, see the module docstring).
REGION_PREFIX = {
    "01": "K",  # Tanger-Tétouan-Al Hoceïma
    "02": "F",  # Oriental
    "03": "C",  # Fès-Meknès
    "04": "A",  # Rabat-Salé-Kénitra
    "05": "I",  # Béni Mellal-Khénifra
    "06": "BE",  # Casablanca-Settat
    "07": "E",  # Marrakech-Safi
    "08": "U",  # Drâa-Tafilalet
    "09": "J",  # Souss-Massa
    "10": "JA",  # Guelmim-Oued Noun
    "11": "SH",  # Laâyoune-Sakia El Hamra
    "12": "VA",  # Dakhla-Oued Ed-Dahab
}
DEFAULT_PREFIX = "Z"  # an office whose region is unknown (no seat recorded)
NUMBER_DIGITS = 6
MAX_NUMBER = 99_999_999  # eight digits at most (CNIE_PATTERN)

ADULT_VALIDITY_YEARS = 10
MINOR_VALIDITY_YEARS = 5

# Crockford's base-32 alphabet: no I, L, O, U, so a reference read aloud is not misheard.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PREFIX = "CN"


def prefix_for_unit(unit) -> str:
    """The letter prefix of new numbers issued by OrgUnit `unit` (its seat's region)."""
    commune = unit.commune
    if commune is None:
        return DEFAULT_PREFIX
    return REGION_PREFIX.get(commune.province.region.code, DEFAULT_PREFIX)


def reserve_card_numbers(*, prefix: str, count: int) -> range:
    """Reserve `count` consecutive counter values of `prefix` under a row lock.

    Returns:
        range of int.
    Raises:
        OverflowError: the prefix has run out of eight-digit numbers.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                CardNumberCounter.objects.get_or_create(prefix=prefix)
        except IntegrityError:
            pass  # created by a concurrent transaction first
        counter = CardNumberCounter.objects.select_for_update().get(prefix=prefix)
        first = counter.last + 1
        if counter.last + count > MAX_NUMBER:
            raise OverflowError(f"CNIE numbers of prefix {prefix} are exhausted")
        counter.last += count
        counter.save(update_fields=["last"])
    return range(first, first + count)


def format_card_number(prefix: str, value: int) -> str:
    """ "J000123" (str): the prefix and the value on at least six digits."""
    return f"{prefix}{value:0{NUMBER_DIGITS}d}"


def new_reference(year: int) -> str:
    """A fresh random application reference, "CN-2026-7KQ4M2XD" (str): eight base-32
    characters, 40 bits, so references cannot be guessed one from another."""
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"{REFERENCE_PREFIX}-{year}-{body}"


def normalise_reference(raw: str) -> str:
    """A reference as typed, in stored form: upper case, no spaces, O read as 0 and I/L as
    1 after the "CN-" prefix (Crockford), e.g. " cn-2o26-7kq4m2xd " → "CN-2026-7KQ4M2XD"."""
    text = "".join((raw or "").split()).upper()
    prefix, sep, rest = text.partition("-")
    if not sep:
        prefix, rest = "", text
    rest = rest.replace("O", "0").replace("I", "1").replace("L", "1")
    return f"{prefix}{sep}{rest}"


def card_expiry(*, issued_on: datetime.date, minor: bool) -> datetime.date:
    """The expiry date of a card issued on `issued_on`: 10 years later (5 for a minor's
    card), on the day before the anniversary; 29 February moves to 28 February."""
    years = MINOR_VALIDITY_YEARS if minor else ADULT_VALIDITY_YEARS
    try:
        anniversary = issued_on.replace(year=issued_on.year + years)
    except ValueError:
        anniversary = issued_on.replace(year=issued_on.year + years, day=28)
    return anniversary - datetime.timedelta(days=1)
