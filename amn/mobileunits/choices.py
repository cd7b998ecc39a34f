"""Choices of the mobileunits app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TourStatus(models.TextChoices):
    """Life of a tour: planned (stops announced), done (every stop held), cancelled."""

    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
