"""Helpers shared by the police-unit tests."""

import datetime

from amn.orgunits import services
from amn.orgunits.models import OrgUnit

DAY_2024 = datetime.date(2024, 3, 1)
DAY_2025 = datetime.date(2025, 6, 15)
DECISION = "Décision DGSN n° 2025/117"


def unit_create(code, parent, unit_type, commune, effective_on=DAY_2024, **extra) -> OrgUnit:
    """Create a unit with placeholder names, dated DAY_2024 unless told."""
    return services.unit_create(
        actor=None,
        code=code,
        name_ar=f"وحدة {code}",
        name_fr=f"Unité {code}",
        name_en=f"Unit {code}",
        unit_type=unit_type,
        parent=parent,
        commune=commune,
        effective_on=effective_on,
        decision_reference=DECISION,
        **extra,
    )
