"""Writes of the mobile-unit fleet, tours and stops.

Each write runs in one transaction; django-auditlog records the field changes of
MobileUnit, Tour and Stop (registered in amn.mobileunits.apps) with the acting user of the
request. `actor` None is the command line or a demo loader acting as the system.

Who writes: FLEET_WRITERS — mobile-unit crews (front-desk agents), supervisors and
administrators, within their unit subtree (amn.access.scoping).
"""

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.access.scoping import unit_in_scope
from amn.accounts.choices import Role
from amn.core.errors import DomainError
from amn.core.text_input import clean_text
from amn.geo.models import Commune
from amn.mobileunits.choices import TourStatus
from amn.mobileunits.models import MobileUnit, Stop, Tour, TourSequence
from amn.orgunits.models import OrgUnit

# Staff roles that record tours, stops and their results (the mission's "mobile-unit
# crews" work as front-desk agents); scope applies on top.
FLEET_WRITERS = frozenset({Role.FRONT_DESK_AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR})
TOUR_PREFIX = "TR"
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def may_write_fleet(actor) -> bool:
    """True when `actor` is an active staff member posted to a unit whose role is one of
    FLEET_WRITERS."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.unit_id is not None
        and actor.role in FLEET_WRITERS
    )


def check_fleet_writer(actor, police_unit: OrgUnit) -> None:
    """Refuse a write by `actor` on the fleet of `police_unit`; None (the system) passes.

    Raises:
        PermissionDenied: the role does not write mobile-unit records, or the police unit
            lies outside the actor's units.
    """
    if actor is None:
        return
    if not may_write_fleet(actor):
        raise PermissionDenied(_("Your role does not record mobile-unit tours."))
    if not unit_in_scope(actor, police_unit):
        raise PermissionDenied(_("This mobile unit lies outside your units."))


def _text(value: str | None, label: str, max_length: int) -> str:
    """`value` cleaned (amn.core.text_input.clean_text), or DomainError when longer than
    `max_length` characters."""
    text = clean_text(value)
    if len(text) > max_length:
        raise DomainError(
            _("%(field)s is limited to %(max)d characters.") % {"field": label, "max": max_length}
        )
    return text


def _count(value, label: str) -> int:
    """`value` as a non-negative int, or DomainError naming `label`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("%(field)s must be a whole number.") % {"field": label})
    if value < 0:
        raise DomainError(_("%(field)s cannot be negative.") % {"field": label})
    return value


@transaction.atomic
def mobile_unit_create(
    *,
    actor,
    code: str,
    name: str,
    police_unit: OrgUnit,
    home_commune: Commune,
    in_service_from: datetime.date,
    in_service_to: datetime.date | None = None,
    vehicle_registration: str = "",
) -> MobileUnit:
    """Add a mobile unit to the fleet.

    Args:
        code: unique slug ("mu-agadir-01"), lower-cased.
        name: display name (1–120 characters).
        police_unit: the OrgUnit it is attached to.
        home_commune: the Commune it leaves from each day.
        in_service_from, in_service_to: service period, inclusive (to: None = open).
        vehicle_registration: plate number, optional.
    Returns:
        MobileUnit.
    Raises:
        PermissionDenied: see check_fleet_writer.
        DomainError: empty or duplicate code or name, service end before its start.
    """
    check_fleet_writer(actor, police_unit)
    code = _text(code, _("Code"), 40).lower()
    name = _text(name, _("Name"), 120)
    if not code or not name:
        raise DomainError(_("A mobile unit needs a code and a name."))
    if not _SLUG.match(code):
        raise DomainError(_("A code is made of letters a–z, digits and hyphens."))
    if in_service_to is not None and in_service_to < in_service_from:
        raise DomainError(_("A mobile unit cannot leave service before it enters it."))
    if MobileUnit.objects.filter(code=code).exists():
        raise DomainError(_("A mobile unit with code %(code)s exists already.") % {"code": code})
    return MobileUnit.objects.create(
        code=code,
        name=name,
        police_unit=police_unit,
        home_commune=home_commune,
        in_service_from=in_service_from,
        in_service_to=in_service_to,
        vehicle_registration=_text(vehicle_registration, _("Vehicle registration"), 20),
    )


def _reserve_tour_number(year: int) -> int:
    sequence, _created = TourSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


@transaction.atomic
def tour_create(
    *,
    actor,
    mobile_unit: MobileUnit,
    starts_on: datetime.date,
    ends_on: datetime.date,
    season: str = "",
) -> Tour:
    """Open a tour of `mobile_unit` from `starts_on` to `ends_on` inclusive.

    Returns:
        Tour, status planned, reference TR-<year of start>-<6 digits>.
    Raises:
        PermissionDenied: see check_fleet_writer.
        DomainError: end before start, or a period outside the unit's service period.
    """
    check_fleet_writer(actor, mobile_unit.police_unit)
    if ends_on < starts_on:
        raise DomainError(_("A tour cannot end before it starts."))
    if starts_on < mobile_unit.in_service_from or (
        mobile_unit.in_service_to is not None and ends_on > mobile_unit.in_service_to
    ):
        raise DomainError(_("The tour falls outside the mobile unit's service period."))
    number = _reserve_tour_number(starts_on.year)
    return Tour.objects.create(
        reference=f"{TOUR_PREFIX}-{starts_on.year}-{number:06d}",
        mobile_unit=mobile_unit,
        starts_on=starts_on,
        ends_on=ends_on,
        season=_text(season, _("Season"), 40),
    )


