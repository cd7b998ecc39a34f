"""Criminal cases (affaires pénales, قضايا زجرية), their ICCS-coded offences, persons
involved, arrests, seizures and dismantled criminal networks.

Counting happens on offences. Each Offence carries copies of its case's recording date,
recording unit, commune and validity (`recorded_on`, `recording_unit`, `commune`,
`is_valid`) so that the indicator engine counts one indexed table without joins; the
services in amn.cases.services keep the copies in step with the case.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amn.cases.choices import (
    CaseSource,
    CaseStatus,
    Clearance,
    NetworkKind,
    PartyRole,
    QuantityUnit,
    Substance,
)
from amn.core.models import TimeStampedModel


class IccsCategory(models.Model):
    """One category of the ICCS v1.0 (UNODC 2015): section (2 digits), division (4), group
    (5) or class (6). The code is the primary key, so an offence's ICCS column holds the
    code itself and `iccs__code__startswith="02"` selects a whole section without a join."""

    code = models.CharField(_("ICCS code"), max_length=6, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT
    )
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_ar = models.CharField(_("label (Arabic)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ICCS category")
        verbose_name_plural = _("ICCS categories")

    def __str__(self) -> str:
        return f"{self.code} {self.label_en}"

    @property
    def name_en(self) -> str:
        return self.label_en

    @property
    def name_fr(self) -> str:
        return self.label_fr

    @property
    def name_ar(self) -> str:
        return self.label_ar


class NationalCategory(models.Model):
    """A category of the national release (violent crime, drug offences, …) defined as a
    set of ICCS codes; an offence belongs to it when its code starts with one of them.
    Data, editable by an administrator."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    iccs_codes = models.ManyToManyField(IccsCategory, verbose_name=_("ICCS codes"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("national offence category")
        verbose_name_plural = _("national offence categories")

    def __str__(self) -> str:
        return self.name_en


