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
from amn.indicators.choices import IndicatorKind, ReportSection, UnitOfMeasure


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
    kind = models.CharField(
        _("kind"), max_length=8, choices=IndicatorKind.choices, default=IndicatorKind.RECORDS
    )
    section = models.CharField(
        _("report section"), max_length=20, choices=ReportSection.choices, blank=True
    )
    origin_app = models.CharField(
        _("source"),
        max_length=40,
        blank=True,
        help_text=_("The app whose records are counted, or the body an entered figure is from."),
    )

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.code

    @property
    def is_entered(self) -> bool:
        """True for a figure with no records behind it: it comes from AggregateEntry rows."""
        return self.kind == IndicatorKind.ENTERED

    def clean(self):
        """Refuse a definition the engine cannot compute (amn.indicators.definitions)."""
        from amn.indicators.definitions import IndicatorDefinitionError, definition_of

        super().clean()
        if self.is_entered:
            return
        try:
            definition_of(self)
        except IndicatorDefinitionError as error:
            raise ValidationError(str(error)) from None


class AggregateEntry(TimeStampedModel):
    """A figure with no records behind it in Amn (countries at a conference, visitors of
    the open days …), entered for a year and unit by a named user from a cited source.

    A correction is a new entry: the latest entry (by `entered_at`) of an indicator, year
    and unit is the figure; the earlier ones stay as its history.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="entries"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=3)
    source = models.CharField(
        _("source"), max_length=300, help_text=_("The document the figure is taken from.")
    )
    source_date = models.DateField(_("date of the source"))
    entered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when loaded from the reference data."),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["indicator", "year", "-entered_at"]
        verbose_name = _("aggregate entry")
        verbose_name_plural = _("aggregate entries")
        indexes = [models.Index(fields=["year", "org_unit"], name="ind_entry_year_unit_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}"

    @property
    def number(self) -> int | float:
        """The value as written: a whole number without decimals (181, not 181.000)."""
        value = self.value.normalize()
        return int(value) if value == value.to_integral_value() else float(value)


class Snapshot(TimeStampedModel):
    """The figures of a year and org unit as published, frozen.

    Published by `amn.indicators.services.snapshot_publish` (the report), or loaded from
    figures the directorate published before Amn (`external`, with their citations: amn
    load-published). A later publication of the same year and unit supersedes it; the
    superseded one is kept.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external = models.BooleanField(
        _("published before Amn"),
        default=False,
        help_text=_("Figures published by the directorate, taken from the cited sources."),
    )
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "-published_at"]
        verbose_name = _("published snapshot")
        verbose_name_plural = _("published snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "org_unit"],
                condition=models.Q(superseded_at__isnull=True),
                name="ind_snapshot_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.org_unit_id}"


class SnapshotFigure(models.Model):
    """One frozen figure of a Snapshot, with the definition in force when published."""

    snapshot = models.ForeignKey(
        Snapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE, related_name="figures"
    )
    indicator_code = models.CharField(_("indicator"), max_length=60)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True)
    previous_value = models.DecimalField(
        _("previous value"), max_digits=20, decimal_places=4, null=True
    )
    change = models.DecimalField(_("change (%)"), max_digits=9, decimal_places=1, null=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=32)
    provenance = models.CharField(_("provenance"), max_length=12)
    source = models.CharField(_("source"), max_length=500, blank=True)
    definition = models.JSONField(
        _("definition used"),
        help_text=_("Names, definition and counting rule in each language, and the filters."),
    )

    class Meta:
        ordering = ["snapshot", "id"]
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "indicator_code"], name="ind_snapshot_figure_once"
            )
        ]

    def __str__(self) -> str:
        return self.indicator_code


class GeneratedYear(models.Model):
    """A year whose operational records were generated (demo, benchmark) at a scale of the
    release's volumes; the report states the scale."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    scale = models.DecimalField(_("scale"), max_digits=7, decimal_places=6)
    generated_at = models.DateTimeField(_("generated at"), auto_now=True)

    class Meta:
        verbose_name = _("generated year")
        verbose_name_plural = _("generated years")

    def __str__(self) -> str:
        return f"{self.year} × {self.scale}"