@transaction.atomic
def stop_add(
    *,
    actor,
    tour: Tour,
    commune: Commune,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
) -> Stop:
    """Add a stop to a planned tour.

    Returns:
        Stop.
    Raises:
        PermissionDenied: see check_fleet_writer.
        DomainError: the tour is done or cancelled, the date is outside the tour's period,
            the stop closes before it opens, or the tour already stops there that day.
    """
    tour = (
        Tour.objects.select_for_update().select_related("mobile_unit__police_unit").get(pk=tour.pk)
    )
    check_fleet_writer(actor, tour.mobile_unit.police_unit)
    if tour.status != TourStatus.PLANNED:
        raise DomainError(_("Stops can be added to a planned tour only."))
    if not tour.starts_on <= date <= tour.ends_on:
        raise DomainError(
            _("The stop's date %(date)s is outside the tour's period (%(start)s to %(end)s).")
            % {"date": date, "start": tour.starts_on, "end": tour.ends_on}
        )
    if ends_at <= starts_at:
        raise DomainError(_("A stop must close after it opens."))
    if Stop.objects.filter(tour=tour, date=date, commune=commune).exists():
        raise DomainError(_("This tour already stops in this commune on that day."))
    try:
        with transaction.atomic():
            return Stop.objects.create(
                tour=tour, commune=commune, date=date, starts_at=starts_at, ends_at=ends_at
            )
    except IntegrityError:
        raise DomainError(_("This tour already stops in this commune on that day.")) from None


@transaction.atomic
def stop_record_results(
    *,
    actor,
    stop: Stop,
    applications_received: int,
    cards_delivered: int,
    people_served: int,
) -> Stop:
    """Record (or correct) what a stop achieved.

    Rule: everyone who applied or collected a card was served, so `people_served` is at
    least the larger of the two other counts (people who only asked for information count
    as served too).

    Returns:
        Stop, with results_recorded_at/by set.
    Raises:
        PermissionDenied: see check_fleet_writer.
        DomainError: a count that is negative or not a whole number, people served below
            applications or cards, a stop of a cancelled tour, or a stop still to come
            (after today, Africa/Casablanca).
    """
    stop = (
        Stop.objects.select_for_update()
        .select_related("tour__mobile_unit__police_unit")
        .get(pk=stop.pk)
    )
    check_fleet_writer(actor, stop.tour.mobile_unit.police_unit)
    applications = _count(applications_received, _("Applications received"))
    cards = _count(cards_delivered, _("Cards delivered"))
    people = _count(people_served, _("People served"))
    if people < max(applications, cards):
        raise DomainError(
            _(
                "People served (%(people)d) cannot be fewer than applications received "
                "(%(applications)d) or cards delivered (%(cards)d)."
            )
            % {"people": people, "applications": applications, "cards": cards}
        )
    if stop.tour.status == TourStatus.CANCELLED:
        raise DomainError(_("This tour was cancelled: its stops have no results."))
    if stop.date > timezone.localdate():
        raise DomainError(_("Results can be recorded once the stop has taken place."))
    stop.applications_received = applications
    stop.cards_delivered = cards
    stop.people_served = people
    stop.results_recorded_at = timezone.now()
    stop.results_recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    stop.save(
        update_fields=[
            "applications_received",
            "cards_delivered",
            "people_served",
            "results_recorded_at",
            "results_recorded_by",
            "updated_at",
        ]
    )
    return stop


@transaction.atomic
def tour_status_set(*, actor, tour: Tour, status: str) -> Tour:
    """Close a tour as done (every stop has its results) or cancel it (no stop has).

    Raises:
        PermissionDenied: see check_fleet_writer.
        DomainError: unknown status, a tour already closed, a stop without results when
            closing as done, or a stop with results when cancelling.
    """
    tour = (
        Tour.objects.select_for_update().select_related("mobile_unit__police_unit").get(pk=tour.pk)
    )
    check_fleet_writer(actor, tour.mobile_unit.police_unit)
    if status not in (TourStatus.DONE, TourStatus.CANCELLED):
        raise DomainError(_("A tour can be closed as done or cancelled only."))
    if tour.status != TourStatus.PLANNED:
        raise DomainError(_("This tour is already closed."))
    stops = tour.stops.all()
    if status == TourStatus.DONE and (
        not stops.exists() or stops.filter(results_recorded_at__isnull=True).exists()
    ):
        raise DomainError(_("A tour is done once every stop's results are recorded."))
    if status == TourStatus.CANCELLED and stops.filter(results_recorded_at__isnull=False).exists():
        raise DomainError(_("A tour with recorded results cannot be cancelled."))
    tour.status = status
    tour.save(update_fields=["status", "updated_at"])
    return tour
