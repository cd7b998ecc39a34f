"""Reads of the mobile-unit fleet, tours and stops.

Staff reads are scoped to the actor's unit subtree (amn.access.scoping.restrict) and open
to FLEET_READERS. The public list of upcoming stops carries no personal data (communes,
dates, hours, unit names). The yearly counts (mobile_units_in_service,
mobile_units_people_served, …) are aggregate figures for the annual report and the
indicators: they take an optional unit subtree instead of an actor, and their callers
decide who may see them.
"""

import datetime
import uuid
from importlib import import_module

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from amn.access.scoping import STAFF_ROLES, is_national, restrict
from amn.accounts.choices import Role
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.core.localized_fields import localized
from amn.geo.models import Region
from amn.mobileunits.choices import TourStatus
from amn.mobileunits.models import MobileUnit, Stop, Tour
from amn.orgunits.models import OrgUnit

# Staff roles that read the fleet: everyone but HR officers and event planners, who work
# on their own registries (least privilege, as amn.access.scoping.READERS).
FLEET_READERS = STAFF_ROLES - {Role.HR_OFFICER, Role.EVENT_PLANNER}


def _scoped(queryset: QuerySet, actor, unit_field: str) -> QuerySet:
    if getattr(actor, "role", None) not in FLEET_READERS:
        return queryset.none()
    return restrict(queryset, actor, unit_field=unit_field)


def mobile_unit_list(*, actor) -> QuerySet[MobileUnit]:
    """Mobile units attached to a police unit in `actor`'s scope, by code, with
    `tour_count` annotated."""
    return _scoped(
        MobileUnit.objects.select_related("police_unit", "home_commune").annotate(
            tour_count=Count("tours")
        ),
        actor,
        "police_unit",
    ).order_by("code")


def tour_list(
    *, actor, mobile_unit_id: uuid.UUID | None = None, status: str | None = None
) -> QuerySet[Tour]:
    """Tours of the mobile units in `actor`'s scope, newest first, optionally of one unit
    or one status, with `stop_count` and `people_served` (sum over its stops) annotated."""
    tours = Tour.objects.select_related("mobile_unit__police_unit").annotate(
        stop_count=Count("stops"), people_served=Sum("stops__people_served")
    )
    if mobile_unit_id is not None:
        tours = tours.filter(mobile_unit_id=mobile_unit_id)
    if status:
        tours = tours.filter(status=status)
    return _scoped(tours, actor, "mobile_unit__police_unit").order_by("-starts_on", "reference")


def _denied(actor, target: str, object_id) -> None:
    audit_event_record(
        actor=actor, action=AuditAction.DENIED, target=target, target_id=str(object_id)[:64]
    )


def tour_get(*, actor, tour_id: uuid.UUID | str) -> Tour:
    """One tour in `actor`'s scope.

    Raises:
        Http404: no such tour or out of scope (same answer; the refusal is audited).
    """
    try:
        return _scoped(
            Tour.objects.select_related("mobile_unit__police_unit", "mobile_unit__home_commune"),
            actor,
            "mobile_unit__police_unit",
        ).get(pk=tour_id)
    except (Tour.DoesNotExist, ValidationError, ValueError):
        _denied(actor, "mobileunits.tour", tour_id)
        raise Http404("No such tour.") from None


def stop_get(*, actor, stop_id: uuid.UUID | str) -> Stop:
    """One stop whose tour is in `actor`'s scope.

    Raises:
        Http404: no such stop or out of scope (same answer; the refusal is audited).
    """
    try:
        return _scoped(
            Stop.objects.select_related(
                "tour__mobile_unit__police_unit", "commune__province", "results_recorded_by"
            ),
            actor,
            "tour__mobile_unit__police_unit",
        ).get(pk=stop_id)
    except (Stop.DoesNotExist, ValidationError, ValueError):
        _denied(actor, "mobileunits.stop", stop_id)
        raise Http404("No such stop.") from None


def tour_stops(*, tour: Tour) -> QuerySet[Stop]:
    """The stops of `tour` (already read through tour_get), by date and hour."""
    return tour.stops.select_related("commune__province", "results_recorded_by").order_by(
        "date", "starts_at", "id"
    )


def online_applications_by_stop(stop_ids: list) -> dict:
    """CNIE applications recorded in Amn for each of `stop_ids`, from
    amn.idcards.selectors.applications_by_stop when that app provides it.

    Returns:
        {stop id: {"applications_received": int, "cards_delivered": int}}; empty when the
        idcards app does not provide the selector.
    """
    try:
        provider = import_module("amn.idcards.selectors").applications_by_stop
    except (ImportError, AttributeError):
        return {}
    counts = {}
    for stop_id, value in dict(provider(list(stop_ids))).items():
        if isinstance(value, dict):
            counts[stop_id] = {
                "applications_received": int(value.get("applications_received", 0)),
                "cards_delivered": int(value.get("cards_delivered", 0)),
            }
        else:
            counts[stop_id] = {"applications_received": int(value), "cards_delivered": 0}
    return counts


