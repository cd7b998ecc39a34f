"""The criminal cases of a generated demo year calibrated on a release
(`amn generate-year`, hook of amn.core.app_hooks).

The year holds, in the national tree (the root police unit of a national type), exactly
the targets it is given: cases_recorded, drug_cases, violent_crime_cases,
cannabis_resin_seized_kg and migration_networks_dismantled, counted as the indicator
catalogue counts them, and a clearance_rate (offences cleared ÷ offences recorded) within
0.1 point of the target. Records of the year from other sources (the demo cases of
`amn load-demo`, imports, live records) count towards the targets: the generator writes
the rest (amn.cases.generation.Calibration).
"""

from decimal import Decimal

from django.db.models import Q

from amn.cases.choices import NetworkKind
from amn.cases.generation import (
    DRUG_CATEGORY,
    SOURCE_NAME,
    VIOLENT_CATEGORY,
    Calibration,
    cannabis_resin_complete,
    demo_year_generate,
)
from amn.cases.models import Case, CriminalNetwork, NationalCategory, Offence
from amn.core.errors import DomainError
from amn.orgunits.models import OrgUnit


def national_root() -> OrgUnit:
    """The root of the national police-unit tree (first root of a national unit type).

    Raises:
        DomainError: none (run `amn load-demo`).
    """
    root = OrgUnit.objects.filter(depth=1, unit_type__is_national=True).order_by("path").first()
    if root is None:
        raise DomainError("No national police unit: run `amn load-demo` first.")
    return root


def _category_cases(offences, category: str) -> int:
    prefixes = NationalCategory.objects.filter(code=category).values_list(
        "iccs_codes__code", flat=True
    )
    condition = Q(pk__isnull=True)
    for prefix in prefixes:
        if prefix:
            condition |= Q(iccs__code__startswith=prefix)
    return offences.filter(condition).values("case_id").distinct().count()


def other_records(year: int, root: OrgUnit) -> dict[str, int]:
    """What the valid records of `year` in `root`'s subtree that this generator did not
    write already hold: {"cases", "drug_cases", "violent_cases", "offences", "cleared",
    "migration_networks"}."""
    in_tree = {"recording_unit__path__startswith": root.path, "is_valid": True}
    offences = Offence.objects.filter(recorded_on__year=year, **in_tree).exclude(
        case__source_name=SOURCE_NAME
    )
    return {
        "cases": Case.objects.filter(recorded_on__year=year, **in_tree)
        .exclude(source_name=SOURCE_NAME)
        .count(),
        "drug_cases": _category_cases(offences, DRUG_CATEGORY),
        "violent_cases": _category_cases(offences, VIOLENT_CATEGORY),
        "offences": offences.count(),
        "cleared": Offence.objects.filter(cleared_on__year=year, **in_tree)
        .exclude(case__source_name=SOURCE_NAME)
        .count(),
        "migration_networks": CriminalNetwork.objects.filter(
            dismantled_on__year=year,
            kind=NetworkKind.MIGRATION_SMUGGLING,
            unit__path__startswith=root.path,
        )
        .exclude(cases__source_name=SOURCE_NAME)
        .distinct()
        .count(),
    }


def generate(*, year: int, scale: float, seed: int, targets: dict[str, float]) -> str:
    """Generate the cases of `year` holding `targets` (indicator code → value; counts
    already scaled, clearance_rate in percent); idempotent for the same database state.

    Returns:
        a one-line summary naming the scale, or why nothing was generated (no case target).
    Raises:
        DomainError: other records already exceed a target, or the generator refuses
            (amn.cases.generation.demo_year_generate).
    """
    if "cases_recorded" not in targets:
        return f"cases {year}: no target, nothing generated"
    root = national_root()
    before = other_records(year, root)
    cases = int(targets["cases_recorded"]) - before["cases"]
    if cases < 1:
        raise DomainError(
            f"The {year} records already hold {before['cases']} cases: nothing left to "
            f"generate for a target of {int(targets['cases_recorded'])}; choose a larger scale."
        )
    calibration = Calibration(
        drug_cases=int(targets.get("drug_cases", 0)) - before["drug_cases"],
        violent_cases=int(targets.get("violent_crime_cases", 0)) - before["violent_cases"],
        cannabis_resin_kg=Decimal(int(targets.get("cannabis_resin_seized_kg", 0))),
        migration_networks=max(
            0, int(targets.get("migration_networks_dismantled", 0)) - before["migration_networks"]
        ),
        cleared_percent=float(targets.get("clearance_rate", 95)),
        offences_before=before["offences"],
        cleared_before=before["cleared"],
    )
    if min(calibration.drug_cases, calibration.violent_cases) < 0:
        raise DomainError(
            f"The {year} records already hold more drug or violent cases than the targets; "
            "choose a larger scale."
        )
    summary = demo_year_generate(
        actor=None, cases=cases, year=year, seed=seed, calibration=calibration
    )
    changed = Decimal(0)
    if "cannabis_resin_seized_kg" in targets:
        changed = cannabis_resin_complete(
            year=year, root=root, total_kg=calibration.cannabis_resin_kg
        )
    result = summary.cases
    return (
        f"cases {year} at scale {scale:g}: {result.written} written, "
        f"{result.already_present} already present (of {cases}, besides {before['cases']} "
        f"other records); cannabis resin seizures adjusted by {changed:+.3f} kg to the target"
    )
