from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class UnitEventKind(models.TextChoices):
    """Dated changes in a unit's life."""

    CREATED = "created", _("Created")
    UPGRADED = "upgraded", _("Upgraded")
    MOVED = "moved", _("Moved")
    CLOSED = "closed", _("Closed")


class DatePrecision(models.TextChoices):
    """How much of a date is known: a change announced only for "2025" stays a year."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
