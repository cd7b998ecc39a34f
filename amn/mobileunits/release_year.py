"""The mobile units of a generated demo year calibrated on a release (`amn generate-year`,
hook of amn.core.app_hooks), as the report counts them:

- mobile_units_in_service: distinct mobile units with at least one stop dated in the year
  whose people served are recorded — the release's 80 new units, not scaled;
- mobile_units_people_served: the people served summed over those stops (scaled).

Stops of the year already recorded (the demo fleet's, live ones) count in: the generator
(amn.mobileunits.generation) adds the units and people missing.
"""

from django.db.models import Sum

from amn.core.errors import DomainError
from amn.mobileunits.choices import TourStatus
from amn.mobileunits.generation import _code_prefix, generate_mobile_year
from amn.mobileunits.models import Stop

UNITS = "mobile_units_in_service"
PEOPLE = "mobile_units_people_served"


def other_stops(year: int):
    """Stops dated in `year` with people served recorded, of units not generated for it."""
    return (
        Stop.objects.filter(date__year=year, people_served__isnull=False)
        .exclude(tour__status=TourStatus.CANCELLED)
        .exclude(tour__mobile_unit__code__startswith=_code_prefix(year))
    )


def generate(*, year: int, scale: float, seed: int, targets: dict[str, float]) -> str:
    """Generate the year's mobile units holding targets["mobile_units_in_service"] units
    and targets["mobile_units_people_served"] people served.

    Returns:
        a one-line summary naming the scale, or why nothing was generated.
    Raises:
        DomainError: the year's other stops already reach the units or exceed the people
            (at a small scale the demo fleet alone may: the message gives the smallest
            scale that works).
    """
    if UNITS not in targets:
        return f"mobile units {year}: no target, nothing generated"
    stops = other_stops(year)
    units_before = stops.values("tour__mobile_unit").distinct().count()
    people_before = stops.aggregate(n=Sum("people_served"))["n"] or 0
    units = int(targets[UNITS]) - units_before
    people = int(targets.get(PEOPLE, 0)) - people_before
    if units < 1 or people < 0:
        raise DomainError(
            f"The {year} stops of other mobile units already hold {units_before} units and "
            f"{people_before} people served, beyond the targets ({int(targets[UNITS])} "
            f"units, {int(targets.get(PEOPLE, 0))} people); choose a larger scale."
        )
    result = generate_mobile_year(year, seed=seed, scale=scale, units=units, people=people)
    state = "already present" if result.already_present else "written"
    return (
        f"mobile units {year} at scale {scale:g}: {result.units} units, {result.stops} stops, "
        f"{result.people_served} people served {state} (besides {units_before} units and "
        f"{people_before} people of other stops)"
    )
