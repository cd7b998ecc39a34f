"""Reference numbers of applications ("CR-2026-000123") and serial numbers of certificates
("2026-0042-000123": year, issuing unit number, sequence), drawn under a row lock so that
concurrent workers never skip or repeat a number."""

import calendar
import datetime

from django.db import IntegrityError, transaction

from amn.certificates.models import ApplicationCounter, CertificateCounter

APPLICATION_PREFIX = "CR"


def _locked_counter(model, **key):
    """The counter row of `key`, created if absent, locked until the transaction ends.

    Creating the row can race with another first drawer of the same key: the loser's insert
    fails on the unique key inside a savepoint, and both then lock the one row.
    """
    try:
        with transaction.atomic():
            model.objects.get_or_create(**key)
    except IntegrityError:
        pass
    return model.objects.select_for_update().get(**key)


def next_application_reference(*, year: int) -> str:
    """The next application reference of `year` (calendar year, Africa/Casablanca).

    Must run inside the caller's transaction (the counter stays locked until it commits, so
    a rolled-back application gives its number back and no gap appears).
    Returns:
        str like "CR-2026-000123"; numbers above 999,999 simply grow wider.
    """
    counter = _locked_counter(ApplicationCounter, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{APPLICATION_PREFIX}-{year}-{counter.last:06d}"


def next_certificate_serial(*, unit, year: int) -> tuple[int, str]:
    """The next certificate sequence number of issuing `unit` (an OrgUnit) in `year`.

    Must run inside the caller's transaction, which holds the counter row lock until it
    commits: issuers of the same unit and year queue one behind the other, and a rolled-back
    issuance gives its number back, so serials have no gaps and no duplicates.
    Returns:
        (sequence: int starting at 1, serial: str like "2026-0042-000123").
    """
    counter = _locked_counter(CertificateCounter, unit=unit, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, format_serial(year=year, unit_number=unit.pk, sequence=counter.last)


def format_serial(*, year: int, unit_number: int, sequence: int) -> str:
    """ "2026-0042-000123" (str): digits and hyphens only, easy to read out and type."""
    return f"{year}-{unit_number:04d}-{sequence:06d}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months, clamped to the end of a shorter month
    (2026-11-30 + 3 months = 2027-02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
