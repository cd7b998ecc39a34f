from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitStatus(models.TextChoices):
    """Whether a unit is working or has been closed (see UnitEventKind.CLOSED)."""

    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class UnitEventKind(models.TextChoices):
    """Dated changes in a unit's life."""

    CREATED = "created", pgettext_lazy("unit change", "Created")
    UPGRADED = "upgraded", pgettext_lazy("unit change", "Upgraded")
    MOVED = "moved", pgettext_lazy("unit change", "Moved")
    CLOSED = "closed", pgettext_lazy("unit change", "Closed")


class DatePrecision(models.TextChoices):
    """How much of a date is known: a change announced only for "2025" stays a year, and a
    unit recorded without its founding date has none."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    UNKNOWN = "unknown", _("Unknown")