class NationalOffenceCode(models.Model):
    """An offence of national law (e.g. an article of the Moroccan penal code) mapped to ICCS."""

    code = models.CharField(_("national code"), max_length=40, unique=True)
    label_ar = models.CharField(_("label (Arabic)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    iccs = models.ForeignKey(
        IccsCategory, verbose_name=_("ICCS category"), on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("national offence code")
        verbose_name_plural = _("national offence codes")

    def __str__(self) -> str:
        return self.code


class Case(TimeStampedModel):
    """A criminal case recorded by a police unit.

    `problems` lists amn.cases.choices.Problem values; a case with any problem waits in the
    validation inbox and stays out of the figures (`is_valid` False) until fixed.
    `(source, source_key)` identifies an imported row so that importing again changes
    nothing.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    # Both foreign keys are indexed by the composite indexes below, which lead with them.
    recording_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("recording unit"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    occurred_on = models.DateField(_("occurred on"))
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    narrative = models.TextField(_("narrative"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    cleared_on = models.DateField(
        _("cleared on"),
        null=True,
        blank=True,
        help_text=_("Set when every offence of the case is cleared: the last clearance date."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=CaseSource.choices, default=CaseSource.MANUAL
    )
    source_name = models.CharField(_("source name"), max_length=40, blank=True)
    source_key = models.CharField(_("source key"), max_length=64, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    is_valid = models.BooleanField(_("counted in the figures"), default=True)

    class Meta:
        ordering = ["-recorded_on", "reference"]
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        constraints = [
            models.UniqueConstraint(
                fields=["source_name", "source_key"],
                condition=~Q(source_key=""),
                name="case_source_key_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["recording_unit", "recorded_on"]),
            # Covering index of the figures by region of a whole tree (amn.indicators.engine):
            # SQLite reads it in commune order and groups without sorting 800,000 cases.
            models.Index(
                fields=["commune", "recorded_on", "cleared_on", "recording_unit", "is_valid"],
                name="case_commune_cover_idx",
            ),
            # The validation inbox: few rows, read by the figures to leave their records out.
            models.Index(fields=["id"], condition=Q(is_valid=False), name="case_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class Offence(models.Model):
    """One offence of a case, coded in ICCS, with its clearance.

    Clearance rule (amn.cases.clearance): cleared by arrest when at least one person was
    arrested for the case; cleared by exceptional means when the offender is identified but
    cannot be arrested, with the reason; `cleared_on` dates the clearance.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offences")
    iccs = models.ForeignKey(
        IccsCategory,
        verbose_name=_("ICCS category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    national_code = models.ForeignKey(
        NationalOffenceCode,
        verbose_name=_("national offence code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    clearance = models.CharField(
        _("clearance"), max_length=12, choices=Clearance.choices, default=Clearance.NOT_CLEARED
    )
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    exceptional_reason = models.CharField(
        _("exceptional clearance reason"), max_length=200, blank=True
    )
    # Copies of the case's fields, for counting without joins (see the module docstring).
    recorded_on = models.DateField(_("recorded on"))
    # Indexed by the composite indexes below, which lead with them.
    recording_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    commune = models.ForeignKey(
        "geo.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    is_valid = models.BooleanField(default=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("offence")
        verbose_name_plural = _("offences")
        indexes = [
            models.Index(fields=["recorded_on", "recording_unit"], name="offence_recorded_idx"),
            models.Index(fields=["cleared_on", "recording_unit"], name="offence_cleared_idx"),
            # Covering indexes for one unit subtree's figures (bench/cases.py: the SQLite
            # p95 for a wilaya went from about 0.30 s to 0.14 s at 800,000 cases, then to
            # about 0.04 s with the ICCS code and the case in the first one, which the
            # national categories count by).
            models.Index(
                fields=["recording_unit", "recorded_on", "is_valid", "iccs", "case"],
                name="offence_unit_recorded_idx",
            ),
            models.Index(
                fields=["recording_unit", "cleared_on", "is_valid"],
                name="offence_unit_cleared_idx",
            ),
            # Covering index of the figures by region of a whole tree: read in commune
            # order, grouped without a sort (bench/cases.py: every indicator × every region
            # of 800,000 cases went from about 5.1 s to under 3 s on SQLite with the other
            # covering indexes and the engine's per-period aggregates).
            models.Index(
                fields=[
                    "commune",
                    "recorded_on",
                    "cleared_on",
                    "recording_unit",
                    "is_valid",
                    "iccs",
                    "case",
                ],
                name="offence_commune_cover_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="offence_cleared_has_date",
                condition=Q(clearance=Clearance.NOT_CLEARED, cleared_on__isnull=True)
                | (~Q(clearance=Clearance.NOT_CLEARED) & Q(cleared_on__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.iccs_id}"


class CaseParty(models.Model):
    """A person involved in a case, with their role and their age and nationality then.

    Like offences, a party carries copies of its case's recording date, recording unit,
    commune and validity, so that the figures on victims and suspects (by sex, age group,
    nationality, region …) count one indexed table without joining 800,000 cases; the
    services in amn.cases keep the copies in step with the case.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    age_at_time = models.PositiveSmallIntegerField(_("age at the time"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    # Copies of the case's fields, for counting without joins (see the class docstring).
    recorded_on = models.DateField(_("recorded on"))
    recording_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    commune = models.ForeignKey(
        "geo.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    is_valid = models.BooleanField(default=True)

    class Meta:
        ordering = ["case", "role", "id"]
        verbose_name = _("person involved")
        verbose_name_plural = _("persons involved")
        indexes = [
            # The figures of a whole tree by region, and of one unit subtree (covering).
            models.Index(
                fields=["commune", "recorded_on", "recording_unit", "is_valid", "role"],
                name="party_commune_cover_idx",
            ),
            models.Index(
                fields=["recording_unit", "recorded_on", "is_valid", "role"],
                name="party_unit_recorded_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.role}"


class Arrest(models.Model):
    """An arrest made for a case by a unit, of a person involved (when known)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="arrests")
    party = models.ForeignKey(
        CaseParty, null=True, blank=True, on_delete=models.PROTECT, related_name="arrests"
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    arrested_on = models.DateField(_("arrested on"))

    class Meta:
        ordering = ["arrested_on", "id"]
        verbose_name = _("arrest")
        verbose_name_plural = _("arrests")
        # Covering index of the figures (grouped by unit, in its order); it also indexes
        # the unit foreign key.
        indexes = [
            models.Index(fields=["unit", "arrested_on", "case"], name="arrest_unit_cover_idx")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.arrested_on}"


class Seizure(models.Model):
    """A seizure of drugs with its quantity as recorded and in the standard unit of its
    dimension (kg for mass, tablets for counts, litres for volume; amn.cases.quantities),
    and its custody chain."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="seizures"
    )
    substance = models.CharField(_("substance"), max_length=20, choices=Substance.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    quantity_unit = models.CharField(_("unit"), max_length=8, choices=QuantityUnit.choices)
    standard_quantity = models.DecimalField(
        _("quantity in the standard unit"), max_digits=16, decimal_places=4
    )
    seized_on = models.DateField(_("seized on"))
    seized_by = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    stored_at = models.CharField(_("stored at"), max_length=200, blank=True)
    destroyed_on = models.DateField(_("destroyed on"), null=True, blank=True)

    class Meta:
        ordering = ["seized_on", "id"]
        verbose_name = _("seizure")
        verbose_name_plural = _("seizures")
        indexes = [
            models.Index(fields=["seized_on", "substance"]),
            # Covering index of the figures (grouped by unit, in its order); it also indexes
            # the seized_by foreign key.
            models.Index(
                fields=["seized_by", "seized_on", "substance", "standard_quantity", "case"],
                name="seizure_unit_cover_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(name="seizure_quantity_positive", condition=Q(quantity__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.substance} {self.quantity} {self.quantity_unit}"


class CriminalNetwork(TimeStampedModel):
    """A criminal network dismantled by a unit, with the cases linked to it."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    kind = models.CharField(_("type"), max_length=24, choices=NetworkKind.choices)
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    dismantled_on = models.DateField(_("dismantled on"))
    members_arrested = models.PositiveIntegerField(_("members arrested"), default=0)
    cases = models.ManyToManyField(Case, blank=True, related_name="networks")

    class Meta:
        ordering = ["-dismantled_on", "reference"]
        verbose_name = _("criminal network")
        verbose_name_plural = _("criminal networks")
        indexes = [models.Index(fields=["dismantled_on", "kind"])]

    def __str__(self) -> str:
        return self.reference


class CaseSequence(models.Model):
    """The last reference number given per year and kind (row-locked when drawing numbers);
    `key` is year × 10 + kind digit (0 cases, 1 networks)."""

    key = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"
