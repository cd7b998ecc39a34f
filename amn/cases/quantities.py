"""Seizure quantities in standard units: the one tested conversion table.

Standard units: kilograms for mass, tablets for counts, litres for volume.
"""

from decimal import Decimal

from amn.cases.choices import QuantityUnit, Substance

# unit → (dimension, factor to the dimension's standard unit)
UNITS: dict[str, tuple[str, Decimal]] = {
    QuantityUnit.T: ("mass", Decimal(1000)),
    QuantityUnit.KG: ("mass", Decimal(1)),
    QuantityUnit.G: ("mass", Decimal("0.001")),
    QuantityUnit.TABLETS: ("count", Decimal(1)),
    QuantityUnit.L: ("volume", Decimal(1)),
    QuantityUnit.ML: ("volume", Decimal("0.001")),
}

# Dimensions each substance may be recorded in (pills are counted; other drugs weighed,
# liquids such as cough syrups or solvents measured as "other").
DIMENSIONS: dict[str, frozenset[str]] = {
    Substance.CANNABIS_RESIN: frozenset({"mass"}),
    Substance.CANNABIS_HERB: frozenset({"mass"}),
    Substance.COCAINE: frozenset({"mass"}),
    Substance.HEROIN: frozenset({"mass"}),
    Substance.PSYCHOTROPIC_PILLS: frozenset({"count"}),
    Substance.ECSTASY: frozenset({"count", "mass"}),
    Substance.OTHER: frozenset({"mass", "count", "volume"}),
}

STANDARD_UNIT = {"mass": QuantityUnit.KG, "count": QuantityUnit.TABLETS, "volume": QuantityUnit.L}


class QuantityError(ValueError):
    """The quantity, unit or substance/unit pair is not acceptable; str() says why."""


def standard_quantity(substance: str, quantity: Decimal, unit: str) -> tuple[Decimal, str]:
    """Convert a seized quantity to its dimension's standard unit.

    Args:
        substance: a Substance value.
        quantity: the amount as recorded, > 0.
        unit: a QuantityUnit value.
    Returns:
        (Decimal amount, standard unit): e.g. (Decimal("2.5"), "kg") for 2,500 g.
    Raises:
        QuantityError: non-positive quantity, unknown unit, or a unit of the wrong
            dimension for the substance (e.g. cannabis resin in tablets).
    """
    quantity = Decimal(quantity)
    if not quantity.is_finite() or quantity <= 0:
        raise QuantityError(f"quantity must be a positive number, not {quantity}")
    if unit not in UNITS:
        raise QuantityError(f"unknown unit {unit!r}")
    dimension, factor = UNITS[unit]
    if dimension not in DIMENSIONS.get(substance, frozenset()):
        raise QuantityError(f"{substance} is not recorded in {unit}")
    return quantity * factor, STANDARD_UNIT[dimension]
