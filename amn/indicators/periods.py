"""Reporting periods: a calendar year, quarter or month, and the one it is compared with.

The comparison period is the same period one year earlier (year-over-year), so a month or
a quarter is compared with itself and seasonality cancels out; for a year it is simply the
previous year. Dates are calendar dates (DateField): no time zone is involved.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from amn.core.errors import DomainError


@dataclass(frozen=True)
class Period:
    """A calendar year, or one quarter (1–4) or month (1–12) of it."""

    year: int
    quarter: int | None = None
    month: int | None = None

    def __post_init__(self):
        if not 2 <= self.year <= 9998:
            raise DomainError(_("%(year)s is not a year Amn can count.") % {"year": self.year})
        if self.quarter is not None and self.month is not None:
            raise DomainError(_("Give a quarter or a month, not both."))
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise DomainError(_("A quarter is 1 to 4."))
        if self.month is not None and not 1 <= self.month <= 12:
            raise DomainError(_("A month is 1 to 12."))

    @property
    def first_month(self) -> int:
        if self.month is not None:
            return self.month
        return 3 * (self.quarter - 1) + 1 if self.quarter is not None else 1

    @property
    def months(self) -> range:
        """The months of the period (1–12)."""
        length = 1 if self.month is not None else 3 if self.quarter is not None else 12
        return range(self.first_month, self.first_month + length)

    @property
    def start(self) -> datetime.date:
        """First day of the period."""
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        """First day after the period (exclusive bound)."""
        last = self.months[-1]
        return datetime.date(self.year + last // 12, last % 12 + 1, 1)

    @property
    def previous(self) -> "Period":
        """The same period one year earlier."""
        return Period(self.year - 1, self.quarter, self.month)

    @property
    def label(self) -> str:
        """ISO-like label: "2025", "2025-Q1", "2025-03"."""
        if self.month is not None:
            return f"{self.year}-{self.month:02d}"
        if self.quarter is not None:
            return f"{self.year}-Q{self.quarter}"
        return str(self.year)

    def __str__(self) -> str:
        return self.label
