from decimal import Decimal

import pytest
from django.utils import translation

from amn.cases.quantities import QuantityError, standard_quantity, units_for


@pytest.mark.parametrize(
    ("substance", "quantity", "unit", "expected"),
    [
        ("cannabis_resin", "2500", "g", (Decimal("2.5"), "kg")),
        ("cannabis_resin", "1.2", "t", (Decimal("1200"), "kg")),
        ("cocaine", "3", "kg", (Decimal("3"), "kg")),
        ("psychotropic_pills", "12000", "tablets", (Decimal("12000"), "tablets")),
        ("ecstasy", "500", "g", (Decimal("0.5"), "kg")),
        ("other", "750", "ml", (Decimal("0.75"), "l")),
    ],
)
def test_quantities_convert_to_the_standard_unit(substance, quantity, unit, expected):
    amount, standard = standard_quantity(substance, Decimal(quantity), unit)
    assert (amount, standard) == expected


@pytest.mark.parametrize(
    ("substance", "quantity", "unit", "reason"),
    [
        ("cannabis_resin", "0", "kg", "positive"),
        ("cocaine", "-1", "kg", "positive"),
        ("cocaine", "NaN", "kg", "positive"),
        ("cannabis_resin", "10", "tablets", "not recorded in tablets: use t, kg, g"),
        ("psychotropic_pills", "1", "kg", "not recorded in kg: use tablets"),
        ("heroin", "1", "pounds", "Unknown unit 'pounds'"),
        ("glue", "1", "kg", "Unknown substance 'glue'"),
    ],
)
@translation.override("en")
def test_impossible_quantities_are_refused(substance, quantity, unit, reason):
    with pytest.raises(QuantityError, match=reason):
        standard_quantity(substance, Decimal(quantity), unit)


@pytest.mark.parametrize(
    ("substance", "quantity", "unit", "field"),
    [
        ("glue", "1", "kg", "substance"),
        ("cocaine", "-1", "kg", "quantity"),
        ("cocaine", "1", "pounds", "quantity_unit"),
        ("cocaine", "1", "tablets", "quantity_unit"),
    ],
)
def test_the_error_names_the_value_at_fault(substance, quantity, unit, field):
    with pytest.raises(QuantityError) as refused:
        standard_quantity(substance, Decimal(quantity), unit)
    assert refused.value.field == field


def test_units_of_each_substance():
    assert units_for("cannabis_resin") == ["t", "kg", "g"]
    assert units_for("psychotropic_pills") == ["tablets"]
    assert units_for("ecstasy") == ["t", "kg", "g", "tablets"]
    assert units_for("glue") == []
