"""Hand-made YearFigures for the report tests: the 2025 figures of the DGSN release, with
regions and months for the crime figures, an entered figure, a restated one and a figure
without records.

Names are given in Arabic (as amn.indicators.yearly gives them in the active language when
the report is Arabic) so that the Arabic text layer can be checked without catalogues.
"""

import datetime

from amn.indicators.engine import Figure
from amn.indicators.yearly import (
    ENTERED,
    RECORDS,
    Provenance,
    YearFigure,
    YearFigures,
    canonical_checksum,
)
from amn.orgunits.models import OrgUnit

FROM_RECORDS = Provenance(kind=RECORDS)
INTERPOL = Provenance(
    kind=ENTERED,
    source="DGSN, بلاغ 17 دجنبر 2025",
    entered_by="Analyst HQ",
    entered_on=datetime.date(2025, 12, 18),
)
NAMES = {
    "cnie_produced": "البطاقة الوطنية للتعريف الإلكترونية المنجزة",
    "cases_recorded": "القضايا الزجرية المسجلة",
    "violent_crime_cases": "قضايا الجريمة العنيفة",
    "clearance_rate": "معدل الزجر",
    "drug_cases": "قضايا المخدرات",
    "cannabis_resin_seized_kg": "الشيرا المحجوزة",
    "interpol_assembly_countries": "الدول المشاركة في الجمعية العامة للإنتربول",
    "money_laundering_cases": "قضايا غسيل الأموال",
    "staff_trained": "الموظفون المستفيدون من التكوين",
    "new_indicator_without_template": "مؤشر جديد",
}


def region_cells(code: str, values: list[tuple[str, str, int, int]]) -> tuple[Figure, ...]:
    """Engine cells by region: (key, label, value, previous) each."""
    return tuple(
        Figure(
            indicator=code,
            org_unit="dg",
            period="2025",
            value=value,
            unit_of_measure="cases",
            previous_value=previous,
            change=round((value - previous) / previous * 100, 1),
            by="region",
            key=key,
            label=label,
            basis=value,
            previous_basis=previous,
        )
        for key, label, value, previous in values
    )


def month_cells(code: str) -> tuple[Figure, ...]:
    """Twelve months of 60,000 cases, 65,000 a year earlier."""
    return tuple(
        Figure(
            indicator=code,
            org_unit="dg",
            period="2025",
            value=60000,
            unit_of_measure="cases",
            previous_value=65000,
            change=-7.7,
            by="month",
            key=f"2025-{month:02d}",
            label=f"M{month:02d}",
            basis=60000,
            previous_basis=65000,
        )
        for month in range(1, 13)
    )


def figure(code, section, rank, value, previous=None, change=None, **extra) -> YearFigure:
    """A YearFigure with the defaults of a count from records."""
    options = {
        "name": NAMES.get(code, code),
        "definition": f"تعريف {code}",
        "counting_rule": f"قاعدة العد {code}",
        "unit_of_measure": "cases",
        "decimals": 0,
        "provenance": FROM_RECORDS if value is not None else None,
    } | extra
    return YearFigure(
        code=code,
        section=section,
        rank=rank,
        value=value,
        previous_value=previous,
        change=change,
        **options,
    )


def year_figures_make(unit: OrgUnit, *, year: int = 2025, empty: bool = False, **extra):
    """The release's figures (or, with `empty`, none at all) for `unit`."""
    regions = region_cells(
        "cases_recorded",
        [("06", "الدار البيضاء-سطات", 200000, 210000), ("03", "فاس-مكناس", 3, 2)],
    )
    figures = (
        figure("event_officers_deployed", "major_events", 1, 3387, provenance=INTERPOL),
        figure("cnie_produced", "digital_services", 2, 3685964, 3500000, 5.3),
        figure(
            "cases_recorded",
            "crime",
            3,
            779000,
            800000,
            -2.6,
            by_region=regions,
            by_month=month_cells("cases_recorded"),
        ),
        figure("violent_crime_cases", "crime", 4, 45000, 50000, -10.0),
        figure(
            "clearance_rate", "crime", 5, 95.0, 94.5, 0.5, unit_of_measure="percent", decimals=1
        ),
        figure("drug_cases", "crime", 6, 106000, restated=True, as_published=105800),
        figure(
            "cannabis_resin_seized_kg",
            "crime",
            7,
            170412.5,
            unit_of_measure="kg",
            decimals=1,
        ),
        figure("money_laundering_cases", "crime", 8, None),
        figure("interpol_assembly_countries", "cooperation", 9, 181, provenance=INTERPOL),
        figure("staff_trained", "human_resources", 10, 10250),
        figure("new_indicator_without_template", "communication", 11, 2400000),
    )
    if empty:
        figures = tuple(
            figure(f.code, f.section, f.rank, None, unit_of_measure=f.unit_of_measure)
            for f in figures
        )
    rows = [
        {
            "indicator": f.code,
            "value": f.value,
            "previous_value": f.previous_value,
            "unit_of_measure": f.unit_of_measure,
        }
        for f in figures
    ]
    return YearFigures(
        year=year,
        unit=unit,
        figures=figures,
        snapshot_checksum=canonical_checksum(rows),
        **extra,
    )


def national_unit() -> OrgUnit:
    """An unsaved directorate-general unit (enough for the builder, which makes no query)."""
    return OrgUnit(
        code="dg",
        name_ar="المديرية العامة للأمن الوطني",
        name_fr="Direction générale de la sûreté nationale",
        name_en="Directorate-General for National Security",
        path="0001",
        depth=1,
    )
