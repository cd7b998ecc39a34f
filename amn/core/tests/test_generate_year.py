"""`amn generate-year`: a demo year holding the release's figures exactly (counted straight
from the models, as the indicator catalogue counts them), idempotent, refusing bad input."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q, Sum

from amn.cases.models import Case, CriminalNetwork, Offence, Seizure
from amn.cases.release_year import national_root
from amn.certificates.choices import Channel
from amn.certificates.models import Certificate, CertificateApplication
from amn.certificates.services import certificate_verify
from amn.core.errors import DomainError
from amn.hr.models import StaffMember
from amn.idcards.models import Card
from amn.indicators.models import GeneratedYear
from amn.indicators.published.release import previous_year_targets, release_targets
from amn.mobileunits import release_year as mobile_release
from amn.mobileunits.models import Stop

pytestmark = pytest.mark.django_db

# The smallest round scale at which the demo fleet's 2025 stops (1,014 people served) stay
# below the release's 85,000 × scale.
SCALE = 0.013


def _category_cases(year: int, prefixes: tuple[str, ...]) -> int:
    condition = Q()
    for prefix in prefixes:
        condition |= Q(iccs__code__startswith=prefix)
    return (
        _offences(year).filter(condition, recorded_on__year=year).values("case").distinct().count()
    )


def _offences(year: int):
    return Offence.objects.filter(
        is_valid=True, recording_unit__path__startswith=national_root().path
    )


def _figures(year: int) -> dict[str, float]:
    root = national_root().path
    offences = _offences(year)
    recorded = offences.filter(recorded_on__year=year).count()
    cleared = offences.filter(cleared_on__year=year).count()
    stops = Stop.objects.filter(date__year=year, people_served__isnull=False)
    return {
        "cases_recorded": Case.objects.filter(
            is_valid=True, recorded_on__year=year, recording_unit__path__startswith=root
        ).count(),
        "drug_cases": _category_cases(year, ("0601", "0609")),
        "violent_crime_cases": _category_cases(
            year, ("01", "0201", "0202", "0203", "0204", "0205", "03", "04")
        ),
        "clearance_rate": round(100 * cleared / recorded, 1),
        "cannabis_resin_seized_kg": Seizure.objects.filter(
            substance="cannabis_resin", seized_on__year=year
        )
        .filter(Q(case__isnull=True) | Q(case__is_valid=True))
        .aggregate(total=Sum("standard_quantity"))["total"],
        "migration_networks_dismantled": CriminalNetwork.objects.filter(
            kind="migration_smuggling", dismantled_on__year=year
        ).count(),
        "criminal_record_certificates_issued": Certificate.objects.filter(
            issued_on__year=year
        ).count(),
        "criminal_record_certificates_online_requests": CertificateApplication.objects.filter(
            submitted_on__year=year, channel=Channel.ONLINE
        ).count(),
        "cnie_produced": Card.objects.filter(issued_on__year=year).count(),
        "mobile_units_in_service": stops.values("tour__mobile_unit").distinct().count(),
        "mobile_units_people_served": stops.aggregate(n=Sum("people_served"))["n"],
    }


def _counts() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        Seizure.objects.count(),
        CriminalNetwork.objects.count(),
        Certificate.objects.count(),
        Card.objects.count(),
        Stop.objects.count(),
        StaffMember.objects.count(),
    )


def test_the_generated_year_holds_the_release_figures_and_once_only(demo_data):
    out = io.StringIO()
    call_command("generate-year", year=2025, scale=SCALE, previous_year=True, stdout=out)
    assert "at scale 0.013" in out.getvalue()
    assert dict(GeneratedYear.objects.values_list("year", "scale")) == {
        2024: Decimal("0.013"),
        2025: Decimal("0.013"),
    }
    targets = release_targets(2025, SCALE)
    figures = _figures(2025)
    for code, value in figures.items():
        assert value == targets[code], code
    assert targets["cases_recorded"] == round(779_008 * SCALE)
    assert targets["mobile_units_in_service"] == 80
    previous = previous_year_targets(2025, SCALE)
    figures_2024 = _figures(2024)
    for code in ("cases_recorded", "drug_cases", "violent_crime_cases", "clearance_rate"):
        assert figures_2024[code] == previous[code], code
    assert figures_2024["cannabis_resin_seized_kg"] == previous["cannabis_resin_seized_kg"]
    change = 100 * (figures["violent_crime_cases"] / figures_2024["violent_crime_cases"] - 1)
    assert round(change) == -10
    assert not Case.objects.filter(source_name="generate-demo", is_valid=False).exists()
    assert StaffMember.objects.count() >= round(80_000 * SCALE)

    # A generated certificate verifies: its seal (QR) and its serial with the control key.
    certificate = Certificate.objects.filter(issued_on__year=2025).first()
    assert certificate_verify(payload=certificate.seal_payload).status == "EXPIRED"
    assert (
        certificate_verify(serial=certificate.serial, control_key=certificate.control_key).status
        == "EXPIRED"
    )

    before = _counts()
    call_command("generate-year", year=2025, scale=SCALE, previous_year=True, stdout=io.StringIO())
    assert _counts() == before
    # Another seed adds no second set of records; another scale is refused.
    again = io.StringIO()
    call_command("generate-year", year=2025, scale=SCALE, seed=-5, stdout=again)
    assert "2025 already generated at scale 0.013: nothing added" in again.getvalue()
    assert _counts() == before
    with pytest.raises(CommandError, match=r"2025 was generated at scale 0\.013; another scale"):
        call_command("generate-year", year=2025, scale=0.02, stdout=io.StringIO())
    assert _counts() == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"year": 2025, "scale": 0}, "--scale must be above 0"),
        ({"year": 2025, "scale": 1.5}, "--scale must be above 0"),
        ({"year": 2023, "scale": 0.01}, "No release fixture for 2023; there are: 2025"),
    ],
)
def test_bad_input_is_refused_before_anything_is_written(db, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate-year", **options)
    assert Case.objects.count() == 0


def test_a_scale_too_small_for_the_demo_fleet_says_so(demo_data):
    targets = release_targets(2025, 0.005)
    with pytest.raises(DomainError, match="1014 people served"):
        mobile_release.generate(year=2025, scale=0.005, seed=0, targets=targets)
    assert not Stop.objects.filter(tour__mobile_unit__code__startswith="gen2025-").exists()
