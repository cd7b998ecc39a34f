"""The demo fleet (idempotent) and the generated national year (80 units, 88,000 people
served at scale 1; deterministic)."""

import pytest
from django.utils import timezone

from amn.core.errors import DomainError
from amn.mobileunits import demo, selectors
from amn.mobileunits.generation import generate_mobile_year
from amn.mobileunits.models import MobileUnit, Stop, Tour

pytestmark = pytest.mark.django_db


def test_demo_is_loaded_once_with_past_results_and_upcoming_stops(demo_data):
    assert demo.load_demo() == "mobile units: already loaded"
    assert MobileUnit.objects.filter(code__startswith="mu-").count() == 5
    today = timezone.localdate()
    assert Stop.objects.filter(date__lt=today, results_recorded_at__isnull=False).count() >= 13
    assert selectors.stops_upcoming().count() >= 7
    assert (
        selectors.mobile_units_people_served(2025)
        == 112 + 66 + 81 + 38 + 118 + 171 + 130 + 77 + 221
    )


def _rows(year):
    return list(
        Stop.objects.filter(tour__mobile_unit__code__startswith=f"gen{year}-")
        .order_by("tour__reference", "date")
        .values_list("commune__code", "date", "people_served", "applications_received")
    )


def test_generated_year_matches_the_release_and_is_deterministic(demo_data):
    result = generate_mobile_year(2025, seed=3, scale=1.0)
    assert result.units == 80
    assert result.people_served == 88_000
    assert selectors.mobile_units_entered_service(2025) == 80 + 5  # with the demo fleet
    assert selectors.mobile_units_people_served(2025) >= 85_000
    assert len(selectors.mobile_units_people_served_by_region(2025)) == 12
    assert generate_mobile_year(2025, seed=3).already_present

    small = generate_mobile_year(2024, seed=5, scale=0.1)
    assert (small.units, small.people_served) == (8, 8_800)
    first = _rows(2024)
    Stop.objects.filter(tour__mobile_unit__code__startswith="gen2024-").delete()
    Tour.objects.filter(mobile_unit__code__startswith="gen2024-").delete()
    MobileUnit.objects.filter(code__startswith="gen2024-").delete()
    generate_mobile_year(2024, seed=5, scale=0.1)
    assert _rows(2024) == first


def test_generation_refuses_a_future_year_or_scale(db):
    with pytest.raises(DomainError):
        generate_mobile_year(timezone.localdate().year + 1)
    with pytest.raises(DomainError):
        generate_mobile_year(2025, scale=0)
