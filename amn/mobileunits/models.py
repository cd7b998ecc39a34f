"""Mobile units (وحدات متنقلة) bringing ID-document services to remote communes.

A MobileUnit is a vehicle and crew attached to a police unit, based at a home commune.
It runs Tours (a season or period of work); a tour is a list of Stops, one commune on one
day between two hours. After a stop, staff record its outcome: applications received,
cards delivered and people served (the figures behind the release's "80 units,
85,000+ citizens").
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from amn.core.models import TimeStampedModel
from amn.mobileunits.choices import TourStatus


class MobileUnit(TimeStampedModel):
    """One mobile unit of the fleet.

    `police_unit` is the OrgUnit it is attached to (access scoping follows its subtree);
    `home_commune` is where it leaves from each working day. It is in service from
    `in_service_from` until `in_service_to` inclusive (empty: still in service).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    police_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("attached police unit"),
        on_delete=models.PROTECT,
        related_name="mobile_units",
    )
    home_commune = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("home base commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    in_service_from = models.DateField(_("in service from"))
    in_service_to = models.DateField(_("in service until"), null=True, blank=True)
    vehicle_registration = models.CharField(_("vehicle registration"), max_length=20, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("mobile unit")
        verbose_name_plural = _("mobile units")
        constraints = [
            models.CheckConstraint(
                name="mobileunit_service_period_ordered",
                condition=Q(in_service_to__isnull=True)
                | Q(in_service_to__gte=F("in_service_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TourSequence(models.Model):
    """Last tour number issued per year (row-locked by services.tour_create)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tour number sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Tour(TimeStampedModel):
    """A tour of one mobile unit over a period (`starts_on`..`ends_on` inclusive).

    `season` is a free label of the period (e.g. "2025-autumn"); `reference` is the human
    number made by amn.mobileunits.services.tour_create (TR-2025-000012).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    mobile_unit = models.ForeignKey(
        MobileUnit, verbose_name=_("mobile unit"), on_delete=models.PROTECT, related_name="tours"
    )
    season = models.CharField(_("season"), max_length=40, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=TourStatus.choices, default=TourStatus.PLANNED
    )

    class Meta:
        ordering = ["-starts_on", "reference"]
        verbose_name = _("tour")
        verbose_name_plural = _("tours")
        constraints = [
            models.CheckConstraint(
                name="tour_period_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]
        indexes = [models.Index(fields=["starts_on"], name="tour_starts_on_idx")]

    def __str__(self) -> str:
        return self.reference


class Stop(TimeStampedModel):
    """One stop of a tour: a commune, a date, opening hours (local time, Africa/Casablanca).

    Outcome counts are empty until staff record them after the stop
    (amn.mobileunits.services.stop_record_results); then `results_recorded_at/by` are set.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tour = models.ForeignKey(
        Tour, verbose_name=_("tour"), on_delete=models.CASCADE, related_name="stops"
    )
    commune = models.ForeignKey(
        "geo.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("opens at"))
    ends_at = models.TimeField(_("closes at"))
    applications_received = models.PositiveIntegerField(
        _("applications received"), null=True, blank=True
    )
    cards_delivered = models.PositiveIntegerField(_("cards delivered"), null=True, blank=True)
    people_served = models.PositiveIntegerField(_("people served"), null=True, blank=True)
    results_recorded_at = models.DateTimeField(_("results recorded at"), null=True, blank=True)
    results_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("results recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["date", "starts_at", "id"]
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        constraints = [
            models.CheckConstraint(
                name="stop_hours_ordered", condition=Q(ends_at__gt=F("starts_at"))
            ),
            models.CheckConstraint(
                name="stop_counts_non_negative",
                condition=(
                    (Q(applications_received__isnull=True) | Q(applications_received__gte=0))
                    & (Q(cards_delivered__isnull=True) | Q(cards_delivered__gte=0))
                    & (Q(people_served__isnull=True) | Q(people_served__gte=0))
                ),
            ),
            models.UniqueConstraint(
                fields=["tour", "date", "commune"], name="stop_one_per_commune_per_day"
            ),
        ]
        indexes = [models.Index(fields=["date"], name="stop_date_idx")]

    def __str__(self) -> str:
        return f"{self.tour.reference} {self.date} {self.commune.name_fr}"

    @property
    def has_results(self) -> bool:
        """True once the stop's outcome counts have been recorded."""
        return self.results_recorded_at is not None
