"""The police-unit tree (org units) and its dated status history."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from amn.core.models import TimeStampedModel
from amn.orgunits.choices import DatePrecision, UnitEventKind, UnitStatus


class UnitType(models.Model):
    """A kind of police unit (security wilaya, police district, border post …).

    Reference data loaded by `amn load-reference`; `is_national` marks headquarters
    types whose analysts see national figures.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("Order in listings."))
    is_national = models.BooleanField(_("national headquarters"), default=False)
    is_specialised = models.BooleanField(_("specialised unit"), default=False)

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("unit type")
        verbose_name_plural = _("unit types")

    def __str__(self) -> str:
        return self.name_en


class OrgUnit(MP_Node, TimeStampedModel):
    """A police unit, placed in the national tree and at a commune (its seat).

    The materialised path (`path`) gives the subtree of a unit with one indexed prefix
    query; access scoping relies on it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    unit_type = models.ForeignKey(
        UnitType, verbose_name=_("unit type"), on_delete=models.PROTECT, related_name="units"
    )
    commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="police_units",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=UnitStatus.choices, default=UnitStatus.ACTIVE
    )
    address_ar = models.CharField(_("address (Arabic)"), max_length=200, blank=True)
    address_fr = models.CharField(_("address (French)"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    serves_public = models.BooleanField(
        _("serves the public"),
        default=False,
        help_text=_("Listed on the public 'find a police station' page."),
    )

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("police unit")
        verbose_name_plural = _("police units")

    def __str__(self) -> str:
        return self.name_fr


class UnitEvent(TimeStampedModel):
    """One dated change of a unit, with its legal or decision reference.

    `effective_on` holds the first day of the known period when `date_precision` is
    month or year; display it at that precision. It is empty, with precision "unknown",
    only for a unit entered into the registry without its founding date. `name_*` are the
    names the unit bore from this change on, so history reads as it was at the time.
    """

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("police unit"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("change"), max_length=10, choices=UnitEventKind.choices)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    from_type = models.ForeignKey(
        UnitType,
        verbose_name=_("previous type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_type = models.ForeignKey(
        UnitType,
        verbose_name=_("new type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_parent = models.ForeignKey(
        OrgUnit,
        verbose_name=_("previous parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_parent = models.ForeignKey(
        OrgUnit,
        verbose_name=_("new parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("previous commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("new commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reference = models.CharField(_("decision reference"), max_length=200)
    note_ar = models.CharField(_("note (Arabic)"), max_length=300, blank=True)
    note_fr = models.CharField(_("note (French)"), max_length=300, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name = _("unit status change")
        verbose_name_plural = _("unit status changes")
        constraints = [
            models.CheckConstraint(
                name="date_missing_only_when_unknown",
                condition=models.Q(effective_on__isnull=True, date_precision=DatePrecision.UNKNOWN)
                | (
                    models.Q(effective_on__isnull=False)
                    & ~models.Q(date_precision=DatePrecision.UNKNOWN)
                ),
            ),
            models.CheckConstraint(
                name="upgrade_names_both_types",
                condition=~models.Q(kind=UnitEventKind.UPGRADED)
                | (models.Q(from_type__isnull=False) & models.Q(to_type__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.kind} {self.unit}"
