"""Reads of the geography registry (public reference data: no unit scoping)."""

from django.db.models import Sum

from amn.geo.models import Arrondissement, Cercle, Commune, Province, Region


def geography_stats() -> dict[str, int]:
    """Counts per level and the national population.

    Returns:
        {"regions", "provinces", "cercles", "communes", "arrondissements",
         "population_2024", "households_2024"} → int. Population is the sum over regions
        (RGPH 2024: 36,828,330).
    """
    totals = Region.objects.aggregate(p=Sum("population_2024"), h=Sum("households_2024"))
    return {
        "regions": Region.objects.count(),
        "provinces": Province.objects.count(),
        "cercles": Cercle.objects.count(),
        "communes": Commune.objects.count(),
        "arrondissements": Arrondissement.objects.count(),
        "population_2024": totals["p"] or 0,
        "households_2024": totals["h"] or 0,
    }