def stops_upcoming(
    *,
    region_code: str | None = None,
    commune_code: str | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Stop]:
    """Public: stops of planned tours from `today` (default today, Africa/Casablanca) on,
    optionally in one region (HCP code "09") or commune, by date and hour. No personal
    data: commune, date, hours and the unit's name."""
    today = today or timezone.localdate()
    stops = Stop.objects.filter(date__gte=today, tour__status=TourStatus.PLANNED).select_related(
        "commune__province__region", "tour__mobile_unit"
    )
    if region_code:
        stops = stops.filter(commune__province__region__code=region_code)
    if commune_code:
        stops = stops.filter(commune__code=commune_code)
    return stops.order_by("date", "starts_at", "commune__code", "id")


# --- Yearly counts (annual report) -------------------------------------------------------


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _units_of(unit_subtree: OrgUnit | None, prefix: str) -> Q:
    if unit_subtree is None:
        return Q()
    return Q(**{f"{prefix}police_unit__path__startswith": unit_subtree.path})


def _held_stops(year: int, unit_subtree: OrgUnit | None, region_code: str | None):
    first, last = _year_bounds(year)
    stops = Stop.objects.filter(
        date__range=(first, last), results_recorded_at__isnull=False
    ).exclude(tour__status=TourStatus.CANCELLED)
    stops = stops.filter(_units_of(unit_subtree, "tour__mobile_unit__"))
    if region_code:
        stops = stops.filter(commune__province__region__code=region_code)
    return stops


def mobile_units_in_service(year: int, unit_subtree: OrgUnit | None = None) -> int:
    """Mobile units in service at some time in `year` (service period meets 1 Jan–31 Dec),
    attached to `unit_subtree` or below (None: national)."""
    first, last = _year_bounds(year)
    return (
        MobileUnit.objects.filter(in_service_from__lte=last)
        .filter(Q(in_service_to__isnull=True) | Q(in_service_to__gte=first))
        .filter(_units_of(unit_subtree, ""))
        .count()
    )


def mobile_units_entered_service(year: int, unit_subtree: OrgUnit | None = None) -> int:
    """Mobile units that entered service in `year` — the release's "80 new mobile units"."""
    first, last = _year_bounds(year)
    return (
        MobileUnit.objects.filter(in_service_from__range=(first, last))
        .filter(_units_of(unit_subtree, ""))
        .count()
    )


def mobile_units_stops(
    year: int, unit_subtree: OrgUnit | None = None, region_code: str | None = None
) -> int:
    """Stops held in `year` (dated in the year, results recorded, tour not cancelled), of
    units in `unit_subtree` (None: national), in communes of `region_code` if given."""
    return _held_stops(year, unit_subtree, region_code).count()


def mobile_units_people_served(
    year: int, unit_subtree: OrgUnit | None = None, region_code: str | None = None
) -> int:
    """People served at the stops held in `year` (see mobile_units_stops) — the release's
    "85,000+ citizens"."""
    total = _held_stops(year, unit_subtree, region_code).aggregate(n=Sum("people_served"))["n"]
    return total or 0


def mobile_units_year_counts(year: int, unit_subtree: OrgUnit | None = None) -> dict[str, int]:
    """All yearly figures at once.

    Returns:
        {"units_in_service", "units_entered_service", "stops", "people_served",
         "applications_received", "cards_delivered"} → int.
    """
    sums = _held_stops(year, unit_subtree, None).aggregate(
        stops=Count("id"),
        people=Sum("people_served"),
        applications=Sum("applications_received"),
        cards=Sum("cards_delivered"),
    )
    return {
        "units_in_service": mobile_units_in_service(year, unit_subtree),
        "units_entered_service": mobile_units_entered_service(year, unit_subtree),
        "stops": sums["stops"] or 0,
        "people_served": sums["people"] or 0,
        "applications_received": sums["applications"] or 0,
        "cards_delivered": sums["cards"] or 0,
    }


def mobile_units_people_served_by_region(
    year: int, unit_subtree: OrgUnit | None = None
) -> list[dict]:
    """Stops held and people served in `year` per region of the stop's commune.

    Returns:
        [{"region_code", "region_name_fr", "region_name_ar", "stops", "people_served"}],
        by region code; regions without stops are left out.
    """
    rows = (
        _held_stops(year, unit_subtree, None)
        .values(
            "commune__province__region__code",
            "commune__province__region__name_fr",
            "commune__province__region__name_ar",
        )
        .annotate(stops=Count("id"), people=Sum("people_served"))
        .order_by("commune__province__region__code")
    )
    return [
        {
            "region_code": row["commune__province__region__code"],
            "region_name_fr": row["commune__province__region__name_fr"],
            "region_name_ar": row["commune__province__region__name_ar"],
            "stops": row["stops"],
            "people_served": row["people"] or 0,
        }
        for row in rows
    ]


def fleet_year_counts(*, actor, year: int) -> dict[str, int] | None:
    """mobile_units_year_counts for `actor`'s scope: national for national roles, else
    the actor's unit subtree; None for users who do not read the fleet."""
    if getattr(actor, "role", None) not in FLEET_READERS or actor.unit is None:
        return None
    return mobile_units_year_counts(year, None if is_national(actor) else actor.unit)


def region_choices() -> list[tuple[str, str]]:
    """(HCP code, name in the active language) of the 12 regions, by code."""
    return [(region.code, localized(region, "name")) for region in Region.objects.order_by("code")]
