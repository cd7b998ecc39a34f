"""How long residence cards and visas are valid: Amn's defaults, each configurable.

Residence cards: the practice described publicly (o-maroc.com, "Carte d'immatriculation,
carte de résidence", on Law 02-03) is one year for a first card, two to three years at the
first renewals, five then ten years for long-standing residents; a lapse in renewal starts
the count again. These durations were not checked against the text of the law or the
directorate's instructions: they are defaults, meant to be configured. Defaults: 12, 24,
24, 60, then 120 months by the number of renewals in an unbroken chain, and at most 12
months for students (the academic year, Amn's own assumption). Override with
settings.AMN_PERMIT_VALIDITY_MONTHS_BY_RENEWAL (a sequence of months, the last repeating)
and settings.AMN_PERMIT_VALIDITY_CAP_MONTHS ({reason: months}).

Visas: the e-Visa launched on 10 July 2022 is valid at most 180 days from its issue and
allows a stay of at most 30 days (Ministry of Foreign Affairs, reported by Le360 on
8 July 2022). Override with settings.AMN_VISA_MAX_VALIDITY_DAYS and
settings.AMN_VISA_MAX_STAY_DAYS.
"""

import calendar
import datetime

from django.conf import settings

from amn.permits.choices import ResidenceReason

DEFAULT_MONTHS_BY_RENEWAL = (12, 24, 24, 60, 120)
DEFAULT_CAP_MONTHS = {ResidenceReason.STUDY: 12}
DEFAULT_VISA_MAX_VALIDITY_DAYS = 180
DEFAULT_VISA_MAX_STAY_DAYS = 30


def card_validity_months(*, reason: str, renewals: int) -> int:
    """Months a card is valid for `reason` after `renewals` earlier cards in the chain."""
    by_renewal = tuple(
        getattr(settings, "AMN_PERMIT_VALIDITY_MONTHS_BY_RENEWAL", DEFAULT_MONTHS_BY_RENEWAL)
    )
    months = by_renewal[min(renewals, len(by_renewal) - 1)]
    cap = getattr(settings, "AMN_PERMIT_VALIDITY_CAP_MONTHS", DEFAULT_CAP_MONTHS).get(reason)
    return min(months, cap) if cap else months


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months, clamped to the month's last day (31 Jan + 1
    month = 28 or 29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def card_expiry(*, issued_on: datetime.date, months: int) -> datetime.date:
    """Last day of validity of a card issued on `issued_on` for `months` months (a card
    issued on 5 March 2026 for 12 months expires on 4 March 2027)."""
    return add_months(issued_on, months) - datetime.timedelta(days=1)


def visa_max_validity_days() -> int:
    """Longest validity of a visa, in days counted from its issue date (inclusive)."""
    return int(getattr(settings, "AMN_VISA_MAX_VALIDITY_DAYS", DEFAULT_VISA_MAX_VALIDITY_DAYS))


def visa_max_stay_days() -> int:
    """Longest stay a visa allows, in days (entry and departure days included)."""
    return int(getattr(settings, "AMN_VISA_MAX_STAY_DAYS", DEFAULT_VISA_MAX_STAY_DAYS))
