"""Writes of the person registry."""

import datetime

from babel import Locale
from django.db import transaction
from django.utils.translation import gettext as _

from amn.core.errors import DomainError
from amn.core.text_input import clean_text
from amn.people.cnie import cnie_normalise
from amn.people.models import Person

NAME_MAX_LENGTH = 100  # Person name fields' max_length


@transaction.atomic
def person_create(
    *,
    actor,
    recorded_by,
    family_name_ar: str = "",
    given_name_ar: str = "",
    family_name_latin: str = "",
    given_name_latin: str = "",
    sex: str = "",
    birth_date: datetime.date | None = None,
    birth_year: int | None = None,
    nationality: str = "MA",
    cnie_number: str | None = None,
) -> Person:
    """Record a person; the change is audited by django-auditlog.

    Raises:
        DomainError: no family name in either script (after dropping invisible
            characters), a name over 100 characters, both a birth date and a birth year,
            a nationality that is not an ISO 3166-1 alpha-2 code, a malformed CNIE number,
            or one already recorded.
    """
    names = {
        "family_name_ar": clean_text(family_name_ar),
        "given_name_ar": clean_text(given_name_ar),
        "family_name_latin": clean_text(family_name_latin),
        "given_name_latin": clean_text(given_name_latin),
    }
    if any(len(name) > NAME_MAX_LENGTH for name in names.values()):
        raise DomainError(_("A name of at most 100 characters, please."))
    if not (names["family_name_ar"] or names["family_name_latin"]):
        raise DomainError(_("Give the family name in Arabic or Latin script."))
    if birth_date and birth_year:
        raise DomainError(_("Give either the date of birth or only the year, not both."))
    nationality = (nationality or "").strip().upper()
    if not (len(nationality) == 2 and nationality in Locale.parse("en").territories):
        raise DomainError(_("Give the nationality as a two-letter ISO 3166-1 code, e.g. MA."))
    cnie = cnie_normalise(cnie_number) if cnie_number else None
    if cnie_number and cnie is None:
        raise DomainError(_("A CNIE number is one or two letters followed by digits."))
    if cnie and Person.objects.filter(cnie_number=cnie).exists():
        raise DomainError(_("This CNIE number is already recorded."))
    return Person.objects.create(
        recorded_by=recorded_by,
        **names,
        sex=sex,
        birth_date=birth_date,
        birth_year=birth_year,
        nationality=nationality,
        cnie_number=cnie,
    )
