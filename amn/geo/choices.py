from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvinceType(models.TextChoices):
    """HCP 2024 kinds of second-level division."""

    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    PREFECTURE_OF_ARRONDISSEMENTS = (
        "prefecture_of_arrondissements",
        _("Prefecture of arrondissements"),
    )


class CommuneType(models.TextChoices):
    """HCP 2024 commune kinds (order of the HCP listing, see SOURCES.md for its caveat)."""

    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")
