"""Writes of the person registry."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from amn.core.errors import DomainError
from amn.people.cnie import cnie_normalise
from amn.people.models import Person


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
        DomainError: no name in either script, both a birth date and a birth year, a
            malformed CNIE number, or one already recorded.
    """
    if not (family_name_ar or family_name_latin):
        raise DomainError(_("Give the family name in Arabic or Latin script."))
    if birth_date and birth_year:
        raise DomainError(_("Give either the date of birth or only the year, not both."))
    cnie = cnie_normalise(cnie_number) if cnie_number else None
    if cnie_number and cnie is None:
        raise DomainError(_("A CNIE number is one or two letters followed by digits."))
    if cnie and Person.objects.filter(cnie_number=cnie).exists():
        raise DomainError(_("This CNIE number is already recorded."))
    return Person.objects.create(
        recorded_by=recorded_by,
        family_name_ar=family_name_ar,
        given_name_ar=given_name_ar,
        family_name_latin=family_name_latin,
        given_name_latin=given_name_latin,
        sex=sex,
        birth_date=birth_date,
        birth_year=birth_year,
        nationality=nationality.upper(),
        cnie_number=cnie,
    )
