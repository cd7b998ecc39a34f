"""The indicator catalogue: every published figure defined as data.

An Indicator says in words what it counts (definition, counting rule, in Arabic, French and
English) and, for the engine (amn.indicators.engine), which records it counts: a numerator
and an optional denominator, each a filter over one record table (see
amn.indicators.definitions for the JSON shape). Loaded by `amn load-reference` from
amn/indicators/catalogue.toml; editable by an administrator, checked by `clean()`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from amn.core.models import TimeStampedModel
from amn.indicators.choices import UnitOfMeasure


class Indicator(TimeStampedModel):
    """One indicator of the catalogue.

    Fields:
        code: snake_case English term (`clearance_rate`), the key used by the CLI and API.
        numerator, denominator: record filters (JSON, amn.indicators.definitions); the
            denominator is null for plain counts and sums, a record filter for ratios, or
            {"population": "rgph_2024"} for rates per inhabitants.
        scale: the ratio is multiplied by it (100 for percent, 100000 per 100,000).
        decimals: decimal places of the published value.
        disaggregations: the amn.indicators.choices.Disaggregation values allowed.
        parameters: the caller's choices with their default, e.g. {"counting": "offences"}.
        is_public: offered on the public API (with small-count suppression).
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text=_("Order in lists."))
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    definition_ar = models.TextField(_("definition (Arabic)"))
    definition_fr = models.TextField(_("definition (French)"))
    definition_en = models.TextField(_("definition (English)"))
    counting_rule_ar = models.TextField(_("counting rule (Arabic)"))
    counting_rule_fr = models.TextField(_("counting rule (French)"))
    counting_rule_en = models.TextField(_("counting rule (English)"))
    numerator = models.JSONField(_("numerator"))
    denominator = models.JSONField(_("denominator"), null=True, blank=True)
    scale = models.PositiveIntegerField(_("scale"), default=1)
    unit_of_measure = models.CharField(
        _("unit of measure"), max_length=32, choices=UnitOfMeasure.choices
    )
    decimals = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    disaggregations = models.JSONField(_("allowed disaggregations"), default=list, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    is_public = models.BooleanField(_("published on the public API"), default=True)

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.code

    def clean(self):
        """Refuse a definition the engine cannot compute (amn.indicators.definitions)."""
        from amn.indicators.definitions import IndicatorDefinitionError, definition_of

        super().clean()
        try:
            definition_of(self)
        except IndicatorDefinitionError as error:
            raise ValidationError(str(error)) from None
