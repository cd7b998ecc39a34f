"""Seizure quantities in standard units: the one tested conversion table.

Standard units: kilograms for mass, tablets for counts, litres for volume.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

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
    """The quantity, unit or substance/unit pair is not acceptable; str() says why and
    `field` names the value at fault: "substance", "quantity" or "quantity_unit"."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


def units_for(substance: str) -> list[str]:
    """The QuantityUnit values `substance` may be recorded in, in the table's order."""
    dimensions = DIMENSIONS.get(substance, frozenset())
    return [unit for unit, (dimension, _factor) in UNITS.items() if dimension in dimensions]


def standard_quantity(substance: str, quantity: Decimal, unit: str) -> tuple[Decimal, str]:
    """Convert a seized quantity to its dimension's standard unit.

    Args:
        substance: a Substance value.
        quantity: the amount as recorded, > 0.
        unit: a QuantityUnit value.
    Returns:
        (Decimal amount, standard unit): e.g. (Decimal("2.5"), "kg") for 2,500 g.
    Raises:
        QuantityError: an unknown substance, a non-positive quantity, an unknown unit, or
            a unit of the wrong dimension for the substance (e.g. cannabis resin in
            tablets).
    """
    if substance not in DIMENSIONS:
        raise QuantityError(
            _("Unknown substance %(value)r.") % {"value": substance}, field="substance"
        )
    try:
        quantity = Decimal(quantity)
    except (InvalidOperation, TypeError, ValueError):
        quantity = Decimal("NaN")
    if not quantity.is_finite() or quantity <= 0:
        raise QuantityError(
            _("A quantity must be a positive number, not %(value)s.") % {"value": quantity},
            field="quantity",
        )
    if unit not in UNITS:
        raise QuantityError(
            _("Unknown unit %(unit)r: use one of %(units)s.")
            % {"unit": unit, "units": ", ".join(UNITS)},
            field="quantity_unit",
        )
    dimension, factor = UNITS[unit]
    if dimension not in DIMENSIONS[substance]:
        raise QuantityError(
            _("%(substance)s is not recorded in %(unit)s: use %(units)s.")
            % {
                "substance": Substance(substance).label,
                "unit": unit,
                "units": ", ".join(units_for(substance)),
            },
            field="quantity_unit",
        )
    return quantity * factor, STANDARD_UNIT[dimension]
