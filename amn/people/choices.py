from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Sex as recorded on the CNIE (F/M)."""

    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
